namespace Jinka.Crypto.Symmetric;

/// <summary>
/// Key check values: the leftmost bytes of the key's encryption of one all-zero block — E_K(00×8) for DES/3DES,
/// E_K(00×16) for AES and SM4 (NOTES A.6, CP <c>GenSmKcv</c>). Three bytes is the payment-industry default.
/// </summary>
public static class KeyCheckValue
{
    /// <summary>The usual KCV length.</summary>
    public const int DefaultLength = 3;

    /// <summary>Writes the KCV of <paramref name="key"/> into <paramref name="kcv"/> (its length: 1 to one block).</summary>
    public static void Compute(CipherAlgorithm algorithm, ReadOnlySpan<byte> key, Span<byte> kcv)
    {
        using var cipher = BlockCipher.Create(algorithm, key);
        Compute(cipher, kcv);
    }

    /// <summary>The KCV under an already keyed cipher.</summary>
    public static void Compute(BlockCipher cipher, Span<byte> kcv)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        if (kcv.Length < 1 || kcv.Length > cipher.BlockSize)
        {
            throw new ArgumentException($"A {cipher.Algorithm} KCV is 1 to {cipher.BlockSize} bytes; got {kcv.Length}.", nameof(kcv));
        }

        Span<byte> block = stackalloc byte[16];
        block = block[..cipher.BlockSize];
        block.Clear();
        cipher.EncryptEcb(block, block);
        block[..kcv.Length].CopyTo(kcv);
    }

    /// <summary>The KCV as a new array.</summary>
    public static byte[] Compute(CipherAlgorithm algorithm, ReadOnlySpan<byte> key, int length = DefaultLength)
    {
        var kcv = new byte[length];
        Compute(algorithm, key, kcv);
        return kcv;
    }
}
