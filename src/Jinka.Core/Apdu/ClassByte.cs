namespace Jinka.Core.Apdu;

/// <summary>
/// Reads the class byte (ISO/IEC 7816-4 §5.4.1). 000x xxxx is the first interindustry class (SM in b4–b3,
/// channel 0–3 in b2–b1), 01xx xxxx the further interindustry class (SM in b6, channel 4–19 in b4–b1); b5 is
/// command chaining in both. Proprietary classes (b8 = 1) are read with the same bits below b8, which is how EMV
/// (Book 3 §6.3.2, CLA 80/84) and GlobalPlatform (Card Spec §11.1.4, CLA 80–87, C0–CF, E0–EF) use them.
/// </summary>
internal static class ClassByte
{
    /// <summary>FF is reserved for PPS (ISO/IEC 7816-3); PC/SC readers use it for pseudo-APDUs to the reader.</summary>
    public const byte Reserved = 0xFF;

    public static bool IsProprietary(byte cla) => (cla & 0x80) != 0 && cla != Reserved;

    public static bool IsFirstInterindustryCoding(byte cla) => cla != Reserved && (cla & 0x60) == 0x00;

    public static bool IsFurtherInterindustryCoding(byte cla) => cla != Reserved && (cla & 0x40) != 0;

    /// <summary>001x xxxx (and A0–BF when proprietary): no channel or SM coding defined.</summary>
    public static bool IsRfuCoding(byte cla) => cla != Reserved && (cla & 0x60) == 0x20;

    public static int LogicalChannel(byte cla)
    {
        if (IsFirstInterindustryCoding(cla))
        {
            return cla & 0x03;
        }

        return IsFurtherInterindustryCoding(cla) ? 4 + (cla & 0x0F) : 0;
    }

    public static bool HasSecureMessaging(byte cla)
    {
        if (IsFirstInterindustryCoding(cla))
        {
            return (cla & 0x0C) != 0;
        }

        return IsFurtherInterindustryCoding(cla) && (cla & 0x20) != 0;
    }

    public static bool IsChained(byte cla) => (IsFirstInterindustryCoding(cla) || IsFurtherInterindustryCoding(cla)) && (cla & 0x10) != 0;

    /// <summary>The interindustry CLA, without SM or chaining, that addresses <paramref name="channel"/> (0–19).</summary>
    public static byte ForChannel(int channel)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channel, 19);
        return channel < 4 ? (byte)channel : (byte)(0x40 | (channel - 4));
    }
}
