namespace Jinka.PcSc.Native;

/// <summary>
/// The PC/SC API (PC/SC part 5, <c>SCard*</c>) in managed terms, with the raw return codes. One implementation per
/// platform (<see cref="PcScLiteApi"/> for libpcsclite); a fake of it drives the tests of everything above it.
/// </summary>
/// <remarks>Handles are passed as <see cref="System.Runtime.InteropServices.SafeHandle"/>s so a call cannot race the
/// handle's release. Implementations never throw for a PC/SC failure: they return its code.</remarks>
internal interface IPcScApi
{
    /// <summary>The library or service this implementation talks to, for messages ("libpcsclite.so.1").</summary>
    string Name { get; }

    PcScError EstablishContext(PcScScope scope, out nint context);

    PcScError ReleaseContext(nint context);

    /// <summary>Reader names; an empty list (and <see cref="PcScError.Success"/>) when there are none.</summary>
    PcScError ListReaders(PcScContextHandle context, out IReadOnlyList<string> readers);

    PcScError Connect(PcScContextHandle context, string reader, PcScShareMode shareMode, PcScProtocols preferred, out nint card, out PcScProtocols active);

    PcScError Reconnect(PcScCardHandle card, PcScShareMode shareMode, PcScProtocols preferred, PcScDisposition initialization, out PcScProtocols active);

    PcScError Disconnect(nint card, PcScDisposition disposition);

    /// <summary>The card's ATR (up to 33 bytes) and the active protocol.</summary>
    PcScError Status(PcScCardHandle card, out PcScProtocols protocol, out byte[] atr);

    /// <summary>Sends <paramref name="command"/> with the PCI of <paramref name="protocol"/>; <paramref name="received"/> bytes land in <paramref name="response"/>.</summary>
    PcScError Transmit(PcScCardHandle card, PcScProtocols protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received);

    /// <summary>Blocks until a reader's state differs from the <see cref="ReaderStateQuery.CurrentState"/> given, or the timeout (milliseconds; <see cref="uint.MaxValue"/> = forever).</summary>
    PcScError GetStatusChange(PcScContextHandle context, uint timeoutMilliseconds, ReaderStateQuery[] readers);

    /// <summary>Ends a <see cref="GetStatusChange"/> that is waiting on <paramref name="context"/>.</summary>
    PcScError Cancel(PcScContextHandle context);
}

/// <summary>
/// One entry of SCardGetStatusChange: the state the caller knows, and what pcscd reports back. States are raw
/// dwCurrentState/dwEventState values: pcsclite keeps an event counter in their upper 16 bits, so passing the last
/// event state back as the next current state waits for the next change rather than returning at once.
/// </summary>
internal sealed class ReaderStateQuery(string reader, ulong currentState = 0)
{
    public string Reader { get; } = reader;

    public ulong CurrentState { get; set; } = currentState;

    public ulong EventState { get; set; }

    public byte[] Atr { get; set; } = [];

    /// <summary>The flags of <see cref="EventState"/> (its lower 16 bits).</summary>
    public PcScReaderFlags Flags => (PcScReaderFlags)(EventState & 0xFFFF);

    public PcScReaderState ToState() => new(Reader, Flags & ~PcScReaderFlags.Changed, Atr);
}
