using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// The SM2 issuer public key certificate, tag 90, 142 bytes (NOTES A.7, ADDENDUM 1.2): <c>12 ‖ issuer ID 4 (leftmost
/// 3–8 PAN digits, F-padded) ‖ expiry 2 ‖ serial 3 ‖ 04 ‖ 00 ‖ 11 ‖ 40 ‖ issuer PK 64 ‖ signature 64</c>, signed by the
/// CA (RID-indexed CAPK) over the 78-byte body. Immutable.
/// </summary>
public sealed class Sm2IssuerCertificate : Sm2PublicKeyCertificate
{
    /// <summary>The format byte.</summary>
    public const byte FormatCode = 0x12;

    /// <summary>Length of the issuer identifier.</summary>
    public const int IssuerIdLength = 4;

    /// <summary>Length of the signed body.</summary>
    public const int BodyLengthInBytes = IssuerIdLength + 74;

    /// <summary>Length of the whole certificate.</summary>
    public const int Length = BodyLengthInBytes + Sm2.SignatureLength;

    private const string What = "issuer PK certificate (tag 90)";

    private Sm2IssuerCertificate(byte[] encoded, Sm2PublicKey publicKey)
        : base(encoded, IssuerIdLength, publicKey)
    {
    }

    /// <summary>Issuer identifier, 4 bytes, F-padded.</summary>
    public ReadOnlySpan<byte> IssuerId => Identifier;

    /// <summary>Issuer identifier digits without the F padding (e.g. "62354897").</summary>
    public string IssuerIdDigits => Sm2SignedObject.Digits(IssuerId);

    /// <summary>Parses the tag-90 value.</summary>
    /// <exception cref="FormatException">Wrong format byte or length, signature algorithm ≠ 04, PK length ≠ 64, or a key off the curve; the message names the byte offset.</exception>
    public static Sm2IssuerCertificate Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var certificate, out var error) ? certificate : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/> but returns false with the reason.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Sm2IssuerCertificate? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        if (!TryParseLayout(encoded, FormatCode, IssuerIdLength, What, out var key, out error))
        {
            return false;
        }

        certificate = new Sm2IssuerCertificate(encoded.ToArray(), key);
        return true;
    }

    /// <summary>Verifies the CA's signature over the body with the default user ID (ADDENDUM 1.1).</summary>
    public bool Verify(Sm2PublicKey caPublicKey) => Verify(caPublicKey, Sm2.DefaultUserId);

    /// <summary>Verifies the CA's signature over the body for <paramref name="userId"/>.</summary>
    public bool Verify(Sm2PublicKey caPublicKey, ReadOnlySpan<byte> userId) =>
        Sm2SignedObject.Verify(caPublicKey, Body, default, Signature, userId);

    /// <summary>Issues a certificate for <paramref name="issuerPublicKey"/>, signed by the CA key (indicators 04, 00, 11).</summary>
    /// <exception cref="ArgumentException">Issuer ID not 4 bytes, expiry not 2, or serial not 3.</exception>
    public static Sm2IssuerCertificate Create(
        ReadOnlySpan<byte> issuerId,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        Sm2PublicKey issuerPublicKey,
        Sm2PrivateKey caPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(caPrivateKey);
        Sm2SignedObject.CheckLength(issuerId, IssuerIdLength, nameof(issuerId));
        var encoded = new byte[Length];
        WriteBody(encoded, FormatCode, issuerId, expiry, serialNumber, issuerPublicKey);
        Sm2SignedObject.Sign(caPrivateKey, encoded.AsSpan(0, BodyLengthInBytes), default, encoded.AsSpan(BodyLengthInBytes), Sm2.DefaultUserId);
        return new Sm2IssuerCertificate(encoded, issuerPublicKey);
    }
}
