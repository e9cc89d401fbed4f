using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>
/// An in-memory software HSM. Thread-safe: operations run under a read lock, loading and removal under a write lock,
/// so a key is never zeroed while in use.
/// </summary>
/// <remarks>
/// <para>Key material lives in pinned arrays (the GC never copies it) and is zeroed on <see cref="Remove"/> and
/// <see cref="Dispose"/>. Derived UDKs and session keys live in stack buffers zeroed after each call; cipher objects
/// zero their own key copies when disposed. Derived UDKs are cached per card (see
/// <see cref="SoftwareKeyStoreOptions.CardKeyCacheCapacity"/>) in pinned slabs, zeroed on eviction, on removal of their
/// master key and on <see cref="Dispose"/>; session keys are derived per call.</para>
/// <para>What a real HSM replaces: the key material itself (held inside tamper-responsive hardware under a local
/// master key instead of process memory), key loading (key components or key blocks under a ZMK/KEK by split
/// knowledge, instead of <see cref="ImportClearKey"/>), and the derivations and cryptogram checks (the same
/// commands run inside the device; a PayShield/Atalla-style host command set would implement <see cref="IKeyStore"/>
/// over the network). Process memory can still be read by a debugger or a core dump here; this store is for tests,
/// demos and development only.</para>
/// </remarks>
public sealed partial class SoftwareKeyStore : IKeyStoreAdministration, IDisposable
{
    private static long s_nextEntryId;
    private readonly Dictionary<string, Entry> _keys = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private readonly CardKeyCache? _cardKeys;
    private bool _disposed;

    /// <summary>A store with the default options (a card key cache of 100,000 cards).</summary>
    public SoftwareKeyStore()
        : this(new SoftwareKeyStoreOptions())
    {
    }

    /// <summary>A store with <paramref name="options"/>.</summary>
    public SoftwareKeyStore(SoftwareKeyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.CardKeyCacheCapacity);
        _cardKeys = options.CardKeyCacheCapacity > 0 ? new CardKeyCache(options.CardKeyCacheCapacity) : null;
    }

    /// <summary>The derived card key cache, when enabled (tests and statistics).</summary>
    internal CardKeyCache? CardKeys => _cardKeys;

    /// <inheritdoc/>
    public KeyInfo ImportClearKey(string label, KeyUsage usage, CipherAlgorithm algorithm, ReadOnlySpan<byte> key, ReadOnlySpan<byte> expectedKcv = default)
    {
        ValidateLabel(label);
        BlockCipher.ValidateKey(algorithm, key.Length);
        if (!Enum.IsDefined(usage))
        {
            throw new ArgumentOutOfRangeException(nameof(usage), usage, "unknown key usage");
        }

        byte[] kcv = Symmetric.KeyCheckValue.Compute(algorithm, key);
        if (!expectedKcv.IsEmpty && !CryptographicOperations.FixedTimeEquals(kcv.AsSpan(0, Math.Min(kcv.Length, expectedKcv.Length)), expectedKcv))
        {
            throw new KeyStoreException($"Key '{label}' has KCV {Hex.Encode(kcv)}, not the expected {Hex.Encode(expectedKcv)}; it was not imported.");
        }

        byte[] material = GC.AllocateArray<byte>(key.Length, pinned: true);
        key.CopyTo(material);
        var info = new KeyInfo(label, usage, algorithm, key.Length, Hex.Encode(kcv));
        _lock.EnterWriteLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_keys.TryAdd(label, new Entry(info, material)))
            {
                CryptographicOperations.ZeroMemory(material);
                throw new KeyStoreException($"A key labelled '{label}' already exists; remove it first.");
            }
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        return info;
    }

    /// <inheritdoc/>
    public KeyInfo GenerateKey(string label, KeyUsage usage, CipherAlgorithm algorithm, int length = 16)
    {
        Span<byte> key = stackalloc byte[32];
        BlockCipher.ValidateKey(algorithm, length, nameof(length));
        key = key[..length];
        RandomNumberGenerator.Fill(key);
        if (algorithm is CipherAlgorithm.Des or CipherAlgorithm.TripleDes)
        {
            DesKeyParity.AdjustOdd(key);
        }

        try
        {
            return ImportClearKey(label, usage, algorithm, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <inheritdoc/>
    public bool Remove(string label)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_keys.Remove(label, out var entry))
            {
                return false;
            }

            CryptographicOperations.ZeroMemory(entry.Material);
            _cardKeys?.Invalidate(entry.Id);
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <inheritdoc/>
    public bool TryGetInfo(string label, [NotNullWhen(true)] out KeyInfo? info)
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            info = _keys.TryGetValue(label, out var entry) ? entry.Info : null;
            return info is not null;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public KeyInfo GetInfo(string label) =>
        TryGetInfo(label, out var info) ? info : throw new KeyStoreException($"No key labelled '{label}'.");

    /// <inheritdoc/>
    public IReadOnlyList<KeyInfo> ListKeys()
    {
        _lock.EnterReadLock();
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return [.. _keys.Values.Select(e => e.Info).OrderBy(i => i.Label, StringComparer.Ordinal)];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public byte[] KeyCheckValue(string label) => Hex.Parse(GetInfo(label).KeyCheckValue);

    /// <inheritdoc/>
    public bool VerifyArqc(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> acData, ReadOnlySpan<byte> arqc, EmvKeyScheme scheme)
    {
        if (arqc.Length != EmvCryptograms.CryptogramLength)
        {
            throw new ArgumentException($"The ARQC (9F26) is {EmvCryptograms.CryptogramLength} bytes; got {arqc.Length}.", nameof(arqc));
        }

        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var (entry, suite) = Emv(label, KeyUsage.MdkAc);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            return suite.VerifyAc(sessionKey, acData, arqc);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc/>
    public void GenerateArpc(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> arc, EmvKeyScheme scheme, Span<byte> arpc)
    {
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var (entry, suite) = Emv(label, KeyUsage.MdkAc);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            suite.Arpc1(sessionKey, arqc, arc, arpc);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc/>
    public void GenerateArpcMethod2(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> csu, ReadOnlySpan<byte> proprietaryData, EmvKeyScheme scheme, Span<byte> arpc)
    {
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var (entry, suite) = Emv(label, KeyUsage.MdkAc);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            suite.Arpc2(sessionKey, arqc, csu, proprietaryData, arpc);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc/>
    public void GenerateScriptMac(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> macInput, EmvKeyScheme scheme, Span<byte> mac)
    {
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var (entry, suite) = Emv(label, KeyUsage.MdkMac);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            suite.ScriptMac(sessionKey, macInput, mac);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc/>
    public byte[] EncryptScriptData(string label, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> plaintext, EmvKeyScheme scheme)
    {
        Span<byte> sessionKey = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var (entry, suite) = Emv(label, KeyUsage.MdkEnc);
            DeriveSessionKey(entry, suite, pan, psn, atc, scheme, sessionKey);
            return suite.EncryptScriptData(sessionKey, plaintext);
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <inheritdoc/>
    public WrappedKey ExportCardKey(string mdkLabel, string kekLabel, ReadOnlySpan<char> pan, byte psn, UdkOption option)
    {
        Span<byte> udk = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        _lock.EnterReadLock();
        try
        {
            var mdk = Lookup(mdkLabel);
            if (mdk.Info.Usage is not (KeyUsage.MdkAc or KeyUsage.MdkMac or KeyUsage.MdkEnc))
            {
                throw new KeyStoreException($"Key '{mdkLabel}' has usage {mdk.Info.Usage}; card keys come from an MdkAc, MdkMac or MdkEnc key.");
            }

            var kek = Lookup(kekLabel, KeyUsage.Kek);
            var suite = SuiteOf(mdk);
            suite.DeriveUdk(mdk.Material, pan, psn, option, udk);
            using var wrap = BlockCipher.Create(kek.Info.Algorithm, kek.Material);
            return new WrappedKey(wrap.EncryptEcb(udk), Hex.Encode(suite.KeyCheckValue(udk)));
        }
        finally
        {
            _lock.ExitReadLock();
            CryptographicOperations.ZeroMemory(udk);
        }
    }

    /// <summary>Zeroes and drops every key.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _lock.EnterWriteLock();
        try
        {
            foreach (var entry in _keys.Values)
            {
                CryptographicOperations.ZeroMemory(entry.Material);
            }

            _keys.Clear();
            _cardKeys?.Dispose();
            _disposed = true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }

        _lock.Dispose();
    }

    private void DeriveSessionKey(Entry mdk, AlgorithmSuite suite, ReadOnlySpan<char> pan, byte psn, ReadOnlySpan<byte> atc, EmvKeyScheme scheme, Span<byte> sessionKey)
    {
        if (mdk.Info.Usage is KeyUsage.CardAc or KeyUsage.CardMac or KeyUsage.CardEnc)
        {
            // The card's own UDK: the PAN and PSN were bound to it when it was derived.
            suite.DeriveSessionKey(mdk.Material, atc, scheme.SessionKeyMethod, sessionKey);
            return;
        }

        Span<byte> udk = stackalloc byte[EmvKeyDerivation.CardKeyLength];
        try
        {
            if (_cardKeys is null)
            {
                suite.DeriveUdk(mdk.Material, pan, psn, scheme.UdkOption, udk);
            }
            else
            {
                // Y (EMV Book 2 A1.4) is all the UDK depends on besides the MDK, so it names the card in the cache.
                Span<byte> y = stackalloc byte[8];
                EmvPan.ComputeY(pan, psn, scheme.UdkOption, y);
                var id = new CardKeyId(mdk.Id, CardKeyCache.ToKey(y));
                if (!_cardKeys.TryGet(id, udk))
                {
                    suite.DeriveUdk(mdk.Material, pan, psn, scheme.UdkOption, udk);
                    _cardKeys.Add(id, udk);
                }
            }

            suite.DeriveSessionKey(udk, atc, scheme.SessionKeyMethod, sessionKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(udk);
        }
    }

    private static AlgorithmSuite SuiteOf(Entry entry) => entry.Info.Algorithm switch
    {
        CipherAlgorithm.TripleDes => AlgorithmSuite.International,
        CipherAlgorithm.Sm4 => AlgorithmSuite.Sm,
        _ => throw new KeyStoreException($"Key '{entry.Info.Label}' is {entry.Info.Algorithm}; EMV/PBOC card keys need a 3DES or SM4 master key."),
    };

    private static void ValidateLabel(string label)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length is 0 or > 64 || label.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            throw new ArgumentException($"Key label '{label}' must be 1 to 64 characters without spaces or control characters.", nameof(label));
        }
    }

    /// <summary>Call with the read lock held. An MDK usage also admits the card key (UDK) of the same purpose.</summary>
    private (Entry Entry, AlgorithmSuite Suite) Emv(string label, KeyUsage usage)
    {
        KeyUsage cardUsage = usage switch
        {
            KeyUsage.MdkAc => KeyUsage.CardAc,
            KeyUsage.MdkMac => KeyUsage.CardMac,
            KeyUsage.MdkEnc => KeyUsage.CardEnc,
            _ => usage,
        };
        var entry = Lookup(label);
        if (entry.Info.Usage != usage && entry.Info.Usage != cardUsage)
        {
            throw new KeyStoreException($"Key '{label}' has usage {entry.Info.Usage}; this operation needs {usage} (or {cardUsage}).");
        }

        return (entry, SuiteOf(entry));
    }

    /// <summary>Call with the read lock held.</summary>
    private Entry Lookup(string label, KeyUsage? usage = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_keys.TryGetValue(label, out var entry))
        {
            throw new KeyStoreException($"No key labelled '{label}'.");
        }

        if (usage is { } required && entry.Info.Usage != required)
        {
            throw new KeyStoreException($"Key '{label}' has usage {entry.Info.Usage}; this operation needs {required}.");
        }

        return entry;
    }

    private sealed record Entry(KeyInfo Info, byte[] Material)
    {
        /// <summary>Unique per loading of a key, so cached card keys of a replaced master key never match.</summary>
        public long Id { get; } = Interlocked.Increment(ref s_nextEntryId);
    }
}
