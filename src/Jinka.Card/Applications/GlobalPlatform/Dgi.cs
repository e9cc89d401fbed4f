using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>One data grouping: its identifier (DGI, e.g. 0101 = SFI 1 record 1, 8000 = DES keys) and its value.</summary>
public readonly record struct DgiElement(ushort Dgi, ReadOnlyMemory<byte> Value)
{
    public override string ToString() => $"{Dgi:X4} ({Value.Length} bytes)";
}

/// <summary>
/// The EMV CPS data grouping encoding used in STORE DATA (NOTES D.4; EMV CPS v1.1 §4.3): <c>DGI(2) ‖ L ‖ value</c>,
/// where L is one byte 00–FE, or <c>FF ‖ 2 bytes</c> for any length up to 65535. Reading accepts the three-byte form
/// for short values too (some data preparation systems always write it); writing uses the shortest form.
/// </summary>
public static class DgiEncoding
{
    /// <summary>Longest value written with a one-byte length (FF introduces the three-byte form).</summary>
    public const int MaxShortLength = 0xFE;

    /// <summary>Longest value a DGI can carry.</summary>
    public const int MaxLength = 0xFFFF;

    /// <summary>Bytes the encoding of a <paramref name="valueLength"/>-byte value takes.</summary>
    public static int EncodedLength(int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(valueLength, MaxLength);
        return 2 + (valueLength <= MaxShortLength ? 1 : 3) + valueLength;
    }

    /// <summary>Writes one DGI; returns the bytes written.</summary>
    /// <exception cref="ArgumentException">The destination is too small or the value too long.</exception>
    public static int Write(ushort dgi, ReadOnlySpan<byte> value, Span<byte> destination)
    {
        int length = EncodedLength(value.Length);
        if (destination.Length < length)
        {
            throw new ArgumentException($"DGI {dgi:X4} needs {length} bytes; the destination has {destination.Length}", nameof(destination));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination, dgi);
        int offset = 2;
        if (value.Length <= MaxShortLength)
        {
            destination[offset++] = (byte)value.Length;
        }
        else
        {
            destination[offset++] = 0xFF;
            BinaryPrimitives.WriteUInt16BigEndian(destination[offset..], (ushort)value.Length);
            offset += 2;
        }

        value.CopyTo(destination[offset..]);
        return length;
    }

    /// <summary>One DGI as a new array.</summary>
    public static byte[] Encode(ushort dgi, ReadOnlySpan<byte> value)
    {
        var encoded = new byte[EncodedLength(value.Length)];
        Write(dgi, value, encoded);
        return encoded;
    }

    /// <summary>Several DGIs, concatenated in order.</summary>
    public static byte[] Encode(IEnumerable<DgiElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        using var buffer = new MemoryStream();
        foreach (var element in elements)
        {
            buffer.Write(Encode(element.Dgi, element.Value.Span));
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Reads the DGI at the start of <paramref name="data"/>. False, with the offset and what was expected, when the
    /// header is cut short or the value runs past the end.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out ushort dgi, out ReadOnlySpan<byte> value, out int consumed, [NotNullWhen(false)] out string? error)
    {
        dgi = 0;
        value = default;
        consumed = 0;
        if (data.Length < 3)
        {
            error = $"DGI header at offset 0 needs 3 bytes (DGI ‖ length); {data.Length} remain";
            return false;
        }

        dgi = BinaryPrimitives.ReadUInt16BigEndian(data);
        int headerLength = 3;
        int length = data[2];
        if (length == 0xFF)
        {
            if (data.Length < 5)
            {
                error = $"DGI {dgi:X4}: length FF at offset 2 must be followed by 2 length bytes; {data.Length - 3} remain";
                return false;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
            headerLength = 5;
        }

        if (data.Length - headerLength < length)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"DGI {dgi:X4}: length {length} at offset 2 runs past the end ({data.Length - headerLength} value bytes remain)");
            return false;
        }

        value = data.Slice(headerLength, length);
        consumed = headerLength + length;
        error = null;
        return true;
    }

    /// <summary>Reads every DGI of <paramref name="data"/> (one or more whole DGIs, as one STORE DATA carries).</summary>
    public static bool TryReadAll(ReadOnlySpan<byte> data, [NotNullWhen(true)] out List<DgiElement>? elements, [NotNullWhen(false)] out string? error)
    {
        elements = [];
        if (data.IsEmpty)
        {
            elements = null;
            error = "no DGI: the data is empty";
            return false;
        }

        int offset = 0;
        while (offset < data.Length)
        {
            if (!TryRead(data[offset..], out ushort dgi, out var value, out int consumed, out error))
            {
                elements = null;
                error = string.Create(CultureInfo.InvariantCulture, $"at offset {offset}: {error}");
                return false;
            }

            elements.Add(new DgiElement(dgi, value.ToArray()));
            offset += consumed;
        }

        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryReadAll"/>, throwing instead.</summary>
    /// <exception cref="FormatException">The data is not a series of whole DGIs; the message names the offset.</exception>
    public static IReadOnlyList<DgiElement> ReadAll(ReadOnlySpan<byte> data)
        => TryReadAll(data, out var elements, out var error) ? elements : throw new FormatException(error);
}
