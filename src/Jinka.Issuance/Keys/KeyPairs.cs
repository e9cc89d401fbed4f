using Jinka.Crypto.Asymmetric;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Keys;

/// <summary>An issuer or ICC key pair of either suite; disposing zeroes the private part.</summary>
public sealed class CardKeyPair : IDisposable
{
    private CardKeyPair(EmvRsaPrivateKey? rsa, Sm2PrivateKey? sm2)
    {
        Rsa = rsa;
        Sm2 = sm2;
    }

    public EmvRsaPrivateKey? Rsa { get; }

    public Sm2PrivateKey? Sm2 { get; }

    /// <summary>
    /// A new key pair for <paramref name="profile"/>: from <paramref name="seeded"/> when given (reproducible, D18),
    /// otherwise from the platform generators.
    /// </summary>
    public static CardKeyPair Create(KeyProfile profile, IRandomSource? seeded)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.IsRsa)
        {
            return new CardKeyPair(
                seeded is null ? EmvRsaPrivateKey.Generate(profile.Bits, profile.Exponent) : RsaKeyGenerator.Generate(profile.Bits, profile.Exponent, seeded),
                null);
        }

        return new CardKeyPair(null, seeded is null ? Sm2PrivateKey.Generate() : SeededSm2(seeded));
    }

    public void Dispose()
    {
        Rsa?.Dispose();
        Sm2?.Dispose();
    }

    private static Sm2PrivateKey SeededSm2(IRandomSource random)
    {
        var d = new byte[Sm2PrivateKey.Length];
        try
        {
            while (true)
            {
                random.Fill(d);
                try
                {
                    return new Sm2PrivateKey(d);
                }
                catch (ArgumentException)
                {
                    // d = 0 or d ≥ n − 1: draw again (probability about 2^-32).
                }
            }
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(d);
        }
    }
}
