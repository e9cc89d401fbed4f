using System.Text.Json;

namespace Jinka.Cli.Tests;

public class TlvCommandTests
{
    // GPO response format 2: AIP 7C00 and an AFL of two entries (NOTES A.2).
    private const string Gpo = "770E82027C0094080801010010010301";

    [Fact]
    public void Decode_prints_names_values_and_bit_meanings()
    {
        var result = Cli.Run("tlv", "decode", Gpo);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("77 Response Message Template Format 2", result.Out, StringComparison.Ordinal);
        Assert.Contains("82 Application Interchange Profile", result.Out, StringComparison.Ordinal);
        Assert.Contains("7C00", result.Out, StringComparison.Ordinal);
        Assert.Contains("DDA supported", result.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0801010010010301", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_json_is_a_tree_a_script_can_walk()
    {
        var result = Cli.Run("tlv", "decode", Gpo, "--json");
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var top = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("77", top.GetProperty("tag").GetString());
        var children = top.GetProperty("children").EnumerateArray().ToArray();
        Assert.Equal(["82", "94"], children.Select(c => c.GetProperty("tag").GetString()));
        Assert.Equal("7C00", children[0].GetProperty("value").GetString());
        Assert.Equal("b", children[0].GetProperty("format").GetString());
        Assert.Equal(2, children[0].GetProperty("offset").GetInt32());
    }

    [Fact]
    public void Decode_shows_pboc_chinese_names_and_numeric_values()
    {
        var result = Cli.Run("tlv", "decode", "9F7906000000010000");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("9F79", result.Out, StringComparison.Ordinal);
        Assert.Contains("电子现金余额", result.Out, StringComparison.Ordinal);
        Assert.Contains("000000010000", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_value_names_offset_and_tag()
    {
        var result = Cli.Run("tlv", "decode", "70059F3602");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("offset", result.Error, StringComparison.Ordinal);
        Assert.Contains("70", result.Error, StringComparison.Ordinal);
    }
}
