using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// The MAC CUP POS terminals put in ISO 8583 field 64 (the "ECB" algorithm of the China UnionPay POS terminal
/// specification): XOR the MAC element block (MTI through field 63) in 8-byte blocks, the last one padded with 00;
/// write the 8-byte result as 16 upper-case hex characters; encrypt the first 8 under the MAK, XOR the result with the
/// last 8, encrypt again; the MAC is the first 8 hex characters of that block, as ASCII.
/// </summary>
/// <remarks>
/// The MAK's own cipher does both encryptions: single DES for an 8-byte MAK (as the published examples use), 3DES for a
/// 16-byte one (choice recorded in docs/spec-choices.md). Checked against two published messages (tests).
/// </remarks>
public static class CupPosMac
{
    /// <summary>Bytes of field 64: 8 ASCII hex characters.</summary>
    public const int Length = 8;

    /// <summary>Writes the MAC of <paramref name="macBlock"/> under <paramref name="mak"/> (an 8-byte-block cipher).</summary>
    /// <exception cref="ArgumentException">The cipher's block is not 8 bytes, or <paramref name="mac"/> is not 8 bytes.</exception>
    public static void Compute(BlockCipher mak, ReadOnlySpan<byte> macBlock, Span<byte> mac)
    {
        ArgumentNullException.ThrowIfNull(mak);
        if (mak.BlockSize != 8)
        {
            throw new ArgumentException($"The CUP POS MAC needs a DES or 3DES key (8-byte blocks); got {mak.Algorithm}.", nameof(mak));
        }

        if (mac.Length != Length)
        {
            throw new ArgumentException($"The MAC is {Length} bytes; the destination has {mac.Length}.", nameof(mac));
        }

        ulong folded = 0;
        int whole = macBlock.Length & ~7;
        for (int i = 0; i < whole; i += 8)
        {
            folded ^= BinaryPrimitives.ReadUInt64BigEndian(macBlock[i..]);
        }

        if (whole < macBlock.Length)
        {
            Span<byte> last = stackalloc byte[8];
            last.Clear();
            macBlock[whole..].CopyTo(last);
            folded ^= BinaryPrimitives.ReadUInt64BigEndian(last);
        }

        Span<byte> hex = stackalloc byte[16];
        WriteHex(folded, hex);
        Span<byte> block = stackalloc byte[8];
        mak.EncryptEcb(hex[..8], block);
        ulong mixed = BinaryPrimitives.ReadUInt64BigEndian(block) ^ BinaryPrimitives.ReadUInt64BigEndian(hex[8..]);
        BinaryPrimitives.WriteUInt64BigEndian(block, mixed);
        mak.EncryptEcb(block, block);
        WriteHex(BinaryPrimitives.ReadUInt64BigEndian(block), hex);
        hex[..Length].CopyTo(mac);
    }

    /// <summary>The MAC under a clear key (8 bytes: DES; 16 or 24: 3DES), as a new array.</summary>
    public static byte[] Compute(ReadOnlySpan<byte> key, ReadOnlySpan<byte> macBlock)
    {
        using var cipher = BlockCipher.Create(key.Length == 8 ? CipherAlgorithm.Des : CipherAlgorithm.TripleDes, key);
        var mac = new byte[Length];
        Compute(cipher, macBlock, mac);
        return mac;
    }

    /// <summary>True when <paramref name="mac"/> is the MAC of <paramref name="macBlock"/> (constant-time comparison).</summary>
    public static bool Verify(BlockCipher mak, ReadOnlySpan<byte> macBlock, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != Length)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[Length];
        Compute(mak, macBlock, expected);
        return CryptographicOperations.FixedTimeEquals(expected, mac);
    }

    private static void WriteHex(ulong value, Span<byte> destination)
    {
        for (int i = 15; i >= 0; i--)
        {
            int nibble = (int)(value & 0xF);
            destination[i] = (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
            value >>= 4;
        }
    }
}
