using System.Security.Cryptography;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// A block cipher keyed once, used for many blocks. Instances are not thread-safe; create one per thread or per
/// operation. <see cref="Dispose()"/> zeroes the key copy the instance holds.
/// </summary>
/// <remarks>
/// DES, 3DES and AES run on .NET's own implementations (OpenSSL underneath on Linux). .NET refuses DES weak and
/// semi-weak keys and 3DES keys whose parts repeat (K1 = K2 or K2 = K3); payment test data uses such keys (an
/// all-zero GlobalPlatform key, a retail-MAC right half like 0101000000000000), so those fall back to
/// BouncyCastle's engines, which compute the same function. SM4 runs on the fastest implementation proven equal
/// to the GM/T 0002 vectors (see <see cref="Sm4Implementation"/>).
/// </remarks>
public abstract class BlockCipher : IDisposable
{
    private readonly byte[] _key;
    private readonly int _keySize;
    private bool _disposed;

    /// <summary>Copies <paramref name="key"/> into a pooled pinned buffer held by this instance until disposal.</summary>
    private protected BlockCipher(CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        Algorithm = algorithm;
        BlockSize = GetBlockSize(algorithm);
        _key = PinnedKeyPool.RentKeyBuffer();
        _keySize = key.Length;
        key.CopyTo(_key);
    }

    /// <summary>The algorithm this instance runs.</summary>
    public CipherAlgorithm Algorithm { get; }

    /// <summary>Block size in bytes (8 for DES/3DES, 16 for AES/SM4).</summary>
    public int BlockSize { get; }

    /// <summary>Key length in bytes.</summary>
    public int KeySize => _keySize;

    /// <summary>The key copy, for subclasses that key a native object once.</summary>
    private protected ReadOnlySpan<byte> Key => _key.AsSpan(0, _keySize);

    /// <summary>Creates a keyed cipher.</summary>
    /// <exception cref="ArgumentException">The key length does not suit the algorithm.</exception>
    public static BlockCipher Create(CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        ValidateKey(algorithm, key.Length);
        return algorithm switch
        {
            CipherAlgorithm.Des or CipherAlgorithm.TripleDes when IsRefusedByDotNet(algorithm, key) => new BouncyCastleBlockCipher(algorithm, key),
            CipherAlgorithm.Des or CipherAlgorithm.TripleDes or CipherAlgorithm.Aes => new DotNetBlockCipher(algorithm, key),
            CipherAlgorithm.Sm4 => Sm4Implementation.Create(key),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown cipher algorithm"),
        };
    }

    /// <summary>
    /// True for the DES weak/semi-weak keys and repeating 3DES keys that .NET will not accept. The same test as
    /// <c>DES.IsWeakKey</c>/<c>IsSemiWeakKey</c> and <c>TripleDES.IsWeakKey</c> (parity bits ignored), done on the span:
    /// those take arrays, copy the key, fix its parity into another array and clone the legal key sizes on every call,
    /// which cost more than the cipher itself on the per-cryptogram path.
    /// </summary>
    internal static bool IsRefusedByDotNet(CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
    {
        if (algorithm == CipherAlgorithm.Des)
        {
            return Array.IndexOf(s_weakDesKeys, WithoutParity(key)) >= 0;
        }

        // K1 = K2, or (three-key) K2 = K3.
        return WithoutParity(key[..8]) == WithoutParity(key[8..16])
            || (key.Length == 24 && WithoutParity(key[8..16]) == WithoutParity(key[16..24]));
    }

    private static ulong WithoutParity(ReadOnlySpan<byte> eightBytes) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(eightBytes) & 0xFEFEFEFEFEFEFEFEUL;

    // FIPS 74 / NIST SP 800-67: the 4 weak and 12 semi-weak DES keys, parity bits cleared.
    private static readonly ulong[] s_weakDesKeys =
    [
        0x0000000000000000UL, 0xFEFEFEFEFEFEFEFEUL, 0x1E1E1E1E0E0E0E0EUL, 0xE0E0E0E0F0F0F0F0UL,
        0x00FE00FE00FE00FEUL, 0xFE00FE00FE00FE00UL, 0x1EE01EE00EF00EF0UL, 0xE01EE01EF00EF00EUL,
        0x00E000E000F000F0UL, 0xE000E000F000F000UL, 0x1EFE1EFE0EFE0EFEUL, 0xFE1EFE1EFE0EFE0EUL,
        0x001E001E000E000EUL, 0x1E001E000E000E00UL, 0xE0FEE0FEF0FEF0FEUL, 0xFEE0FEE0FEF0FEF0UL,
    ];

    /// <summary>Block size in bytes of <paramref name="algorithm"/>.</summary>
    public static int GetBlockSize(CipherAlgorithm algorithm) => algorithm switch
    {
        CipherAlgorithm.Des or CipherAlgorithm.TripleDes => 8,
        CipherAlgorithm.Aes or CipherAlgorithm.Sm4 => 16,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown cipher algorithm"),
    };

    /// <summary>True when <paramref name="length"/> bytes is a legal key length for <paramref name="algorithm"/>.</summary>
    public static bool IsValidKeyLength(CipherAlgorithm algorithm, int length) => algorithm switch
    {
        CipherAlgorithm.Des => length == 8,
        CipherAlgorithm.TripleDes => length is 16 or 24,
        CipherAlgorithm.Aes => length is 16 or 24 or 32,
        CipherAlgorithm.Sm4 => length == 16,
        _ => false,
    };

    /// <summary>Throws a clear <see cref="ArgumentException"/> when the key length does not suit the algorithm.</summary>
    public static void ValidateKey(CipherAlgorithm algorithm, int length, string parameterName = "key")
    {
        if (IsValidKeyLength(algorithm, length))
        {
            return;
        }

        string expected = algorithm switch
        {
            CipherAlgorithm.Des => "8 bytes",
            CipherAlgorithm.TripleDes => "16 bytes (two-key) or 24 bytes (three-key)",
            CipherAlgorithm.Aes => "16, 24 or 32 bytes",
            CipherAlgorithm.Sm4 => "16 bytes",
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "unknown cipher algorithm"),
        };
        throw new ArgumentException($"A {algorithm} key must be {expected}; got {length} bytes.", parameterName);
    }

    /// <summary>ECB-encrypts <paramref name="input"/> (a whole number of blocks) into <paramref name="output"/>.</summary>
    /// <remarks><paramref name="output"/> may be the same memory as <paramref name="input"/>, but must not partly overlap it.</remarks>
    public void EncryptEcb(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBuffers(input, output);
        EncryptEcbCore(input, output[..input.Length]);
    }

    /// <summary>ECB-decrypts <paramref name="input"/> (a whole number of blocks) into <paramref name="output"/>.</summary>
    public void DecryptEcb(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckBuffers(input, output);
        DecryptEcbCore(input, output[..input.Length]);
    }

    /// <summary>CBC-encrypts <paramref name="input"/> (a whole number of blocks) with <paramref name="iv"/> (one block).</summary>
    public void EncryptCbc(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckIv(iv);
        CheckBuffers(input, output);
        EncryptCbcCore(iv, input, output[..input.Length]);
    }

    /// <summary>CBC-decrypts <paramref name="input"/> (a whole number of blocks) with <paramref name="iv"/> (one block).</summary>
    public void DecryptCbc(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckIv(iv);
        CheckBuffers(input, output);
        DecryptCbcCore(iv, input, output[..input.Length]);
    }

    /// <summary>ECB-encrypts into a new array.</summary>
    public byte[] EncryptEcb(ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        EncryptEcb(input, output);
        return output;
    }

    /// <summary>ECB-decrypts into a new array.</summary>
    public byte[] DecryptEcb(ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        DecryptEcb(input, output);
        return output;
    }

    /// <summary>CBC-encrypts into a new array.</summary>
    public byte[] EncryptCbc(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        EncryptCbc(iv, input, output);
        return output;
    }

    /// <summary>CBC-decrypts into a new array.</summary>
    public byte[] DecryptCbc(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input)
    {
        var output = new byte[input.Length];
        DecryptCbc(iv, input, output);
        return output;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Zeroes the key copy; subclasses release their native objects.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            PinnedKeyPool.Return(_key);
        }
    }

    /// <summary>Encrypts whole blocks; lengths are already checked and equal.</summary>
    private protected abstract void EncryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>Decrypts whole blocks; lengths are already checked and equal.</summary>
    private protected abstract void DecryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output);

    /// <summary>CBC over <see cref="EncryptEcbCore"/>, one block at a time; subclasses with a native CBC override it.</summary>
    private protected virtual void EncryptCbcCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int n = BlockSize;
        Span<byte> chain = stackalloc byte[16];
        chain = chain[..n];
        iv.CopyTo(chain);
        for (int offset = 0; offset < input.Length; offset += n)
        {
            Xor(chain, input.Slice(offset, n));
            EncryptEcbCore(chain, chain);
            chain.CopyTo(output.Slice(offset, n));
        }
    }

    /// <summary>CBC decryption over <see cref="DecryptEcbCore"/>; safe in place.</summary>
    private protected virtual void DecryptCbcCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int n = BlockSize;
        Span<byte> buffers = stackalloc byte[48];
        Span<byte> chain = buffers[..n];
        Span<byte> cipherBlock = buffers.Slice(16, n);
        Span<byte> plain = buffers.Slice(32, n);
        iv.CopyTo(chain);
        for (int offset = 0; offset < input.Length; offset += n)
        {
            input.Slice(offset, n).CopyTo(cipherBlock);
            DecryptEcbCore(cipherBlock, plain);
            Xor(plain, chain);
            plain.CopyTo(output.Slice(offset, n));
            cipherBlock.CopyTo(chain);
        }

        CryptographicOperations.ZeroMemory(buffers);
    }

    /// <summary>XORs <paramref name="other"/> into <paramref name="target"/> (equal lengths).</summary>
    internal static void Xor(Span<byte> target, ReadOnlySpan<byte> other)
    {
        for (int i = 0; i < target.Length; i++)
        {
            target[i] ^= other[i];
        }
    }

    private void CheckBuffers(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.Length % BlockSize != 0)
        {
            throw new ArgumentException(
                $"Input is {input.Length} bytes, not a multiple of the {Algorithm} block size ({BlockSize} bytes); pad it first (Padding.Apply).",
                nameof(input));
        }

        if (output.Length < input.Length)
        {
            throw new ArgumentException($"Output is {output.Length} bytes; {input.Length} are needed.", nameof(output));
        }

        if (input.Overlaps(output, out int elementOffset) && elementOffset != 0)
        {
            throw new ArgumentException("Output partly overlaps input; use the same buffer or separate ones.", nameof(output));
        }
    }

    private void CheckIv(ReadOnlySpan<byte> iv)
    {
        if (iv.Length != BlockSize)
        {
            throw new ArgumentException($"The IV must be one {Algorithm} block ({BlockSize} bytes); got {iv.Length}.", nameof(iv));
        }
    }
}
