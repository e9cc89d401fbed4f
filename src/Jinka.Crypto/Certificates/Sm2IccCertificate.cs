using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// The SM2 ICC public key certificate, tag 9F46, 148 bytes (NOTES A.7, ADDENDUM 1.2): <c>14 ‖ PAN 10 (F-padded) ‖
/// expiry 2 ‖ serial 3 ‖ 04 ‖ 00 ‖ 11 ‖ 40 ‖ ICC PK 64 ‖ signature 64</c>, signed by the issuer key over
/// <c>the 84-byte body ‖ static data to be authenticated</c> (AFL records — for SFI 1–10 only the contents of tag 70 —
/// followed by the AIP when 9F4A lists 82). Immutable.
/// </summary>
public sealed class Sm2IccCertificate : Sm2PublicKeyCertificate
{
    /// <summary>The format byte.</summary>
    public const byte FormatCode = 0x14;

    /// <summary>Length of the PAN field.</summary>
    public const int PanLength = 10;

    /// <summary>Length of the signed body.</summary>
    public const int BodyLengthInBytes = PanLength + 74;

    /// <summary>Length of the whole certificate.</summary>
    public const int Length = BodyLengthInBytes + Sm2.SignatureLength;

    private const string What = "ICC PK certificate (tag 9F46)";

    private Sm2IccCertificate(byte[] encoded, Sm2PublicKey publicKey)
        : base(encoded, PanLength, publicKey)
    {
    }

    /// <summary>Application PAN, 10 bytes, F-padded.</summary>
    public ReadOnlySpan<byte> Pan => Identifier;

    /// <summary>PAN digits without the F padding.</summary>
    public string PanDigits => Sm2SignedObject.Digits(Pan);

    /// <summary>Parses the tag-9F46 value.</summary>
    /// <exception cref="FormatException">Wrong format byte or length, signature algorithm ≠ 04, PK length ≠ 64, or a key off the curve; the message names the byte offset.</exception>
    public static Sm2IccCertificate Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var certificate, out var error) ? certificate : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/> but returns false with the reason.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Sm2IccCertificate? certificate, [NotNullWhen(false)] out string? error)
    {
        certificate = null;
        if (!TryParseLayout(encoded, FormatCode, PanLength, What, out var key, out error))
        {
            return false;
        }

        certificate = new Sm2IccCertificate(encoded.ToArray(), key);
        return true;
    }

    /// <summary>
    /// Verifies the issuer's signature over body ‖ <paramref name="staticData"/>, where the static data already ends
    /// with the AIP when 9F4A asks for it. Default user ID (ADDENDUM 1.1).
    /// </summary>
    public bool Verify(Sm2PublicKey issuerPublicKey, ReadOnlySpan<byte> staticData) => Verify(issuerPublicKey, staticData, Sm2.DefaultUserId);

    /// <summary>Verifies for <paramref name="userId"/>.</summary>
    public bool Verify(Sm2PublicKey issuerPublicKey, ReadOnlySpan<byte> staticData, ReadOnlySpan<byte> userId) =>
        Sm2SignedObject.Verify(issuerPublicKey, Body, staticData, Signature, userId);

    /// <summary>Issues a certificate for <paramref name="iccPublicKey"/>, signed by the issuer key over body ‖ static data.</summary>
    /// <exception cref="ArgumentException">PAN not 10 bytes, expiry not 2, or serial not 3.</exception>
    public static Sm2IccCertificate Create(
        ReadOnlySpan<byte> pan,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        Sm2PublicKey iccPublicKey,
        ReadOnlySpan<byte> staticData,
        Sm2PrivateKey issuerPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(issuerPrivateKey);
        Sm2SignedObject.CheckLength(pan, PanLength, nameof(pan));
        var encoded = new byte[Length];
        WriteBody(encoded, FormatCode, pan, expiry, serialNumber, iccPublicKey);
        Sm2SignedObject.Sign(issuerPrivateKey, encoded.AsSpan(0, BodyLengthInBytes), staticData, encoded.AsSpan(BodyLengthInBytes), Sm2.DefaultUserId);
        return new Sm2IccCertificate(encoded, iccPublicKey);
    }
}
