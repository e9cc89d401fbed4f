namespace Jinka.Core.Tlv;

/// <summary>
/// Forward-only BER-TLV reader over a span, in the manner of <c>Utf8JsonReader</c>: <see cref="Read"/> moves to the
/// next data object at this level; <see cref="ReadChildren"/> returns a reader over the current constructed value.
/// The cursor advances only after a successful read. Reading allocates nothing.
/// </summary>
public ref struct TlvReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private readonly TlvReaderOptions _options;
    private readonly int _depth;
    private int _position;
    private int _tokenStart;
    private int _headerLength;
    private int _valueLength;
    private Tag _tag;
    private int _errorPosition;

    /// <summary>A reader over top-level data objects in <paramref name="data"/>.</summary>
    public TlvReader(ReadOnlySpan<byte> data, TlvReaderOptions options = default)
        : this(data, options, baseOffset: 0, depth: 0)
    {
    }

    private TlvReader(ReadOnlySpan<byte> data, TlvReaderOptions options, int baseOffset, int depth)
    {
        _data = data;
        _options = options;
        _baseOffset = baseOffset;
        _depth = depth;
        _tokenStart = -1;
    }

    public readonly TlvReaderOptions Options => _options;

    /// <summary>Nesting level of this reader: 0 for top-level objects, 1 inside a top-level template, …</summary>
    public readonly int Depth => _depth;

    /// <summary>Bytes of this reader's range consumed so far (including skipped padding).</summary>
    public readonly int BytesConsumed => _position;

    /// <summary>True after a successful <see cref="Read"/>, until the end is reached.</summary>
    public readonly bool HasCurrent => _tokenStart >= 0;

    /// <summary>Tag of the current data object.</summary>
    public readonly Tag Tag => EnsureCurrent()._tag;

    public readonly bool IsConstructed => EnsureCurrent()._tag.IsConstructed;

    /// <summary>The current value: a slice of the input, never a copy.</summary>
    public readonly ReadOnlySpan<byte> ValueSpan => _data.Slice(EnsureCurrent()._tokenStart + _headerLength, _valueLength);

    /// <summary>The whole current data object (tag, length and value) as it appears in the input.</summary>
    public readonly ReadOnlySpan<byte> EncodedSpan => _data.Slice(EnsureCurrent()._tokenStart, _headerLength + _valueLength);

    /// <summary>Absolute offset of the current object's tag in the original input (child readers keep counting from it).</summary>
    public readonly int TokenOffset => _baseOffset + EnsureCurrent()._tokenStart;

    /// <summary>Bytes of tag plus length field of the current object.</summary>
    public readonly int HeaderLength => EnsureCurrent()._headerLength;

    /// <summary>Absolute offset just past the remaining input of this reader.</summary>
    internal readonly int EndOffset => _baseOffset + _data.Length;

    /// <summary>Moves to the next data object at this level.</summary>
    /// <returns>False at the end of this reader's range.</returns>
    /// <exception cref="TlvException">The next data object is malformed; the reader does not move.</exception>
    public bool Read()
    {
        if (TryRead(out var error))
        {
            return true;
        }

        if (error != TlvError.None)
        {
            throw TlvFailure.Create(error, _data[_errorPosition..], _baseOffset + _errorPosition);
        }

        return false;
    }

    /// <summary>Moves to the next data object at this level.</summary>
    /// <returns>True when positioned on a data object. False either at the end (<paramref name="error"/> is
    /// <see cref="TlvError.None"/>) or on malformed data (the reader does not move).</returns>
    public bool TryRead(out TlvError error)
    {
        int position = _position;
        if (_options.AllowPadding)
        {
            while (position < _data.Length && (_data[position] == 0x00 || _data[position] == 0xFF))
            {
                position++;
            }
        }

        if (position == _data.Length)
        {
            _position = position;
            _tokenStart = -1;
            error = TlvError.None;
            return false;
        }

        error = TlvDecoder.Decode(_data[position..], out var tag, out int headerLength, out int valueLength);
        if (error != TlvError.None)
        {
            _errorPosition = position;
            return false;
        }

        _tag = tag;
        _tokenStart = position;
        _headerLength = headerLength;
        _valueLength = valueLength;
        _position = position + headerLength + valueLength;
        return true;
    }

    /// <summary>A reader over the contents of the current constructed object, one level deeper.</summary>
    /// <exception cref="InvalidOperationException">There is no current object, or it is primitive.</exception>
    /// <exception cref="TlvException">The child would be deeper than <see cref="TlvReaderOptions.MaxDepth"/>.</exception>
    public readonly TlvReader ReadChildren()
    {
        if (TryReadChildren(out var children, out var error))
        {
            return children;
        }

        throw TlvFailure.Create(error, _data[_tokenStart..], TokenOffset, _options.MaxDepth);
    }

    /// <summary>Like <see cref="ReadChildren"/>, returning false with <see cref="TlvError.TooDeep"/> past the depth limit.</summary>
    /// <exception cref="InvalidOperationException">There is no current object, or it is primitive.</exception>
    public readonly bool TryReadChildren(out TlvReader children, out TlvError error)
    {
        if (!EnsureCurrent()._tag.IsConstructed)
        {
            throw new InvalidOperationException($"Data object {_tag} is primitive and has no children.");
        }

        if (_depth + 1 > _options.MaxDepth)
        {
            children = default;
            error = TlvError.TooDeep;
            return false;
        }

        int valueStart = _tokenStart + _headerLength;
        children = new TlvReader(_data.Slice(valueStart, _valueLength), _options, _baseOffset + valueStart, _depth + 1);
        error = TlvError.None;
        return true;
    }

    /// <summary>The exception <see cref="Read"/> would have thrown after <see cref="TryRead"/> returned <paramref name="error"/>.</summary>
    internal readonly TlvException CreateException(TlvError error) => error == TlvError.TooDeep
        ? TlvFailure.Create(error, _data[_tokenStart..], TokenOffset, _options.MaxDepth)
        : TlvFailure.Create(error, _data[_errorPosition..], _baseOffset + _errorPosition);

    /// <summary>Throws unless positioned on a data object; returns a read-only reference to this reader for chaining.</summary>
    [System.Diagnostics.CodeAnalysis.UnscopedRef]
    private readonly ref readonly TlvReader EnsureCurrent()
    {
        if (_tokenStart < 0)
        {
            throw new InvalidOperationException("The reader is not on a data object: call Read() first.");
        }

        return ref this;
    }
}
