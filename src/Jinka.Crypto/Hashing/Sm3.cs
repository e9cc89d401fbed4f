namespace Jinka.Crypto.Hashing;

/// <summary>
/// SM3 hash (GM/T 0004-2012): one-shot static <see cref="Hash(ReadOnlySpan{byte}, Span{byte})"/>, or an incremental
/// hasher in the manner of <see cref="System.Security.Cryptography.IncrementalHash"/>
/// (<see cref="Append"/>, <see cref="GetHashAndReset(Span{byte})"/>). An instance is not thread-safe.
/// </summary>
public sealed class Sm3 : IDisposable
{
    /// <summary>The digest length: 32 bytes.</summary>
    public const int HashSizeInBytes = Sm3State.DigestSize;

    /// <summary>The block length: 64 bytes.</summary>
    public const int BlockSizeInBytes = Sm3State.BlockSize;

    private Sm3State _state = Sm3State.Create();
    private bool _disposed;

    /// <summary>Hashes <paramref name="source"/> into <paramref name="destination"/>; returns 32.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 32 bytes.</exception>
    public static int Hash(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        CheckDestination(destination);
        var state = Sm3State.Create();
        state.Append(source);
        state.Finish(destination);
        return HashSizeInBytes;
    }

    /// <summary>Hashes <paramref name="source"/> into a new 32-byte array.</summary>
    public static byte[] Hash(ReadOnlySpan<byte> source)
    {
        var result = new byte[HashSizeInBytes];
        Hash(source, result);
        return result;
    }

    /// <summary>Adds <paramref name="data"/> to the running hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _state.Append(data);
    }

    /// <summary>Writes the hash of everything appended since the last reset, then starts over; returns 32.</summary>
    public int GetHashAndReset(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckDestination(destination);
        _state.Finish(destination);
        return HashSizeInBytes;
    }

    /// <summary>Returns the hash of everything appended since the last reset, then starts over.</summary>
    public byte[] GetHashAndReset()
    {
        var result = new byte[HashSizeInBytes];
        GetHashAndReset(result);
        return result;
    }

    /// <summary>Writes the hash so far without resetting; appending may continue afterwards. Returns 32.</summary>
    public int GetCurrentHash(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CheckDestination(destination);
        var copy = _state;
        copy.Finish(destination);
        copy.Clear();
        return HashSizeInBytes;
    }

    /// <summary>Wipes the internal state.</summary>
    public void Dispose()
    {
        _state.Clear();
        _disposed = true;
    }

    private static void CheckDestination(Span<byte> destination)
    {
        if (destination.Length < HashSizeInBytes)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; SM3 needs {HashSizeInBytes}", nameof(destination));
        }
    }
}
