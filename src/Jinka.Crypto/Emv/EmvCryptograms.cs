using System.Security.Cryptography;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Emv;

/// <summary>
/// The block-size-generic parts of EMV/PBOC cryptogram processing: ARPC method 1, the ARPC method 2 input, and
/// issuer script data encryption. MAC-based values (AC, script MAC, ARPC method 2) go through
/// <c>AlgorithmSuite.Mac</c>.
/// </summary>
public static class EmvCryptograms
{
    /// <summary>Length of an application cryptogram (9F26) and of an ARPC from method 1.</summary>
    public const int CryptogramLength = 8;

    /// <summary>Length of an ARPC from method 2 and of a PBOC issuer script MAC.</summary>
    public const int ShortMacLength = 4;

    /// <summary>
    /// ARPC method 1: ENC_SK((ARQC ⊕ (ARC ‖ 00×6)) ‖ 00…) and keep 8 bytes. For 3DES this is EMV Book 2 §8.2.1 /
    /// NOTES A.5.4; for SM4 the block is padded with 00×8 and the leftmost 8 bytes kept (ADDENDUM 1.4).
    /// </summary>
    public static void Arpc1(BlockCipher sessionKey, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> arc, Span<byte> arpc)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        RequireLength(arqc, CryptogramLength, nameof(arqc), "The ARQC");
        RequireLength(arc, 2, nameof(arc), "The authorisation response code (8A)");
        RequireLength(arpc, CryptogramLength, nameof(arpc), "The ARPC destination");
        Span<byte> block = stackalloc byte[16];
        block = block[..sessionKey.BlockSize];
        block.Clear();
        arqc.CopyTo(block);
        block[0] ^= arc[0];
        block[1] ^= arc[1];
        sessionKey.EncryptEcb(block, block);
        block[..CryptogramLength].CopyTo(arpc);
    }

    /// <summary>
    /// Assembles the ARPC method 2 input ARQC ‖ CSU ‖ proprietary authentication data (EMV Book 2 §8.2.2) into
    /// <paramref name="destination"/>; returns its length (12 to 20 bytes).
    /// </summary>
    public static int Arpc2Input(ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> csu, ReadOnlySpan<byte> proprietaryData, Span<byte> destination)
    {
        RequireLength(arqc, CryptogramLength, nameof(arqc), "The ARQC");
        RequireLength(csu, 4, nameof(csu), "The card status update (CSU)");
        if (proprietaryData.Length > 8)
        {
            throw new ArgumentException($"Proprietary authentication data is 0 to 8 bytes; got {proprietaryData.Length}.", nameof(proprietaryData));
        }

        int length = 12 + proprietaryData.Length;
        RequireAtLeast(destination, length, nameof(destination));
        arqc.CopyTo(destination);
        csu.CopyTo(destination[8..]);
        proprietaryData.CopyTo(destination[12..]);
        return length;
    }

    /// <summary>Ciphertext length of issuer script data: Ld ‖ data ‖ 80 ‖ 00… to a block multiple.</summary>
    public static int ScriptDataCiphertextLength(int plaintextLength, int blockSize)
    {
        if (plaintextLength is < 0 or > 255)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintextLength), plaintextLength, "Script plaintext is 0 to 255 bytes (its length is one byte, Ld).");
        }

        return Padding.PaddedLength(1 + plaintextLength, blockSize, PaddingMethod.Iso9797Method2);
    }

    /// <summary>
    /// Issuer script data encryption (NOTES A.5.6): ECB over Ld ‖ data ‖ 80 ‖ 00… padded to the block size (8 for
    /// 3DES, 16 for SM4). Returns the ciphertext length.
    /// </summary>
    /// <remarks>
    /// The PIN-change special case of NOTES A.5.6 (XOR of PIN-block bytes with the card key) is not applied here:
    /// it is UNCERTAIN and belongs to the caller that builds the PIN block.
    /// </remarks>
    public static int EncryptScriptData(BlockCipher sessionKey, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        int length = ScriptDataCiphertextLength(plaintext.Length, sessionKey.BlockSize);
        RequireAtLeast(ciphertext, length, nameof(ciphertext));
        Span<byte> block = ciphertext[..length];
        block.Clear();
        block[0] = (byte)plaintext.Length;
        plaintext.CopyTo(block[1..]);
        block[1 + plaintext.Length] = 0x80;
        sessionKey.EncryptEcb(block, block);
        return length;
    }

    /// <summary>
    /// Card side of <see cref="EncryptScriptData"/>: decrypts, checks Ld and the 80 00… padding, and writes the data.
    /// Returns false (and writes nothing useful) when the structure is wrong.
    /// </summary>
    public static bool TryDecryptScriptData(BlockCipher sessionKey, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        ArgumentNullException.ThrowIfNull(sessionKey);
        written = 0;
        int n = sessionKey.BlockSize;
        if (ciphertext.Length == 0 || ciphertext.Length % n != 0 || ciphertext.Length > 256 + n)
        {
            return false;
        }

        byte[] buffer = new byte[ciphertext.Length];
        try
        {
            sessionKey.DecryptEcb(ciphertext, buffer);
            int ld = buffer[0];
            if (1 + ld >= buffer.Length || ScriptDataCiphertextLength(ld, n) != buffer.Length || buffer[1 + ld] != 0x80)
            {
                return false;
            }

            for (int i = 2 + ld; i < buffer.Length; i++)
            {
                if (buffer[i] != 0)
                {
                    return false;
                }
            }

            if (plaintext.Length < ld)
            {
                throw new ArgumentException($"Plaintext destination is {plaintext.Length} bytes; {ld} are needed.", nameof(plaintext));
            }

            buffer.AsSpan(1, ld).CopyTo(plaintext);
            written = ld;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> span, int length, string parameterName, string what)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"{what} must be {length} bytes; got {span.Length}.", parameterName);
        }
    }

    private static void RequireAtLeast(Span<byte> span, int length, string parameterName)
    {
        if (span.Length < length)
        {
            throw new ArgumentException($"Destination is {span.Length} bytes; {length} are needed.", parameterName);
        }
    }
}
