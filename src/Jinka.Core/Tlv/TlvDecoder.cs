namespace Jinka.Core.Tlv;

/// <summary>
/// Stateless BER-TLV decoding over spans (EMV Book 3 Annex B). Reads one data object header at a time
/// and allocates nothing; <see cref="TlvReader"/> walks a whole input on top of it.
/// </summary>
public static class TlvDecoder
{
    /// <summary>EMV allows at most 3 subsequent length bytes (81, 82, 83).</summary>
    public const int MaxLengthBytes = 3;

    /// <summary>Reads the header of the data object at the start of <paramref name="source"/>.</summary>
    /// <param name="source">Input starting at the tag. The whole value must lie inside it.</param>
    /// <param name="tag">The tag.</param>
    /// <param name="headerLength">Bytes of tag plus length field.</param>
    /// <param name="valueLength">Bytes of value following the header.</param>
    /// <param name="error">Why it failed, or <see cref="TlvError.None"/>.</param>
    /// <returns>True when a whole data object is present.</returns>
    public static bool TryReadElement(ReadOnlySpan<byte> source, out Tag tag, out int headerLength, out int valueLength, out TlvError error)
    {
        error = Decode(source, out tag, out headerLength, out valueLength);
        return error == TlvError.None;
    }

    /// <summary>Like <see cref="TryReadElement"/>, but throws.</summary>
    /// <exception cref="TlvException">The data object is malformed; offsets are relative to <paramref name="source"/>.</exception>
    public static void ReadElement(ReadOnlySpan<byte> source, out Tag tag, out int headerLength, out int valueLength)
    {
        var error = Decode(source, out tag, out headerLength, out valueLength);
        if (error != TlvError.None)
        {
            throw TlvFailure.Create(error, source, 0);
        }
    }

    /// <summary>Size of a definite length field for <paramref name="valueLength"/>, in minimal form.</summary>
    public static int LengthFieldSize(int valueLength) => valueLength switch
    {
        < 0 => throw new ArgumentOutOfRangeException(nameof(valueLength)),
        <= 0x7F => 1,
        <= 0xFF => 2,
        <= 0xFFFF => 3,
        <= 0xFF_FFFF => 4,
        _ => throw new ArgumentOutOfRangeException(nameof(valueLength), valueLength, "EMV BER-TLV lengths stop at 3 length bytes (16 MiB)."),
    };

    /// <summary>Writes <paramref name="valueLength"/> as a minimal definite length field; returns bytes written.</summary>
    internal static int WriteLength(Span<byte> destination, int valueLength)
    {
        int size = LengthFieldSize(valueLength);
        if (size == 1)
        {
            destination[0] = (byte)valueLength;
            return 1;
        }

        destination[0] = (byte)(0x80 | (size - 1));
        for (int i = 1; i < size; i++)
        {
            destination[i] = (byte)(valueLength >> (8 * (size - 1 - i)));
        }

        return size;
    }

    internal static TlvError Decode(ReadOnlySpan<byte> source, out Tag tag, out int headerLength, out int valueLength)
    {
        headerLength = 0;
        valueLength = 0;
        var error = DecodeHeader(source, out tag, out headerLength, out valueLength);
        if (error == TlvError.None && valueLength > source.Length - headerLength)
        {
            error = TlvError.ValuePastEnd;
        }

        return error;
    }

    /// <summary>Tag and length only; does not check that the value fits.</summary>
    internal static TlvError DecodeHeader(ReadOnlySpan<byte> source, out Tag tag, out int headerLength, out int valueLength)
    {
        headerLength = 0;
        valueLength = 0;
        if (!source.IsEmpty && (source[0] == 0x00 || source[0] == 0xFF))
        {
            tag = default;
            return TlvError.InvalidTag;
        }

        var error = Tag.Read(source, out tag, out int tagLength);
        if (error != TlvError.None)
        {
            return error;
        }

        if (tagLength == source.Length)
        {
            return TlvError.TruncatedLength;
        }

        byte first = source[tagLength];
        if (first < 0x80)
        {
            headerLength = tagLength + 1;
            valueLength = first;
            return TlvError.None;
        }

        int count = first & 0x7F;
        if (count == 0)
        {
            return TlvError.IndefiniteLength;
        }

        if (count > MaxLengthBytes)
        {
            return TlvError.LengthTooLong;
        }

        if (source.Length - tagLength - 1 < count)
        {
            return TlvError.TruncatedLength;
        }

        int length = 0;
        foreach (byte b in source.Slice(tagLength + 1, count))
        {
            length = (length << 8) | b;
        }

        // Non-minimal forms such as 81 05 are accepted on input (BER allows them); TlvWriter always writes the minimal form.
        headerLength = tagLength + 1 + count;
        valueLength = length;
        return TlvError.None;
    }
}
