using System.Buffers.Binary;
using System.Security.Cryptography;
using Jinka.Card;

namespace Jinka.EndToEnd.Tests;

/// <summary>
/// The card's random source made repeatable: SHA-256(seed ‖ counter) blocks. ICC dynamic numbers, GET CHALLENGE and
/// the SCP02 card challenge then repeat from run to run, which golden traces need.
/// </summary>
internal sealed class SeededCardRandom(int seed) : ICardRandom
{
    private readonly byte[] _block = new byte[32];
    private int _used = 32;
    private long _counter;

    public void Fill(Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[12];
        for (int i = 0; i < destination.Length; i++)
        {
            if (_used == _block.Length)
            {
                BinaryPrimitives.WriteInt32BigEndian(input, seed);
                BinaryPrimitives.WriteInt64BigEndian(input[4..], _counter++);
                SHA256.HashData(input, _block);
                _used = 0;
            }

            destination[i] = _block[_used++];
        }
    }
}
