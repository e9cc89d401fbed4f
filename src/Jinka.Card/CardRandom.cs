using System.Security.Cryptography;

namespace Jinka.Card;

/// <summary>The card's random number generator (challenges, unpredictable numbers); tests plug in a fixed one.</summary>
public interface ICardRandom
{
    void Fill(Span<byte> destination);
}

/// <summary>The platform CSPRNG.</summary>
public sealed class SystemCardRandom : ICardRandom
{
    public static SystemCardRandom Instance { get; } = new();

    public void Fill(Span<byte> destination) => RandomNumberGenerator.Fill(destination);
}
