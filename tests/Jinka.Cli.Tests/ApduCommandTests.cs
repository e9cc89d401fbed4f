namespace Jinka.Cli.Tests;

public class ApduCommandTests
{
    [Theory]
    [InlineData("select PSE", "00A404000E315041592E5359532E444446303100", "SELECT")]
    [InlineData("read record", "00B2010C00", "READ RECORD")]
    [InlineData("first GENERATE AC asking for an ARQC with CDA", "80AE90001D000000000100000000000000015600000000000156240101001234567800", "GENERATE AC")]
    [InlineData("GET DATA of the EC balance", "80CA9F7900", "GET DATA")]
    public void Decode_names_the_command(string description, string hex, string name)
    {
        var result = Cli.Run("apdu", "decode", hex);
        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Contains(name, result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_data_names_the_tag_from_the_dictionary()
    {
        var result = Cli.Run("apdu", "decode", "80CA9F3600");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Application Transaction Counter", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_shows_status_word_meaning_and_tlv_data()
    {
        var result = Cli.Run("apdu", "decode", "--response", "9F360200016A83");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("6A83", result.Out.Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("record not found", result.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("9F36 Application Transaction Counter", result.Out, StringComparison.Ordinal);
    }
}
