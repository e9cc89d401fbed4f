using System.Buffers;

namespace Jinka.Core.Tlv;

/// <summary>
/// Writes BER-TLV into a pooled buffer. Constructed objects are written with a scope:
/// <code>using (writer.PushConstructed(new Tag(0x70))) { writer.WritePrimitive(...); }</code>
/// The length of each scope is patched on pop, in minimal form. <see cref="Dispose"/> zeroes the buffer
/// (it may have held card data) and returns it to the pool.
/// </summary>
public sealed class TlvWriter : IDisposable
{
    private const int MaxHeaderLength = Tag.MaxEncodedLength + 1 + TlvDecoder.MaxLengthBytes;

    private byte[] _buffer;
    private int _length;
    private int[] _scopes = new int[TlvReaderOptions.DefaultMaxDepth];
    private int _scopeCount;
    private int _generation; // bumped by Reset, so scopes opened before it close as no-ops

    public TlvWriter(int initialCapacity = 256)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    /// <summary>Bytes written so far, including those of open scopes.</summary>
    public int Length => _length;

    /// <summary>Constructed scopes pushed and not yet popped.</summary>
    public int OpenScopes => _scopeCount;

    /// <summary>The encoding written so far.</summary>
    /// <exception cref="InvalidOperationException">A constructed scope is still open (its length is not known yet).</exception>
    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            EnsureComplete();
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>A copy of <see cref="WrittenSpan"/>.</summary>
    public byte[] ToArray() => WrittenSpan.ToArray();

    /// <summary>Writes a primitive data object.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is constructed.</exception>
    public void WritePrimitive(Tag tag, ReadOnlySpan<byte> value)
    {
        if (tag.IsConstructed)
        {
            throw new ArgumentException($"Tag {tag} is constructed: use PushConstructed or WriteConstructed.", nameof(tag));
        }

        WriteElement(tag, value);
    }

    /// <summary>Writes a constructed data object whose contents are already encoded.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is primitive.</exception>
    public void WriteConstructed(Tag tag, ReadOnlySpan<byte> encodedContents)
    {
        RequireConstructed(tag);
        WriteElement(tag, encodedContents);
    }

    /// <summary>Appends bytes that are already BER-TLV encoded (not checked).</summary>
    public void WriteEncoded(ReadOnlySpan<byte> encoded)
    {
        ThrowIfDisposed();
        EnsureCapacity(encoded.Length);
        encoded.CopyTo(_buffer.AsSpan(_length));
        _length += encoded.Length;
    }

    /// <summary>Starts a constructed data object; dispose the returned scope to close it.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is primitive.</exception>
    public Scope PushConstructed(Tag tag)
    {
        RequireConstructed(tag);
        ThrowIfDisposed();
        EnsureCapacity(Tag.MaxEncodedLength + 1);
        tag.TryWrite(_buffer.AsSpan(_length), out int written);
        _length += written;
        if (_scopeCount == _scopes.Length)
        {
            Array.Resize(ref _scopes, _scopes.Length * 2);
        }

        // Reserve one length byte; PopScope widens it if the contents turn out longer than 127 bytes.
        _scopes[_scopeCount++] = _length;
        _buffer[_length++] = 0;
        return new Scope(this, _scopeCount, _generation);
    }

    /// <summary>Clears everything written (zeroing it) so the writer can be reused.</summary>
    public void Reset()
    {
        ThrowIfDisposed();
        _buffer.AsSpan(0, _length).Clear();
        _length = 0;
        _scopeCount = 0;
        _generation++;
    }

    public void Dispose()
    {
        if (_buffer.Length == 0)
        {
            return;
        }

        _buffer.AsSpan(0, _length).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _length = 0;
        _scopeCount = 0;
    }

    private void PopScope(int level, int generation)
    {
        ThrowIfDisposed();
        if (generation != _generation)
        {
            return;
        }

        if (level != _scopeCount)
        {
            throw new InvalidOperationException(
                $"Constructed scopes must be closed innermost first (closing level {level}, {_scopeCount} open).");
        }

        int lengthAt = _scopes[--_scopeCount];
        int contentStart = lengthAt + 1;
        int contentLength = _length - contentStart;
        int extra = TlvDecoder.LengthFieldSize(contentLength) - 1;
        if (extra > 0)
        {
            EnsureCapacity(extra);
            _buffer.AsSpan(contentStart, contentLength).CopyTo(_buffer.AsSpan(contentStart + extra));
            _length += extra;
        }

        TlvDecoder.WriteLength(_buffer.AsSpan(lengthAt), contentLength);
    }

    private void WriteElement(Tag tag, ReadOnlySpan<byte> value)
    {
        ThrowIfDisposed();
        TlvDecoder.LengthFieldSize(value.Length);
        EnsureCapacity(MaxHeaderLength + value.Length);
        var destination = _buffer.AsSpan(_length);
        tag.TryWrite(destination, out int tagLength);
        int lengthLength = TlvDecoder.WriteLength(destination[tagLength..], value.Length);
        value.CopyTo(destination[(tagLength + lengthLength)..]);
        _length += tagLength + lengthLength + value.Length;
    }

    private void EnsureCapacity(int additional)
    {
        int needed = _length + additional;
        if (needed <= _buffer.Length)
        {
            return;
        }

        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
        _buffer.AsSpan(0, _length).CopyTo(bigger);
        _buffer.AsSpan(0, _length).Clear();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = bigger;
    }

    private void EnsureComplete()
    {
        ThrowIfDisposed();
        if (_scopeCount != 0)
        {
            throw new InvalidOperationException($"{_scopeCount} constructed scope(s) are still open.");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);

    private static void RequireConstructed(Tag tag)
    {
        if (!tag.IsConstructed)
        {
            throw new ArgumentException($"Tag {tag} is primitive: use WritePrimitive.", nameof(tag));
        }
    }

    /// <summary>An open constructed data object; disposing it patches its length.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly TlvWriter? _writer;
        private readonly int _level;
        private readonly int _generation;

        internal Scope(TlvWriter writer, int level, int generation)
        {
            _writer = writer;
            _level = level;
            _generation = generation;
        }

        /// <summary>Closes the scope; does nothing if the writer was <see cref="Reset"/> since it was opened.</summary>
        /// <exception cref="InvalidOperationException">An inner scope is still open, or this one was already closed.</exception>
        public void Dispose() => _writer?.PopScope(_level, _generation);
    }
}
