namespace Jinka.PcSc.Vpcd;

/// <summary>What happened on a <see cref="VpcdCardServer"/>'s connection.</summary>
public enum VpcdEventKind
{
    /// <summary>Connected to vpcd: the card is in the virtual reader once pcscd polls it.</summary>
    Connected,

    /// <summary>The connection ended (vpcd closed it, a protocol error, or the server stopping); the card left the reader.</summary>
    Disconnected,

    /// <summary>A connection attempt failed; the server retries.</summary>
    ConnectFailed,

    /// <summary>The reader powered the card on (a cold reset: a new session).</summary>
    PowerOn,

    /// <summary>The reader powered the card off: the session is gone, persistent state kept.</summary>
    PowerOff,

    /// <summary>The reader reset the card (a warm reset: a new session).</summary>
    Reset,

    /// <summary>A command and the card's response (only with <see cref="VpcdServerOptions.ReportApdus"/>).</summary>
    Apdu,

    /// <summary>vpcd sent something outside the protocol (a zero-length or truncated frame, an unknown control byte, a malformed APDU).</summary>
    ProtocolError,
}

/// <summary>One event of a <see cref="VpcdCardServer"/>, with a line that says what happened.</summary>
public readonly record struct VpcdEvent(VpcdEventKind Kind, string Message)
{
    public override string ToString() => $"{Kind}: {Message}";
}
