using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Jinka.PcSc.Native;

/// <summary>
/// PC/SC over pcsclite's client library, <c>libpcsclite.so.1</c> (Linux), which talks to pcscd over its socket.
/// </summary>
/// <remarks>
/// <para>Types: pcsclite declares <c>DWORD</c> as <c>unsigned long</c> and <c>LONG</c> (return codes, SCARDCONTEXT,
/// SCARDHANDLE) as <c>long</c>, so on Linux x64 they are 64 bits wide — unlike Windows' winscard, where they are 32.
/// <see cref="CULong"/> and <see cref="CLong"/> are exactly C's <c>unsigned long</c>/<c>long</c>; handles are
/// pointer-sized (<see cref="nint"/>). Return codes are compared on their low 32 bits (the 0x8010xxxx values).</para>
/// <para>Structures: SCARD_IO_REQUEST is { unsigned long dwProtocol, cbPciLength } (16 bytes); SCARD_READERSTATE is
/// { const char* szReader; void* pvUserData; unsigned long dwCurrentState, dwEventState, cbAtr; unsigned char
/// rgbAtr[33] } — 80 bytes with natural alignment on x64 (pcsclite packs it only on macOS).</para>
/// </remarks>
internal sealed unsafe partial class PcScLiteApi : IPcScApi
{
    public const string Library = "libpcsclite.so.1";

    /// <summary>MAX_ATR_SIZE of pcsclite.</summary>
    public const int MaxAtrSize = 33;

    private const ulong Infinite = 0xFFFFFFFF;

    public static PcScLiteApi Instance { get; } = new();

    public string Name => Library;

    public PcScError EstablishContext(PcScScope scope, out nint context) =>
        Code(SCardEstablishContext(new CULong((uint)scope), 0, 0, out context));

    public PcScError ReleaseContext(nint context) => Code(SCardReleaseContext(context));

    public PcScError ListReaders(PcScContextHandle context, out IReadOnlyList<string> readers)
    {
        readers = [];
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var length = new CULong(0);
            var error = Code(SCardListReaders(context, null, null, ref length));
            if (error == PcScError.NoReadersAvailable)
            {
                return PcScError.Success;
            }

            if (error != PcScError.Success)
            {
                return error;
            }

            byte[] buffer = new byte[checked((int)length.Value)];
            fixed (byte* p = buffer)
            {
                error = Code(SCardListReaders(context, null, p, ref length));
            }

            if (error == PcScError.InsufficientBuffer)
            {
                continue; // a reader was plugged in between the two calls
            }

            if (error == PcScError.NoReadersAvailable)
            {
                return PcScError.Success;
            }

            if (error == PcScError.Success)
            {
                readers = ParseMultiString(buffer.AsSpan(0, Math.Min(buffer.Length, (int)length.Value)));
            }

            return error;
        }

        return PcScError.InsufficientBuffer;
    }

    public PcScError Connect(PcScContextHandle context, string reader, PcScShareMode shareMode, PcScProtocols preferred, out nint card, out PcScProtocols active)
    {
        var error = Code(SCardConnect(context, reader, new CULong((uint)shareMode), new CULong((uint)preferred), out card, out var protocol));
        active = (PcScProtocols)protocol.Value;
        return error;
    }

    public PcScError Reconnect(PcScCardHandle card, PcScShareMode shareMode, PcScProtocols preferred, PcScDisposition initialization, out PcScProtocols active)
    {
        var error = Code(SCardReconnect(card, new CULong((uint)shareMode), new CULong((uint)preferred), new CULong((uint)initialization), out var protocol));
        active = (PcScProtocols)protocol.Value;
        return error;
    }

    public PcScError Disconnect(nint card, PcScDisposition disposition) => Code(SCardDisconnect(card, new CULong((uint)disposition)));

    public PcScError Status(PcScCardHandle card, out PcScProtocols protocol, out byte[] atr)
    {
        byte* buffer = stackalloc byte[MaxAtrSize];
        var atrLength = new CULong(MaxAtrSize);
        var error = Code(SCardStatus(card, null, null, out _, out var active, buffer, ref atrLength));
        protocol = (PcScProtocols)active.Value;
        atr = error == PcScError.Success ? new ReadOnlySpan<byte>(buffer, (int)Math.Min(atrLength.Value, MaxAtrSize)).ToArray() : [];
        return error;
    }

    public PcScError Transmit(PcScCardHandle card, PcScProtocols protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        var pci = new IoRequest { Protocol = new CULong((uint)protocol), PciLength = new CULong((uint)sizeof(IoRequest)) };
        var length = new CULong((uint)response.Length);
        PcScError error;
        fixed (byte* send = command)
        fixed (byte* receive = response)
        {
            error = Code(SCardTransmit(card, &pci, send, new CULong((uint)command.Length), null, receive, ref length));
        }

        received = error == PcScError.Success ? (int)Math.Min(length.Value, (ulong)response.Length) : 0;
        return error;
    }

    public PcScError GetStatusChange(PcScContextHandle context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
    {
        var states = new ReaderStateNative[readers.Length];
        var names = new nint[readers.Length];
        try
        {
            for (int i = 0; i < readers.Length; i++)
            {
                names[i] = Marshal.StringToCoTaskMemUTF8(readers[i].Reader);
                states[i].Reader = names[i];
                states[i].CurrentState = new CULong((nuint)readers[i].CurrentState);
            }

            PcScError error;
            fixed (ReaderStateNative* p = states)
            {
                ulong timeout = timeoutMilliseconds == uint.MaxValue ? Infinite : timeoutMilliseconds;
                error = Code(SCardGetStatusChange(context, new CULong((nuint)timeout), p, new CULong((uint)states.Length)));
            }

            if (error == PcScError.Success)
            {
                for (int i = 0; i < readers.Length; i++)
                {
                    readers[i].EventState = states[i].EventState.Value;
                    int atrLength = (int)Math.Min(states[i].AtrLength.Value, MaxAtrSize);
                    readers[i].Atr = ((ReadOnlySpan<byte>)states[i].Atr)[..atrLength].ToArray();
                }
            }

            return error;
        }
        finally
        {
            foreach (nint name in names)
            {
                Marshal.FreeCoTaskMem(name);
            }
        }
    }

    public PcScError Cancel(PcScContextHandle context) => Code(SCardCancel(context));

    /// <summary>A PC/SC multi-string: UTF-8 names, each NUL-terminated, the list ended by an empty one.</summary>
    internal static IReadOnlyList<string> ParseMultiString(ReadOnlySpan<byte> multiString)
    {
        var names = new List<string>();
        while (!multiString.IsEmpty)
        {
            int end = multiString.IndexOf((byte)0);
            var name = end < 0 ? multiString : multiString[..end];
            if (name.IsEmpty)
            {
                break;
            }

            names.Add(Encoding.UTF8.GetString(name));
            multiString = end < 0 ? default : multiString[(end + 1)..];
        }

        return names;
    }

    private static PcScError Code(CLong result) => (PcScError)(uint)(ulong)(long)result.Value;

    [LibraryImport(Library)]
    private static partial CLong SCardEstablishContext(CULong scope, nint reserved1, nint reserved2, out nint context);

    [LibraryImport(Library)]
    private static partial CLong SCardReleaseContext(nint context);

    [LibraryImport(Library)]
    private static partial CLong SCardListReaders(PcScContextHandle context, byte* groups, byte* readers, ref CULong readersLength);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    private static partial CLong SCardConnect(PcScContextHandle context, string reader, CULong shareMode, CULong preferredProtocols, out nint card, out CULong activeProtocol);

    [LibraryImport(Library)]
    private static partial CLong SCardReconnect(PcScCardHandle card, CULong shareMode, CULong preferredProtocols, CULong initialization, out CULong activeProtocol);

    [LibraryImport(Library)]
    private static partial CLong SCardDisconnect(nint card, CULong disposition);

    [LibraryImport(Library)]
    private static partial CLong SCardStatus(PcScCardHandle card, byte* readerName, CULong* readerNameLength, out CULong state, out CULong protocol, byte* atr, ref CULong atrLength);

    [LibraryImport(Library)]
    private static partial CLong SCardTransmit(PcScCardHandle card, IoRequest* sendPci, byte* send, CULong sendLength, IoRequest* receivePci, byte* receive, ref CULong receiveLength);

    [LibraryImport(Library)]
    private static partial CLong SCardGetStatusChange(PcScContextHandle context, CULong timeout, ReaderStateNative* readerStates, CULong readerCount);

    [LibraryImport(Library)]
    private static partial CLong SCardCancel(PcScContextHandle context);

    /// <summary>SCARD_IO_REQUEST.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoRequest
    {
        public CULong Protocol;
        public CULong PciLength;
    }

    /// <summary>SCARD_READERSTATE (see the remarks of <see cref="PcScLiteApi"/>).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct ReaderStateNative
    {
        public nint Reader;
        public nint UserData;
        public CULong CurrentState;
        public CULong EventState;
        public CULong AtrLength;
        public AtrBuffer Atr;
    }

    [InlineArray(MaxAtrSize)]
    internal struct AtrBuffer
    {
        private byte _element0;
    }
}
