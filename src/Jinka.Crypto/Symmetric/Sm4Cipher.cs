using System.Buffers.Binary;
using System.Numerics;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// Our own table-driven SM4 (GM/T 0002-2012 / GB/T 32907-2016): each round's τ and L are folded into four
/// 256-entry lookup tables. Checked against the standard's examples and against BouncyCastle on random data.
/// </summary>
internal sealed class Sm4Cipher : BlockCipher
{
    private const int Rounds = 32;

    // GM/T 0002-2012 §6.2 S-box.
    private static ReadOnlySpan<byte> SBox =>
    [
        0xD6, 0x90, 0xE9, 0xFE, 0xCC, 0xE1, 0x3D, 0xB7, 0x16, 0xB6, 0x14, 0xC2, 0x28, 0xFB, 0x2C, 0x05,
        0x2B, 0x67, 0x9A, 0x76, 0x2A, 0xBE, 0x04, 0xC3, 0xAA, 0x44, 0x13, 0x26, 0x49, 0x86, 0x06, 0x99,
        0x9C, 0x42, 0x50, 0xF4, 0x91, 0xEF, 0x98, 0x7A, 0x33, 0x54, 0x0B, 0x43, 0xED, 0xCF, 0xAC, 0x62,
        0xE4, 0xB3, 0x1C, 0xA9, 0xC9, 0x08, 0xE8, 0x95, 0x80, 0xDF, 0x94, 0xFA, 0x75, 0x8F, 0x3F, 0xA6,
        0x47, 0x07, 0xA7, 0xFC, 0xF3, 0x73, 0x17, 0xBA, 0x83, 0x59, 0x3C, 0x19, 0xE6, 0x85, 0x4F, 0xA8,
        0x68, 0x6B, 0x81, 0xB2, 0x71, 0x64, 0xDA, 0x8B, 0xF8, 0xEB, 0x0F, 0x4B, 0x70, 0x56, 0x9D, 0x35,
        0x1E, 0x24, 0x0E, 0x5E, 0x63, 0x58, 0xD1, 0xA2, 0x25, 0x22, 0x7C, 0x3B, 0x01, 0x21, 0x78, 0x87,
        0xD4, 0x00, 0x46, 0x57, 0x9F, 0xD3, 0x27, 0x52, 0x4C, 0x36, 0x02, 0xE7, 0xA0, 0xC4, 0xC8, 0x9E,
        0xEA, 0xBF, 0x8A, 0xD2, 0x40, 0xC7, 0x38, 0xB5, 0xA3, 0xF7, 0xF2, 0xCE, 0xF9, 0x61, 0x15, 0xA1,
        0xE0, 0xAE, 0x5D, 0xA4, 0x9B, 0x34, 0x1A, 0x55, 0xAD, 0x93, 0x32, 0x30, 0xF5, 0x8C, 0xB1, 0xE3,
        0x1D, 0xF6, 0xE2, 0x2E, 0x82, 0x66, 0xCA, 0x60, 0xC0, 0x29, 0x23, 0xAB, 0x0D, 0x53, 0x4E, 0x6F,
        0xD5, 0xDB, 0x37, 0x45, 0xDE, 0xFD, 0x8E, 0x2F, 0x03, 0xFF, 0x6A, 0x72, 0x6D, 0x6C, 0x5B, 0x51,
        0x8D, 0x1B, 0xAF, 0x92, 0xBB, 0xDD, 0xBC, 0x7F, 0x11, 0xD9, 0x5C, 0x41, 0x1F, 0x10, 0x5A, 0xD8,
        0x0A, 0xC1, 0x31, 0x88, 0xA5, 0xCD, 0x7B, 0xBD, 0x2D, 0x74, 0xD0, 0x12, 0xB8, 0xE5, 0xB4, 0xB0,
        0x89, 0x69, 0x97, 0x4A, 0x0C, 0x96, 0x77, 0x7E, 0x65, 0xB9, 0xF1, 0x09, 0xC5, 0x6E, 0xC6, 0x84,
        0x18, 0xF0, 0x7D, 0xEC, 0x3A, 0xDC, 0x4D, 0x20, 0x79, 0xEE, 0x5F, 0x3E, 0xD7, 0xCB, 0x39, 0x48,
    ];

    // GM/T 0002-2012 §7.3: system parameter FK.
    private static ReadOnlySpan<uint> Fk => [0xA3B1BAC6, 0x56AA3350, 0x677D9197, 0xB27022DC];

    // Round table: T0[x] = L(S(x) << 24); the other three byte positions are rotations of it.
    private static readonly uint[] s_t0 = BuildRoundTable();

    private readonly uint[] _encryptKeys = PinnedKeyPool.RentScheduleBuffer();
    private readonly uint[] _decryptKeys = PinnedKeyPool.RentScheduleBuffer();
    private bool _released;

    public Sm4Cipher(ReadOnlySpan<byte> key)
        : base(CipherAlgorithm.Sm4, key)
    {
        ExpandKey(key, _encryptKeys);
        for (int i = 0; i < Rounds; i++)
        {
            _decryptKeys[i] = _encryptKeys[Rounds - 1 - i];
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (!_released)
        {
            _released = true;
            PinnedKeyPool.Return(_encryptKeys);
            PinnedKeyPool.Return(_decryptKeys);
        }

        base.Dispose(disposing);
    }

    private protected override void EncryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output)
    {
        for (int offset = 0; offset < input.Length; offset += 16)
        {
            Crypt(_encryptKeys, input.Slice(offset, 16), output.Slice(offset, 16));
        }
    }

    private protected override void DecryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output)
    {
        for (int offset = 0; offset < input.Length; offset += 16)
        {
            Crypt(_decryptKeys, input.Slice(offset, 16), output.Slice(offset, 16));
        }
    }

    private static uint[] BuildRoundTable()
    {
        var table = new uint[256];
        for (int x = 0; x < 256; x++)
        {
            uint b = (uint)SBox[x] << 24;
            table[x] = b ^ BitOperations.RotateLeft(b, 2) ^ BitOperations.RotateLeft(b, 10)
                ^ BitOperations.RotateLeft(b, 18) ^ BitOperations.RotateLeft(b, 24);
        }

        return table;
    }

    /// <summary>T(A) = L(τ(A)) through the tables (GM/T 0002-2012 §6.2).</summary>
    private static uint T(uint a)
    {
        uint[] t0 = s_t0;
        return t0[a >> 24]
            ^ BitOperations.RotateRight(t0[(a >> 16) & 0xFF], 8)
            ^ BitOperations.RotateRight(t0[(a >> 8) & 0xFF], 16)
            ^ BitOperations.RotateRight(t0[a & 0xFF], 24);
    }

    /// <summary>T'(A) = L'(τ(A)) for the key schedule (GM/T 0002-2012 §7.3).</summary>
    private static uint KeyT(uint a)
    {
        uint b = ((uint)SBox[(int)(a >> 24)] << 24) | ((uint)SBox[(int)((a >> 16) & 0xFF)] << 16)
            | ((uint)SBox[(int)((a >> 8) & 0xFF)] << 8) | SBox[(int)(a & 0xFF)];
        return b ^ BitOperations.RotateLeft(b, 13) ^ BitOperations.RotateLeft(b, 23);
    }

    private static void ExpandKey(ReadOnlySpan<byte> key, Span<uint> roundKeys)
    {
        uint k0 = BinaryPrimitives.ReadUInt32BigEndian(key) ^ Fk[0];
        uint k1 = BinaryPrimitives.ReadUInt32BigEndian(key[4..]) ^ Fk[1];
        uint k2 = BinaryPrimitives.ReadUInt32BigEndian(key[8..]) ^ Fk[2];
        uint k3 = BinaryPrimitives.ReadUInt32BigEndian(key[12..]) ^ Fk[3];
        for (int i = 0; i < Rounds; i++)
        {
            // CK_i: byte j is (4i + j) × 7 mod 256.
            uint ck = 0;
            for (int j = 0; j < 4; j++)
            {
                ck = (ck << 8) | (uint)(((4 * i) + j) * 7 & 0xFF);
            }

            uint next = k0 ^ KeyT(k1 ^ k2 ^ k3 ^ ck);
            roundKeys[i] = next;
            (k0, k1, k2, k3) = (k1, k2, k3, next);
        }
    }

    private static void Crypt(uint[] roundKeys, ReadOnlySpan<byte> input, Span<byte> output)
    {
        uint x0 = BinaryPrimitives.ReadUInt32BigEndian(input);
        uint x1 = BinaryPrimitives.ReadUInt32BigEndian(input[4..]);
        uint x2 = BinaryPrimitives.ReadUInt32BigEndian(input[8..]);
        uint x3 = BinaryPrimitives.ReadUInt32BigEndian(input[12..]);
        for (int i = 0; i < Rounds; i += 4)
        {
            x0 ^= T(x1 ^ x2 ^ x3 ^ roundKeys[i]);
            x1 ^= T(x2 ^ x3 ^ x0 ^ roundKeys[i + 1]);
            x2 ^= T(x3 ^ x0 ^ x1 ^ roundKeys[i + 2]);
            x3 ^= T(x0 ^ x1 ^ x2 ^ roundKeys[i + 3]);
        }

        // Reverse transformation R (§7.1): output X35, X34, X33, X32.
        BinaryPrimitives.WriteUInt32BigEndian(output, x3);
        BinaryPrimitives.WriteUInt32BigEndian(output[4..], x2);
        BinaryPrimitives.WriteUInt32BigEndian(output[8..], x1);
        BinaryPrimitives.WriteUInt32BigEndian(output[12..], x0);
    }
}
