using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Terminal;

/// <summary>One bit of the TSI (EMV Book 3 Annex C6), coded as byte number × 256 + bit mask.</summary>
public enum TsiBit : ushort
{
    OfflineDataAuthenticationPerformed = 0x0180,
    CardholderVerificationPerformed = 0x0140,
    CardRiskManagementPerformed = 0x0120,
    IssuerAuthenticationPerformed = 0x0110,
    TerminalRiskManagementPerformed = 0x0108,
    ScriptProcessingPerformed = 0x0104,
}

/// <summary>Transaction Status Information, tag 9B (EMV Book 3 Annex C6): 2 bytes of flags, immutable.</summary>
public readonly struct Tsi : IEquatable<Tsi>
{
    public const int Length = 2;

    private static readonly Tag s_tag = new(0x9B);
    private readonly ushort _value;

    private Tsi(ushort value) => _value = value;

    /// <summary>A TSI from its 2 bytes.</summary>
    /// <exception cref="ArgumentException">Not 2 bytes.</exception>
    public Tsi(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
        {
            throw new ArgumentException($"a TSI is {Length} bytes; got {bytes.Length}", nameof(bytes));
        }

        _value = (ushort)((bytes[0] << 8) | bytes[1]);
    }

    public static Tsi None => default;

    public bool OfflineDataAuthenticationPerformed => Has(TsiBit.OfflineDataAuthenticationPerformed);

    public bool CardholderVerificationPerformed => Has(TsiBit.CardholderVerificationPerformed);

    public bool CardRiskManagementPerformed => Has(TsiBit.CardRiskManagementPerformed);

    public bool IssuerAuthenticationPerformed => Has(TsiBit.IssuerAuthenticationPerformed);

    public bool TerminalRiskManagementPerformed => Has(TsiBit.TerminalRiskManagementPerformed);

    public bool ScriptProcessingPerformed => Has(TsiBit.ScriptProcessingPerformed);

    public bool Has(TsiBit bit) => (_value & Mask(bit)) != 0;

    public Tsi With(TsiBit bit) => new((ushort)(_value | Mask(bit)));

    public IReadOnlyList<TsiBit> SetBits => [.. Enum.GetValues<TsiBit>().Where(Has)];

    public byte[] ToArray() => [(byte)(_value >> 8), (byte)_value];

    /// <summary>The set bits in words (EMV Book 3 Annex C6).</summary>
    public IReadOnlyList<string> Describe() => EmvDictionary.Get(s_tag).DescribeBits(ToArray());

    /// <summary>Four hex digits, e.g. "E800".</summary>
    public override string ToString() => Hex.Encode(ToArray());

    public bool Equals(Tsi other) => _value == other._value;

    public override bool Equals(object? obj) => obj is Tsi other && Equals(other);

    public override int GetHashCode() => _value;

    public static bool operator ==(Tsi left, Tsi right) => left.Equals(right);

    public static bool operator !=(Tsi left, Tsi right) => !left.Equals(right);

    private static ushort Mask(TsiBit bit) => (ushort)(((ushort)bit & 0xFF) << (8 * (Length - ((ushort)bit >> 8))));
}
