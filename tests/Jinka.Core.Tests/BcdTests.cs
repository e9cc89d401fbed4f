namespace Jinka.Core.Tests;

public class BcdTests
{
    [Theory]
    [InlineData("amount n12", "000000001234", 1234L)]
    [InlineData("empty", "", 0L)]
    [InlineData("18 digits", "999999999999999999", 999_999_999_999_999_999L)]
    public void Reads_packed_digits(string description, string hex, long expected)
    {
        Assert.True(Bcd.TryToNumber(Hex.Parse(hex), out long value), description);
        Assert.Equal(expected, value);
        Assert.True(Bcd.IsValid(Hex.Parse(hex)));
    }

    [Theory]
    [InlineData("high nibble A", "A0")]
    [InlineData("low nibble F (cn padding is not n)", "1F")]
    [InlineData("19 digits do not fit", "01999999999999999999")]
    public void Rejects_what_is_not_n(string description, string hex)
    {
        Assert.False(Bcd.TryToNumber(Hex.Parse(hex), out _), description);
        Assert.False(Bcd.IsValid(Hex.Parse(hex)));
    }

    [Theory]
    [InlineData(1234L, 6, "000000001234")]
    [InlineData(156L, 2, "0156")]
    public void Writes_right_justified_zero_padded(long value, int length, string expected)
        => Assert.Equal(expected, Hex.Encode(Bcd.FromNumber(value, length)));

    [Fact]
    public void A_number_too_long_for_the_field_is_refused()
        => Assert.Throws<ArgumentOutOfRangeException>(() => Bcd.FromNumber(1234567, 3));

    [Theory]
    [InlineData("301231", 2030, 12, 31)]
    [InlineData("490228", 2049, 2, 28)]
    [InlineData("500101", 1950, 1, 1)]
    public void Reads_yymmdd_dates_with_the_emv_century_rule(string hex, int year, int month, int day)
    {
        Assert.True(Bcd.TryToDate(Hex.Parse(hex), out var date));
        Assert.Equal(new DateOnly(year, month, day), date);
    }

    [Theory]
    [InlineData("310230")]
    [InlineData("301301")]
    [InlineData("3012")]
    public void Rejects_impossible_dates(string hex) => Assert.False(Bcd.TryToDate(Hex.Parse(hex), out _));
}
