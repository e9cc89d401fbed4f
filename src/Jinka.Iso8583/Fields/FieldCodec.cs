using System.Text;
using Jinka.Core.Tlv;

namespace Jinka.Iso8583.Fields;

/// <summary>Where one field's content lies in a packed message, and how many units (digits, characters, bytes) it holds.</summary>
internal readonly record struct FieldSlot(int Offset, int Length, int Units);

/// <summary>
/// Reads and writes one field by its <see cref="FieldDefinition"/>: length prefix, content encoding, character set.
/// Nothing here knows a field number.
/// </summary>
internal static class FieldCodec
{
    private const int MaxTlvDepth = 4;

    /// <summary>Reads the field at <paramref name="offset"/>; the error's offset is within <paramref name="input"/>.</summary>
    public static bool TryRead(in FieldDefinition field, ReadOnlySpan<byte> input, int offset, out FieldSlot slot, out Iso8583Error error)
    {
        slot = default;
        int position = offset;
        int units = field.MaxLength;
        if (field.LengthKind != LengthKind.Fixed)
        {
            int prefixLength = field.PrefixLength;
            if (input.Length - position < prefixLength)
            {
                error = Fail(field, Iso8583ErrorKind.Truncated, offset, prefixLength, input.Length - position);
                return false;
            }

            if (!TryReadPrefix(field, input.Slice(position, prefixLength), out units, out byte bad))
            {
                error = Fail(field, Iso8583ErrorKind.InvalidLength, offset, 0, bad);
                return false;
            }

            if (units > field.MaxLength)
            {
                error = Fail(field, Iso8583ErrorKind.LengthOverflow, offset, field.MaxLength, units);
                return false;
            }

            position += prefixLength;
        }

        int length = field.ContentLength(units);
        if (input.Length - position < length)
        {
            error = Fail(field, Iso8583ErrorKind.Truncated, offset, position - offset + length, input.Length - offset);
            return false;
        }

        var content = input.Slice(position, length);
        if (!TryValidate(field, content, units, out int badIndex, out var kind, out int badValue))
        {
            error = Fail(field, kind, position + badIndex, 0, badValue);
            return false;
        }

        slot = new FieldSlot(position, length, units);
        error = default;
        return true;
    }

    /// <summary>Writes the length prefix for <paramref name="units"/> (nothing for fixed fields); returns its length.</summary>
    public static int WritePrefix(in FieldDefinition field, int units, Span<byte> destination)
    {
        switch (field.LengthKind)
        {
            case LengthKind.LlVar when field.Prefix == DigitEncoding.Bcd:
                destination[0] = (byte)(((units / 10) << 4) | (units % 10));
                return 1;
            case LengthKind.LllVar when field.Prefix == DigitEncoding.Bcd:
                destination[0] = (byte)(units / 100);
                destination[1] = (byte)((((units / 10) % 10) << 4) | (units % 10));
                return 2;
            case LengthKind.LlVar:
                destination[0] = (byte)('0' + (units / 10));
                destination[1] = (byte)('0' + (units % 10));
                return 2;
            case LengthKind.LllVar:
                destination[0] = (byte)('0' + (units / 100));
                destination[1] = (byte)('0' + ((units / 10) % 10));
                destination[2] = (byte)('0' + (units % 10));
                return 3;
            default:
                return 0;
        }
    }

    /// <summary>
    /// Encodes a text value (digits for n, digits and D or = for z, characters for an/ans) into
    /// <paramref name="destination"/>; returns the unit count. Fixed an/ans values shorter than the field are padded
    /// with spaces; fixed n and z values must have exactly the field's digit count.
    /// </summary>
    /// <exception cref="ArgumentException">The value does not suit the field.</exception>
    public static int EncodeText(in FieldDefinition field, ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        if (field.Type == FieldType.Binary)
        {
            throw new ArgumentException($"{field} is binary; set it with bytes.", nameof(value));
        }

        bool isDigits = field.Type is FieldType.Numeric or FieldType.Track;
        bool isFixed = field.LengthKind == LengthKind.Fixed;
        if (value.Length > field.MaxLength || (isFixed && isDigits && value.Length != field.MaxLength))
        {
            throw new ArgumentException($"{field} is {field.Format}; '{value}' has {value.Length} characters.", nameof(value));
        }

        for (int i = 0; i < value.Length; i++)
        {
            if (!IsAllowed(field.Type, value[i]))
            {
                throw new ArgumentException($"{field} is {field.Format}; '{value[i]}' at position {i} is not allowed.", nameof(value));
            }
        }

        if (!isDigits)
        {
            int units = isFixed ? field.MaxLength : value.Length;
            destination[..units].Fill((byte)' ');
            Encoding.ASCII.GetBytes(value, destination);
            written = units;
            return units;
        }

        if (!field.IsPacked)
        {
            for (int i = 0; i < value.Length; i++)
            {
                destination[i] = (byte)char.ToUpperInvariant(value[i]);
            }

            written = value.Length;
            return value.Length;
        }

        written = field.ContentLength(value.Length);
        bool odd = (value.Length & 1) != 0;
        int nibble = odd && !field.PadsLast ? 1 : 0;
        destination[..written].Clear();
        foreach (char c in value)
        {
            int digit = c is >= '0' and <= '9' ? c - '0' : 0xD;
            destination[nibble >> 1] |= (byte)((nibble & 1) == 0 ? digit << 4 : digit);
            nibble++;
        }

        return value.Length;
    }

    /// <summary>Decodes n, z, an and ans content to text (skipping a pad nibble); binary content as hex.</summary>
    public static string DecodeText(in FieldDefinition field, ReadOnlySpan<byte> content, int units)
    {
        if (field.Type == FieldType.Binary)
        {
            return Convert.ToHexString(content);
        }

        if (!field.IsPacked)
        {
            return Encoding.ASCII.GetString(content);
        }

        int skip = (units & 1) != 0 && !field.PadsLast ? 1 : 0;
        Span<char> chars = units <= 256 ? stackalloc char[units] : new char[units];
        for (int i = 0; i < units; i++)
        {
            int index = i + skip;
            int value = (index & 1) == 0 ? content[index >> 1] >> 4 : content[index >> 1] & 0x0F;
            chars[i] = value < 10 ? (char)('0' + value) : 'D';
        }

        return new string(chars);
    }

    /// <summary>The value of packed or ASCII digits (at most 18), without allocating; false for other fields.</summary>
    public static bool TryDecodeNumber(in FieldDefinition field, ReadOnlySpan<byte> content, int units, out long value)
    {
        value = 0;
        if (field.Type != FieldType.Numeric || units > 18)
        {
            return false;
        }

        if (!field.IsPacked)
        {
            foreach (byte b in content)
            {
                value = (value * 10) + (b - '0');
            }

            return true;
        }

        int skip = (units & 1) != 0 && !field.PadsLast ? 1 : 0;
        for (int i = 0; i < units; i++)
        {
            int index = i + skip;
            value = (value * 10) + ((index & 1) == 0 ? content[index >> 1] >> 4 : content[index >> 1] & 0x0F);
        }

        return true;
    }

    private static bool TryReadPrefix(in FieldDefinition field, ReadOnlySpan<byte> prefix, out int units, out byte bad)
    {
        units = 0;
        bad = 0;
        foreach (byte b in prefix)
        {
            if (field.Prefix == DigitEncoding.Bcd)
            {
                if ((b >> 4) > 9 || (b & 0x0F) > 9)
                {
                    bad = b;
                    return false;
                }

                units = (units * 100) + ((b >> 4) * 10) + (b & 0x0F);
            }
            else
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    bad = b;
                    return false;
                }

                units = (units * 10) + (b - '0');
            }
        }

        return true;
    }

    private static bool TryValidate(in FieldDefinition field, ReadOnlySpan<byte> content, int units, out int badIndex, out Iso8583ErrorKind kind, out int badValue)
    {
        badIndex = 0;
        badValue = 0;
        kind = Iso8583ErrorKind.None;
        switch (field.Type)
        {
            case FieldType.Binary when field.Content == FieldContent.BerTlv:
                if (!IsBerTlv(content, 0, out badIndex))
                {
                    kind = Iso8583ErrorKind.InvalidTlv;
                    return false;
                }

                return true;
            case FieldType.Binary:
                return true;
            case FieldType.Numeric or FieldType.Track when field.IsPacked:
                return TryValidatePacked(field, content, units, out badIndex, out kind, out badValue);
            default:
                for (int i = 0; i < content.Length; i++)
                {
                    if (!IsAllowed(field.Type, (char)content[i]))
                    {
                        badIndex = i;
                        badValue = content[i];
                        kind = field.Type == FieldType.Numeric ? Iso8583ErrorKind.InvalidDigit : Iso8583ErrorKind.InvalidCharacter;
                        return false;
                    }
                }

                return true;
        }
    }

    private static bool TryValidatePacked(in FieldDefinition field, ReadOnlySpan<byte> content, int units, out int badIndex, out Iso8583ErrorKind kind, out int badValue)
    {
        badIndex = 0;
        badValue = 0;
        kind = Iso8583ErrorKind.None;
        bool odd = (units & 1) != 0;
        int padNibble = !odd ? -1 : field.PadsLast ? units : 0;
        for (int nibble = 0; nibble < content.Length * 2; nibble++)
        {
            byte b = content[nibble >> 1];
            int value = (nibble & 1) == 0 ? b >> 4 : b & 0x0F;
            if (nibble == padNibble)
            {
                if (value is not (0x0 or 0xF))
                {
                    (badIndex, badValue, kind) = (nibble >> 1, value, Iso8583ErrorKind.InvalidPadding);
                    return false;
                }

                continue;
            }

            if (value > 9 && !(field.Type == FieldType.Track && value == 0xD))
            {
                (badIndex, badValue, kind) = (nibble >> 1, b, field.Type == FieldType.Track ? Iso8583ErrorKind.InvalidCharacter : Iso8583ErrorKind.InvalidDigit);
                return false;
            }
        }

        return true;
    }

    /// <summary>Every byte belongs to a well-formed data object, constructed ones checked inside too.</summary>
    private static bool IsBerTlv(ReadOnlySpan<byte> data, int depth, out int badIndex)
    {
        int position = 0;
        while (position < data.Length)
        {
            if (!TlvDecoder.TryReadElement(data[position..], out var tag, out int header, out int length, out _))
            {
                badIndex = position;
                return false;
            }

            if (tag.IsConstructed && depth < MaxTlvDepth && !IsBerTlv(data.Slice(position + header, length), depth + 1, out int inner))
            {
                badIndex = position + header + inner;
                return false;
            }

            position += header + length;
        }

        badIndex = 0;
        return true;
    }

    private static bool IsAllowed(FieldType type, char c) => type switch
    {
        FieldType.Numeric => c is >= '0' and <= '9',
        FieldType.Track => c is (>= '0' and <= '9') or 'D' or 'd' or '=',
        FieldType.Alphanumeric => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or ' ',
        FieldType.AlphanumericSpecial => c is >= ' ' and <= '~',
        _ => true,
    };

    private static Iso8583Error Fail(in FieldDefinition field, Iso8583ErrorKind kind, int offset, int expected, int actual) =>
        new(kind, field.Number, offset, expected, actual, field.Name);
}
