using System.Numerics;
using System.Security.Cryptography;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Issuance.Keys;

/// <summary>
/// RSA key pairs drawn from an <see cref="IRandomSource"/>, so a seeded source gives the same key every time (golden
/// files, D18). Primes: a random odd start with its top two bits set (so p·q has exactly the requested length),
/// searched upwards past small-prime divisors, then Miller–Rabin with random bases; p − 1 and q − 1 must be prime
/// to the exponent. With the system source this is an ordinary key generator, but random keys use
/// <see cref="EmvRsaPrivateKey.Generate"/> (the platform's) instead.
/// </summary>
public static class RsaKeyGenerator
{
    /// <summary>Rounds with random bases for random candidates of 512 bits or more: error below 2^-100 (FIPS 186-4 C.3, table C.2 asks 7).</summary>
    private const int MillerRabinRounds = 8;
    private static readonly int[] s_smallPrimes = SmallPrimes(2000);

    /// <summary>A key of exactly <paramref name="modulusBits"/> bits (1024–1984, a multiple of 8) with exponent 3 or 65537.</summary>
    public static EmvRsaPrivateKey Generate(int modulusBits, int exponent, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (modulusBits is < EmvRsaPrivateKey.MinGeneratedBits or > EmvRsaPrivateKey.MaxGeneratedBits || modulusBits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), modulusBits, "expected 1024–1984 bits, a multiple of 8");
        }

        if (exponent is not (3 or 65537))
        {
            throw new ArgumentOutOfRangeException(nameof(exponent), exponent, "EMV public exponents are 3 or 65537");
        }

        var e = new BigInteger(exponent);
        int half = modulusBits / 2;
        BigInteger p, q;
        do
        {
            p = Prime(half, e, random);
            q = Prime(half, e, random);
        }
        while (p == q);

        if (p < q)
        {
            (p, q) = (q, p);
        }

        var n = p * q;
        var lambda = (p - 1) * (q - 1) / BigInteger.GreatestCommonDivisor(p - 1, q - 1);
        var d = ModInverse(e, lambda);
        int partLength = (modulusBits / 8 + 1) / 2;
        var parameters = new RSAParameters
        {
            Modulus = Bytes(n, modulusBits / 8),
            Exponent = Bytes(e, exponent == 3 ? 1 : 3),
            D = Bytes(d, modulusBits / 8),
            P = Bytes(p, partLength),
            Q = Bytes(q, partLength),
            DP = Bytes(d % (p - 1), partLength),
            DQ = Bytes(d % (q - 1), partLength),
            InverseQ = Bytes(ModInverse(q, p), partLength),
        };
        try
        {
            return new EmvRsaPrivateKey(parameters);
        }
        finally
        {
            EmvRsaPrivateKey.Wipe(parameters);
        }
    }

    /// <summary>Big-endian unsigned, left-padded with zeros to <paramref name="length"/> bytes.</summary>
    internal static byte[] Bytes(BigInteger value, int length)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (raw.Length > length)
        {
            throw new InvalidOperationException($"a {raw.Length}-byte value does not fit {length} bytes");
        }

        var padded = new byte[length];
        raw.CopyTo(padded, length - raw.Length);
        return padded;
    }

    private static BigInteger Prime(int bits, BigInteger e, IRandomSource random)
    {
        var bytes = new byte[(bits + 7) / 8];
        while (true)
        {
            random.Fill(bytes);
            int excess = bytes.Length * 8 - bits;
            bytes[0] &= (byte)(0xFF >> excess);
            bytes[0] |= (byte)(0xC0 >> excess);
            bytes[^1] |= 0x01;
            var candidate = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            var limit = BigInteger.One << bits;
            for (; candidate < limit; candidate += 2)
            {
                if (HasSmallFactor(candidate) || ((candidate - 1) % e).IsZero)
                {
                    continue;
                }

                if (IsProbablePrime(candidate, bits, random))
                {
                    return candidate;
                }
            }
        }
    }

    private static bool HasSmallFactor(BigInteger candidate)
    {
        foreach (int prime in s_smallPrimes)
        {
            if ((candidate % prime).IsZero)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProbablePrime(BigInteger n, int bits, IRandomSource random)
    {
        var nMinusOne = n - 1;
        var d = nMinusOne;
        int s = 0;
        while (d.IsEven)
        {
            d >>= 1;
            s++;
        }

        var baseBytes = new byte[(bits + 7) / 8];
        for (int round = 0; round < MillerRabinRounds; round++)
        {
            random.Fill(baseBytes);
            var a = (new BigInteger(baseBytes, isUnsigned: true, isBigEndian: true) % (n - 3)) + 2;
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == nMinusOne)
            {
                continue;
            }

            bool witness = true;
            for (int r = 1; r < s && witness; r++)
            {
                x = BigInteger.ModPow(x, 2, n);
                witness = x != nMinusOne;
            }

            if (witness)
            {
                return false;
            }
        }

        return true;
    }

    private static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        BigInteger oldR = value % modulus, r = modulus, oldS = 1, s = 0;
        while (!r.IsZero)
        {
            var quotient = oldR / r;
            (oldR, r) = (r, oldR - (quotient * r));
            (oldS, s) = (s, oldS - (quotient * s));
        }

        if (!oldR.IsOne)
        {
            throw new ArithmeticException("no modular inverse");
        }

        return ((oldS % modulus) + modulus) % modulus;
    }

    private static int[] SmallPrimes(int limit)
    {
        var composite = new bool[limit + 1];
        var primes = new List<int>();
        for (int i = 2; i <= limit; i++)
        {
            if (composite[i])
            {
                continue;
            }

            primes.Add(i);
            for (int j = i * i; j <= limit; j += i)
            {
                composite[j] = true;
            }
        }

        return [.. primes];
    }
}
