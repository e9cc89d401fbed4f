using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Certificates.EmvRsaCertificateSupport;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// The RSA ICC public key certificate, tag 9F46, format 04 (EMV Book 2 §6.4, Table 14; NOTES A.7), recovered with
/// the issuer public key; remainder 9F48, exponent 9F47. The hash input ends with the static data to be
/// authenticated (AFL records ‖ AIP when 9F4A lists 82). The ICC PIN encipherment certificate 9F2D (remainder 9F2F,
/// exponent 9F2E; Book 2 §7.1) has the same layout with no static data. Immutable.
/// </summary>
public sealed class EmvRsaIccCertificate : EmvRsaPublicKeyCertificate
{
    /// <summary>The certificate format.</summary>
    public const byte FormatCode = Iso9796Block.IccCertificateFormat;

    /// <summary>Length of the PAN field.</summary>
    public const int PanLength = 10;

    private const string What = "ICC PK certificate (tag 9F46)";

    private EmvRsaIccCertificate(byte[] recovered, EmvRsaPublicKey publicKey)
        : base(recovered, PanLength, publicKey)
    {
    }

    /// <summary>The application PAN, 10 bytes, F-padded.</summary>
    public ReadOnlySpan<byte> Pan => Identifier;

    /// <summary>The PAN digits without the F padding.</summary>
    public string PanDigits => Convert.ToHexString(Pan).TrimEnd('F');

    /// <summary>
    /// Recovers and checks the certificate (Book 2 §6.4 steps 1–10): as the issuer certificate, with format 04, the
    /// hash over … ‖ remainder ‖ exponent ‖ <paramref name="staticData"/>, and the PAN field equal to
    /// <paramref name="pan"/> when given.
    /// </summary>
    /// <param name="issuerPublicKey">The key recovered from the issuer certificate.</param>
    /// <param name="certificate">Tag 9F46 (or 9F2D).</param>
    /// <param name="remainder">Tag 9F48 (or 9F2F), or empty.</param>
    /// <param name="exponent">Tag 9F47 (or 9F2E).</param>
    /// <param name="staticData">Static data to be authenticated, ending with the AIP when 9F4A asks; empty for 9F2D.</param>
    /// <param name="pan">Application PAN digits (5A), or null to skip the PAN check.</param>
    /// <param name="today">Transaction date, or null to skip the expiry check.</param>
    /// <param name="what">How reasons name the object, e.g. "ICC PIN encipherment PK certificate (tag 9F2D)".</param>
    public static EmvRsaRecovery<EmvRsaIccCertificate> Recover(
        EmvRsaPublicKey issuerPublicKey,
        ReadOnlySpan<byte> certificate,
        ReadOnlySpan<byte> remainder,
        ReadOnlySpan<byte> exponent,
        ReadOnlySpan<byte> staticData,
        string? pan = null,
        DateOnly? today = null,
        string? what = null)
    {
        (EmvRsaFailure, IdentifierCheck)? panCheck = pan is null
            ? null
            : (EmvRsaFailure.PanMismatch, field => PanFieldMatches(field, pan)
                ? null
                : $"certificate PAN {Convert.ToHexString(field).TrimEnd('F')} differs from the application PAN {pan}");
        return RecoverCore(issuerPublicKey, certificate, remainder, exponent, staticData, FormatCode, PanLength, what ?? What, panCheck, today,
            (recovered, key) => new EmvRsaIccCertificate(recovered, key));
    }

    /// <summary>Issues an ICC certificate (the issuer's side): returns 9F46, 9F48 (empty when the key fits) and 9F47.</summary>
    /// <param name="pan">10 bytes, PAN digits F-padded on the right.</param>
    /// <param name="expiry">MMYY, 2 bytes BCD.</param>
    /// <param name="serialNumber">3 bytes.</param>
    /// <param name="iccPublicKey">The key to certify.</param>
    /// <param name="staticData">Static data to be authenticated (AFL records, then the AIP when 9F4A lists 82); empty for 9F2D.</param>
    /// <param name="issuerPrivateKey">The issuer key that signs.</param>
    /// <exception cref="ArgumentException">A field has the wrong length, or the issuer key is too short to hold the header.</exception>
    public static EmvRsaCertificateData Create(
        ReadOnlySpan<byte> pan,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        EmvRsaPublicKey iccPublicKey,
        ReadOnlySpan<byte> staticData,
        EmvRsaPrivateKey issuerPrivateKey)
    {
        CheckLength(pan, PanLength, nameof(pan));
        return CreateCore(FormatCode, pan, expiry, serialNumber, iccPublicKey, staticData, issuerPrivateKey);
    }
}
