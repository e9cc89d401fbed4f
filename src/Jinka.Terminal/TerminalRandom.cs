using System.Security.Cryptography;

namespace Jinka.Terminal;

/// <summary>
/// The terminal's random source: the unpredictable number 9F37, random transaction selection and the RSA PIN
/// encipherment pad. <see cref="TerminalRandom.Secure"/> in production; <see cref="TerminalRandom.Seeded"/> gives stable golden traces.
/// </summary>
public interface ITerminalRandom
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void NextBytes(Span<byte> destination);

    /// <summary>A number in [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    int Next(int minInclusive, int maxExclusive);
}

/// <summary>The two random sources.</summary>
public static class TerminalRandom
{
    /// <summary>The system CSPRNG.</summary>
    public static ITerminalRandom Secure { get; } = new SecureRandom();

    /// <summary>A deterministic source for tests and golden traces.</summary>
    public static ITerminalRandom Seeded(int seed) => new SeededRandom(seed);

    private sealed class SecureRandom : ITerminalRandom
    {
        public void NextBytes(Span<byte> destination) => RandomNumberGenerator.Fill(destination);

        public int Next(int minInclusive, int maxExclusive) => RandomNumberGenerator.GetInt32(minInclusive, maxExclusive);
    }

#pragma warning disable CA5394 // Deliberately predictable: this source exists for reproducible traces only.
    private sealed class SeededRandom(int seed) : ITerminalRandom
    {
        private readonly Random _random = new(seed);

        public void NextBytes(Span<byte> destination) => _random.NextBytes(destination);

        public int Next(int minInclusive, int maxExclusive) => _random.Next(minInclusive, maxExclusive);
    }
#pragma warning restore CA5394
}
