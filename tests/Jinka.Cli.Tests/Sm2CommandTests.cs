namespace Jinka.Cli.Tests;

public class Sm2CommandTests
{
    // ADDENDUM V1: a real SM card's issuer certificate (tag 90) and the UnionPay SM CA key, index 18 (ADDENDUM 1.3).
    private const string Ca18 = "04" + "37710FEB7CC3617767874E85509C268E8F931D68773E93A89F39A4247DFE2D28" + "0FC5BC838353885B6DAD447C8F90116BD9D314047591989F67F319544D42A48B";
    private const string V1 =
        "1262354897123000125804001140C9DAD9AC482C02D489E24EEDFCE7C2F0EA4450D208E8E3847FDDCE6B9D55EDC8C97154E019C9E5C1419629587C9C923529D5A18D1715E6EF9DAEB057987FEDFAE1F1F48346B2E90A4443CB7DD42748236C2264FCE4A47B68EF505F2E2FCE4736BA8EC9B67611DB07E31FA90E245300BA278EBDD345508FACE2485E242CE09363";

    [Theory]
    [InlineData("GM/T 0004 example 1", "616263", "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")]
    [InlineData("GM/T 0004 example 2", "61626364616263646162636461626364616263646162636461626364616263646162636461626364616263646162636461626364616263646162636461626364", "DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732")]
    public void Sm3_reproduces_the_standard(string description, string data, string expected)
    {
        var result = Cli.Run("crypto", "sm3", "--data", data);
        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Equal(expected, result.Line);
    }

    [Fact]
    public void A_real_card_certificate_verifies_under_the_unionpay_ca_key()
    {
        // The certificate is its 78-byte body followed by the 64-byte signature r‖s (ADDENDUM 1.2).
        var result = Cli.Run("crypto", "sm2", "verify", "--public", Ca18, "--data", V1[..156], "--signature", V1[156..]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("valid", result.Line);
    }

    [Fact]
    public void A_tampered_certificate_is_invalid_with_exit_1()
    {
        string tampered = "13" + V1[2..156];
        var result = Cli.Run("crypto", "sm2", "verify", "--public", Ca18, "--data", tampered, "--signature", V1[156..]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("invalid", result.Line);
    }

    [Fact]
    public void Another_user_id_does_not_verify()
    {
        var result = Cli.Run("crypto", "sm2", "verify", "--public", Ca18, "--data", V1[..156], "--signature", V1[156..], "--id", "ALICE123@YAHOO.COM");
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Keygen_sign_verify_round_trip_in_raw_and_der()
    {
        var keys = Cli.Run("crypto", "sm2", "keygen");
        Assert.Equal(0, keys.ExitCode);
        var lines = keys.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("private: ", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("public: 04", lines[1], StringComparison.Ordinal);
        string privateKey = lines[0]["private: ".Length..].Trim();
        string publicKey = lines[1]["public: ".Length..].Trim();
        Assert.Equal(64, privateKey.Length);
        Assert.Equal(130, publicKey.Length);

        var raw = Cli.Run("crypto", "sm2", "sign", "--private", privateKey, "--data", "4A696E6B61", "--id", "jinka@example");
        Assert.Equal(128, raw.Line.Length);
        Assert.Equal("valid", Cli.Run("crypto", "sm2", "verify", "--public", publicKey, "--data", "4A696E6B61", "--signature", raw.Line, "--id", "jinka@example").Line);

        var der = Cli.Run("crypto", "sm2", "sign", "--private", privateKey, "--data", "4A696E6B61", "--der");
        Assert.StartsWith("30", der.Line, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run("crypto", "sm2", "verify", "--public", publicKey, "--data", "4A696E6B61", "--signature", der.Line).ExitCode);
    }

    [Theory]
    [InlineData("public key not on the curve", new[] { "crypto", "sm2", "verify", "--public", "04" + "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000001", "--data", "00", "--signature", "00" }, "curve")]
    [InlineData("signature neither raw nor DER", new[] { "crypto", "sm2", "verify", "--public", Ca18, "--data", "00", "--signature", "0011" }, "--signature")]
    [InlineData("private key of 31 bytes", new[] { "crypto", "sm2", "sign", "--private", "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEE", "--data", "00" }, "--private")]
    [InlineData("private key zero", new[] { "crypto", "sm2", "sign", "--private", "0000000000000000000000000000000000000000000000000000000000000000", "--data", "00" }, "jinka:")]
    public void Bad_input_exits_2(string description, string[] args, string fragment)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }
}
