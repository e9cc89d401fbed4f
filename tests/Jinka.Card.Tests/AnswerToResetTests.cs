using Jinka.Core;

namespace Jinka.Card.Tests;

public class AnswerToResetTests
{
    private const string Historical = "8031C073D721005" + "54A494E4B418105";

    [Fact]
    public void The_t1_atr_is_the_emv_basic_atr_with_a_correct_tck()
    {
        var card = TestCards.Blank();
        var atr = card.Atr;

        // TCK = XOR of T0 … last historical byte (ISO/IEC 7816-3 §8.2.5).
        byte tck = 0;
        foreach (byte b in Hex.Parse("EF00008131FE45" + Historical))
        {
            tck ^= b;
        }

        Assert.Equal("3BEF00008131FE45" + Historical + tck.ToString("X2", System.Globalization.CultureInfo.InvariantCulture), atr.ToString());
        Assert.Equal([1, 1], atr.Protocols);
        Assert.Equal(tck, atr.Tck);
        Assert.Equal(Historical, Hex.Encode(atr.HistoricalBytes));
        Assert.Same(atr, card.PowerOn());
    }

    [Fact]
    public void The_t0_atr_names_no_protocol_and_has_no_tck()
    {
        var atr = TestCards.Blank(new VirtualCardOptions { UseGetResponse = true }).Atr;
        Assert.Equal("3B6F0000" + Historical, atr.ToString());
        Assert.Equal([0], atr.Protocols);
        Assert.Null(atr.Tck);
    }

    [Theory]
    [InlineData("a real T=0 card ATR", "3B6800000073C84013009000", 0)]
    [InlineData("T=0 and T=1 offered, TCK present", "3B8F8001804F0CA000000306030001000000006A", 0)]
    public void Other_atrs_parse(string description, string hex, int firstProtocol)
    {
        Assert.True(AnswerToReset.TryParse(Hex.Parse(hex), out var atr, out var error), $"{description}: {error}");
        Assert.Equal(firstProtocol, atr.Protocols[0]);
        Assert.Equal(hex, atr.ToString());
    }

    [Theory]
    [InlineData("empty", "", "shorter than TS T0")]
    [InlineData("bad TS", "3C6000", "TS at offset 0 is 3C")]
    [InlineData("historical bytes missing", "3B6500000102", "make 9")]
    [InlineData("TD announced, missing", "3B80", "TD byte expected at offset 2")]
    [InlineData("TCK wrong", "3BE000008131FE4500", "XOR of T0 … TCK is")]
    [InlineData("TCK missing for T=1", "3BE000008131FE45", "and TCK make 9")]
    [InlineData("extra byte", "3B60000000", "ATR is 5 bytes")]
    public void Malformed_atr_table(string description, string hex, string expected)
    {
        Assert.False(AnswerToReset.TryParse(Hex.Parse(hex), out _, out var error), description);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void More_than_15_historical_bytes_are_refused()
        => Assert.Throws<ArgumentException>(() => AnswerToReset.Build(t0: false, new byte[16]));
}
