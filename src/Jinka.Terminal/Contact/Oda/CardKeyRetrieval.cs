using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto.Certificates;
using Jinka.Terminal.CaKeys;

namespace Jinka.Terminal.Contact.Oda;

/// <summary>The outcome of recovering a public key: the key, or why not (and whether card data was missing).</summary>
internal readonly record struct KeyRetrieval(CardPublicKey? Key, bool DataMissing, string? Failure)
{
    public static KeyRetrieval Missing(string what) => new(null, true, what);

    public static KeyRetrieval Fail(string why) => new(null, false, why);
}

/// <summary>
/// Recovers the issuer key from 90 with the CA key (RID, 8F), and the ICC key from 9F46 (or the PIN encipherment
/// key from 9F2D) with the issuer key (EMV Book 2 §5.3, §6.4, §7.1). The suite follows the keys: an SM2 CA key
/// means an SM2 issuer certificate (format 12, ADDENDUM 1.2: verified, not recovered), an RSA CA key an RSA one
/// (recovered); the ICC certificate follows the issuer key. The first byte alone cannot decide: an RSA certificate
/// starts with 12 or 14 one time in 256. Both check the issuer identifier or PAN,
/// the expiry against the transaction date and, for the issuer certificate, the revocation list.
/// </summary>
internal static class CardKeyRetrieval
{
    public static KeyRetrieval RetrieveIssuerKey(TransactionContext context)
    {
        if (!context.TryGet(Tags.CaIndex, out var indexBytes) || indexBytes.Length != 1)
        {
            return KeyRetrieval.Missing("the CA public key index 8F is missing");
        }

        if (!context.TryGet(Tags.IssuerCertificate, out var certificate) || certificate.IsEmpty)
        {
            return KeyRetrieval.Missing("the issuer PK certificate 90 is missing");
        }

        byte index = indexBytes[0];
        var rid = context.Rid;
        if (!context.CaKeys.TryGet(rid, index, out var caKey))
        {
            return KeyRetrieval.Fail($"the terminal holds no CA public key {Hex.Encode(rid)} #{index:X2}");
        }

        if (caKey.IsExpiredOn(context.TransactionDate))
        {
            return KeyRetrieval.Fail($"CA public key {caKey} expired on {caKey.Expiry:yyyy-MM-dd}");
        }

        bool sm2 = caKey.Algorithm == CaKeyAlgorithm.Sm2;
        if (!sm2 && certificate.Length == Sm2IssuerCertificate.Length && certificate[0] == Sm2IssuerCertificate.FormatCode && caKey.RsaKey!.ModulusLength != certificate.Length)
        {
            return KeyRetrieval.Fail($"the issuer certificate is SM2 (format 12, {Sm2IssuerCertificate.Length} bytes) but CA public key {caKey} is RSA");
        }

        string pan = context.Pan;
        if (sm2)
        {
            if (!Sm2IssuerCertificate.TryParse(certificate, out var parsed, out var error))
            {
                return KeyRetrieval.Fail(error);
            }

            if (!parsed.Verify(caKey.Sm2Key!))
            {
                return KeyRetrieval.Fail($"issuer PK certificate (tag 90): the SM2 signature does not verify under CA public key {caKey}");
            }

            if (parsed.IssuerIdDigits.Length is < 3 or > 8 || !pan.StartsWith(parsed.IssuerIdDigits, StringComparison.Ordinal))
            {
                return KeyRetrieval.Fail($"issuer PK certificate (tag 90): issuer identifier {Hex.Encode(parsed.IssuerId)} is not the leftmost 3–8 digits of PAN {pan}");
            }

            if (Expired(parsed.Expiry, context.TransactionDate) is { } expired)
            {
                return KeyRetrieval.Fail($"issuer PK certificate (tag 90): {expired}");
            }

            return Revoked(context, caKey, parsed.SerialNumber) ?? new KeyRetrieval(CardPublicKey.FromSm2(parsed.PublicKey, parsed.SerialNumber), false, null);
        }

        if (!context.TryGet(Tags.IssuerExponent, out var exponent))
        {
            return KeyRetrieval.Missing("the issuer PK exponent 9F32 is missing");
        }

        context.TryGet(Tags.IssuerRemainder, out var remainder);
        var recovery = EmvRsaIssuerCertificate.Recover(caKey.RsaKey!, certificate, remainder, exponent, pan, context.TransactionDate);
        if (!recovery.IsValid)
        {
            return recovery.Failure == EmvRsaFailure.RemainderMissing && remainder.IsEmpty
                ? KeyRetrieval.Missing(recovery.Reason)
                : KeyRetrieval.Fail(recovery.Reason);
        }

        return Revoked(context, caKey, recovery.Value.SerialNumber)
            ?? new KeyRetrieval(CardPublicKey.FromRsa(recovery.Value.PublicKey, recovery.Value.SerialNumber), false, null);
    }

    /// <summary>The ICC key from 9F46, over the static data to be authenticated.</summary>
    public static KeyRetrieval RetrieveIccKey(TransactionContext context, CardPublicKey issuerKey, ReadOnlySpan<byte> staticData) =>
        Retrieve(context, issuerKey, Tags.IccCertificate, Tags.IccRemainder, Tags.IccExponent, staticData, "ICC PK certificate (tag 9F46)");

    /// <summary>The ICC PIN encipherment key from 9F2D (EMV Book 2 §7.1; no static data in its hash).</summary>
    public static KeyRetrieval RetrievePinKey(TransactionContext context, CardPublicKey issuerKey) =>
        Retrieve(context, issuerKey, Tags.PinCertificate, Tags.PinRemainder, Tags.PinExponent, default, "ICC PIN encipherment PK certificate (tag 9F2D)");

    private static KeyRetrieval Retrieve(TransactionContext context, CardPublicKey issuerKey, Tag certificateTag, Tag remainderTag, Tag exponentTag, ReadOnlySpan<byte> staticData, string what)
    {
        if (!context.TryGet(certificateTag, out var certificate) || certificate.IsEmpty)
        {
            return KeyRetrieval.Missing($"the {what} is missing");
        }

        string pan = context.Pan;
        if (issuerKey.Sm2 is { } issuerSm2)
        {
            if (!Sm2IccCertificate.TryParse(certificate, out var parsed, out var error))
            {
                return KeyRetrieval.Fail(error);
            }

            if (!parsed.Verify(issuerSm2, staticData))
            {
                return KeyRetrieval.Fail($"{what}: the SM2 signature does not verify under the issuer key{(staticData.IsEmpty ? "" : " over the static data to be authenticated")}");
            }

            if (parsed.PanDigits != pan)
            {
                return KeyRetrieval.Fail($"{what}: certificate PAN {parsed.PanDigits} differs from the application PAN {pan}");
            }

            return Expired(parsed.Expiry, context.TransactionDate) is { } expired
                ? KeyRetrieval.Fail($"{what}: {expired}")
                : new KeyRetrieval(CardPublicKey.FromSm2(parsed.PublicKey, parsed.SerialNumber), false, null);
        }

        if (!context.TryGet(exponentTag, out var exponent))
        {
            return KeyRetrieval.Missing($"the exponent {exponentTag} of the {what} is missing");
        }

        context.TryGet(remainderTag, out var remainder);
        var recovery = EmvRsaIccCertificate.Recover(issuerKey.Rsa!, certificate, remainder, exponent, staticData, pan, context.TransactionDate, what);
        if (!recovery.IsValid)
        {
            return recovery.Failure == EmvRsaFailure.RemainderMissing && remainder.IsEmpty
                ? KeyRetrieval.Missing(recovery.Reason)
                : KeyRetrieval.Fail(recovery.Reason);
        }

        return new KeyRetrieval(CardPublicKey.FromRsa(recovery.Value.PublicKey, recovery.Value.SerialNumber), false, null);
    }

    private static string? Expired(ReadOnlySpan<byte> mmyy, DateOnly today)
    {
        if (!Bcd.TryMonthEnd(mmyy, out var lastDay))
        {
            return $"expiry {Hex.Encode(mmyy)} is not a valid MMYY";
        }

        return lastDay < today ? $"expired (valid to {lastDay:MM/yyyy}, checked on {today:yyyy-MM-dd})" : null;
    }

    private static KeyRetrieval? Revoked(TransactionContext context, CaPublicKey caKey, ReadOnlySpan<byte> serial) =>
        context.CaKeys.IsRevoked(caKey.Rid, caKey.Index, serial)
            ? KeyRetrieval.Fail($"issuer PK certificate serial {Hex.Encode(serial)} under CA public key {caKey.RidHex} #{caKey.Index:X2} is revoked")
            : null;
}
