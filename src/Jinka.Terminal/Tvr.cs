using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Terminal;

/// <summary>One bit of the TVR (EMV Book 3 Annex C5), coded as byte number (1–5) × 256 + bit mask.</summary>
public enum TvrBit : ushort
{
    OfflineDataAuthenticationNotPerformed = 0x0180,
    SdaFailed = 0x0140,
    IccDataMissing = 0x0120,
    CardOnExceptionFile = 0x0110,
    DdaFailed = 0x0108,
    CdaFailed = 0x0104,
    SdaSelected = 0x0102,
    DifferentApplicationVersions = 0x0280,
    ExpiredApplication = 0x0240,
    ApplicationNotYetEffective = 0x0220,
    ServiceNotAllowed = 0x0210,
    NewCard = 0x0208,
    CardholderVerificationNotSuccessful = 0x0380,
    UnrecognisedCvm = 0x0340,
    PinTryLimitExceeded = 0x0320,
    PinPadNotPresentOrNotWorking = 0x0310,
    PinNotEntered = 0x0308,
    OnlinePinEntered = 0x0304,
    FloorLimitExceeded = 0x0480,
    LowerConsecutiveOfflineLimitExceeded = 0x0440,
    UpperConsecutiveOfflineLimitExceeded = 0x0420,
    RandomlySelectedForOnline = 0x0410,
    MerchantForcedOnline = 0x0408,
    DefaultTdolUsed = 0x0580,
    IssuerAuthenticationFailed = 0x0540,
    ScriptFailedBeforeFinalGenerateAc = 0x0520,
    ScriptFailedAfterFinalGenerateAc = 0x0510,
}

/// <summary>
/// Terminal Verification Results, tag 95 (EMV Book 3 Annex C5): 5 bytes of flags, immutable. Set bits with
/// <see cref="With"/>; <see cref="Describe"/> names the set bits in words from the EMV dictionary.
/// </summary>
public readonly struct Tvr : IEquatable<Tvr>
{
    public const int Length = 5;

    private static readonly Tag s_tag = new(0x95);
    private readonly ulong _value;

    private Tvr(ulong value) => _value = value;

    /// <summary>A TVR from its 5 bytes.</summary>
    /// <exception cref="ArgumentException">Not 5 bytes.</exception>
    public Tvr(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a TVR is {Length} bytes; got {bytes.Length}", nameof(bytes));
        }

        ulong value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        _value = value;
    }

    /// <summary>All bits clear.</summary>
    public static Tvr None => default;

    public bool IsEmpty => _value == 0;

    public bool OfflineDataAuthenticationNotPerformed => Has(TvrBit.OfflineDataAuthenticationNotPerformed);

    public bool SdaFailed => Has(TvrBit.SdaFailed);

    public bool IccDataMissing => Has(TvrBit.IccDataMissing);

    public bool DdaFailed => Has(TvrBit.DdaFailed);

    public bool CdaFailed => Has(TvrBit.CdaFailed);

    public bool CardholderVerificationNotSuccessful => Has(TvrBit.CardholderVerificationNotSuccessful);

    public bool FloorLimitExceeded => Has(TvrBit.FloorLimitExceeded);

    public bool IssuerAuthenticationFailed => Has(TvrBit.IssuerAuthenticationFailed);

    /// <summary>True when <paramref name="bit"/> is set.</summary>
    public bool Has(TvrBit bit) => (_value & Mask(bit)) != 0;

    /// <summary>This TVR with <paramref name="bit"/> set.</summary>
    public Tvr With(TvrBit bit) => new(_value | Mask(bit));

    /// <summary>This TVR with <paramref name="bit"/> clear.</summary>
    public Tvr Without(TvrBit bit) => new(_value & ~Mask(bit));

    /// <summary>True when any bit set here is also set in a 5-byte action code (TAC/IAC, EMV Book 3 §10.7).</summary>
    public bool Intersects(ReadOnlySpan<byte> actionCode) => (_value & new Tvr(actionCode)._value) != 0;

    /// <summary>The bits set both here and in <paramref name="actionCode"/>, as a TVR.</summary>
    public Tvr Intersection(ReadOnlySpan<byte> actionCode) => new(_value & new Tvr(actionCode)._value);

    /// <summary>The set bits, in table order.</summary>
    public IReadOnlyList<TvrBit> SetBits => [.. Enum.GetValues<TvrBit>().Where(Has)];

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        CopyTo(bytes);
        return bytes;
    }

    public void CopyTo(Span<byte> destination)
    {
        for (int i = 0; i < Length; i++)
        {
            destination[i] = (byte)(_value >> (8 * (Length - 1 - i)));
        }
    }

    /// <summary>The set bits in words (EMV Book 3 Annex C5, from the dictionary entry of 95).</summary>
    public IReadOnlyList<string> Describe() => EmvDictionary.Get(s_tag).DescribeBits(ToArray());

    /// <summary>Ten hex digits, e.g. "8000048000".</summary>
    public override string ToString() => Hex.Encode(ToArray());

    public bool Equals(Tvr other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Tvr other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode();

    public static bool operator ==(Tvr left, Tvr right) => left.Equals(right);

    public static bool operator !=(Tvr left, Tvr right) => !left.Equals(right);

    private static ulong Mask(TvrBit bit) => (ulong)((ushort)bit & 0xFF) << (8 * (Length - ((ushort)bit >> 8)));
}
