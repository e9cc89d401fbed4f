using System.Diagnostics.CodeAnalysis;
using System.Text;
using Jinka.Core;

namespace Jinka.Card;

/// <summary>
/// An application identifier or, more generally, a DF name (ISO/IEC 7816-4 §5.3.1.3: 1–16 bytes). AIDs proper
/// are RID(5) ‖ PIX(0–11) (ISO/IEC 7816-5), but the payment directories ("1PAY.SYS.DDF01") and the social
/// security environment ("sx1.sh.社会保障", NOTES C.1) are DF names selected the same way, so one type holds both.
/// Immutable; equality is by value.
/// </summary>
public sealed class Aid : IEquatable<Aid>, IComparable<Aid>
{
    public const int MaxLength = 16;

    private readonly byte[] _bytes;

    /// <exception cref="ArgumentException">Not 1–16 bytes.</exception>
    public Aid(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < 1 or > MaxLength)
        {
            throw new ArgumentException($"a DF name is 1–16 bytes, not {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
    }

    /// <summary>"1PAY.SYS.DDF01" (NOTES A.1).</summary>
    public static Aid Pse { get; } = new("1PAY.SYS.DDF01"u8);

    /// <summary>"2PAY.SYS.DDF01" (NOTES A.1).</summary>
    public static Aid Ppse { get; } = new("2PAY.SYS.DDF01"u8);

    public ReadOnlySpan<byte> Span => _bytes;

    public int Length => _bytes.Length;

    public byte[] ToArray() => (byte[])_bytes.Clone();

    /// <summary>True when this AID begins with <paramref name="prefix"/> (partial selection, EMV Book 1 §12.3.1).</summary>
    public bool StartsWith(ReadOnlySpan<byte> prefix) => _bytes.AsSpan().StartsWith(prefix);

    /// <exception cref="FormatException">Not hex, or not 1–16 bytes.</exception>
    public static Aid Parse(string hex)
    {
        if (!TryParse(hex, out var aid, out var error))
        {
            throw new FormatException(error);
        }

        return aid;
    }

    public static bool TryParse(string? hex, [NotNullWhen(true)] out Aid? aid, [NotNullWhen(false)] out string? error)
    {
        aid = null;
        if (!Hex.TryParse(hex, out var bytes, out error))
        {
            error = $"AID: {error}";
            return false;
        }

        if (bytes.Length is < 1 or > MaxLength)
        {
            error = $"AID: a DF name is 1–16 bytes, not {bytes.Length}";
            return false;
        }

        aid = new Aid(bytes);
        return true;
    }

    /// <summary>A DF name given as text, e.g. "1PAY.SYS.DDF01".</summary>
    public static Aid FromAscii(string name) => new(Encoding.ASCII.GetBytes(name));

    /// <summary>Upper-case hex, e.g. "A000000333010101".</summary>
    public override string ToString() => Hex.Encode(_bytes);

    public bool Equals(Aid? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Aid);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public int CompareTo(Aid? other) => other is null ? 1 : _bytes.AsSpan().SequenceCompareTo(other._bytes);

    public static bool operator ==(Aid? left, Aid? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Aid? left, Aid? right) => !(left == right);

    public static bool operator <(Aid left, Aid right) => left is null ? right is not null : left.CompareTo(right) < 0;

    public static bool operator <=(Aid left, Aid right) => left is null || left.CompareTo(right) <= 0;

    public static bool operator >(Aid left, Aid right) => left is not null && left.CompareTo(right) > 0;

    public static bool operator >=(Aid left, Aid right) => left is null ? right is null : left.CompareTo(right) >= 0;
}
