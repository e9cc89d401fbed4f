using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Emv;

public class UdkDerivationTests
{
    private static readonly byte[] s_testMdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");

    [Fact]
    public void Option_A_reproduces_pyemv_module_vector_NOTES_Appendix_A2()
    {
        byte[] udk = AlgorithmSuite.International.DeriveUdk(s_testMdk, "99012345678901234", 0x45, UdkOption.OptionA);
        Assert.Equal("67F8292358083E5EA7AB7FDA58D53B6B", Hex.Encode(udk));
    }

    [Fact]
    public void Option_A_reproduces_pyemv_derive_icc_mk_a_docstring_vector()
    {
        byte[] udk = AlgorithmSuite.International.DeriveUdk(s_testMdk, "12345678901234567", 0x01, UdkOption.OptionA);
        Assert.Equal("73AD54688CEF2934B0979857E3C719F1", Hex.Encode(udk));
    }

    [Fact]
    public void Option_A_with_PSN_45_has_pyemv_test_kcv_FF08()
    {
        // pyemv tests/test_ac: derive_icc_mk_a(PAN 12345678901234567, PSN 45) has key check digits FF08.
        byte[] udk = AlgorithmSuite.International.DeriveUdk(s_testMdk, "12345678901234567", 0x45, UdkOption.OptionA);
        Assert.StartsWith("FF08", Hex.Encode(KeyCheckValue.Compute(CipherAlgorithm.TripleDes, udk)), StringComparison.Ordinal);
    }

    [Fact]
    public void Option_B_reproduces_pyemv_derive_icc_mk_b_docstring_vector()
    {
        // EMV Book 2 A1.4.2 (SHA-1 of PAN ‖ PSN, decimalised); pyemv publishes this value for a 17-digit PAN.
        byte[] udk = AlgorithmSuite.International.DeriveUdk(s_testMdk, "12345678901234567", 0x01, UdkOption.OptionB);
        Assert.Equal("AD406D7F6D7570916D75E5DCAB8CF737", Hex.Encode(udk));
    }

    [Fact]
    public void Option_B_equals_option_A_for_PANs_of_16_digits_or_fewer()
    {
        byte[] a = AlgorithmSuite.International.DeriveUdk(s_testMdk, "6225880000000001", 0x00, UdkOption.OptionA);
        byte[] b = AlgorithmSuite.International.DeriveUdk(s_testMdk, "6225880000000001", 0x00, UdkOption.OptionB);
        Assert.Equal(a, b);
        Assert.NotEqual(
            EmvPan.ComputeY("1234567890123456789", 0x00, UdkOption.OptionA),
            EmvPan.ComputeY("1234567890123456789", 0x00, UdkOption.OptionB));
    }

    [Theory]
    [InlineData("NOTES A.3: 16-digit PAN, PSN 00", "6225880000000001", 0x00, "2588000000000100")]
    [InlineData("ADDENDUM V4: 19-digit PAN, PSN 01", "6210220110002707355", 0x01, "2011000270735501")]
    [InlineData("short PAN is left-padded with zeros", "12345678", 0x01, "0000001234567801")]
    [InlineData("tag 5A F padding is ignored", "622588000000000F", 0x00, "2258800000000000")]
    public void Y_is_the_rightmost_16_digits_of_PAN_and_PSN(string description, string pan, byte psn, string y)
    {
        _ = description;
        Assert.Equal(y, Hex.Encode(EmvPan.ComputeY(pan, psn)));
    }

    [Fact]
    public void Pan_from_bcd_strips_the_F_padding()
    {
        Assert.Equal("6210220110002707355", EmvPan.FromBcd(Hex.Parse("6210220110002707355F")));
        Assert.Equal("6225880000000001", EmvPan.FromBcd(Hex.Parse("6225880000000001")));
        Assert.Throws<ArgumentException>(() => EmvPan.FromBcd(Hex.Parse("62258A0000000001")));
    }

    [Fact]
    public void Sm4_udk_reproduces_NOTES_Appendix_A4_with_its_kcv()
    {
        byte[] udk = AlgorithmSuite.Sm.DeriveUdk(s_testMdk, "6225880000000001", 0x00);
        Assert.Equal("221260DE64685BD7DDC3D499F9DE4BAE", Hex.Encode(udk));
        Assert.Equal("B62ECE", Hex.Encode(AlgorithmSuite.Sm.KeyCheckValue(udk)));

        // NOTES A.6: one SM4 block over Y ‖ (Y ⊕ FF…), computed here step by step.
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, s_testMdk);
        Assert.Equal(udk, sm4.EncryptEcb(Hex.Parse("2588000000000100DA77FFFFFFFFFEFF")));
    }

    [Fact]
    public void Sm_suite_refuses_odd_parity()
    {
        var ex = Assert.Throws<ArgumentException>(() => AlgorithmSuite.Sm.DeriveUdk(s_testMdk, "6225880000000001", 0x00, UdkOption.OptionA, KeyParity.Odd));
        Assert.Contains("parity", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("letter inside", "62258800A0000001", "offset 8")]
    [InlineData("F not at the end", "6225F80000000001", "offset 4")]
    [InlineData("space", "6225 880000000001", "offset 4")]
    [InlineData("too short", "1234567", "7 digits")]
    [InlineData("too long", "12345678901234567890", "20 digits")]
    [InlineData("only padding", "FFFF", "0 digits")]
    [InlineData("empty", "", "0 digits")]
    public void Malformed_PAN_is_rejected_with_offset_or_length(string description, string pan, string fragment)
    {
        _ = description;
        var ex = Assert.Throws<ArgumentException>(() => EmvPan.ComputeY(pan, 0x00));
        Assert.Equal("pan", ex.ParamName);
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
        Assert.False(EmvPan.TryValidate(pan, out _, out string? error));
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData(0x0A)]
    [InlineData(0xA0)]
    [InlineData(0xFF)]
    public void Non_BCD_PSN_is_rejected(byte psn)
    {
        var ex = Assert.Throws<ArgumentException>(() => EmvPan.ComputeY("6225880000000001", psn));
        Assert.Equal("psn", ex.ParamName);
    }

    [Fact]
    public void Wrong_mdk_length_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.International.DeriveUdk(new byte[8], "6225880000000001"));
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.Sm.DeriveUdk(new byte[24], "6225880000000001"));
    }
}
