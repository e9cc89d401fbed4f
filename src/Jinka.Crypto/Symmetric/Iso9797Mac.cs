using System.Security.Cryptography;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// ISO/IEC 9797-1 MAC algorithms 1 (CBC-MAC) and 3 ("retail" MAC). The MAC length is the destination length:
/// pass an 8-byte span for a full DES-family MAC, a 4-byte one for the leftmost 4 bytes.
/// </summary>
public static class Iso9797Mac
{
    private const int ChunkSize = 1024;

    /// <summary>
    /// MAC algorithm 1: CBC over the padded data with <paramref name="cipher"/> (DES, 3DES, AES or SM4), IV
    /// <paramref name="iv"/> (zero when empty); the MAC is the leftmost bytes of the last block.
    /// </summary>
    public static void ComputeAlgorithm1(BlockCipher cipher, ReadOnlySpan<byte> data, PaddingMethod padding, Span<byte> mac, ReadOnlySpan<byte> iv = default)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        Span<byte> chain = stackalloc byte[16];
        chain = chain[..cipher.BlockSize];
        CheckMacLength(mac, cipher.BlockSize);
        CbcChain(cipher, data, padding, iv, chain);
        chain[..mac.Length].CopyTo(mac);
        CryptographicOperations.ZeroMemory(chain);
    }

    /// <summary>MAC algorithm 1 returning a new array of <paramref name="macLength"/> bytes (default: one block).</summary>
    public static byte[] ComputeAlgorithm1(BlockCipher cipher, ReadOnlySpan<byte> data, PaddingMethod padding, int macLength = 0, ReadOnlySpan<byte> iv = default)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        var mac = new byte[macLength == 0 ? cipher.BlockSize : macLength];
        ComputeAlgorithm1(cipher, data, padding, mac, iv);
        return mac;
    }

    /// <summary>
    /// MAC algorithm 3 (retail MAC, ANSI X9.19): single-DES CBC under K_L = key[0..8] over the padded data, then the
    /// last result is decrypted under K_R = key[8..16] and encrypted under K_L. <paramref name="key"/> is 16 bytes.
    /// </summary>
    public static void ComputeAlgorithm3(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, PaddingMethod padding, Span<byte> mac, ReadOnlySpan<byte> iv = default)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException($"MAC algorithm 3 takes a 16-byte key (K_L ‖ K_R); got {key.Length} bytes.", nameof(key));
        }

        using var left = BlockCipher.Create(CipherAlgorithm.Des, key[..8]);
        using var right = BlockCipher.Create(CipherAlgorithm.Des, key[8..]);
        ComputeAlgorithm3(left, right, data, padding, mac, iv);
    }

    /// <summary>MAC algorithm 3 returning a new array of <paramref name="macLength"/> bytes.</summary>
    public static byte[] ComputeAlgorithm3(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, PaddingMethod padding, int macLength = 8, ReadOnlySpan<byte> iv = default)
    {
        var mac = new byte[macLength];
        ComputeAlgorithm3(key, data, padding, mac, iv);
        return mac;
    }

    /// <summary>MAC algorithm 3 with already keyed single-DES ciphers for K_L and K_R (for repeated use).</summary>
    public static void ComputeAlgorithm3(BlockCipher left, BlockCipher right, ReadOnlySpan<byte> data, PaddingMethod padding, Span<byte> mac, ReadOnlySpan<byte> iv = default)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        if (left.Algorithm != CipherAlgorithm.Des || right.Algorithm != CipherAlgorithm.Des)
        {
            throw new ArgumentException("MAC algorithm 3 needs two single-DES keys.", nameof(left));
        }

        CheckMacLength(mac, 8);
        Span<byte> chain = stackalloc byte[8];
        CbcChain(left, data, padding, iv, chain);

        // Output transformation 3 (ISO/IEC 9797-1 §7.3): G = e_K(d_K'(H_q)).
        right.DecryptEcb(chain, chain);
        left.EncryptEcb(chain, chain);
        chain[..mac.Length].CopyTo(mac);
        CryptographicOperations.ZeroMemory(chain);
    }

    /// <summary>Runs CBC over the padded data and leaves the last ciphertext block in <paramref name="chain"/>.</summary>
    private static void CbcChain(BlockCipher cipher, ReadOnlySpan<byte> data, PaddingMethod padding, ReadOnlySpan<byte> iv, Span<byte> chain)
    {
        int n = cipher.BlockSize;
        if (iv.IsEmpty)
        {
            chain.Clear();
        }
        else if (iv.Length == n)
        {
            iv.CopyTo(chain);
        }
        else
        {
            throw new ArgumentException($"The MAC IV must be one {cipher.Algorithm} block ({n} bytes) or empty for zero; got {iv.Length}.", nameof(iv));
        }

        int paddedLength = Padding.PaddedLength(data.Length, n, padding);

        // Whole blocks of the data go straight through the cipher's CBC, a chunk at a time.
        int aligned = Math.Min(data.Length / n * n, paddedLength);
        Span<byte> scratch = stackalloc byte[ChunkSize];
        for (int offset = 0; offset < aligned; offset += ChunkSize)
        {
            int length = Math.Min(ChunkSize, aligned - offset);
            cipher.EncryptCbc(chain, data.Slice(offset, length), scratch);
            scratch.Slice(length - n, n).CopyTo(chain);
        }

        // The tail: the remaining data bytes plus padding (at most two blocks).
        int tailLength = paddedLength - aligned;
        if (tailLength > 0)
        {
            Span<byte> tail = scratch[..tailLength];
            Padding.Apply(data[aligned..], n, padding, tail);
            cipher.EncryptCbc(chain, tail, tail);
            tail.Slice(tailLength - n, n).CopyTo(chain);
        }

        CryptographicOperations.ZeroMemory(scratch);
    }

    private static void CheckMacLength(Span<byte> mac, int max)
    {
        if (mac.Length < 1 || mac.Length > max)
        {
            throw new ArgumentException($"The MAC destination must be 1 to {max} bytes; got {mac.Length}.", nameof(mac));
        }
    }
}
