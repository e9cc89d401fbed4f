namespace Jinka.Core.Apdu;

/// <summary>The seven command APDU cases of ISO/IEC 7816-3 §12.1 / 7816-4 §5.1 (S = short, E = extended lengths).</summary>
public enum ApduCase
{
    /// <summary>Header only: no data, no response data expected.</summary>
    Case1 = 1,

    /// <summary>Header ‖ Le (1 byte).</summary>
    Case2Short,

    /// <summary>Header ‖ Lc (1 byte) ‖ data.</summary>
    Case3Short,

    /// <summary>Header ‖ Lc (1 byte) ‖ data ‖ Le (1 byte).</summary>
    Case4Short,

    /// <summary>Header ‖ 00 ‖ Le (2 bytes).</summary>
    Case2Extended,

    /// <summary>Header ‖ 00 ‖ Lc (2 bytes) ‖ data.</summary>
    Case3Extended,

    /// <summary>Header ‖ 00 ‖ Lc (2 bytes) ‖ data ‖ Le (2 bytes).</summary>
    Case4Extended,
}
