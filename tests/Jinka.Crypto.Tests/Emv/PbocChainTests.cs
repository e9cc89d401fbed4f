using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Emv;

/// <summary>Whole PBOC TDES chains: MDK → UDK → session key → ARQC → ARPC, with a check at every step.</summary>
public class PbocChainTests
{
    private static readonly AlgorithmSuite s_suite = AlgorithmSuite.International;

    [Fact]
    public void NOTES_Appendix_A3_chain_with_kcv_at_every_step()
    {
        byte[] mdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        Assert.Equal("08D7B4", Hex.Encode(s_suite.KeyCheckValue(mdk)));

        Assert.Equal("2588000000000100", Hex.Encode(EmvPan.ComputeY("6225880000000001", 0x00)));

        byte[] udk = s_suite.DeriveUdk(mdk, "6225880000000001", 0x00);
        Assert.Equal("A4855751C29237E91F01E9679DC85E61", Hex.Encode(udk));
        Assert.True(DesKeyParity.HasOddParity(udk));
        Assert.Equal("237385", Hex.Encode(s_suite.KeyCheckValue(udk)));

        byte[] sk = s_suite.DeriveSessionKey(udk, Hex.Parse("0001"));
        Assert.Equal("2668980DD6F75161A873CE86BF1F7FCB", Hex.Encode(sk));
        Assert.Equal("CB7E41", Hex.Encode(s_suite.KeyCheckValue(sk)));

        byte[] acData = Hex.Parse("000000000100 000000000000 0156 0000000000 0156 240101 00 12345678 7C00 0001 03A00000");
        byte[] arqc = s_suite.GenerateAc(sk, acData);
        Assert.Equal("A6364607F31A5DB3", Hex.Encode(arqc));
        Assert.True(s_suite.VerifyAc(sk, acData, arqc));

        Assert.Equal("BB4244A6AA844C52", Hex.Encode(s_suite.Arpc1(sk, arqc, "00"u8)));
    }

    [Fact]
    public void ADDENDUM_V4_chain_needs_unadjusted_keys_to_print_the_published_udk_and_session_key()
    {
        byte[] mdk = Hex.Parse("C4D689158AD9FB9D23105B91CE046D0E");
        Assert.Equal("2011000270735501", Hex.Encode(EmvPan.ComputeY("6210220110002707355", 0x01)));

        // V4 prints the UDK and SK without parity adjustment ("no parity fix").
        byte[] udk = s_suite.DeriveUdk(mdk, "6210220110002707355", 0x01, UdkOption.OptionA, KeyParity.Unadjusted);
        Assert.Equal("B8A15DA5F7043C317D9FD8F8DFE2BD75", Hex.Encode(udk));
        byte[] sk = s_suite.DeriveSessionKey(udk, Hex.Parse("03D3"), SessionKeyMethod.Pboc, KeyParity.Unadjusted);
        Assert.Equal("4A43440B2D932ACDC4E2776ED562EE43", Hex.Encode(sk));

        byte[] acData = Hex.Parse("00000000000000000000000001560000000000015600000000000004447C0003D30380A800");
        byte[] arqc = s_suite.GenerateAc(sk, acData);
        Assert.Equal("81A9DC9310F88856", Hex.Encode(arqc));
        Assert.Equal("84DD63A221F915CA", Hex.Encode(s_suite.Arpc1(sk, arqc, "00"u8)));

        // The default (odd parity) keys differ in their bytes but give the same cryptograms: DES ignores parity bits.
        byte[] oddUdk = s_suite.DeriveUdk(mdk, "6210220110002707355", 0x01);
        Assert.NotEqual(udk, oddUdk);
        byte[] oddSk = s_suite.DeriveSessionKey(oddUdk, Hex.Parse("03D3"));
        Assert.NotEqual(sk, oddSk);
        Assert.Equal(s_suite.KeyCheckValue(sk), s_suite.KeyCheckValue(oddSk));
        Assert.Equal(arqc, s_suite.GenerateAc(oddSk, acData));
    }

    [Fact]
    public void ADDENDUM_V5_from_udk()
    {
        byte[] udk = Hex.Parse("0D2E3CB0BC1F9E03AED58F663A2F9679");
        byte[] sk = s_suite.DeriveSessionKey(udk, Hex.Parse("000E"), SessionKeyMethod.Pboc, KeyParity.Unadjusted);
        Assert.Equal("C3D3F062E9992B4E923D338D66193526", Hex.Encode(sk));
        byte[] acData = Hex.Parse("0000000012340000000000340156D86004A80001561205160101010101" + "7C00" + "000E" + "03A4B904");
        byte[] arqc = s_suite.GenerateAc(sk, acData);
        Assert.Equal("F294D7022FA9B058", Hex.Encode(arqc));
        Assert.Equal("3846EEB4C8D34271", Hex.Encode(s_suite.Arpc1(sk, arqc, Hex.Parse("3030"))));
    }

    [Fact]
    public void Pyemv_generate_ac_and_arpc_examples()
    {
        byte[] sk = Hex.Parse("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB");
        byte[] data = Hex.Parse("000000002000" + "000000000000" + "0124" + "0000008000" + "0124" + "110309" + "00" + "3804823E" + "5800" + "0001");
        Assert.Equal("3B76CF10FECD8789", Hex.Encode(s_suite.GenerateAc(sk, data)));
        byte[] arqc = Hex.Parse("1234567890ABCDEF");
        Assert.Equal("F5E6F44147E2F1B0", Hex.Encode(s_suite.Arpc1(sk, arqc, Hex.Parse("0000"))));
        Assert.Equal("9308BEBC", Hex.Encode(s_suite.Arpc2(sk, arqc, Hex.Parse("00000000"))));
    }

    [Fact]
    public void Arpc_method_2_is_the_retail_mac_of_arqc_csu_and_proprietary_data()
    {
        byte[] sk = Hex.Parse("AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB");
        byte[] arqc = Hex.Parse("1234567890ABCDEF");
        byte[] csu = Hex.Parse("00820000");
        byte[] pad = Hex.Parse("0102030405");
        byte[] expected = Iso9797Mac.ComputeAlgorithm3(sk, Hex.Parse("1234567890ABCDEF" + "00820000" + "0102030405"), PaddingMethod.Iso9797Method2, 4);
        Assert.Equal(expected, s_suite.Arpc2(sk, arqc, csu, pad));
    }

    [Fact]
    public void A_wrong_arqc_does_not_verify()
    {
        byte[] sk = Hex.Parse("2668980DD6F75161A873CE86BF1F7FCB");
        byte[] acData = Hex.Parse("00000000010000000000000001560000000000015624010100123456787C00000103A00000");
        Assert.False(s_suite.VerifyAc(sk, acData, Hex.Parse("A6364607F31A5DB4")));
        acData[0] ^= 1;
        Assert.False(s_suite.VerifyAc(sk, acData, Hex.Parse("A6364607F31A5DB3")));
    }

    [Theory]
    [InlineData("ARQC 7 bytes", 7, 2, 4, 0, "arqc")]
    [InlineData("ARC 1 byte", 8, 1, 4, 0, "arc")]
    [InlineData("CSU 3 bytes", 8, 2, 3, 0, "csu")]
    [InlineData("proprietary data 9 bytes", 8, 2, 4, 9, "proprietaryData")]
    public void Malformed_arpc_inputs_are_rejected(string description, int arqcLength, int arcLength, int csuLength, int proprietaryLength, string parameter)
    {
        _ = description;
        byte[] sk = new byte[16];
        sk[0] = 1;
        var ex = Assert.Throws<ArgumentException>(() =>
        {
            if (parameter is "csu" or "proprietaryData")
            {
                s_suite.Arpc2(sk, new byte[arqcLength], new byte[csuLength], new byte[proprietaryLength]);
            }
            else
            {
                s_suite.Arpc1(sk, new byte[arqcLength], new byte[arcLength]);
            }
        });
        Assert.Equal(parameter, ex.ParamName);
    }
}
