using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583;

/// <summary>Computes a MAC over <c>macBlock</c> (MTI up to the MAC field) into <c>mac</c> (8 bytes).</summary>
public delegate void MacGenerator(ReadOnlySpan<byte> macBlock, Span<byte> mac);

/// <summary>
/// Collects fields and packs a message: MTI (BCD), primary bitmap, secondary bitmap when a field above 64 is present,
/// then the fields in number order, each encoded by its definition. Values are encoded when set, so a bad value fails
/// at once. Reusable (<see cref="Reset"/>); packing into a caller's span or <see cref="IBufferWriter{T}"/> allocates
/// nothing. Not thread-safe.
/// </summary>
public sealed class Iso8583MessageBuilder
{
    private const int MacLength = 8;
    private readonly FieldSlot[] _slots = new FieldSlot[Iso8583Spec.MaxField + 1];
    private byte[] _arena = new byte[256];
    private int _used;
    private ulong _primary;
    private ulong _secondary;

    public Iso8583MessageBuilder(Mti mti, Iso8583Spec? spec = null)
    {
        Mti = mti;
        Spec = spec ?? Iso8583Spec.CupPos;
    }

    public Iso8583Spec Spec { get; }

    public Mti Mti { get; set; }

    /// <summary>True when field <paramref name="field"/> is set.</summary>
    public bool Has(int field) => field switch
    {
        >= 2 and <= 64 => (_primary & Iso8583Message.Bit(field)) != 0,
        >= 65 and <= Iso8583Spec.MaxField => (_secondary & Iso8583Message.Bit(field - 64)) != 0,
        _ => false,
    };

    /// <summary>The value of a set n field (up to 18 digits); false when unset or not numeric.</summary>
    public bool TryGetNumber(int field, out long value)
    {
        value = 0;
        return Has(field) && FieldCodec.TryDecodeNumber(Spec[field], _arena.AsSpan(_slots[field].Offset, _slots[field].Length), _slots[field].Units, out value);
    }

    /// <summary>A set field as text (as <see cref="Iso8583Message.GetString"/>); null when unset.</summary>
    public string? GetString(int field) =>
        Has(field) ? FieldCodec.DecodeText(Spec[field], _arena.AsSpan(_slots[field].Offset, _slots[field].Length), _slots[field].Units) : null;

    /// <summary>Sets an n, z, an or ans field from text (digits for n; an/ans shorter than a fixed field are space-padded).</summary>
    /// <exception cref="ArgumentException">The field is not defined, is binary, or the value does not suit it.</exception>
    public Iso8583MessageBuilder Set(int field, ReadOnlySpan<char> value)
    {
        var definition = Definition(field);
        var destination = Reserve(definition.ContentLength(definition.MaxLength));
        int units = FieldCodec.EncodeText(definition, value, destination, out int written);
        Commit(field, written, units);
        return this;
    }

    /// <inheritdoc cref="Set(int, ReadOnlySpan{char})"/>
    public Iso8583MessageBuilder Set(int field, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Set(field, value.AsSpan());
    }

    /// <summary>Sets a binary field.</summary>
    /// <exception cref="ArgumentException">The field is not binary, or the length does not suit it.</exception>
    public Iso8583MessageBuilder Set(int field, ReadOnlySpan<byte> value)
    {
        var definition = Definition(field);
        if (definition.Type != FieldType.Binary)
        {
            throw new ArgumentException($"{definition} is {definition.Format}; set it with text.", nameof(field));
        }

        if (value.Length > definition.MaxLength || (definition.LengthKind == LengthKind.Fixed && value.Length != definition.MaxLength))
        {
            throw new ArgumentException($"{definition} is {definition.Format}; the value has {value.Length} bytes.", nameof(value));
        }

        value.CopyTo(Reserve(value.Length));
        Commit(field, value.Length, value.Length);
        return this;
    }

    /// <summary>Sets an n field from a number, zero-padded on the left to a fixed field's length.</summary>
    /// <exception cref="ArgumentException">The field is not n, the number is negative or has too many digits.</exception>
    public Iso8583MessageBuilder SetNumber(int field, long value)
    {
        var definition = Definition(field);
        if (definition.Type != FieldType.Numeric || value < 0)
        {
            throw new ArgumentException($"{definition} is {definition.Format}; {value} cannot be set as a number.", nameof(field));
        }

        Span<char> digits = stackalloc char[20];
        value.TryFormat(digits, out int count, provider: CultureInfo.InvariantCulture);
        if (definition.LengthKind != LengthKind.Fixed)
        {
            return Set(field, digits[..count]);
        }

        if (count > definition.MaxLength)
        {
            throw new ArgumentException($"{definition} is {definition.Format}; {value} has {count} digits.", nameof(value));
        }

        Span<char> padded = stackalloc char[definition.MaxLength];
        padded[..(definition.MaxLength - count)].Fill('0');
        digits[..count].CopyTo(padded[(definition.MaxLength - count)..]);
        return Set(field, padded);
    }

    /// <summary>Copies field <paramref name="field"/> from <paramref name="source"/> as it is packed there.</summary>
    /// <exception cref="ArgumentException">The source lacks the field, or defines it differently.</exception>
    public Iso8583MessageBuilder CopyFrom(Iso8583Message source, int field)
    {
        ArgumentNullException.ThrowIfNull(source);
        var definition = Definition(field);
        if (!source.Has(field) || !source.Spec.TryGet(field, out var theirs) || theirs != definition)
        {
            throw new ArgumentException($"The source message has no {definition} defined as here.", nameof(source));
        }

        var content = source.GetContent(field);
        content.CopyTo(Reserve(content.Length));
        Commit(field, content.Length, source.GetUnits(field));
        return this;
    }

    /// <summary>Removes a field; false when it was not set.</summary>
    public bool Remove(int field)
    {
        if (!Has(field))
        {
            return false;
        }

        if (field <= 64)
        {
            _primary &= ~Iso8583Message.Bit(field);
        }
        else
        {
            _secondary &= ~Iso8583Message.Bit(field - 64);
        }

        return true;
    }

    /// <summary>Clears every field for a new message.</summary>
    public void Reset(Mti mti)
    {
        Mti = mti;
        _primary = _secondary = 0;
        _used = 0;
    }

    /// <summary>Bytes the packed message takes; with <paramref name="withMac"/>, the MAC field counts.</summary>
    public int GetPackedLength(bool withMac = false)
    {
        int length = 2 + 8 + (_secondary != 0 ? 8 : 0);
        int macField = MacField;
        for (int field = 2; field <= Iso8583Spec.MaxField; field++)
        {
            if (IsPacked(field, withMac, macField))
            {
                length += Spec[field].PrefixLength + (withMac && field == macField ? MacLength : _slots[field].Length);
            }
        }

        return length;
    }

    /// <summary>
    /// Packs the message into <paramref name="destination"/>. With <paramref name="mac"/>, the MAC field (64, or 128 with
    /// a secondary bitmap) is added to the bitmap and filled with the MAC of everything before it.
    /// </summary>
    /// <returns>Bytes written.</returns>
    /// <exception cref="ArgumentException">The destination is too small.</exception>
    public int WriteTo(Span<byte> destination, MacGenerator? mac = null)
    {
        int length = GetPackedLength(mac is not null);
        if (destination.Length < length)
        {
            throw new ArgumentException($"The message needs {length} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        Mti.Write(destination);
        ulong primary = _primary & ~(1UL << 63);
        ulong secondary = _secondary;
        if (mac is not null)
        {
            if (MacField == Iso8583Field.Mac)
            {
                primary |= Iso8583Message.Bit(Iso8583Field.Mac);
            }
            else
            {
                secondary |= Iso8583Message.Bit(Iso8583Field.SecondaryMac - 64);
            }
        }

        if (secondary != 0)
        {
            primary |= 1UL << 63;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], primary);
        int position = 10;
        if (secondary != 0)
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination[10..], secondary);
            position = 18;
        }

        int macField = MacField;
        for (int field = 2; field <= Iso8583Spec.MaxField; field++)
        {
            if (!IsPacked(field, mac is not null, macField))
            {
                continue;
            }

            var definition = Spec[field];
            if (mac is not null && field == macField)
            {
                mac(destination[..position], destination.Slice(position, MacLength));
                position += MacLength;
                continue;
            }

            var slot = _slots[field];
            position += FieldCodec.WritePrefix(definition, slot.Units, destination[position..]);
            _arena.AsSpan(slot.Offset, slot.Length).CopyTo(destination[position..]);
            position += slot.Length;
        }

        return position;
    }

    /// <summary>Packs the message into <paramref name="writer"/> (see <see cref="WriteTo(Span{byte}, MacGenerator?)"/>).</summary>
    public void WriteTo(IBufferWriter<byte> writer, MacGenerator? mac = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        int length = GetPackedLength(mac is not null);
        WriteTo(writer.GetSpan(length), mac);
        writer.Advance(length);
    }

    /// <summary>Packs the message and reads it back as an immutable <see cref="Iso8583Message"/>.</summary>
    public Iso8583Message Build(MacGenerator? mac = null)
    {
        byte[] packed = new byte[GetPackedLength(mac is not null)];
        WriteTo(packed, mac);
        return Iso8583Message.Parse(packed.AsMemory(), Spec);
    }

    /// <summary>The MAC goes in 64, or in 128 when a secondary bitmap is needed anyway.</summary>
    private int MacField => (_secondary & ~Iso8583Message.Bit(Iso8583Field.SecondaryMac - 64)) != 0 ? Iso8583Field.SecondaryMac : Iso8583Field.Mac;

    /// <summary>Whether <paramref name="field"/> goes into the packed message (a MAC field only as the MAC, when one is made).</summary>
    private bool IsPacked(int field, bool withMac, int macField) =>
        withMac && field is Iso8583Field.Mac or Iso8583Field.SecondaryMac ? field == macField : Has(field);

    private FieldDefinition Definition(int field) =>
        Spec.TryGet(field, out var definition) ? definition : throw new ArgumentException($"{Spec} defines no field {field}.", nameof(field));

    private Span<byte> Reserve(int length)
    {
        if (_arena.Length - _used < length)
        {
            Array.Resize(ref _arena, Math.Max(_arena.Length * 2, _used + length));
        }

        return _arena.AsSpan(_used, length);
    }

    private void Commit(int field, int length, int units)
    {
        _slots[field] = new FieldSlot(_used, length, units);
        _used += length;
        if (field <= 64)
        {
            _primary |= Iso8583Message.Bit(field);
        }
        else
        {
            _secondary |= Iso8583Message.Bit(field - 64);
        }
    }
}
