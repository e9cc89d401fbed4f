namespace Jinka.Core.Tests;

public class HexTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("00ff", "00FF")]
    [InlineData("9F 36\n02", "9F3602")]
    public void Parse_accepts_hex_with_white_space(string text, string expected)
        => Assert.Equal(expected, Hex.Encode(Hex.Parse(text)));

    [Theory]
    [InlineData("0G", "offset 1")]
    [InlineData("ABC", "odd number")]
    public void Parse_names_what_is_wrong(string text, string fragment)
    {
        var ex = Assert.Throws<FormatException>(() => Hex.Parse(text));
        Assert.Contains(fragment, ex.Message, StringComparison.Ordinal);
    }
}
