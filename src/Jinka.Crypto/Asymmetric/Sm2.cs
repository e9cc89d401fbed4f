using System.Buffers.Binary;
using System.Security.Cryptography;
using Jinka.Crypto.Hashing;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// SM2 digital signature (GM/T 0003.2-2012 / GB/T 32918.2) on the recommended curve, with SM3 as the hash.
/// Signatures are 64 bytes r ‖ s (see <see cref="Sm2Signature"/> for DER). Encryption is in <see cref="Sm2.Encrypt(Sm2PublicKey, ReadOnlySpan{byte}, Sm2CiphertextFormat)"/>.
/// </summary>
public static partial class Sm2
{
    /// <summary>Length of a raw signature r ‖ s.</summary>
    public const int SignatureLength = 2 * Sm2Domain.ElementLength;

    /// <summary>Length of ZA and of the message digest e.</summary>
    public const int DigestLength = Sm3.HashSizeInBytes;

    /// <summary>Longest user ID: ENTL is a 16-bit count of bits (GM/T 0003.2 §5.5).</summary>
    public const int MaxUserIdLength = ushort.MaxValue / 8;

    /// <summary>
    /// GM/T 0009's default user ID, ASCII "1234567812345678" (ENTL 0080); PBOC ODA uses it (ADDENDUM 1.1).
    /// OpenSSL's default is the empty ID, so pass distid:1234567812345678 to it.
    /// </summary>
    public static ReadOnlySpan<byte> DefaultUserId => "1234567812345678"u8;

    /// <summary>A new random key pair; the private key carries its <see cref="Sm2PrivateKey.PublicKey"/>.</summary>
    public static Sm2PrivateKey GenerateKeyPair() => Sm2PrivateKey.Generate();

    /// <summary>ZA = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA) (GM/T 0003.2 §5.5) for the signer's public key.</summary>
    /// <exception cref="ArgumentException">The user ID is longer than <see cref="MaxUserIdLength"/> bytes, or the destination is short.</exception>
    public static int ComputeZ(Sm2PublicKey publicKey, ReadOnlySpan<byte> userId, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (userId.Length > MaxUserIdLength)
        {
            throw new ArgumentException($"SM2 user ID is {userId.Length} bytes; at most {MaxUserIdLength} fit ENTL", nameof(userId));
        }

        using var sm3 = new Sm3();
        Span<byte> entl = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(entl, (ushort)(userId.Length * 8));
        sm3.Append(entl);
        sm3.Append(userId);
        sm3.Append(publicKey.Domain.CurveAndGenerator);
        sm3.Append(publicKey.Xy);
        return sm3.GetHashAndReset(destination);
    }

    /// <summary>ZA for <paramref name="userId"/> as a new 32-byte array.</summary>
    public static byte[] ComputeZ(Sm2PublicKey publicKey, ReadOnlySpan<byte> userId)
    {
        var z = new byte[DigestLength];
        ComputeZ(publicKey, userId, z);
        return z;
    }

    /// <summary>ZA for <see cref="DefaultUserId"/>.</summary>
    public static byte[] ComputeZ(Sm2PublicKey publicKey) => ComputeZ(publicKey, DefaultUserId);

    /// <summary>The value signed, e = SM3(ZA ‖ M) (GM/T 0003.2 §6.1 A1–A2), written to <paramref name="destination"/>.</summary>
    public static int ComputeDigest(Sm2PublicKey publicKey, ReadOnlySpan<byte> userId, ReadOnlySpan<byte> message, Span<byte> destination) =>
        ComputeDigest(publicKey, userId, message, default, destination);

    /// <summary>e = SM3(ZA ‖ M) for <see cref="DefaultUserId"/>, as a new array.</summary>
    public static byte[] ComputeDigest(Sm2PublicKey publicKey, ReadOnlySpan<byte> message)
    {
        var e = new byte[DigestLength];
        ComputeDigest(publicKey, DefaultUserId, message, e);
        return e;
    }

    /// <summary>Signs <paramref name="message"/> with <see cref="DefaultUserId"/>; returns r ‖ s.</summary>
    public static byte[] Sign(Sm2PrivateKey privateKey, ReadOnlySpan<byte> message) => Sign(privateKey, message, DefaultUserId);

    /// <summary>Signs <paramref name="message"/> for <paramref name="userId"/>; returns r ‖ s.</summary>
    public static byte[] Sign(Sm2PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> userId)
    {
        var signature = new byte[SignatureLength];
        Sign(privateKey, message, userId, signature);
        return signature;
    }

    /// <summary>Signs <paramref name="message"/> for <paramref name="userId"/> into <paramref name="destination"/> (64 bytes); returns 64.</summary>
    public static int Sign(Sm2PrivateKey privateKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> userId, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        Span<byte> e = stackalloc byte[DigestLength];
        ComputeDigest(privateKey.PublicKey, userId, message, e);
        return SignDigest(privateKey, e, destination);
    }

    /// <summary>Signs a precomputed e = SM3(ZA ‖ M) (GM/T 0003.2 §6.1 A3–A7); returns r ‖ s.</summary>
    public static byte[] SignDigest(Sm2PrivateKey privateKey, ReadOnlySpan<byte> digest)
    {
        var signature = new byte[SignatureLength];
        SignDigest(privateKey, digest, signature);
        return signature;
    }

    /// <summary>Signs a precomputed e into <paramref name="destination"/>; returns 64.</summary>
    public static int SignDigest(Sm2PrivateKey privateKey, ReadOnlySpan<byte> digest, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        CheckDigest(digest);
        CheckSignatureDestination(destination);
        var domain = privateKey.Domain;
        var e = Sm2Numbers.FromUnsigned(digest);
        var d = privateKey.D;
        Span<byte> kBytes = stackalloc byte[Sm2Domain.ElementLength];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(kBytes);
                var k = Sm2Numbers.FromUnsigned(kBytes);
                if (k.SignValue == 0 || k.CompareTo(domain.N) >= 0)
                {
                    continue;
                }

                if (TrySign(domain, d, e, k, destination))
                {
                    return SignatureLength;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kBytes);
        }
    }

    /// <summary>Test-only: signs e with a given k, so published examples (GM/T 0003.5 Annex A) can be replayed.</summary>
    internal static byte[] SignDigestWithK(Sm2PrivateKey privateKey, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> k)
    {
        CheckDigest(digest);
        var kValue = Sm2Numbers.FromUnsigned(k);
        var signature = new byte[SignatureLength];
        if (kValue.SignValue == 0 || kValue.CompareTo(privateKey.Domain.N) >= 0
            || !TrySign(privateKey.Domain, privateKey.D, Sm2Numbers.FromUnsigned(digest), kValue, signature))
        {
            throw new ArgumentException("this k gives r = 0, r + k = n or s = 0; choose another", nameof(k));
        }

        return signature;
    }

    /// <summary>Verifies r ‖ s over <paramref name="message"/> with <see cref="DefaultUserId"/>.</summary>
    public static bool Verify(Sm2PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature) =>
        Verify(publicKey, message, signature, DefaultUserId);

    /// <summary>
    /// Verifies r ‖ s over <paramref name="message"/> for <paramref name="userId"/>. A signature of the wrong length or
    /// with r or s outside [1, n − 1] gives false, not an exception. Use <see cref="Sm2Signature.TryParse"/> for DER.
    /// </summary>
    public static bool Verify(Sm2PublicKey publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> userId)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        Span<byte> e = stackalloc byte[DigestLength];
        ComputeDigest(publicKey, userId, message, e);
        return VerifyDigest(publicKey, e, signature);
    }

    /// <summary>Verifies r ‖ s over a precomputed e = SM3(ZA ‖ M) (GM/T 0003.2 §7.1 B1–B7).</summary>
    public static bool VerifyDigest(Sm2PublicKey publicKey, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        CheckDigest(digest);
        if (signature.Length != SignatureLength)
        {
            return false;
        }

        var domain = publicKey.Domain;
        var r = Sm2Numbers.FromUnsigned(signature[..Sm2Domain.ElementLength]);
        var s = Sm2Numbers.FromUnsigned(signature[Sm2Domain.ElementLength..]);
        if (!InSignatureRange(domain, r) || !InSignatureRange(domain, s))
        {
            return false;
        }

        var t = r.Add(s).Mod(domain.N);
        if (t.SignValue == 0)
        {
            return false;
        }

        var point = ECAlgorithms.SumOfTwoMultiplies(domain.G, s, publicKey.Point, t).Normalize();
        if (point.IsInfinity)
        {
            return false;
        }

        var expected = Sm2Numbers.FromUnsigned(digest).Add(point.AffineXCoord.ToBigInteger()).Mod(domain.N);
        return expected.Equals(r);
    }

    /// <summary>SM3(ZA ‖ parts…) without concatenating: certificates sign body ‖ static data ‖ AIP.</summary>
    internal static int ComputeDigest(Sm2PublicKey publicKey, ReadOnlySpan<byte> userId, ReadOnlySpan<byte> part1, ReadOnlySpan<byte> part2, Span<byte> destination)
    {
        Span<byte> z = stackalloc byte[DigestLength];
        ComputeZ(publicKey, userId, z);
        using var sm3 = new Sm3();
        sm3.Append(z);
        sm3.Append(part1);
        sm3.Append(part2);
        return sm3.GetHashAndReset(destination);
    }

    private static bool TrySign(Sm2Domain domain, BigInteger d, BigInteger e, BigInteger k, Span<byte> destination)
    {
        var n = domain.N;
        var x1 = domain.MultiplyBase(k).AffineXCoord.ToBigInteger();
        var r = e.Add(x1).Mod(n);
        if (r.SignValue == 0 || r.Add(k).Equals(n))
        {
            return false;
        }

        // s = (1 + d)^-1 · (k − r·d) mod n
        var s = d.Add(BigInteger.One).ModInverse(n).Multiply(k.Subtract(r.Multiply(d))).Mod(n);
        if (s.SignValue == 0)
        {
            return false;
        }

        Sm2Numbers.WriteFixed(r, destination[..Sm2Domain.ElementLength]);
        Sm2Numbers.WriteFixed(s, destination[Sm2Domain.ElementLength..SignatureLength]);
        return true;
    }

    private static bool InSignatureRange(Sm2Domain domain, BigInteger value) =>
        value.SignValue > 0 && value.CompareTo(domain.N) < 0;

    private static void CheckDigest(ReadOnlySpan<byte> digest)
    {
        if (digest.Length != DigestLength)
        {
            throw new ArgumentException($"SM2 digest e is {digest.Length} bytes; expected {DigestLength} (SM3)", nameof(digest));
        }
    }

    private static void CheckSignatureDestination(Span<byte> destination)
    {
        if (destination.Length < SignatureLength)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; an SM2 signature needs {SignatureLength}", nameof(destination));
        }
    }
}
