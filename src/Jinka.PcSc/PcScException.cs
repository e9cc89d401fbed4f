using System.Globalization;
using Jinka.Core.Transport;

namespace Jinka.PcSc;

/// <summary>PC/SC return codes (PC/SC part 5 §2.2, <c>SCARD_E_*</c>, <c>SCARD_W_*</c>; pcsclite's values).</summary>
#pragma warning disable CA1008 // Success is the zero value, named as the specification names it.
#pragma warning disable CA1028 // The codes are 32-bit unsigned in every PC/SC implementation.
public enum PcScError : uint
#pragma warning restore CA1028
#pragma warning restore CA1008
{
    Success = 0,
    InternalError = 0x80100001,
    Cancelled = 0x80100002,
    InvalidHandle = 0x80100003,
    InvalidParameter = 0x80100004,
    InvalidTarget = 0x80100005,
    NoMemory = 0x80100006,
    WaitedTooLong = 0x80100007,
    InsufficientBuffer = 0x80100008,
    UnknownReader = 0x80100009,
    Timeout = 0x8010000A,
    SharingViolation = 0x8010000B,
    NoSmartCard = 0x8010000C,
    UnknownCard = 0x8010000D,
    CannotDispose = 0x8010000E,
    ProtocolMismatch = 0x8010000F,
    NotReady = 0x80100010,
    InvalidValue = 0x80100011,
    SystemCancelled = 0x80100012,
    CommunicationError = 0x80100013,
    UnknownError = 0x80100014,
    InvalidAtr = 0x80100015,
    NotTransacted = 0x80100016,
    ReaderUnavailable = 0x80100017,
    Shutdown = 0x80100018,
    PciTooSmall = 0x80100019,
    ReaderUnsupported = 0x8010001A,
    DuplicateReader = 0x8010001B,
    CardUnsupported = 0x8010001C,
    NoService = 0x8010001D,
    ServiceStopped = 0x8010001E,
    Unexpected = 0x8010001F,
    NoReadersAvailable = 0x8010002E,
    CommunicationDataLost = 0x8010002F,
    ServerTooBusy = 0x80100031,
    UnsupportedCard = 0x80100065,
    UnresponsiveCard = 0x80100066,
    UnpoweredCard = 0x80100067,
    ResetCard = 0x80100068,
    RemovedCard = 0x80100069,
}

/// <summary>
/// A PC/SC call failed: the typed edge of the native API. It is a <see cref="TransportException"/>, so a kernel ends
/// the transaction cleanly with a reason (card removed, reader gone, daemon stopped) instead of crashing.
/// </summary>
public sealed class PcScException : TransportException
{
    public PcScException()
    {
    }

    public PcScException(string message)
        : base(message)
    {
    }

    public PcScException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <param name="error">The PC/SC return code.</param>
    /// <param name="operation">What was being done, e.g. "SCardConnect to 'Virtual PCD 00 00'".</param>
    public PcScException(PcScError error, string operation)
        : base(FailureOf(error), $"{operation}: {Describe(error)}")
    {
        Error = error;
    }

    /// <summary>A failure outside the PC/SC calls themselves (e.g. the library cannot be loaded), classed as <paramref name="error"/>.</summary>
    public PcScException(PcScError error, string message, Exception? innerException)
        : base(FailureOf(error), message, innerException)
    {
        Error = error;
    }

    public PcScError Error { get; }

    /// <summary>The transport-level meaning of a PC/SC error.</summary>
    public static TransportFailure FailureOf(PcScError error) => error switch
    {
        PcScError.RemovedCard or PcScError.NoSmartCard or PcScError.ResetCard or PcScError.UnpoweredCard => TransportFailure.CardRemoved,
        PcScError.NoService or PcScError.ServiceStopped or PcScError.Shutdown or PcScError.ReaderUnavailable
            or PcScError.NoReadersAvailable or PcScError.CommunicationDataLost => TransportFailure.PeerClosed,
        PcScError.Timeout or PcScError.WaitedTooLong => TransportFailure.Timeout,
        PcScError.UnresponsiveCard or PcScError.ProtocolMismatch or PcScError.InvalidAtr or PcScError.CommunicationError => TransportFailure.ProtocolViolation,
        _ => TransportFailure.Other,
    };

    /// <summary>"SCARD_W_REMOVED_CARD (0x80100069): the card has been removed", for messages.</summary>
    public static string Describe(PcScError error)
    {
        string? text = error switch
        {
            PcScError.Success => "success",
            PcScError.Cancelled => "the wait was cancelled",
            PcScError.InvalidHandle => "the handle is not valid (already released?)",
            PcScError.InvalidParameter => "a parameter is not valid",
            PcScError.InsufficientBuffer => "the answer does not fit the buffer",
            PcScError.UnknownReader => "no reader of that name",
            PcScError.Timeout => "timed out",
            PcScError.SharingViolation => "another application holds the card exclusively",
            PcScError.NoSmartCard => "no card in the reader",
            PcScError.ProtocolMismatch => "the card does not offer the requested protocol",
            PcScError.NotReady => "the reader or card is not ready",
            PcScError.CommunicationError => "communication error with the reader",
            PcScError.ReaderUnavailable => "the reader is no longer available",
            PcScError.NoService => "pcscd is not running",
            PcScError.ServiceStopped => "pcscd has stopped",
            PcScError.NoReadersAvailable => "no reader is connected",
            PcScError.CommunicationDataLost => "the connection to pcscd was lost",
            PcScError.UnsupportedCard => "the card's ATR is not supported",
            PcScError.UnresponsiveCard => "the card does not answer the reset",
            PcScError.UnpoweredCard => "the card is not powered",
            PcScError.ResetCard => "the card was reset by another application",
            PcScError.RemovedCard => "the card has been removed",
            _ => null,
        };
        string code = string.Create(CultureInfo.InvariantCulture, $"0x{(uint)error:X8}");
        return text is null ? $"PC/SC error {code}" : $"{text} ({code})";
    }
}
