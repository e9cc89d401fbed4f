using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;

namespace Jinka.Crypto.Hashing;

/// <summary>
/// SM3 (GM/T 0004-2012, GB/T 32905-2016) as a value-type state machine: eight chaining words, a partial block
/// and the byte count. Written from the standard's text; checked against its examples and BouncyCastle's SM3Digest.
/// </summary>
internal struct Sm3State
{
    internal const int BlockSize = 64;
    internal const int DigestSize = 32;

    // GM/T 0004 §4.1: IV.
    private const uint Iv0 = 0x7380166F, Iv1 = 0x4914B2B9, Iv2 = 0x172442D7, Iv3 = 0xDA8A0600;
    private const uint Iv4 = 0xA96F30BC, Iv5 = 0x163138AA, Iv6 = 0xE38DEE4D, Iv7 = 0xB0FB0E4E;

    // GM/T 0004 §4.2: T_j = 79CC4519 (j < 16), 7A879D8A (j ≥ 16), used as T_j <<< (j mod 32).
    private static readonly uint[] _rotatedT = BuildRotatedT();

    private Words _v;
    private Block _buffer;
    private int _buffered;
    private ulong _length;

    public static Sm3State Create()
    {
        var s = default(Sm3State);
        s.Reset();
        return s;
    }

    public void Reset()
    {
        _v[0] = Iv0; _v[1] = Iv1; _v[2] = Iv2; _v[3] = Iv3;
        _v[4] = Iv4; _v[5] = Iv5; _v[6] = Iv6; _v[7] = Iv7;
        _buffered = 0;
        _length = 0;
    }

    public void Append(ReadOnlySpan<byte> data)
    {
        _length += (ulong)data.Length;
        Span<byte> buffer = _buffer;
        if (_buffered > 0)
        {
            int take = Math.Min(BlockSize - _buffered, data.Length);
            data[..take].CopyTo(buffer[_buffered..]);
            _buffered += take;
            data = data[take..];
            if (_buffered < BlockSize)
            {
                return;
            }

            Compress(_v, buffer);
            _buffered = 0;
        }

        int whole = data.Length & ~(BlockSize - 1);
        if (whole > 0)
        {
            Compress(_v, data[..whole]);
            data = data[whole..];
        }

        data.CopyTo(buffer);
        _buffered = data.Length;
    }

    /// <summary>Pads (GM/T 0004 §5.2), writes the 32-byte digest and resets to the IV.</summary>
    public void Finish(Span<byte> destination)
    {
        ulong bitLength = _length * 8;
        Span<byte> buffer = _buffer;
        buffer[_buffered++] = 0x80;
        if (_buffered > BlockSize - 8)
        {
            buffer[_buffered..].Clear();
            Compress(_v, buffer);
            _buffered = 0;
        }

        buffer[_buffered..(BlockSize - 8)].Clear();
        BinaryPrimitives.WriteUInt64BigEndian(buffer[(BlockSize - 8)..], bitLength);
        Compress(_v, buffer);
        for (int i = 0; i < 8; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 * i)..], _v[i]);
        }

        CryptographicOperations.ZeroMemory(buffer);
        Reset();
    }

    /// <summary>Wipes the chaining value and the buffered input.</summary>
    public void Clear()
    {
        ((Span<uint>)_v).Clear();
        ((Span<byte>)_buffer).Clear();
        _buffered = 0;
        _length = 0;
    }

    private static uint P0(uint x) => x ^ BitOperations.RotateLeft(x, 9) ^ BitOperations.RotateLeft(x, 17);

    private static uint P1(uint x) => x ^ BitOperations.RotateLeft(x, 15) ^ BitOperations.RotateLeft(x, 23);

    /// <summary>GM/T 0004 §5.3: message expansion and the compression function CF over whole blocks.</summary>
    private static void Compress(Span<uint> v, ReadOnlySpan<byte> blocks)
    {
        Span<uint> w = stackalloc uint[68];
        var t = _rotatedT;
        uint v0 = v[0], v1 = v[1], v2 = v[2], v3 = v[3], v4 = v[4], v5 = v[5], v6 = v[6], v7 = v[7];
        while (!blocks.IsEmpty)
        {
            for (int j = 0; j < 16; j++)
            {
                w[j] = BinaryPrimitives.ReadUInt32BigEndian(blocks[(4 * j)..]);
            }

            for (int j = 16; j < 68; j++)
            {
                w[j] = P1(w[j - 16] ^ w[j - 9] ^ BitOperations.RotateLeft(w[j - 3], 15))
                    ^ BitOperations.RotateLeft(w[j - 13], 7) ^ w[j - 6];
            }

            uint a = v0, b = v1, c = v2, d = v3, e = v4, f = v5, g = v6, h = v7;
            for (int j = 0; j < 16; j++)
            {
                uint a12 = BitOperations.RotateLeft(a, 12);
                uint ss1 = BitOperations.RotateLeft(a12 + e + t[j], 7);
                uint ss2 = ss1 ^ a12;
                uint tt1 = (a ^ b ^ c) + d + ss2 + (w[j] ^ w[j + 4]);
                uint tt2 = (e ^ f ^ g) + h + ss1 + w[j];
                d = c;
                c = BitOperations.RotateLeft(b, 9);
                b = a;
                a = tt1;
                h = g;
                g = BitOperations.RotateLeft(f, 19);
                f = e;
                e = P0(tt2);
            }

            for (int j = 16; j < 64; j++)
            {
                uint a12 = BitOperations.RotateLeft(a, 12);
                uint ss1 = BitOperations.RotateLeft(a12 + e + t[j], 7);
                uint ss2 = ss1 ^ a12;
                uint tt1 = ((a & b) | (a & c) | (b & c)) + d + ss2 + (w[j] ^ w[j + 4]);
                uint tt2 = ((e & f) | (~e & g)) + h + ss1 + w[j];
                d = c;
                c = BitOperations.RotateLeft(b, 9);
                b = a;
                a = tt1;
                h = g;
                g = BitOperations.RotateLeft(f, 19);
                f = e;
                e = P0(tt2);
            }

            v0 ^= a; v1 ^= b; v2 ^= c; v3 ^= d; v4 ^= e; v5 ^= f; v6 ^= g; v7 ^= h;
            blocks = blocks[BlockSize..];
        }

        v[0] = v0; v[1] = v1; v[2] = v2; v[3] = v3; v[4] = v4; v[5] = v5; v[6] = v6; v[7] = v7;
        w.Clear();
    }

    private static uint[] BuildRotatedT()
    {
        var t = new uint[64];
        for (int j = 0; j < 64; j++)
        {
            t[j] = BitOperations.RotateLeft(j < 16 ? 0x79CC4519u : 0x7A879D8Au, j % 32);
        }

        return t;
    }

    [InlineArray(8)]
    private struct Words
    {
        private uint _element;
    }

    [InlineArray(BlockSize)]
    private struct Block
    {
        private byte _element;
    }
}
