using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Tests.Asymmetric.Sm2Examples;

namespace Jinka.Crypto.Tests.Asymmetric;

public class Sm2SignatureEncodingTests
{
    private const string R = RecommendedR;
    private const string S = RecommendedS;

    [Fact]
    public void ToDer_adds_a_leading_zero_to_high_bit_integers_and_strips_leading_zeros()
    {
        Assert.Equal("3046" + "022100" + R + "022100" + S, Hex.Encode(Sm2Signature.ToDer(Hex.Parse(R + S))));
        var small = new string('0', 62) + "7F" + new string('0', 60) + "0102";
        Assert.Equal("3007" + "02017F" + "02020102", Hex.Encode(Sm2Signature.ToDer(Hex.Parse(small))));
        Assert.Throws<ArgumentException>(() => Sm2Signature.ToDer(new byte[63]));
    }

    [Theory]
    [InlineData("raw r‖s", R + S)]
    [InlineData("DER with 33-byte integers", "3046" + "022100" + R + "022100" + S)]
    [InlineData("DER from ToDer", "3046022100F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3022100B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA")]
    public void Parse_accepts_raw_and_DER(string description, string hex)
    {
        _ = description;
        Assert.True(Sm2Signature.TryParse(Hex.Parse(hex), out var rs, out var error), error);
        Assert.Equal(R + S, Hex.Encode(rs));
    }

    [Fact]
    public void Parse_pads_short_integers_to_32_bytes()
    {
        var rs = Sm2Signature.Parse(Hex.Parse("3007" + "02017F" + "02020102"));
        Assert.Equal(new string('0', 62) + "7F" + new string('0', 60) + "0102", Hex.Encode(rs));
    }

    [Fact]
    public void A_64_byte_input_that_is_valid_DER_is_read_as_DER()
    {
        // r of 28 bytes and s of 30 bytes: 2 + (2 + 28) + (2 + 30) = 64 bytes of DER.
        string r = "11" + new string('2', 54), s = "33" + new string('4', 58);
        var der = Hex.Parse("303E" + "021C" + r + "021E" + s);
        Assert.Equal(64, der.Length);
        Assert.Equal(new string('0', 8) + r + "0000" + s, Hex.Encode(Sm2Signature.Parse(der)));
    }

    public static TheoryData<string, string, string> Malformed() => new()
    {
        { "empty", "", "empty" },
        { "63 raw bytes", R + S[..^2], "63 bytes starting F5" },
        { "65 raw bytes", R + S + "00", "65 bytes" },
        { "DER with a trailing byte", "3046022100" + R + "022100" + S + "00", "extra bytes after the DER SEQUENCE at offset 72" },
        { "DER with one INTEGER", "3023022100" + R, "INTEGER s missing at offset 37" },
        { "DER with three INTEGERs", "3049022100" + R + "022100" + S + "020101", "extra bytes inside the SEQUENCE at offset 72" },
        { "DER with a negative r", "3045" + "0220" + R + "022100" + S, "INTEGER r at offset 2 is negative" },
        { "DER with a 34-byte s", "3047022100" + R + "022201" + S + "00", "INTEGER s at offset 37 has 34 bytes" },
        { "DER with a non-minimal INTEGER", "3008" + "0202007F" + "02020102", "not a DER SEQUENCE of two INTEGERs" },
        { "DER with OCTET STRINGs", "3046042100" + R + "042100" + S, "not a DER SEQUENCE of two INTEGERs" },
        { "DER with a wrong length", "3050022100" + R + "022100" + S, "not a DER SEQUENCE" },
        { "BER indefinite length", "3080022100" + R + "022100" + S + "0000", "not a DER SEQUENCE" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_rejects_malformed_input_naming_the_problem(string description, string hex, string expectedMessagePart)
    {
        _ = description;
        Assert.False(Sm2Signature.TryParse(Hex.Parse(hex), out var rs, out var error));
        Assert.Null(rs);
        Assert.Contains(expectedMessagePart, error, StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => Sm2Signature.Parse(Hex.Parse(hex)));
        Assert.Equal(error, e.Message);
    }
}
