using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Certificates.EmvRsaCertificateSupport;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// The RSA issuer public key certificate, tag 90, format 02 (EMV Book 2 §5.3, Table 6; NOTES A.7): recovered with
/// the CA public key; the issuer key's remaining bytes are in 92 and its exponent in 9F32. Immutable.
/// </summary>
public sealed class EmvRsaIssuerCertificate : EmvRsaPublicKeyCertificate
{
    /// <summary>The certificate format.</summary>
    public const byte FormatCode = Iso9796Block.IssuerCertificateFormat;

    /// <summary>Length of the issuer identifier.</summary>
    public const int IssuerIdLength = 4;

    private const string What = "issuer PK certificate (tag 90)";

    private EmvRsaIssuerCertificate(byte[] recovered, EmvRsaPublicKey publicKey)
        : base(recovered, IssuerIdLength, publicKey)
    {
    }

    /// <summary>Issuer identifier: the leftmost 3–8 PAN digits, F-padded, 4 bytes.</summary>
    public ReadOnlySpan<byte> IssuerId => Identifier;

    /// <summary>The issuer identifier digits without the F padding.</summary>
    public string IssuerIdDigits => Convert.ToHexString(IssuerId).TrimEnd('F');

    /// <summary>
    /// Recovers and checks the certificate (Book 2 §5.3 steps 1–9, 11–12): length, header, trailer, format 02, hash
    /// algorithm, remainder and exponent, the SHA-1 hash, then — when given — the issuer identifier against
    /// <paramref name="pan"/> and the expiry against <paramref name="today"/>, then the key algorithm. Revocation
    /// (step 10) is the terminal's: it holds the list and reads <see cref="EmvRsaPublicKeyCertificate.SerialNumber"/>.
    /// </summary>
    /// <param name="caPublicKey">The CA public key named by RID and 8F.</param>
    /// <param name="certificate">Tag 90.</param>
    /// <param name="remainder">Tag 92, or empty.</param>
    /// <param name="exponent">Tag 9F32.</param>
    /// <param name="pan">Application PAN digits (5A without F padding), or null to skip the identifier check.</param>
    /// <param name="today">Transaction date, or null to skip the expiry check.</param>
    public static EmvRsaRecovery<EmvRsaIssuerCertificate> Recover(
        EmvRsaPublicKey caPublicKey,
        ReadOnlySpan<byte> certificate,
        ReadOnlySpan<byte> remainder,
        ReadOnlySpan<byte> exponent,
        string? pan = null,
        DateOnly? today = null)
    {
        (EmvRsaFailure, IdentifierCheck)? idCheck = pan is null
            ? null
            : (EmvRsaFailure.IssuerIdentifierMismatch, id => IssuerIdMatchesPan(id, pan)
                ? null
                : $"issuer identifier {Convert.ToHexString(id)} is not the leftmost 3–8 digits of PAN {pan}");
        return RecoverCore(caPublicKey, certificate, remainder, exponent, default, FormatCode, IssuerIdLength, What, idCheck, today,
            (recovered, key) => new EmvRsaIssuerCertificate(recovered, key));
    }

    /// <summary>
    /// Issues an issuer certificate (the CA's side): returns 90, 92 (empty when the key fits) and 9F32.
    /// </summary>
    /// <param name="issuerId">4 bytes: leftmost 3–8 PAN digits, F-padded (e.g. 62 35 48 FF).</param>
    /// <param name="expiry">MMYY, 2 bytes BCD.</param>
    /// <param name="serialNumber">3 bytes.</param>
    /// <param name="issuerPublicKey">The key to certify.</param>
    /// <param name="caPrivateKey">The CA key that signs.</param>
    /// <exception cref="ArgumentException">A field has the wrong length, or the CA key is too short to hold the header.</exception>
    public static EmvRsaCertificateData Create(
        ReadOnlySpan<byte> issuerId,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        EmvRsaPublicKey issuerPublicKey,
        EmvRsaPrivateKey caPrivateKey)
    {
        CheckLength(issuerId, IssuerIdLength, nameof(issuerId));
        return CreateCore(FormatCode, issuerId, expiry, serialNumber, issuerPublicKey, default, caPrivateKey);
    }
}
