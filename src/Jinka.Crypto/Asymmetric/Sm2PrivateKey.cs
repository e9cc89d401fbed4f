using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// An SM2 private key d (32 bytes, 1 ≤ d ≤ n − 2, GM/T 0003.1 §6.1) with its public key [d]G.
/// <see cref="Dispose"/> zeroes the key bytes. The short-lived BouncyCastle integers made from d during an
/// operation cannot be wiped; they are left to the garbage collector.
/// </summary>
public sealed class Sm2PrivateKey : IDisposable
{
    /// <summary>Length of d.</summary>
    public const int Length = Sm2Domain.ElementLength;

    private readonly byte[] _d;
    private bool _disposed;

    /// <summary>A key from its 32-byte big-endian scalar.</summary>
    /// <exception cref="ArgumentException">Not 32 bytes, or d is 0 or ≥ n − 1.</exception>
    public Sm2PrivateKey(ReadOnlySpan<byte> d)
        : this(Sm2Domain.Recommended, d)
    {
    }

    internal Sm2PrivateKey(Sm2Domain domain, ReadOnlySpan<byte> d)
    {
        if (d.Length != Length)
        {
            throw new ArgumentException($"SM2 private key is {d.Length} bytes; expected {Length}", nameof(d));
        }

        var value = Sm2Numbers.FromUnsigned(d);
        if (!IsInRange(domain, value))
        {
            throw new ArgumentException("SM2 private key must lie in [1, n − 2]", nameof(d));
        }

        Domain = domain;
        _d = d.ToArray();
        PublicKey = new Sm2PublicKey(domain, domain.MultiplyBase(value));
    }

    /// <summary>The matching public key [d]G.</summary>
    public Sm2PublicKey PublicKey { get; }

    internal Sm2Domain Domain { get; }

    /// <summary>d as an integer; a fresh copy for one operation.</summary>
    internal BigInteger D
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return new BigInteger(1, _d);
        }
    }

    /// <summary>A new random key pair (d from the system CSPRNG, rejection-sampled into [1, n − 2]).</summary>
    public static Sm2PrivateKey Generate()
    {
        var domain = Sm2Domain.Recommended;
        Span<byte> candidate = stackalloc byte[Length];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(candidate);
                if (IsInRange(domain, Sm2Numbers.FromUnsigned(candidate)))
                {
                    return new Sm2PrivateKey(domain, candidate);
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(candidate);
        }
    }

    /// <summary>Writes d (32 bytes) into <paramref name="destination"/>.</summary>
    public void ExportD(Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (destination.Length < Length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; needs {Length}", nameof(destination));
        }

        _d.CopyTo(destination);
    }

    /// <summary>d as a new 32-byte array (the caller owns and should wipe it).</summary>
    public byte[] ExportD()
    {
        var result = new byte[Length];
        ExportD(result);
        return result;
    }

    /// <summary>Unencrypted PKCS#8 PrivateKeyInfo (id-ecPublicKey, SM2 curve, RFC 5915 ECPrivateKey), as OpenSSL uses.</summary>
    public byte[] ExportPkcs8()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Sm2KeyEncoding.WritePkcs8(_d, PublicKey);
    }

    /// <summary>Reads an unencrypted PKCS#8 PrivateKeyInfo holding an SM2 key.</summary>
    /// <exception cref="FormatException">Not a PKCS#8 SM2 key.</exception>
    public static Sm2PrivateKey ImportPkcs8(ReadOnlySpan<byte> der) => Sm2KeyEncoding.ReadPkcs8(der);

    /// <summary>Reads a SEC 1 / RFC 5915 ECPrivateKey naming the SM2 curve (what <c>openssl pkey -outform DER</c> writes).</summary>
    /// <exception cref="FormatException">Not an SM2 ECPrivateKey.</exception>
    public static Sm2PrivateKey ImportEcPrivateKey(ReadOnlySpan<byte> der) => Sm2KeyEncoding.ReadEcPrivateKey(der, curveRequired: true);

    /// <summary>PEM "PRIVATE KEY" of <see cref="ExportPkcs8"/>.</summary>
    public string ExportPkcs8Pem()
    {
        var der = ExportPkcs8();
        try
        {
            return PemEncoding.WriteString("PRIVATE KEY", der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Zeroes the key bytes; later use throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_d);
        _disposed = true;
    }

    private static bool IsInRange(Sm2Domain domain, BigInteger d) =>
        d.SignValue > 0 && d.CompareTo(domain.NMinusOne) < 0;
}
