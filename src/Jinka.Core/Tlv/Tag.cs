using System.Diagnostics.CodeAnalysis;

namespace Jinka.Core.Tlv;

/// <summary>The class of a BER tag: bits 8–7 of its first byte (ISO/IEC 8825-1 §8.1.2, EMV Book 3 Annex B1).</summary>
public enum TagClass
{
    Universal = 0,
    Application = 1,
    ContextSpecific = 2,
    Private = 3,
}

/// <summary>
/// A BER-TLV tag held as its encoded bytes, big-endian: 9F36 is <c>new Tag(0x9F36)</c>.
/// EMV Book 3 Annex B1: when bits 5–1 of the first byte are all 1, subsequent bytes follow while their bit 8 is set.
/// Jinka supports tags of up to 4 bytes.
/// </summary>
/// <remarks>The constructor does not validate the value; <see cref="Parse"/> and <see cref="TryRead"/> do.</remarks>
public readonly record struct Tag(uint Value)
{
    /// <summary>The longest tag encoding Jinka accepts.</summary>
    public const int MaxEncodedLength = 4;

    /// <summary>Number of bytes in the encoding (1–4), from the magnitude of <see cref="Value"/>.</summary>
    public int EncodedLength => Value switch
    {
        <= 0xFF => 1,
        <= 0xFFFF => 2,
        <= 0xFF_FFFF => 3,
        _ => 4,
    };

    /// <summary>The first byte of the encoding, which carries the class and the constructed bit.</summary>
    public byte FirstByte => (byte)(Value >> (8 * (EncodedLength - 1)));

    /// <summary>Bit 6 of the first byte: the value is itself a series of data objects.</summary>
    public bool IsConstructed => (FirstByte & 0x20) != 0;

    public TagClass Class => (TagClass)(FirstByte >> 6);

    /// <summary>Writes the tag bytes; false when <paramref name="destination"/> is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            written = 0;
            return false;
        }

        for (int i = 0; i < length; i++)
        {
            destination[i] = (byte)(Value >> (8 * (length - 1 - i)));
        }

        written = length;
        return true;
    }

    /// <summary>Reads one tag from the start of <paramref name="source"/>.</summary>
    /// <returns>False when the input is empty, ends inside a multi-byte tag, or the tag is longer than 4 bytes.</returns>
    public static bool TryRead(ReadOnlySpan<byte> source, out Tag tag, out int consumed)
        => Read(source, out tag, out consumed) == TlvError.None;

    /// <summary>Parses a tag from hex such as "9F36"; the whole text must be exactly one tag.</summary>
    /// <exception cref="FormatException">The text is not hex or not exactly one well-formed tag.</exception>
    public static Tag Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return TryParse(hex, out var tag)
            ? tag
            : throw new FormatException($"'{hex}' is not a BER-TLV tag of 1–{MaxEncodedLength} bytes");
    }

    /// <summary>Like <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? hex, out Tag tag)
    {
        tag = default;
        return Hex.TryParse(hex, out var bytes, out _)
            && TryRead(bytes, out tag, out int consumed)
            && consumed == bytes.Length;
    }

    /// <summary>Upper-case hex of the encoding, e.g. "9F36", "5A", "BF0C".</summary>
    public override string ToString() => Value.ToString("X" + (EncodedLength * 2), System.Globalization.CultureInfo.InvariantCulture);

    internal static TlvError Read(ReadOnlySpan<byte> source, out Tag tag, out int consumed)
    {
        tag = default;
        consumed = 0;
        if (source.IsEmpty)
        {
            return TlvError.TruncatedTag;
        }

        uint value = source[0];
        int length = 1;
        if ((source[0] & 0x1F) == 0x1F)
        {
            byte next;
            do
            {
                if (length == MaxEncodedLength)
                {
                    return TlvError.TagTooLong;
                }

                if (length == source.Length)
                {
                    return TlvError.TruncatedTag;
                }

                next = source[length++];
                value = (value << 8) | next;
            }
            while ((next & 0x80) != 0);
        }

        tag = new Tag(value);
        consumed = length;
        return TlvError.None;
    }
}
