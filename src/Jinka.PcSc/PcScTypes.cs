namespace Jinka.PcSc;

/// <summary>Transmission protocols (PC/SC part 5, <c>SCARD_PROTOCOL_*</c>; values as pcsclite defines them).</summary>
[Flags]
#pragma warning disable CA1711 // "Protocols" names a set of protocols, not a collection type.
public enum PcScProtocols
#pragma warning restore CA1711
{
    /// <summary>No protocol (a direct connection to the reader, or not yet negotiated).</summary>
    None = 0,

    /// <summary>T=0, character protocol (ISO/IEC 7816-3 §10): case-4 data comes back through 61xx and GET RESPONSE.</summary>
    T0 = 0x1,

    /// <summary>T=1, block protocol (ISO/IEC 7816-3 §11).</summary>
    T1 = 0x2,

    /// <summary>Raw: the reader's own protocol, bytes passed through.</summary>
    Raw = 0x4,

    /// <summary>T=0 or T=1, whichever the card's ATR offers (the reader negotiates).</summary>
    Any = T0 | T1,
}

/// <summary>How a connection shares the card with other applications (<c>SCARD_SHARE_*</c>).</summary>
public enum PcScShareMode
{
    /// <summary>No other application may connect while this connection is open.</summary>
    Exclusive = 1,

    /// <summary>Other applications may connect too (pcscd serialises their commands).</summary>
    Shared = 2,

    /// <summary>A connection to the reader itself, with or without a card (for control commands).</summary>
    Direct = 3,
}

/// <summary>What happens to the card when a connection ends or is re-established (<c>SCARD_*_CARD</c>).</summary>
public enum PcScDisposition
{
    /// <summary>Leave the card as it is: powered, its applications still selected.</summary>
    LeaveCard = 0,

    /// <summary>Warm reset: a new card session (ISO/IEC 7816-3 §6.2.3), persistent state untouched.</summary>
    ResetCard = 1,

    /// <summary>Power the card down (cold reset at the next connection).</summary>
    UnpowerCard = 2,

    /// <summary>Eject the card, on readers that can.</summary>
    EjectCard = 3,
}

/// <summary>The scope of a resource-manager context (<c>SCARD_SCOPE_*</c>).</summary>
public enum PcScScope
{
    /// <summary>The user's domain.</summary>
    User = 0,

    /// <summary>The system's domain (pcsclite treats both alike).</summary>
    System = 2,
}

/// <summary>
/// What pcscd reports about a reader slot (<c>SCARD_STATE_*</c> of SCardGetStatusChange; PC/SC part 5 §3.1.3).
/// </summary>
[Flags]
public enum PcScReaderFlags
{
    /// <summary>The state is not known.</summary>
    Unaware = 0,

    /// <summary>The reader is ignored.</summary>
    Ignore = 0x1,

    /// <summary>The state differs from the one the caller passed in.</summary>
    Changed = 0x2,

    /// <summary>The reader is not known to pcscd.</summary>
    Unknown = 0x4,

    /// <summary>The reader's state is unavailable.</summary>
    Unavailable = 0x8,

    /// <summary>No card in the slot.</summary>
    Empty = 0x10,

    /// <summary>A card is in the slot.</summary>
    Present = 0x20,

    /// <summary>The card's ATR matched one the caller named.</summary>
    AtrMatch = 0x40,

    /// <summary>Another application holds the card exclusively.</summary>
    Exclusive = 0x80,

    /// <summary>Another application is connected to the card.</summary>
    InUse = 0x100,

    /// <summary>The card does not answer the reset.</summary>
    Mute = 0x200,

    /// <summary>The card is not powered.</summary>
    Unpowered = 0x400,
}

/// <summary>One reader and its slot as pcscd sees it at a moment.</summary>
/// <param name="Reader">The reader's name, as <see cref="PcScContext.Connect"/> takes it.</param>
/// <param name="Flags">The slot's state.</param>
/// <param name="Atr">The card's answer to reset, empty when no card is present.</param>
public readonly record struct PcScReaderState(string Reader, PcScReaderFlags Flags, ReadOnlyMemory<byte> Atr)
{
    /// <summary>A card is in the slot (and answered the reset).</summary>
    public bool CardPresent => (Flags & PcScReaderFlags.Present) != 0 && (Flags & PcScReaderFlags.Mute) == 0;

    /// <summary>Another application is connected to the card (shared or exclusive).</summary>
    public bool InUse => (Flags & (PcScReaderFlags.InUse | PcScReaderFlags.Exclusive)) != 0;

    /// <summary>"empty", "card", "card (in use)", "card (exclusive)", "mute card", "unavailable".</summary>
    public string Describe() => Flags switch
    {
        _ when (Flags & (PcScReaderFlags.Unknown | PcScReaderFlags.Unavailable)) != 0 => "unavailable",
        _ when (Flags & PcScReaderFlags.Mute) != 0 => "mute card",
        _ when (Flags & PcScReaderFlags.Exclusive) != 0 => "card (exclusive)",
        _ when (Flags & PcScReaderFlags.InUse) != 0 => "card (in use)",
        _ when (Flags & PcScReaderFlags.Present) != 0 => "card",
        _ => "empty",
    };
}
