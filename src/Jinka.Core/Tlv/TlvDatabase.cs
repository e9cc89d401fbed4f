using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Jinka.Core.Dictionary;

namespace Jinka.Core.Tlv;

/// <summary>One data element: a tag and its value.</summary>
public readonly record struct TlvElement(Tag Tag, ReadOnlyMemory<byte> Value);

/// <summary>What <see cref="TlvDatabase.Merge"/> does with a primitive tag that is already present.</summary>
public enum TlvDuplicatePolicy
{
    /// <summary>The new value replaces the old one (the tag is still reported as a duplicate).</summary>
    Replace = 0,

    /// <summary>The value already present is kept (the tag is reported as a duplicate).</summary>
    KeepExisting = 1,
}

public readonly record struct TlvMergeOptions(TlvDuplicatePolicy Duplicates = TlvDuplicatePolicy.Replace, TlvReaderOptions Reader = default);

/// <param name="Merged">Tags whose value was stored, in input order.</param>
/// <param name="Duplicates">Tags that were already present (before the merge or earlier in the same input), in input order.
/// EMV Book 3 §10.2: a card returning the same primitive data object twice in its records must end the transaction.</param>
public sealed record TlvMergeResult(IReadOnlyList<Tag> Merged, IReadOnlyList<Tag> Duplicates)
{
    public bool HasDuplicates => Duplicates.Count > 0;
}

/// <summary>
/// The data elements of one transaction, keyed by tag, in the order they were first set.
/// Values are copied in. Card responses are merged with <see cref="Merge"/>, which keeps primitive leaves only.
/// </summary>
public sealed class TlvDatabase : IReadOnlyCollection<TlvElement>
{
    // Keyed by Tag.Value: OrderedDictionary boxes a struct key such as Tag on every lookup (.NET 10), a uint it does not.
    private readonly OrderedDictionary<uint, byte[]> _elements = [];

    public int Count => _elements.Count;

    /// <summary>Sets (or replaces, keeping its position) the value of <paramref name="tag"/>; the bytes are copied.</summary>
    public void Set(Tag tag, ReadOnlySpan<byte> value) => _elements[tag.Value] = value.ToArray();

    public bool Contains(Tag tag) => _elements.ContainsKey(tag.Value);

    public bool Remove(Tag tag) => _elements.Remove(tag.Value);

    public void Clear() => _elements.Clear();

    public bool TryGet(Tag tag, out ReadOnlySpan<byte> value)
    {
        bool found = _elements.TryGetValue(tag.Value, out var bytes);
        value = bytes;
        return found;
    }

    /// <summary>Like <see cref="TryGet"/>, as memory (usable across awaits and in lambdas).</summary>
    public bool TryGetValue(Tag tag, out ReadOnlyMemory<byte> value)
    {
        bool found = _elements.TryGetValue(tag.Value, out var bytes);
        value = bytes;
        return found;
    }

    /// <exception cref="KeyNotFoundException">The tag is absent; the message names it.</exception>
    public ReadOnlySpan<byte> Get(Tag tag) => _elements.TryGetValue(tag.Value, out var bytes)
        ? bytes
        : throw new KeyNotFoundException($"Data element {tag} ({EmvDictionary.NameOf(tag)}) is not in the transaction data.");

    /// <summary>
    /// Stores every primitive data object of <paramref name="tlv"/>, descending into constructed templates
    /// (70, 77, 6F, A5, BF0C, 61 …). The template tags themselves are not stored. Malformed input changes nothing.
    /// </summary>
    /// <exception cref="TlvException">The input is malformed.</exception>
    public TlvMergeResult Merge(ReadOnlySpan<byte> tlv, TlvMergeOptions options = default)
    {
        var reader = new TlvReader(tlv, options.Reader);
        var leaves = new List<(Tag Tag, int Start, int Length)>();
        var error = CollectLeaves(ref reader, leaves);
        return error == TlvError.None ? Apply(tlv, leaves, options.Duplicates) : throw reader.CreateException(error);
    }

    /// <summary>Like <see cref="Merge"/>, returning false (and changing nothing) on malformed input.</summary>
    public bool TryMerge(ReadOnlySpan<byte> tlv, [NotNullWhen(true)] out TlvMergeResult? result, out TlvError error, TlvMergeOptions options = default)
    {
        var reader = new TlvReader(tlv, options.Reader);
        var leaves = new List<(Tag Tag, int Start, int Length)>();
        error = CollectLeaves(ref reader, leaves);
        result = error == TlvError.None ? Apply(tlv, leaves, options.Duplicates) : null;
        return result is not null;
    }

    /// <summary>Encodes the listed elements that are present, in the order given (absent ones are skipped),
    /// e.g. the field 55 tag list of NOTES F.2.</summary>
    public byte[] Encode(params ReadOnlySpan<Tag> tags)
    {
        using var writer = new TlvWriter();
        WriteTo(writer, tags);
        return writer.ToArray();
    }

    /// <summary>Writes the listed elements that are present, in the order given.</summary>
    public void WriteTo(TlvWriter writer, params ReadOnlySpan<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(writer);
        foreach (var tag in tags)
        {
            if (!_elements.TryGetValue(tag.Value, out var value))
            {
                continue;
            }

            if (tag.IsConstructed)
            {
                writer.WriteConstructed(tag, value);
            }
            else
            {
                writer.WritePrimitive(tag, value);
            }
        }
    }

    public IEnumerator<TlvElement> GetEnumerator()
    {
        foreach (var (tag, value) in _elements)
        {
            yield return new TlvElement(new Tag(tag), value);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private TlvMergeResult Apply(ReadOnlySpan<byte> tlv, List<(Tag Tag, int Start, int Length)> leaves, TlvDuplicatePolicy policy)
    {
        var merged = new List<Tag>(leaves.Count);
        var duplicates = new List<Tag>();
        foreach (var (tag, start, length) in leaves)
        {
            if (_elements.ContainsKey(tag.Value))
            {
                duplicates.Add(tag);
                if (policy == TlvDuplicatePolicy.KeepExisting)
                {
                    continue;
                }
            }

            Set(tag, tlv.Slice(start, length));
            merged.Add(tag);
        }

        return new TlvMergeResult(merged.AsReadOnly(), duplicates.AsReadOnly());
    }

    /// <summary>On failure, <paramref name="reader"/> is left as the reader that failed, for its exception.</summary>
    private static TlvError CollectLeaves(ref TlvReader reader, List<(Tag Tag, int Start, int Length)> leaves)
    {
        TlvError error;
        while (reader.TryRead(out error))
        {
            if (!reader.IsConstructed)
            {
                leaves.Add((reader.Tag, reader.TokenOffset + reader.HeaderLength, reader.ValueSpan.Length));
                continue;
            }

            if (!reader.TryReadChildren(out var children, out error))
            {
                return error;
            }

            error = CollectLeaves(ref children, leaves);
            if (error != TlvError.None)
            {
                reader = children;
                return error;
            }
        }

        return error;
    }
}
