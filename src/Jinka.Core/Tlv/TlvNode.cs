using System.Diagnostics.CodeAnalysis;

namespace Jinka.Core.Tlv;

/// <summary>
/// An immutable BER-TLV tree for tools (the CLI's <c>jinka tlv decode</c>, traces). Values are slices of the
/// parsed memory, not copies. Hot paths use <see cref="TlvReader"/> instead.
/// </summary>
public sealed class TlvNode
{
    private TlvNode(Tag tag, ReadOnlyMemory<byte> value, int offset, int headerLength, IReadOnlyList<TlvNode> children)
    {
        Tag = tag;
        Value = value;
        Offset = offset;
        HeaderLength = headerLength;
        Children = children;
    }

    public Tag Tag { get; }

    /// <summary>The value bytes; for a constructed node, the encoded children.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>Offset of the tag in the parsed input.</summary>
    public int Offset { get; }

    /// <summary>Bytes of tag plus length field.</summary>
    public int HeaderLength { get; }

    /// <summary>The child nodes of a constructed node; empty for a primitive one.</summary>
    public IReadOnlyList<TlvNode> Children { get; }

    public bool IsConstructed => Tag.IsConstructed;

    /// <summary>Parses every top-level data object, descending into constructed ones.</summary>
    /// <exception cref="TlvException">The input is malformed.</exception>
    public static IReadOnlyList<TlvNode> Parse(ReadOnlyMemory<byte> data, TlvReaderOptions options = default)
    {
        var reader = new TlvReader(data.Span, options);
        var error = ParseLevel(ref reader, data, out var nodes);
        return error == TlvError.None ? nodes : throw reader.CreateException(error);
    }

    /// <summary>Like <see cref="Parse"/>, returning false with the error instead of throwing.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> data, [NotNullWhen(true)] out IReadOnlyList<TlvNode>? nodes, out TlvError error, TlvReaderOptions options = default)
    {
        var reader = new TlvReader(data.Span, options);
        error = ParseLevel(ref reader, data, out var parsed);
        nodes = error == TlvError.None ? parsed : null;
        return nodes is not null;
    }

    /// <summary>The first node with <paramref name="tag"/> in this subtree, depth first (this node included).</summary>
    public TlvNode? Find(Tag tag)
    {
        if (Tag == tag)
        {
            return this;
        }

        foreach (var child in Children)
        {
            if (child.Find(tag) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    public override string ToString() => $"{Tag} [{Value.Length}]";

    /// <summary>Parses one level. On failure, <paramref name="reader"/> is left as the reader that failed, for its exception.</summary>
    private static TlvError ParseLevel(ref TlvReader reader, ReadOnlyMemory<byte> root, out List<TlvNode> nodes)
    {
        nodes = [];
        TlvError error;
        while (reader.TryRead(out error))
        {
            IReadOnlyList<TlvNode> children = [];
            if (reader.IsConstructed)
            {
                if (!reader.TryReadChildren(out var childReader, out error))
                {
                    return error;
                }

                error = ParseLevel(ref childReader, root, out var childNodes);
                if (error != TlvError.None)
                {
                    reader = childReader;
                    return error;
                }

                children = childNodes.AsReadOnly();
            }

            int offset = reader.TokenOffset;
            var value = root.Slice(offset + reader.HeaderLength, reader.ValueSpan.Length);
            nodes.Add(new TlvNode(reader.Tag, value, offset, reader.HeaderLength, children));
        }

        return error;
    }
}
