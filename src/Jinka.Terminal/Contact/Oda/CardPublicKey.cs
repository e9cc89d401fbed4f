using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;

namespace Jinka.Terminal.Contact.Oda;

/// <summary>
/// An issuer or ICC public key recovered from a certificate: RSA (EMV Book 2) or SM2 (NOTES A.7, ADDENDUM 1.2).
/// The suite follows the certificates; the steps that use a key do not branch on "is this SM" beyond this type.
/// </summary>
internal sealed class CardPublicKey
{
    private CardPublicKey(EmvRsaPublicKey? rsa, Sm2PublicKey? sm2, string certificateSerial)
    {
        Rsa = rsa;
        Sm2 = sm2;
        CertificateSerial = certificateSerial;
    }

    public EmvRsaPublicKey? Rsa { get; }

    public Sm2PublicKey? Sm2 { get; }

    public bool IsSm2 => Sm2 is not null;

    /// <summary>The hash of the CDA transaction data: SHA-1 with RSA, SM3 with SM2 (contract P6).</summary>
    public HashAlgorithmKind CdaHash => IsSm2 ? HashAlgorithmKind.Sm3 : HashAlgorithmKind.Sha1;

    /// <summary>Serial number of the certificate the key came from, hex.</summary>
    public string CertificateSerial { get; }

    public static CardPublicKey FromRsa(EmvRsaPublicKey key, ReadOnlySpan<byte> serial) => new(key, null, Convert.ToHexString(serial));

    public static CardPublicKey FromSm2(Sm2PublicKey key, ReadOnlySpan<byte> serial) => new(null, key, Convert.ToHexString(serial));

    public override string ToString() => IsSm2 ? "SM2 key" : $"RSA-{Rsa!.ModulusLength * 8} key";
}
