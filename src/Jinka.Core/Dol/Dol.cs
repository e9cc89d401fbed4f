using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Core.Dol;

/// <summary>One DOL entry: a tag and the number of bytes the card asks for.</summary>
public readonly record struct DolEntry(Tag Tag, int Length);

/// <summary>Looks up a data element's value for DOL building; <see cref="TlvDatabase.TryGet"/> has this shape.</summary>
public delegate bool DolValueSource(Tag tag, out ReadOnlySpan<byte> value);

/// <summary>
/// A Data Object List (EMV Book 3 §5.4): tags and lengths whose values, concatenated without tags, form the
/// data of GPO (PDOL), GENERATE AC (CDOL1/2), INTERNAL AUTHENTICATE (DDOL), and the log formats 9F4F/DF4F.
/// </summary>
public sealed class Dol
{
    private readonly DolEntry[] _entries;

    private Dol(DolEntry[] entries)
    {
        _entries = entries;
        int total = 0;
        foreach (var entry in entries)
        {
            total += entry.Length;
        }

        DataLength = total;
    }

    public static Dol Empty { get; } = new([]);

    public IReadOnlyList<DolEntry> Entries => _entries.AsReadOnly();

    /// <summary>Bytes of DOL-related data: the sum of the entry lengths.</summary>
    public int DataLength { get; }

    /// <summary>A DOL from entries (for the card side and tests).</summary>
    public static Dol Create(params ReadOnlySpan<DolEntry> entries)
    {
        foreach (var entry in entries)
        {
            if (entry.Length is < 0 or > 0xFF)
            {
                throw new ArgumentOutOfRangeException(nameof(entries), entry.Length, $"DOL entry {entry.Tag}: a length is one byte.");
            }
        }

        return new Dol(entries.ToArray());
    }

    /// <summary>Parses a DOL. Each entry is a BER tag followed by a one-byte length (EMV Book 3 §5.4).</summary>
    /// <exception cref="TlvException">A tag is truncated or too long, or a length byte is missing; the offset names the entry.</exception>
    public static Dol Parse(ReadOnlySpan<byte> dol)
    {
        var error = ParseCore(dol, out var result, out int failedAt);
        if (error == TlvError.None)
        {
            return result!;
        }

        Tag.TryRead(dol[failedAt..], out var tag, out _);
        string what = error switch
        {
            TlvError.TruncatedTag => $"the DOL ends inside the tag starting {Hex.Encode(dol[failedAt..])}",
            TlvError.TagTooLong => $"a tag is longer than {Tag.MaxEncodedLength} bytes",
            _ => "the length byte is missing",
        };
        throw TlvFailure.Create(error, failedAt, error == TlvError.TruncatedLength ? tag : null, what, "DOL");
    }

    public static bool TryParse(ReadOnlySpan<byte> dol, [NotNullWhen(true)] out Dol? result)
        => ParseCore(dol, out result, out _) == TlvError.None;

    public bool Contains(Tag tag) => Array.Exists(_entries, e => e.Tag == tag);

    /// <summary>The DOL itself, encoded again (tags and one-byte lengths).</summary>
    public byte[] Encode()
    {
        int size = 0;
        foreach (var entry in _entries)
        {
            size += entry.Tag.EncodedLength + 1;
        }

        var bytes = new byte[size];
        int at = 0;
        foreach (var entry in _entries)
        {
            entry.Tag.TryWrite(bytes.AsSpan(at), out int written);
            at += written;
            bytes[at++] = (byte)entry.Length;
        }

        return bytes;
    }

    /// <summary>Builds the DOL-related data from the transaction's data elements.</summary>
    public byte[] Build(TlvDatabase source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = new byte[DataLength];
        BuildCore(new DatabaseSource(source), data);
        return data;
    }

    /// <inheritdoc cref="Build(DolValueSource, Span{byte})"/>
    public void Build(TlvDatabase source, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        BuildCore(new DatabaseSource(source), destination);
    }

    public byte[] Build(DolValueSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var data = new byte[DataLength];
        BuildCore(new DelegateSource(source), data);
        return data;
    }

    /// <summary>
    /// Writes <see cref="DataLength"/> bytes of DOL-related data to <paramref name="destination"/> (EMV Book 3 §5.4):
    /// each value is cut or padded to its entry's length by its dictionary format (see <see cref="Fit"/>);
    /// absent elements, constructed tags and tags unknown to <see cref="EmvDictionary"/> give zeros.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="DataLength"/>.</exception>
    public void Build(DolValueSource source, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        BuildCore(new DelegateSource(source), destination);
    }

    /// <summary>
    /// Fits <paramref name="value"/> into <paramref name="destination"/> (EMV Book 3 §5.4). Longer: format n keeps
    /// the rightmost bytes, every other format the leftmost. Shorter: n is padded on the left with 00,
    /// cn on the right with FF, every other format on the right with 00.
    /// </summary>
    public static void Fit(ReadOnlySpan<byte> value, DataFormat format, Span<byte> destination)
    {
        int length = destination.Length;
        if (value.Length >= length)
        {
            (format == DataFormat.N ? value[^length..] : value[..length]).CopyTo(destination);
        }
        else if (format == DataFormat.N)
        {
            destination[..^value.Length].Clear();
            value.CopyTo(destination[^value.Length..]);
        }
        else
        {
            value.CopyTo(destination);
            destination[value.Length..].Fill(format == DataFormat.Cn ? (byte)0xFF : (byte)0x00);
        }
    }

    /// <summary>The card side: cuts DOL-related data back into one element per entry, in DOL order.</summary>
    /// <exception cref="TlvException">The data length is not <see cref="DataLength"/> (<see cref="TlvError.DolDataLengthMismatch"/>).</exception>
    public IReadOnlyList<TlvElement> Split(ReadOnlySpan<byte> data)
    {
        if (data.Length == DataLength)
        {
            return SplitCore(data);
        }

        int offset = 0;
        Tag? cutShort = null;
        foreach (var entry in _entries)
        {
            if (offset + entry.Length > data.Length)
            {
                cutShort = entry.Tag;
                break;
            }

            offset += entry.Length;
        }

        string what = string.Create(CultureInfo.InvariantCulture, $"the data is {data.Length} bytes but the DOL describes {DataLength}");
        throw TlvFailure.Create(TlvError.DolDataLengthMismatch, offset, cutShort, what, "DOL");
    }

    /// <summary>Like <see cref="Split"/>, returning false when the data length is wrong.</summary>
    public bool TrySplit(ReadOnlySpan<byte> data, [NotNullWhen(true)] out IReadOnlyList<TlvElement>? elements)
    {
        elements = data.Length == DataLength ? SplitCore(data) : null;
        return elements is not null;
    }

    /// <summary>"9F02(6) 9F03(6) 9F1A(2) …".</summary>
    public override string ToString()
        => string.Join(' ', Array.ConvertAll(_entries, e => string.Create(CultureInfo.InvariantCulture, $"{e.Tag}({e.Length})")));

    private void BuildCore<TSource>(TSource source, Span<byte> destination)
        where TSource : struct, IValueSource
    {
        if (destination.Length < DataLength)
        {
            throw new ArgumentException($"The DOL needs {DataLength} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        int at = 0;
        foreach (var entry in _entries)
        {
            var slot = destination.Slice(at, entry.Length);
            at += entry.Length;
            if (!entry.Tag.IsConstructed
                && EmvDictionary.TryGet(entry.Tag, out var element)
                && source.TryGet(entry.Tag, out var value))
            {
                Fit(value, element.Format, slot);
            }
            else
            {
                slot.Clear();
            }
        }
    }

    private TlvElement[] SplitCore(ReadOnlySpan<byte> data)
    {
        var copy = data.ToArray();
        var elements = new TlvElement[_entries.Length];
        int at = 0;
        for (int i = 0; i < _entries.Length; i++)
        {
            elements[i] = new TlvElement(_entries[i].Tag, copy.AsMemory(at, _entries[i].Length));
            at += _entries[i].Length;
        }

        return elements;
    }

    private static TlvError ParseCore(ReadOnlySpan<byte> dol, out Dol? result, out int failedAt)
    {
        result = null;
        var entries = new List<DolEntry>();
        int at = 0;
        while (at < dol.Length)
        {
            failedAt = at;
            var error = Tag.Read(dol[at..], out var tag, out int tagLength);
            if (error != TlvError.None)
            {
                return error;
            }

            if (at + tagLength == dol.Length)
            {
                return TlvError.TruncatedLength;
            }

            entries.Add(new DolEntry(tag, dol[at + tagLength]));
            at += tagLength + 1;
        }

        failedAt = 0;
        result = new Dol([.. entries]);
        return TlvError.None;
    }

    // Generic struct sources keep Build(TlvDatabase, Span) free of delegate allocations.
    private interface IValueSource
    {
        bool TryGet(Tag tag, out ReadOnlySpan<byte> value);
    }

    private readonly struct DatabaseSource(TlvDatabase database) : IValueSource
    {
        public bool TryGet(Tag tag, out ReadOnlySpan<byte> value) => database.TryGet(tag, out value);
    }

    private readonly struct DelegateSource(DolValueSource lookup) : IValueSource
    {
        public bool TryGet(Tag tag, out ReadOnlySpan<byte> value) => lookup(tag, out value);
    }
}
