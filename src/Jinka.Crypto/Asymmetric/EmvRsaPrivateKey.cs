using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using BcInteger = Org.BouncyCastle.Math.BigInteger;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// An RSA private key in CRT form for the card side of EMV offline data authentication (and issuer/CA signing).
/// <see cref="Dispose"/> zeroes every private component. The BouncyCastle integers built once for the CRT
/// operation cannot be wiped; they are dropped for the garbage collector.
/// </summary>
public sealed class EmvRsaPrivateKey : IDisposable
{
    /// <summary>Smallest modulus <see cref="Generate"/> makes.</summary>
    public const int MinGeneratedBits = 1024;

    /// <summary>Largest modulus <see cref="Generate"/> makes: EMV's 1984 bits.</summary>
    public const int MaxGeneratedBits = EmvRsaPublicKey.MaxEmvModulusLength * 8;

    private readonly byte[] _d;
    private readonly byte[] _p;
    private readonly byte[] _q;
    private readonly byte[] _dp;
    private readonly byte[] _dq;
    private readonly byte[] _qInv;
    private RsaPrivateCrtKeyParameters? _engineKey;
    private bool _disposed;

    /// <summary>A key from .NET's parameter set; all CRT parts are required. The arrays are copied.</summary>
    /// <exception cref="ArgumentException">A part is missing, or n ≠ p·q.</exception>
    public EmvRsaPrivateKey(RSAParameters parameters)
    {
        if (parameters.Modulus is null || parameters.Exponent is null || parameters.D is null || parameters.P is null
            || parameters.Q is null || parameters.DP is null || parameters.DQ is null || parameters.InverseQ is null)
        {
            throw new ArgumentException("RSA private key needs modulus, exponent, D, P, Q, DP, DQ and InverseQ", nameof(parameters));
        }

        PublicKey = new EmvRsaPublicKey(parameters.Modulus.AsSpan().TrimStart((byte)0), parameters.Exponent.AsSpan().TrimStart((byte)0));
        _d = parameters.D.ToArray();
        _p = parameters.P.ToArray();
        _q = parameters.Q.ToArray();
        _dp = parameters.DP.ToArray();
        _dq = parameters.DQ.ToArray();
        _qInv = parameters.InverseQ.ToArray();
        if (EmvRsaPublicKey.FromUnsigned(_p) * EmvRsaPublicKey.FromUnsigned(_q) != PublicKey.N)
        {
            Dispose();
            throw new ArgumentException("RSA private key: P·Q is not the modulus", nameof(parameters));
        }
    }

    /// <summary>The public half.</summary>
    public EmvRsaPublicKey PublicKey { get; }

    /// <summary>Modulus length in bytes.</summary>
    public int ModulusLength => PublicKey.ModulusLength;

    /// <summary>
    /// A new key with a modulus of exactly <paramref name="modulusBits"/> bits (1024–1984, a multiple of 8, as EMV
    /// keys are) and exponent 3 or 65537. 65537 keys come from .NET's <see cref="RSA.Create(int)"/> (OpenSSL here);
    /// .NET cannot choose the exponent, so exponent-3 keys come from BouncyCastle's RsaKeyPairGenerator.
    /// </summary>
    public static EmvRsaPrivateKey Generate(int modulusBits, int publicExponent = 65537)
    {
        if (modulusBits is < MinGeneratedBits or > MaxGeneratedBits || modulusBits % 8 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), modulusBits, $"EMV RSA keys are {MinGeneratedBits}–{MaxGeneratedBits} bits, a multiple of 8");
        }

        if (publicExponent == 65537)
        {
            using var rsa = RSA.Create(modulusBits);
            var parameters = rsa.ExportParameters(includePrivateParameters: true);
            try
            {
                return new EmvRsaPrivateKey(parameters);
            }
            finally
            {
                Wipe(parameters);
            }
        }

        if (publicExponent != 3)
        {
            throw new ArgumentOutOfRangeException(nameof(publicExponent), publicExponent, "EMV public exponents are 3 or 65537");
        }

        var generator = new RsaKeyPairGenerator();
        generator.Init(new RsaKeyGenerationParameters(BcInteger.Three, new SecureRandom(), modulusBits, certainty: 112));
        var key = (RsaPrivateCrtKeyParameters)generator.GenerateKeyPair().Private;
        var exported = new RSAParameters
        {
            Modulus = key.Modulus.ToByteArrayUnsigned(),
            Exponent = key.PublicExponent.ToByteArrayUnsigned(),
            D = key.Exponent.ToByteArrayUnsigned(),
            P = key.P.ToByteArrayUnsigned(),
            Q = key.Q.ToByteArrayUnsigned(),
            DP = key.DP.ToByteArrayUnsigned(),
            DQ = key.DQ.ToByteArrayUnsigned(),
            InverseQ = key.QInv.ToByteArrayUnsigned(),
        };
        try
        {
            return new EmvRsaPrivateKey(exported);
        }
        finally
        {
            Wipe(exported);
        }
    }

    /// <summary>Copies of all parts (the caller owns the private arrays and should wipe them).</summary>
    public RSAParameters ExportParameters()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new RSAParameters
        {
            Modulus = PublicKey.Modulus.ToArray(),
            Exponent = PublicKey.Exponent.ToArray(),
            D = (byte[])_d.Clone(),
            P = (byte[])_p.Clone(),
            Q = (byte[])_q.Clone(),
            DP = (byte[])_dp.Clone(),
            DQ = (byte[])_dq.Clone(),
            InverseQ = (byte[])_qInv.Clone(),
        };
    }

    /// <summary>Zeroes the private parts; later private operations throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        foreach (var part in new[] { _d, _p, _q, _dp, _dq, _qInv })
        {
            CryptographicOperations.ZeroMemory(part);
        }

        _engineKey = null;
        _disposed = true;
    }

    /// <summary>The key as BouncyCastle's CRT parameters, built once (see <see cref="EmvRsa.Sign(EmvRsaPrivateKey, ReadOnlySpan{byte}, Span{byte})"/>).</summary>
    internal RsaPrivateCrtKeyParameters EngineKey
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _engineKey ??= new RsaPrivateCrtKeyParameters(
                new BcInteger(1, PublicKey.Modulus.ToArray()),
                new BcInteger(1, PublicKey.Exponent.ToArray()),
                new BcInteger(1, _d),
                new BcInteger(1, _p),
                new BcInteger(1, _q),
                new BcInteger(1, _dp),
                new BcInteger(1, _dq),
                new BcInteger(1, _qInv));
        }
    }

    /// <summary>
    /// Builds a key from <paramref name="parameters"/> and zeroes their private parts (D, P, Q, DP, DQ, InverseQ)
    /// whatever happens: for callers that assembled the parameters only to make this key.
    /// </summary>
    public static EmvRsaPrivateKey FromParametersAndWipe(RSAParameters parameters)
    {
        try
        {
            return new EmvRsaPrivateKey(parameters);
        }
        finally
        {
            Wipe(parameters);
        }
    }

    /// <summary>Zeroes the private parts of <paramref name="parameters"/>.</summary>
    public static void Wipe(RSAParameters parameters)
    {
        CryptographicOperations.ZeroMemory(parameters.D);
        CryptographicOperations.ZeroMemory(parameters.P);
        CryptographicOperations.ZeroMemory(parameters.Q);
        CryptographicOperations.ZeroMemory(parameters.DP);
        CryptographicOperations.ZeroMemory(parameters.DQ);
        CryptographicOperations.ZeroMemory(parameters.InverseQ);
    }
}
