using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.Hashing;
using static Jinka.Crypto.Tests.Certificates.AddendumVectors;

namespace Jinka.Crypto.Tests.Certificates;

public class AddendumVectorTests
{
    [Fact]
    public void V1_real_issuer_certificate_verifies_under_UnionPay_CA_18_with_the_published_ZA_and_e()
    {
        var ca = new Sm2PublicKey(Hex.Parse(Ca18));
        var encoded = Hex.Parse(V1IssuerCertificate);
        var certificate = Sm2IssuerCertificate.Parse(encoded);

        Assert.Equal(V1ZaCa18, Hex.Encode(Sm2.ComputeZ(ca)));
        Assert.Equal(78, certificate.Body.Length);
        Assert.Equal(V1E, Hex.Encode(Sm3.Hash([.. Hex.Parse(V1ZaCa18), .. certificate.Body])));
        Assert.Equal(V1E, Hex.Encode(Sm2.ComputeDigest(ca, certificate.Body)));
        Assert.True(certificate.Verify(ca));
        Assert.True(Sm2.VerifyDigest(ca, Hex.Parse(V1E), certificate.Signature));

        Assert.Equal(0x12, certificate.Format);
        Assert.Equal("62354897", certificate.IssuerIdDigits);
        Assert.Equal("1230", certificate.ExpiryMmyy);
        Assert.Equal("001258", Hex.Encode(certificate.SerialNumber));
        Assert.Equal(0x04, certificate.SignatureAlgorithm);
        Assert.Equal(0x00, certificate.PublicKeyAlgorithm);
        Assert.Equal(0x11, certificate.PublicKeyParameter);
        Assert.Equal(V1IssuerCertificate[28..156], Hex.Encode(certificate.PublicKey.Xy));
        Assert.StartsWith("C9DAD9AC", Hex.Encode(certificate.PublicKey.Xy), StringComparison.Ordinal);
        Assert.EndsWith("87FEDFA", Hex.Encode(certificate.PublicKey.Xy), StringComparison.Ordinal);
        Assert.Equal(encoded, certificate.Encoded.ToArray());
    }

    [Fact]
    public void V1_fails_with_another_user_ID_or_a_flipped_bit()
    {
        var ca = new Sm2PublicKey(Hex.Parse(Ca18));
        Assert.False(Sm2IssuerCertificate.Parse(Hex.Parse(V1IssuerCertificate)).Verify(ca, []));
        var tampered = Hex.Parse(V1IssuerCertificate);
        tampered[5] ^= 0x10;   // expiry
        Assert.False(Sm2IssuerCertificate.Parse(tampered).Verify(ca));
        tampered = Hex.Parse(V1IssuerCertificate);
        tampered[^1] ^= 0x01;  // s
        Assert.False(Sm2IssuerCertificate.Parse(tampered).Verify(ca));
    }

    [Fact]
    public void V2_ICC_certificate_verifies_over_body_static_data_and_AIP_but_not_without_the_AIP()
    {
        var issuer = Sm2IssuerCertificate.Parse(Hex.Parse(V1IssuerCertificate)).PublicKey;
        var certificate = Sm2IccCertificate.Parse(Hex.Parse(V2IccCertificate));

        Assert.Equal(V2ZaIssuer, Hex.Encode(Sm2.ComputeZ(issuer)));
        Assert.Equal(84, certificate.Body.Length);
        Assert.True(certificate.Verify(issuer, Hex.Parse(V2StaticData + V2Aip)));
        Assert.False(certificate.Verify(issuer, Hex.Parse(V2StaticData)));
        Assert.False(certificate.Verify(new Sm2PublicKey(Hex.Parse(Ca18)), Hex.Parse(V2StaticData + V2Aip)));

        Assert.Equal("623548973000021812", certificate.PanDigits);
        Assert.Equal("623548973000021812FF", Hex.Encode(certificate.Pan));
        Assert.Equal("0625", certificate.ExpiryMmyy);
        Assert.Equal("007EB0", Hex.Encode(certificate.SerialNumber));
        Assert.Equal(0x14, certificate.Format);
    }

    [Fact]
    public void V3_JD_issuer_certificate_verifies_under_test_CA_57()
    {
        var encoded = Hex.Parse(V3Body + V3IssuerKey + V3R + V3S);
        Assert.Equal(Sm2IssuerCertificate.Length, encoded.Length);
        var certificate = Sm2IssuerCertificate.Parse(encoded);
        var ca57 = new Sm2PublicKey(Hex.Parse(Ca57));
        Assert.True(certificate.Verify(ca57));
        Assert.False(certificate.Verify(new Sm2PublicKey(Hex.Parse(Ca18))));
        Assert.Equal("62280001", certificate.IssuerIdDigits);
        Assert.Equal("000001", Hex.Encode(certificate.SerialNumber));
        Assert.Equal("1220", certificate.ExpiryMmyy);

        // ADDENDUM 1.1: only s ending in 2A verifies.
        var other = (byte[])encoded.Clone();
        other[^1] = 0x2B;
        Assert.False(Sm2IssuerCertificate.Parse(other).Verify(ca57));
    }
}
