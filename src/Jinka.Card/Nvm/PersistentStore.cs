using System.Buffers.Binary;

namespace Jinka.Card.Nvm;

/// <summary>
/// One owner's slice of NVM inside the current transaction: an application's counters, keys and state. Keys are
/// relative to the owner's prefix, and the prefix is fixed by the OS, so an application cannot name another
/// application's cells (the firewall).
/// </summary>
public sealed class PersistentStore
{
    private readonly NvmTransaction _transaction;
    private readonly string _prefix;

    internal PersistentStore(NvmTransaction transaction, string prefix)
    {
        _transaction = transaction;
        _prefix = prefix.EndsWith('/') ? prefix : prefix + "/";
    }

    public bool TryGet(string key, out ReadOnlyMemory<byte> value) => _transaction.TryRead(Full(key), out value);

    /// <summary>The value, or null when the cell does not exist.</summary>
    public byte[]? Get(string key) => TryGet(key, out var value) ? value.ToArray() : null;

    public bool Contains(string key) => TryGet(key, out _);

    public void Set(string key, ReadOnlySpan<byte> value) => _transaction.Write(Full(key), value);

    public bool Delete(string key) => _transaction.Delete(Full(key));

    /// <summary>Relative keys under <paramref name="prefix"/> (relative too).</summary>
    public IReadOnlyList<string> Keys(string prefix = "")
        => _transaction.Keys(_prefix + prefix).Select(k => k[_prefix.Length..]).ToList();

    /// <summary>A big-endian unsigned counter of 1–4 bytes (e.g. ATC in 2, balance in 4); <paramref name="defaultValue"/> when absent.</summary>
    public uint GetUInt(string key, uint defaultValue = 0)
    {
        if (!TryGet(key, out var value))
        {
            return defaultValue;
        }

        var span = value.Span;
        if (span.Length is < 1 or > 4)
        {
            throw new InvalidOperationException($"NVM cell '{_prefix}{key}' holds {span.Length} bytes, not a 1–4 byte counter");
        }

        Span<byte> padded = stackalloc byte[4];
        padded.Clear();
        span.CopyTo(padded[(4 - span.Length)..]);
        return BinaryPrimitives.ReadUInt32BigEndian(padded);
    }

    /// <summary>Writes a big-endian unsigned counter in <paramref name="width"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value does not fit.</exception>
    public void SetUInt(string key, uint value, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 4);
        if (width < 4 && value >> (8 * width) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit in {width} bytes");
        }

        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        Set(key, bytes[(4 - width)..]);
    }

    private string Full(string key)
    {
        NvmKey.Validate(key);
        return _prefix + key;
    }
}
