using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Jinka.Issuance.Keys;

/// <summary>Where data preparation draws its randoms (key pairs, certificate serial numbers, host challenges).</summary>
public interface IRandomSource
{
    void Fill(Span<byte> destination);
}

/// <summary>The system CSPRNG: every issuance differs.</summary>
public sealed class SystemRandomSource : IRandomSource
{
    public static SystemRandomSource Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}

/// <summary>
/// A reproducible stream for tests and golden files: block i of purpose P is HMAC-SHA256(seed, P ‖ i), so the same
/// seed gives the same issuer key, ICC key and serial numbers on every machine (D18). Not for real cards.
/// </summary>
public sealed class DeterministicRandom : IRandomSource
{
    private readonly byte[] _seed;
    private readonly byte[] _purpose;
    private readonly byte[] _block = new byte[32];
    private uint _counter;
    private int _available;

    public DeterministicRandom(ReadOnlySpan<byte> seed, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        if (seed.IsEmpty)
        {
            throw new ArgumentException("the seed is empty", nameof(seed));
        }

        _seed = seed.ToArray();
        _purpose = Encoding.UTF8.GetBytes(purpose);
    }

    /// <summary>A stream for another purpose from the same seed.</summary>
    public DeterministicRandom For(string purpose) => new(_seed, purpose);

    public void Fill(Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            if (_available == 0)
            {
                var input = new byte[_purpose.Length + 4];
                _purpose.CopyTo(input, 0);
                BinaryPrimitives.WriteUInt32BigEndian(input.AsSpan(_purpose.Length), _counter++);
                HMACSHA256.HashData(_seed, input, _block);
                _available = _block.Length;
            }

            int take = Math.Min(_available, destination.Length);
            _block.AsSpan(_block.Length - _available, take).CopyTo(destination);
            _available -= take;
            destination = destination[take..];
        }
    }
}
