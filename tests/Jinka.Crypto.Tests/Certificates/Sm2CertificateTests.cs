using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using static Jinka.Crypto.Tests.Certificates.AddendumVectors;

namespace Jinka.Crypto.Tests.Certificates;

public class Sm2CertificateTests
{
    private static readonly byte[] s_staticData = Hex.Parse("5A0862354897300002185F24032512317C00");

    [Fact]
    public void A_chain_built_here_verifies_link_by_link()
    {
        using var ca = Sm2.GenerateKeyPair();
        using var issuer = Sm2.GenerateKeyPair();
        using var icc = Sm2.GenerateKeyPair();

        var issuerCertificate = Sm2IssuerCertificate.Create(Hex.Parse("62354897"), Hex.Parse("1230"), Hex.Parse("000001"), issuer.PublicKey, ca);
        Assert.Equal(142, issuerCertificate.Encoded.Length);
        Assert.Equal("1262354897123000000104001140", Hex.Encode(issuerCertificate.Encoded[..14]));
        var parsedIssuer = Sm2IssuerCertificate.Parse(issuerCertificate.Encoded);
        Assert.True(parsedIssuer.Verify(ca.PublicKey));
        Assert.Equal(issuer.PublicKey, parsedIssuer.PublicKey);

        var iccCertificate = Sm2IccCertificate.Create(
            Hex.Parse("6235489730000218FFFF"), Hex.Parse("1225"), Hex.Parse("000002"), icc.PublicKey, s_staticData, issuer);
        Assert.Equal(148, iccCertificate.Encoded.Length);
        var parsedIcc = Sm2IccCertificate.Parse(iccCertificate.Encoded);
        Assert.True(parsedIcc.Verify(parsedIssuer.PublicKey, s_staticData));
        Assert.False(parsedIcc.Verify(parsedIssuer.PublicKey, s_staticData.AsSpan(0, s_staticData.Length - 2)));
        Assert.Equal("6235489730000218", parsedIcc.PanDigits);

        var sda = Sm2SignedStaticData.Create(Hex.Parse("DAC1"), s_staticData, issuer);
        var parsedSda = Sm2SignedStaticData.Parse(sda.Encoded);
        Assert.Equal(67, parsedSda.Encoded.Length);
        Assert.Equal("DAC1", Hex.Encode(parsedSda.DataAuthenticationCode));
        Assert.True(parsedSda.Verify(issuer.PublicKey, s_staticData));
        Assert.False(parsedSda.Verify(icc.PublicKey, s_staticData));

        var iccDynamic = Hex.Parse("0412345678");
        var unpredictable = Hex.Parse("A1B2C3D4");
        var dda = Sm2SignedDynamicData.Create(iccDynamic, unpredictable, icc);
        var parsedDda = Sm2SignedDynamicData.Parse(dda.Encoded);
        Assert.Equal("15" + "05" + "0412345678", Hex.Encode(parsedDda.Encoded[..7]));
        Assert.Equal("12345678", Hex.Encode(parsedDda.IccDynamicNumber));
        Assert.True(parsedDda.Verify(icc.PublicKey, unpredictable));
        Assert.False(parsedDda.Verify(icc.PublicKey, Hex.Parse("A1B2C3D5")));
    }

    [Fact]
    public void Signed_data_equals_the_concatenation_the_addendum_describes()
    {
        using var issuer = Sm2.GenerateKeyPair();
        var sda = Sm2SignedStaticData.Create(Hex.Parse("0001"), s_staticData, issuer);
        Assert.True(Sm2.Verify(issuer.PublicKey, [.. Hex.Parse("130001"), .. s_staticData], sda.Signature));

        var dda = Sm2SignedDynamicData.Create(Hex.Parse("020102"), Hex.Parse("11223344"), issuer);
        Assert.True(Sm2.Verify(issuer.PublicKey, Hex.Parse("1503020102" + "11223344"), dda.Signature));
    }

    [Fact]
    public void Create_refuses_wrong_field_lengths()
    {
        using var key = Sm2.GenerateKeyPair();
        Assert.Throws<ArgumentException>(() => Sm2IssuerCertificate.Create(Hex.Parse("623548"), Hex.Parse("1230"), Hex.Parse("000001"), key.PublicKey, key));
        Assert.Throws<ArgumentException>(() => Sm2IssuerCertificate.Create(Hex.Parse("62354897"), Hex.Parse("123001"), Hex.Parse("000001"), key.PublicKey, key));
        Assert.Throws<ArgumentException>(() => Sm2IccCertificate.Create(Hex.Parse("6235489730000218"), Hex.Parse("1230"), Hex.Parse("000001"), key.PublicKey, [], key));
        Assert.Throws<ArgumentException>(() => Sm2SignedStaticData.Create(Hex.Parse("01"), [], key));
        Assert.Throws<ArgumentException>(() => Sm2SignedDynamicData.Create(new byte[256], [], key));
    }

    public static TheoryData<string, string, string> MalformedIssuerCertificates()
    {
        string v1 = V1IssuerCertificate;
        return new TheoryData<string, string, string>
        {
            { "empty", "", "issuer PK certificate (tag 90) is empty; expected 142 bytes starting with format 12" },
            { "RSA format 02", "02" + v1[2..], "issuer PK certificate (tag 90): byte 0 is 02; expected format 12" },
            { "ICC format 14", "14" + v1[2..], "byte 0 is 14; expected format 12" },
            { "one byte short", v1[..^2], "issuer PK certificate (tag 90) is 141 bytes; expected 142" },
            { "one byte long", v1 + "00", "is 143 bytes; expected 142" },
            { "signature algorithm 01 (RSA)", v1[..20] + "01" + v1[22..], "byte 10 (signature algorithm indicator) is 01; expected 04 (SM2)" },
            { "PK length 41", v1[..26] + "41" + v1[28..], "byte 13 (public key length) is 41; expected 40 (64 bytes x‖y)" },
            { "PK not on the curve", v1[..28] + "00" + v1[30..], "bytes 14–77 (public key) are not a point on the SM2 curve" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedIssuerCertificates))]
    public void Issuer_certificate_parse_errors_name_offset_and_expectation(string description, string hex, string expected)
    {
        _ = description;
        Assert.False(Sm2IssuerCertificate.TryParse(Hex.Parse(hex), out var certificate, out var error));
        Assert.Null(certificate);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(error, Assert.Throws<FormatException>(() => Sm2IssuerCertificate.Parse(Hex.Parse(hex))).Message);
    }

    public static TheoryData<string, string, string> MalformedIccCertificates()
    {
        string v2 = V2IccCertificate;
        return new TheoryData<string, string, string>
        {
            { "issuer format 12", "12" + v2[2..], "ICC PK certificate (tag 9F46): byte 0 is 12; expected format 14" },
            { "issuer-certificate length", v2[..284], "ICC PK certificate (tag 9F46) is 142 bytes; expected 148" },
            { "signature algorithm 05", v2[..32] + "05" + v2[34..], "byte 16 (signature algorithm indicator) is 05; expected 04 (SM2)" },
            { "PK length 20", v2[..38] + "20" + v2[40..], "byte 19 (public key length) is 20; expected 40" },
            { "PK not on the curve", v2[..40] + "FF" + v2[42..], "bytes 20–83 (public key) are not a point on the SM2 curve" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedIccCertificates))]
    public void ICC_certificate_parse_errors_name_offset_and_expectation(string description, string hex, string expected)
    {
        _ = description;
        Assert.False(Sm2IccCertificate.TryParse(Hex.Parse(hex), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Sm2IccCertificate.Parse(Hex.Parse(hex)));
    }

    [Theory]
    [InlineData("empty", "", "signed static data (tag 93) is empty")]
    [InlineData("RSA format 03", "03" + "0001", "signed static data (tag 93): byte 0 is 03; expected format 13")]
    [InlineData("no signature", "13" + "0001", "signed static data (tag 93) is 3 bytes; expected 67")]
    public void Signed_static_data_parse_errors(string description, string hex, string expected)
    {
        _ = description;
        Assert.False(Sm2SignedStaticData.TryParse(Hex.Parse(hex), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Sm2SignedStaticData.Parse(Hex.Parse(hex)));
    }

    [Theory]
    [InlineData("empty", "", "signed dynamic data (tag 9F4B) is empty")]
    [InlineData("RSA format 05", "0502AABB", "signed dynamic data (tag 9F4B): byte 0 is 05; expected format 15")]
    [InlineData("no Ldd", "15", "byte 1 (Ldd) is missing")]
    [InlineData("Ldd larger than the data", "1503AABB", "is 4 bytes; byte 1 (Ldd = 03) means 69")]
    public void Signed_dynamic_data_parse_errors(string description, string hex, string expected)
    {
        _ = description;
        Assert.False(Sm2SignedDynamicData.TryParse(Hex.Parse(hex), out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Sm2SignedDynamicData.Parse(Hex.Parse(hex)));
    }

    [Fact]
    public void Dynamic_data_without_a_well_formed_dynamic_number_gives_an_empty_one()
    {
        using var key = Sm2.GenerateKeyPair();
        Assert.True(Sm2SignedDynamicData.Create([], [], key).IccDynamicNumber.IsEmpty);
        Assert.True(Sm2SignedDynamicData.Create(Hex.Parse("0901"), [], key).IccDynamicNumber.IsEmpty);
        Assert.Equal(0, Sm2SignedDynamicData.Create([], [], key).IccDynamicData.Length);
    }
}
