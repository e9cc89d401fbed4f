using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// An SM2 public key on the recommended curve: a validated point (x, y). PBOC certificates and CAPKs carry it as
/// 64 bytes x ‖ y (ADDENDUM 1.2–1.3); X.509/OpenSSL as 65 bytes 04 ‖ x ‖ y. Immutable.
/// </summary>
public sealed class Sm2PublicKey : IEquatable<Sm2PublicKey>
{
    /// <summary>Length of x ‖ y.</summary>
    public const int XyLength = 2 * Sm2Domain.ElementLength;

    /// <summary>Length of the uncompressed SEC 1 form 04 ‖ x ‖ y.</summary>
    public const int UncompressedLength = XyLength + 1;

    private readonly byte[] _xy;

    /// <summary>A key from 64-byte x ‖ y or 65-byte 04 ‖ x ‖ y.</summary>
    /// <exception cref="ArgumentException">Wrong length, wrong prefix, or not a point on the SM2 curve.</exception>
    public Sm2PublicKey(ReadOnlySpan<byte> encoded)
        : this(Sm2Domain.Recommended, encoded)
    {
    }

    internal Sm2PublicKey(Sm2Domain domain, ReadOnlySpan<byte> encoded)
    {
        if (!TryDecode(domain, encoded, out var point, out var error))
        {
            throw new ArgumentException(error, nameof(encoded));
        }

        Domain = domain;
        Point = point;
        _xy = encoded[^XyLength..].ToArray();
    }

    internal Sm2PublicKey(Sm2Domain domain, ECPoint point)
    {
        Domain = domain;
        Point = point.Normalize();
        _xy = new byte[XyLength];
        Sm2Numbers.WriteFixed(Point.AffineXCoord.ToBigInteger(), _xy.AsSpan(0, Sm2Domain.ElementLength));
        Sm2Numbers.WriteFixed(Point.AffineYCoord.ToBigInteger(), _xy.AsSpan(Sm2Domain.ElementLength));
    }

    /// <summary>The 32-byte x coordinate.</summary>
    public ReadOnlySpan<byte> X => _xy.AsSpan(0, Sm2Domain.ElementLength);

    /// <summary>The 32-byte y coordinate.</summary>
    public ReadOnlySpan<byte> Y => _xy.AsSpan(Sm2Domain.ElementLength);

    /// <summary>x ‖ y without a prefix, as PBOC certificates carry it.</summary>
    public ReadOnlySpan<byte> Xy => _xy;

    internal Sm2Domain Domain { get; }

    internal ECPoint Point { get; }

    /// <summary>Like the constructor but returns false with a reason instead of throwing.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Sm2PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (!TryDecode(Sm2Domain.Recommended, encoded, out _, out error))
        {
            return false;
        }

        key = new Sm2PublicKey(encoded);
        return true;
    }

    /// <summary>x ‖ y (64 bytes).</summary>
    public byte[] ExportXy() => (byte[])_xy.Clone();

    /// <summary>04 ‖ x ‖ y (65 bytes).</summary>
    public byte[] ExportUncompressed()
    {
        var result = new byte[UncompressedLength];
        result[0] = 0x04;
        _xy.CopyTo(result, 1);
        return result;
    }

    /// <summary>DER SubjectPublicKeyInfo (id-ecPublicKey, curve 1.2.156.10197.1.301), as OpenSSL reads and writes it.</summary>
    public byte[] ExportSubjectPublicKeyInfo() => Sm2KeyEncoding.WriteSubjectPublicKeyInfo(this);

    /// <summary>PEM "PUBLIC KEY" of <see cref="ExportSubjectPublicKeyInfo"/>.</summary>
    public string ExportSubjectPublicKeyInfoPem() => PemEncoding.WriteString("PUBLIC KEY", ExportSubjectPublicKeyInfo());

    /// <summary>Reads a DER SubjectPublicKeyInfo for an SM2 key.</summary>
    /// <exception cref="FormatException">Not an SPKI for the SM2 curve, or a bad point.</exception>
    public static Sm2PublicKey ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> der) => Sm2KeyEncoding.ReadSubjectPublicKeyInfo(der);

    public bool Equals(Sm2PublicKey? other) =>
        other is not null && ReferenceEquals(Domain, other.Domain) && _xy.AsSpan().SequenceEqual(other._xy);

    public override bool Equals(object? obj) => Equals(obj as Sm2PublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_xy);
        return hash.ToHashCode();
    }

    /// <summary>x ‖ y in hex.</summary>
    public override string ToString() => Convert.ToHexString(_xy);

    private static bool TryDecode(Sm2Domain domain, ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out ECPoint? point, [NotNullWhen(false)] out string? error)
    {
        point = null;
        if (encoded.Length == UncompressedLength)
        {
            if (encoded[0] != 0x04)
            {
                error = $"SM2 public key: byte 0 is {encoded[0]:X2}, expected 04 (uncompressed point)";
                return false;
            }

            encoded = encoded[1..];
        }
        else if (encoded.Length != XyLength)
        {
            error = $"SM2 public key is {encoded.Length} bytes; expected {XyLength} (x‖y) or {UncompressedLength} (04‖x‖y)";
            return false;
        }

        point = domain.TryCreatePoint(encoded[..Sm2Domain.ElementLength], encoded[Sm2Domain.ElementLength..]);
        error = point is null ? "SM2 public key: (x, y) is not a point on the SM2 curve" : null;
        return point is not null;
    }
}
