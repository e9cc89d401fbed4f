using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;
using static Jinka.Crypto.Certificates.EmvRsaCertificateSupport;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// What the RSA issuer (format 02, tag 90) and ICC (format 04, tags 9F46 and 9F2D) public key certificates share
/// (EMV Book 2 Tables 6 and 14): recovered data <c>6A ‖ format ‖ identifier ‖ expiry MMYY 2 ‖ serial 3 ‖ hash
/// algorithm 01 ‖ PK algorithm 01 ‖ PK length ‖ PK exponent length ‖ PK or its leftmost bytes (padded with BB) ‖
/// SHA-1 hash ‖ BC</c>. The hash covers format … key field ‖ remainder ‖ exponent (‖ static data for the ICC key).
/// </summary>
public abstract class EmvRsaPublicKeyCertificate
{
    private readonly byte[] _recovered;
    private readonly int _idLength;

    private protected EmvRsaPublicKeyCertificate(byte[] recovered, int idLength, EmvRsaPublicKey publicKey)
    {
        _recovered = recovered;
        _idLength = idLength;
        PublicKey = publicKey;
    }

    /// <summary>The recovered data, 6A … BC, as long as the signer's modulus.</summary>
    public ReadOnlySpan<byte> Recovered => _recovered;

    /// <summary>The certificate format (02 issuer, 04 ICC).</summary>
    public byte Format => _recovered[1];

    /// <summary>Certificate expiration date MMYY, 2 bytes BCD.</summary>
    public ReadOnlySpan<byte> Expiry => _recovered.AsSpan(2 + _idLength, 2);

    /// <summary>The expiry as four digits MMYY.</summary>
    public string ExpiryMmyy => Convert.ToHexString(Expiry);

    /// <summary>Certificate serial number, 3 bytes (what a revocation list names).</summary>
    public ReadOnlySpan<byte> SerialNumber => _recovered.AsSpan(4 + _idLength, 3);

    /// <summary>Hash algorithm indicator (01 = SHA-1).</summary>
    public byte HashAlgorithm => _recovered[7 + _idLength];

    /// <summary>Public key algorithm indicator (01 = RSA).</summary>
    public byte PublicKeyAlgorithm => _recovered[8 + _idLength];

    /// <summary>The certified key, modulus reassembled from the certificate and the remainder.</summary>
    public EmvRsaPublicKey PublicKey { get; }

    private protected ReadOnlySpan<byte> Identifier => _recovered.AsSpan(2, _idLength);

    /// <summary>Bytes of the key field: N − identifier length − 32 (N_CA − 36 issuer, N_I − 42 ICC).</summary>
    public static int KeyFieldLength(int signerModulusLength, int identifierLength) => signerModulusLength - identifierLength - 32;

    private protected delegate string? IdentifierCheck(ReadOnlySpan<byte> identifier);

    private protected static EmvRsaRecovery<T> RecoverCore<T>(
        EmvRsaPublicKey signerKey,
        ReadOnlySpan<byte> certificate,
        ReadOnlySpan<byte> remainder,
        ReadOnlySpan<byte> exponent,
        ReadOnlySpan<byte> staticData,
        byte format,
        int idLength,
        string what,
        (EmvRsaFailure Failure, IdentifierCheck Check)? identifierCheck,
        DateOnly? today,
        Func<byte[], EmvRsaPublicKey, T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(signerKey);
        if (!TryRecover(signerKey, certificate, what, out var recovered, out var failure, out var reason)
            || !CheckFrame(recovered, format, what, out failure, out reason))
        {
            return EmvRsaRecovery<T>.Fail(failure, reason!);
        }

        if (recovered.Length < idLength + 32 + 1)
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.LengthMismatch, $"{what}: a {recovered.Length}-byte block is too short for this certificate");
        }

        if (recovered[7 + idLength] != Sha1Indicator)
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.UnsupportedHashAlgorithm, $"{what}: hash algorithm indicator is {recovered[7 + idLength]:X2}; only 01 (SHA-1) is defined");
        }

        int keyLength = recovered[9 + idLength];
        int exponentLength = recovered[10 + idLength];
        int field = KeyFieldLength(recovered.Length, idLength);
        int remainderNeeded = Math.Max(0, keyLength - field);
        if (remainderNeeded > 0 && remainder.Length != remainderNeeded)
        {
            return EmvRsaRecovery<T>.Fail(
                EmvRsaFailure.RemainderMissing,
                $"{what}: the {keyLength}-byte key needs a {remainderNeeded}-byte remainder; {(remainder.IsEmpty ? "none was given" : $"{remainder.Length} bytes were given")}");
        }

        if (exponentLength != exponent.Length)
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.ExponentMismatch, $"{what}: exponent length is {exponentLength}; the exponent given is {exponent.Length} bytes");
        }

        if (Iso9796Block.Check(recovered, format, Concat(remainder, exponent, staticData)) != Iso9796Status.Valid)
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.HashMismatch, $"{what}: the SHA-1 hash does not match the recovered data, remainder, exponent{(staticData.IsEmpty ? "" : " and static data")}");
        }

        if (identifierCheck is { } check && check.Check(recovered.AsSpan(2, idLength)) is { } mismatch)
        {
            return EmvRsaRecovery<T>.Fail(check.Failure, $"{what}: {mismatch}");
        }

        if (today is { } date && !IsUnexpired(recovered.AsSpan(2 + idLength, 2), date, out var expiryWords))
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.Expired, $"{what}: expired (valid to {expiryWords}, checked on {date:yyyy-MM-dd})");
        }

        if (recovered[8 + idLength] != RsaIndicator)
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.UnsupportedPublicKeyAlgorithm, $"{what}: public key algorithm indicator is {recovered[8 + idLength]:X2}; only 01 (RSA) is defined");
        }

        var modulus = new byte[keyLength];
        recovered.AsSpan(11 + idLength, Math.Min(keyLength, field)).CopyTo(modulus);
        remainder[..remainderNeeded].CopyTo(modulus.AsSpan(Math.Min(keyLength, field)));
        if (!EmvRsaPublicKey.TryValidate(modulus, exponent, out var keyError))
        {
            return EmvRsaRecovery<T>.Fail(EmvRsaFailure.InvalidPublicKey, $"{what}: the certified key is not usable: {keyError}");
        }

        return EmvRsaRecovery<T>.Valid(create(recovered, new EmvRsaPublicKey(modulus, exponent)));
    }

    private protected static EmvRsaCertificateData CreateCore(
        byte format,
        ReadOnlySpan<byte> identifier,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        EmvRsaPublicKey certifiedKey,
        ReadOnlySpan<byte> staticData,
        EmvRsaPrivateKey signerKey)
    {
        ArgumentNullException.ThrowIfNull(certifiedKey);
        ArgumentNullException.ThrowIfNull(signerKey);
        CheckLength(expiry, 2, nameof(expiry));
        CheckLength(serialNumber, 3, nameof(serialNumber));
        int n = signerKey.ModulusLength;
        int field = KeyFieldLength(n, identifier.Length);
        if (field < 1)
        {
            throw new ArgumentException($"a {n}-byte signing key leaves no room for the certified key", nameof(signerKey));
        }

        var modulus = certifiedKey.Modulus;
        if (modulus.Length > byte.MaxValue)
        {
            throw new ArgumentException($"a {modulus.Length}-byte modulus does not fit the one-byte length field", nameof(certifiedKey));
        }

        int inCertificate = Math.Min(modulus.Length, field);
        var remainder = modulus[inCertificate..].ToArray();
        var exponent = certifiedKey.Exponent.ToArray();

        var data = new byte[Iso9796Block.DataCapacity(n)];
        identifier.CopyTo(data);
        int at = identifier.Length;
        expiry.CopyTo(data.AsSpan(at));
        serialNumber.CopyTo(data.AsSpan(at + 2));
        data[at + 5] = Sha1Indicator;
        data[at + 6] = RsaIndicator;
        data[at + 7] = (byte)modulus.Length;
        data[at + 8] = (byte)exponent.Length;
        modulus[..inCertificate].CopyTo(data.AsSpan(at + 9));
        data.AsSpan(at + 9 + inCertificate).Fill(Iso9796Block.PadByte);

        var block = Iso9796Block.Build(format, data, Concat(remainder, exponent, staticData), n, HashAlgorithmKind.Sha1);
        return new EmvRsaCertificateData(EmvRsa.Sign(signerKey, block), remainder, exponent);
    }
}
