using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583;

/// <summary>
/// An immutable ISO 8583 message: its packed bytes (MTI, bitmaps, fields) and where each field lies in them.
/// Parsing checks every field against the specification and allocates the index and, unless it is handed memory it may
/// keep, one copy of the bytes; accessors decode on demand. Build messages with <see cref="Iso8583MessageBuilder"/>.
/// </summary>
public sealed partial class Iso8583Message
{
    private const ulong SecondaryBitmapBit = 1UL << 63;

    private readonly FieldSlot[] _slots;
    private readonly ulong _primary;
    private readonly ulong _secondary;

    private Iso8583Message(Iso8583Spec spec, ReadOnlyMemory<byte> packed, Mti mti, ulong primary, ulong secondary, FieldSlot[] slots)
    {
        Spec = spec;
        Packed = packed;
        Mti = mti;
        _primary = primary;
        _secondary = secondary;
        _slots = slots;
    }

    /// <summary>The specification the message was read or built by.</summary>
    public Iso8583Spec Spec { get; }

    /// <summary>The whole message as packed: MTI, bitmap(s), fields.</summary>
    public ReadOnlyMemory<byte> Packed { get; }

    public Mti Mti { get; }

    /// <summary>True when the message has a secondary bitmap (a field above 64).</summary>
    public bool HasSecondaryBitmap => (_primary & SecondaryBitmapBit) != 0;

    /// <summary>How many data fields it carries.</summary>
    public int Count => _slots.Length;

    /// <summary>The numbers of the fields present, ascending.</summary>
    public IEnumerable<int> FieldNumbers
    {
        get
        {
            for (int number = 2; number <= Iso8583Spec.MaxField; number++)
            {
                if (Has(number))
                {
                    yield return number;
                }
            }
        }
    }

    /// <summary>
    /// The MAC element block: from the MTI up to the MAC field (64, or 128 with a secondary bitmap), which is what the
    /// CUP POS MAC covers. The whole message when there is no MAC field.
    /// </summary>
    public ReadOnlySpan<byte> MacBlock
    {
        get
        {
            int macField = HasSecondaryBitmap ? Iso8583Field.SecondaryMac : Iso8583Field.Mac;
            return Has(macField) ? Packed.Span[..(Slot(macField).Offset - PrefixLengthOf(macField))] : Packed.Span;
        }
    }

    /// <summary>The MAC (field 64, or 128 with a secondary bitmap), empty when absent.</summary>
    public ReadOnlySpan<byte> Mac => GetContent(HasSecondaryBitmap ? Iso8583Field.SecondaryMac : Iso8583Field.Mac);

    /// <summary>Parses a message (MTI first) by <paramref name="spec"/> (CUP POS when null), copying the bytes.</summary>
    /// <exception cref="Iso8583Exception">Malformed: the exception names the field and offset.</exception>
    public static Iso8583Message Parse(ReadOnlySpan<byte> packed, Iso8583Spec? spec = null) =>
        TryParse(packed, out var message, out var error, spec) ? message : throw new Iso8583Exception(error);

    /// <summary>Parses a message and keeps <paramref name="packed"/> without copying it (the caller must not change it).</summary>
    /// <exception cref="Iso8583Exception">Malformed.</exception>
    public static Iso8583Message Parse(ReadOnlyMemory<byte> packed, Iso8583Spec? spec = null) =>
        TryParse(packed, out var message, out var error, spec) ? message : throw new Iso8583Exception(error);

    /// <summary>Parses a message from a (possibly segmented) sequence, copying it.</summary>
    /// <exception cref="Iso8583Exception">Malformed.</exception>
    public static Iso8583Message Parse(ReadOnlySequence<byte> packed, Iso8583Spec? spec = null) =>
        TryParse(packed, out var message, out var error, spec) ? message : throw new Iso8583Exception(error);

    /// <summary>Like <see cref="Parse(ReadOnlySpan{byte}, Iso8583Spec?)"/>; false with the error instead of throwing.</summary>
    public static bool TryParse(ReadOnlySpan<byte> packed, [NotNullWhen(true)] out Iso8583Message? message, out Iso8583Error error, Iso8583Spec? spec = null)
    {
        spec ??= Iso8583Spec.CupPos;
        message = null;
        if (!TryIndex(packed, spec, out var mti, out ulong primary, out ulong secondary, out var slots, out error))
        {
            return false;
        }

        message = new Iso8583Message(spec, packed.ToArray(), mti, primary, secondary, slots);
        return true;
    }

    /// <summary>Like <see cref="Parse(ReadOnlyMemory{byte}, Iso8583Spec?)"/>; false with the error instead of throwing.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> packed, [NotNullWhen(true)] out Iso8583Message? message, out Iso8583Error error, Iso8583Spec? spec = null)
    {
        spec ??= Iso8583Spec.CupPos;
        message = null;
        if (!TryIndex(packed.Span, spec, out var mti, out ulong primary, out ulong secondary, out var slots, out error))
        {
            return false;
        }

        message = new Iso8583Message(spec, packed, mti, primary, secondary, slots);
        return true;
    }

    /// <summary>Like <see cref="Parse(ReadOnlySequence{byte}, Iso8583Spec?)"/>; false with the error instead of throwing.</summary>
    public static bool TryParse(ReadOnlySequence<byte> packed, [NotNullWhen(true)] out Iso8583Message? message, out Iso8583Error error, Iso8583Spec? spec = null)
    {
        if (packed.IsSingleSegment)
        {
            return TryParse(packed.FirstSpan, out message, out error, spec);
        }

        byte[] copy = packed.ToArray();
        return TryParse(copy.AsMemory(), out message, out error, spec);
    }

    /// <summary>True when field <paramref name="field"/> is present.</summary>
    public bool Has(int field) => field switch
    {
        >= 2 and <= 64 => (_primary & Bit(field)) != 0,
        >= 65 and <= Iso8583Spec.MaxField => (_secondary & Bit(field - 64)) != 0,
        _ => false,
    };

    /// <summary>The field's content as packed (no length prefix); empty when absent.</summary>
    public ReadOnlySpan<byte> GetContent(int field) => Has(field) ? Packed.Span.Slice(Slot(field).Offset, Slot(field).Length) : [];

    /// <summary>The field's content as memory over the message (no copy); empty when absent.</summary>
    public ReadOnlyMemory<byte> GetBytes(int field) => Has(field) ? Packed.Slice(Slot(field).Offset, Slot(field).Length) : ReadOnlyMemory<byte>.Empty;

    /// <summary>Units of the field (digits, characters, bytes); 0 when absent.</summary>
    public int GetUnits(int field) => Has(field) ? Slot(field).Units : 0;

    /// <summary>
    /// The field as text: digits for n (without a pad nibble), digits and D for z, the characters of an/ans (with any
    /// padding spaces), hex for binary. Null when absent.
    /// </summary>
    public string? GetString(int field) =>
        Has(field) ? FieldCodec.DecodeText(Spec[field], GetContent(field), Slot(field).Units) : null;

    /// <summary>The value of an n field (up to 18 digits) without allocating; false when absent or not numeric.</summary>
    public bool TryGetNumber(int field, out long value)
    {
        value = 0;
        return Has(field) && FieldCodec.TryDecodeNumber(Spec[field], GetContent(field), Slot(field).Units, out value);
    }

    /// <summary>A copy of the message as a builder (to answer it, or to change a field).</summary>
    public Iso8583MessageBuilder ToBuilder()
    {
        var builder = new Iso8583MessageBuilder(Mti, Spec);
        foreach (int field in FieldNumbers)
        {
            builder.CopyFrom(this, field);
        }

        return builder;
    }

    /// <summary>Copies the packed message to <paramref name="destination"/>; returns its length.</summary>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public int WriteTo(Span<byte> destination)
    {
        if (!Packed.Span.TryCopyTo(destination))
        {
            throw new ArgumentException($"The message is {Packed.Length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        return Packed.Length;
    }

    /// <summary>One line: "0200 [3] 000000 [4] 000000000051 …" — binary as hex, the PIN block (52) masked.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Mti.ToString());
        foreach (int field in FieldNumbers)
        {
            text.Append(CultureInfo.InvariantCulture, $" [{field}] ").Append(field == Iso8583Field.PinData ? "****************" : GetString(field));
        }

        return text.ToString();
    }

    internal FieldSlot Slot(int field)
    {
        int index = field <= 64
            ? BitOperations.PopCount(_primary & ~SecondaryBitmapBit & Above(field))
            : BitOperations.PopCount(_primary & ~SecondaryBitmapBit) + BitOperations.PopCount(_secondary & Above(field - 64));
        return _slots[index];
    }

    /// <summary>The bitmap bit of field <paramref name="position"/> (1–64) in a big-endian 64-bit word.</summary>
    internal static ulong Bit(int position) => 1UL << (64 - position);

    /// <summary>Bits of the positions before <paramref name="position"/>.</summary>
    private static ulong Above(int position) => position == 1 ? 0 : ~((Bit(position) << 1) - 1);

    private int PrefixLengthOf(int field) => Spec[field].PrefixLength;

    private static bool TryIndex(ReadOnlySpan<byte> input, Iso8583Spec spec, out Mti mti, out ulong primary, out ulong secondary, [NotNullWhen(true)] out FieldSlot[]? slots, out Iso8583Error error)
    {
        mti = default;
        primary = secondary = 0;
        slots = null;
        if (input.Length < 2)
        {
            error = new Iso8583Error(Iso8583ErrorKind.Truncated, 0, 0, 2, input.Length);
            return false;
        }

        for (int i = 0; i < 2; i++)
        {
            if ((input[i] >> 4) > 9 || (input[i] & 0x0F) > 9)
            {
                error = new Iso8583Error(Iso8583ErrorKind.InvalidDigit, 0, i, 0, input[i]);
                return false;
            }
        }

        mti = new Mti(((input[0] >> 4) * 1000) + ((input[0] & 0x0F) * 100) + ((input[1] >> 4) * 10) + (input[1] & 0x0F));
        if (input.Length < 10)
        {
            error = new Iso8583Error(Iso8583ErrorKind.Truncated, 1, 2, 8, input.Length - 2);
            return false;
        }

        primary = BinaryPrimitives.ReadUInt64BigEndian(input[2..]);
        int position = 10;
        if ((primary & SecondaryBitmapBit) != 0)
        {
            if (input.Length < 18)
            {
                error = new Iso8583Error(Iso8583ErrorKind.Truncated, 1, 10, 8, input.Length - 10);
                return false;
            }

            secondary = BinaryPrimitives.ReadUInt64BigEndian(input[10..]);
            position = 18;
        }

        slots = new FieldSlot[BitOperations.PopCount(primary & ~SecondaryBitmapBit) + BitOperations.PopCount(secondary)];
        int index = 0;
        int last = 0;
        for (int word = 0; word < 2; word++)
        {
            ulong bits = word == 0 ? primary & ~SecondaryBitmapBit : secondary;
            while (bits != 0)
            {
                int zeros = BitOperations.LeadingZeroCount(bits);
                bits &= ~(1UL << (63 - zeros));
                int field = (word * 64) + zeros + 1;
                if (!spec.TryGet(field, out var definition))
                {
                    error = new Iso8583Error(Iso8583ErrorKind.UndefinedField, field, 2 + (word * 8) + (zeros / 8));
                    slots = null;
                    return false;
                }

                if (!FieldCodec.TryRead(definition, input, position, out var slot, out error))
                {
                    slots = null;
                    return false;
                }

                slots[index++] = slot;
                position = slot.Offset + slot.Length;
                last = field;
            }
        }

        if (position != input.Length)
        {
            error = new Iso8583Error(Iso8583ErrorKind.TrailingBytes, last, position, 0, input.Length - position);
            slots = null;
            return false;
        }

        error = default;
        return true;
    }
}
