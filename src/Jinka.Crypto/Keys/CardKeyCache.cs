using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Jinka.Crypto.Emv;

namespace Jinka.Crypto.Keys;

/// <summary>
/// Which derived card key a cache slot holds: the master key entry it came from (a fresh id each time a label is
/// loaded, so a replaced MDK never matches) and the card's diversification value Y (EMV Book 2 A1.4, NOTES A.5.1).
/// UDK = ENC_MDK(Y ‖ Y ⊕ FF…) depends on nothing else, so Y stands for PAN, PSN and the UDK option together.
/// </summary>
internal readonly record struct CardKeyId(long MasterKeyId, ulong Y);

/// <summary>
/// A size-capped cache of derived card keys (UDKs) for <see cref="SoftwareKeyStore"/>. Thread-safe (one short lock).
/// </summary>
/// <remarks>
/// <para>Key bytes live in pinned slabs (the GC never copies them) and are only copied out, under the lock, into the
/// caller's buffer. A slot is zeroed when its key is evicted, invalidated or the cache is disposed.</para>
/// <para>Eviction is CLOCK (second chance): a hit only sets a flag, so the common path moves no list nodes, and a
/// card seen again since the hand last passed survives one more round, so a one-off card is evicted before a
/// regular.</para>
/// </remarks>
internal sealed class CardKeyCache : IDisposable
{
    internal const int SlotsPerSlab = 4096;
    private const int KeyLength = EmvKeyDerivation.CardKeyLength;

    private readonly Lock _gate = new();
    private readonly Dictionary<CardKeyId, int> _slotOf;
    private readonly List<byte[]> _slabs = [];
    private readonly Stack<int> _released = new();
    private CardKeyId[] _idOf;
    private bool[] _recentlyUsed;
    private bool[] _occupied;
    private int _used;
    private int _hand;
    private bool _disposed;

    public CardKeyCache(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _slotOf = new Dictionary<CardKeyId, int>(Math.Min(capacity, SlotsPerSlab));
        _idOf = [];
        _recentlyUsed = [];
        _occupied = [];
    }

    /// <summary>The most keys held at once.</summary>
    public int Capacity { get; }

    /// <summary>Keys held now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _slotOf.Count;
            }
        }
    }

    /// <summary>Hits since creation (for statistics and tests).</summary>
    public long Hits { get; private set; }

    /// <summary>Misses since creation.</summary>
    public long Misses { get; private set; }

    /// <summary>Copies the cached key for <paramref name="id"/> into <paramref name="key"/> (16 bytes).</summary>
    public bool TryGet(CardKeyId id, Span<byte> key)
    {
        lock (_gate)
        {
            if (_disposed || !_slotOf.TryGetValue(id, out int slot))
            {
                Misses++;
                return false;
            }

            Slot(slot).CopyTo(key);
            _recentlyUsed[slot] = true;
            Hits++;
            return true;
        }
    }

    /// <summary>Caches <paramref name="key"/> for <paramref name="id"/>, evicting (and zeroing) one key when full.</summary>
    public void Add(CardKeyId id, ReadOnlySpan<byte> key)
    {
        if (key.Length != KeyLength)
        {
            throw new ArgumentException($"A cached card key is {KeyLength} bytes; got {key.Length}.", nameof(key));
        }

        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            if (!_slotOf.TryGetValue(id, out int slot))
            {
                slot = FreeSlot();
                _slotOf.Add(id, slot);
                _idOf[slot] = id;
                _occupied[slot] = true;
            }

            // A new key starts unflagged: only a hit earns it a second chance.
            key.CopyTo(Slot(slot));
        }
    }

    /// <summary>Drops and zeroes every key derived from master key <paramref name="masterKeyId"/>; returns how many.</summary>
    public int Invalidate(long masterKeyId)
    {
        lock (_gate)
        {
            int removed = 0;
            for (int slot = 0; slot < _used; slot++)
            {
                if (_occupied[slot] && _idOf[slot].MasterKeyId == masterKeyId)
                {
                    Release(slot);
                    _released.Push(slot);
                    removed++;
                }
            }

            return removed;
        }
    }

    /// <summary>Zeroes every slab and drops every key.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var slab in _slabs)
            {
                CryptographicOperations.ZeroMemory(slab);
            }

            _slotOf.Clear();
            _released.Clear();
            Array.Clear(_occupied);
            _disposed = true;
        }
    }

    /// <summary>Test access: the raw slabs, to prove that released keys leave no bytes behind.</summary>
    internal IReadOnlyList<byte[]> SlabsForTesting
    {
        get
        {
            lock (_gate)
            {
                return [.. _slabs];
            }
        }
    }

    /// <summary>Call with the lock held.</summary>
    private int FreeSlot()
    {
        if (_released.TryPop(out int free))
        {
            return free;
        }

        if (_used < Capacity)
        {
            if (_used == _idOf.Length)
            {
                Grow();
            }

            return _used++;
        }

        // Full: sweep the clock hand, clearing "recently used" flags until an unflagged key turns up.
        while (true)
        {
            int slot = _hand;
            _hand = _hand + 1 == _used ? 0 : _hand + 1;
            if (_recentlyUsed[slot] || !_occupied[slot])
            {
                _recentlyUsed[slot] = false;
                continue;
            }

            Release(slot);
            return slot;
        }
    }

    private void Grow()
    {
        int slots = Math.Min(Capacity - _used, SlotsPerSlab);
        _slabs.Add(GC.AllocateArray<byte>(slots * KeyLength, pinned: true));
        int length = _idOf.Length + slots;
        Array.Resize(ref _idOf, length);
        Array.Resize(ref _recentlyUsed, length);
        Array.Resize(ref _occupied, length);
    }

    private void Release(int slot)
    {
        _slotOf.Remove(_idOf[slot]);
        _occupied[slot] = false;
        _recentlyUsed[slot] = false;
        CryptographicOperations.ZeroMemory(Slot(slot));
    }

    private Span<byte> Slot(int slot) =>
        _slabs[slot / SlotsPerSlab].AsSpan((slot % SlotsPerSlab) * KeyLength, KeyLength);

    internal static ulong ToKey(ReadOnlySpan<byte> y) => MemoryMarshal.Read<ulong>(y);
}
