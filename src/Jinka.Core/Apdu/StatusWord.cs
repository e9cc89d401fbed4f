using System.Globalization;

namespace Jinka.Core.Apdu;

/// <summary>
/// The two status bytes SW1 SW2 that end every response (ISO/IEC 7816-4 §5.6). A status word is data, not an
/// error: callers branch on it.
/// </summary>
public readonly record struct StatusWord(ushort Value)
{
    /// <summary>Builds a status word from its two bytes.</summary>
    public StatusWord(byte sw1, byte sw2)
        : this((ushort)((sw1 << 8) | sw2))
    {
    }

    public byte Sw1 => (byte)(Value >> 8);

    public byte Sw2 => (byte)Value;

    /// <summary>9000: normal processing.</summary>
    public bool IsSuccess => Value == 0x9000;

    /// <summary>SW1 62 or 63: processed with a warning (ISO/IEC 7816-4 §5.6, table 6).</summary>
    public bool IsWarning => Sw1 is 0x62 or 0x63;

    /// <summary>For 61xx, the number of bytes the card still holds for GET RESPONSE (xx = 00 means 256); otherwise null.</summary>
    public int? BytesAvailable => Sw1 == 0x61 ? LengthFromSw2 : null;

    /// <summary>For 6Cxx, the exact Le the card wants (xx = 00 means 256); otherwise null.</summary>
    public int? CorrectLength => Sw1 == 0x6C ? LengthFromSw2 : null;

    /// <summary>For 63Cx, the tries left (x); otherwise null.</summary>
    public int? RetriesLeft => (Value & 0xFFF0) == 0x63C0 ? Value & 0x0F : null;

    /// <summary>An English description (ISO/IEC 7816-4, EMV, GlobalPlatform, PBOC ED/EP), ranges included.</summary>
    public string Meaning => StatusWordMeanings.Describe(this);

    private int LengthFromSw2 => Sw2 == 0 ? 256 : Sw2;

    /// <summary>63Cx: verification failed, <paramref name="triesLeft"/> tries left (0–15).</summary>
    public static StatusWord VerificationFailed(int triesLeft)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(triesLeft);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(triesLeft, 15);
        return new StatusWord((ushort)(0x63C0 | triesLeft));
    }

    /// <summary>61xx: <paramref name="count"/> more bytes available (1–256; 256 is coded 00).</summary>
    public static StatusWord MoreBytesAvailable(int count) => new(0x61, LengthToSw2(count));

    /// <summary>6Cxx: wrong Le, the exact length is <paramref name="exactLength"/> (1–256; 256 is coded 00).</summary>
    public static StatusWord WrongLe(int exactLength) => new(0x6C, LengthToSw2(exactLength));

    private static byte LengthToSw2(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 256);
        return (byte)(length & 0xFF);
    }

    /// <summary>Four upper-case hex digits, e.g. "9000".</summary>
    public override string ToString() => Value.ToString("X4", CultureInfo.InvariantCulture);

    // ISO/IEC 7816-4 and EMV Book 3 §6.3.5.
    public static readonly StatusWord Success = new(0x9000);
    public static readonly StatusWord DataMayBeCorrupted = new(0x6281);
    public static readonly StatusWord EndOfFileBeforeNe = new(0x6282);
    public static readonly StatusWord SelectedFileInvalidated = new(0x6283);
    public static readonly StatusWord AuthenticationFailed = new(0x6300);
    public static readonly StatusWord ExecutionErrorMemoryUnchanged = new(0x6400);
    public static readonly StatusWord MemoryFailure = new(0x6581);
    public static readonly StatusWord WrongLength = new(0x6700);
    public static readonly StatusWord LastCommandOfChainExpected = new(0x6883);
    public static readonly StatusWord SecurityStatusNotSatisfied = new(0x6982);
    public static readonly StatusWord AuthenticationMethodBlocked = new(0x6983);
    public static readonly StatusWord ReferenceDataNotUsable = new(0x6984);
    public static readonly StatusWord ConditionsOfUseNotSatisfied = new(0x6985);
    public static readonly StatusWord CommandNotAllowed = new(0x6986);
    public static readonly StatusWord SecureMessagingDataMissing = new(0x6987);
    public static readonly StatusWord SecureMessagingDataIncorrect = new(0x6988);
    public static readonly StatusWord IncorrectData = new(0x6A80);
    public static readonly StatusWord FunctionNotSupported = new(0x6A81);
    public static readonly StatusWord FileNotFound = new(0x6A82);
    public static readonly StatusWord RecordNotFound = new(0x6A83);
    public static readonly StatusWord NotEnoughMemory = new(0x6A84);
    public static readonly StatusWord IncorrectP1P2 = new(0x6A86);
    public static readonly StatusWord ReferencedDataNotFound = new(0x6A88);
    public static readonly StatusWord WrongP1P2 = new(0x6B00);
    public static readonly StatusWord InstructionNotSupported = new(0x6D00);
    public static readonly StatusWord ClassNotSupported = new(0x6E00);
    public static readonly StatusWord NoPreciseDiagnosis = new(0x6F00);

    // PBOC ED/EP (JR/T 0025 electronic deposit/purse), reused by JT/T 978; NOTES B.3.
    public static readonly StatusWord MacInvalid = new(0x9302);
    public static readonly StatusWord ApplicationPermanentlyLocked = new(0x9303);
    public static readonly StatusWord InsufficientBalance = new(0x9401);
    public static readonly StatusWord TransactionCounterAtMaximum = new(0x9402);
    public static readonly StatusWord KeyIndexNotSupported = new(0x9403);
    public static readonly StatusWord RequiredMacNotAvailable = new(0x9406);
}
