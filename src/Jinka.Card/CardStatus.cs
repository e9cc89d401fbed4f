using Jinka.Core.Apdu;

namespace Jinka.Card;

/// <summary>ISO/IEC 7816-4 status words the OS answers that <see cref="StatusWord"/> does not name.</summary>
public static class CardStatus
{
    /// <summary>6881: logical channel not supported (this card has the basic channel only).</summary>
    public static readonly StatusWord LogicalChannelNotSupported = new(0x6881);

    /// <summary>6882: secure messaging not supported.</summary>
    public static readonly StatusWord SecureMessagingNotSupported = new(0x6882);

    /// <summary>6884: command chaining not supported.</summary>
    public static readonly StatusWord ChainingNotSupported = new(0x6884);

    /// <summary>6981: command incompatible with file structure.</summary>
    public static readonly StatusWord IncompatibleFileStructure = new(0x6981);

    /// <summary>6986: command not allowed (no current EF).</summary>
    public static readonly StatusWord NoCurrentEf = new(0x6986);
}
