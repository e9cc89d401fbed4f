using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// Reuses pinned buffers for short-lived key copies and key schedules. Pinned arrays never move, so the GC leaves no
/// stale copy of a key behind; allocating a fresh pinned array per cipher, though, lands on the pinned object heap
/// and forces frequent full collections on hot paths (one cipher per cryptogram). Buffers are zeroed on return.
/// </summary>
internal static class PinnedKeyPool
{
    public const int KeyBufferSize = 32;
    public const int ScheduleBufferSize = 32;
    private const int MaxPooled = 64;
    private static readonly ConcurrentQueue<byte[]> s_keyBuffers = new();
    private static readonly ConcurrentQueue<uint[]> s_scheduleBuffers = new();

    public static byte[] RentKeyBuffer() =>
        s_keyBuffers.TryDequeue(out var buffer) ? buffer : GC.AllocateArray<byte>(KeyBufferSize, pinned: true);

    public static void Return(byte[] buffer)
    {
        CryptographicOperations.ZeroMemory(buffer);
        if (s_keyBuffers.Count < MaxPooled)
        {
            s_keyBuffers.Enqueue(buffer);
        }
    }

    public static uint[] RentScheduleBuffer() =>
        s_scheduleBuffers.TryDequeue(out var buffer) ? buffer : GC.AllocateArray<uint>(ScheduleBufferSize, pinned: true);

    public static void Return(uint[] buffer)
    {
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(buffer.AsSpan()));
        if (s_scheduleBuffers.Count < MaxPooled)
        {
            s_scheduleBuffers.Enqueue(buffer);
        }
    }
}
