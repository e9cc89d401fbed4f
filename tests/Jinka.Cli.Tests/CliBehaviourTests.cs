namespace Jinka.Cli.Tests;

/// <summary>The contract every command shares: exit codes, one-line errors, never a stack trace.</summary>
public class CliBehaviourTests
{
    [Theory]
    [InlineData("unknown command", new[] { "frobnicate" })]
    [InlineData("missing required argument", new[] { "tlv", "decode" })]
    [InlineData("bad hex in an argument", new[] { "tlv", "decode", "9F3G" })]
    [InlineData("bad hex in an option", new[] { "crypto", "sm3", "--data", "ABC" })]
    [InlineData("unknown option", new[] { "crypto", "sm3", "--data", "00", "--frob" })]
    [InlineData("malformed TLV", new[] { "tlv", "decode", "9F3603AABB" })]
    [InlineData("malformed APDU", new[] { "apdu", "decode", "00A404000E3150" })]
    public void Bad_input_exits_2_with_one_line_and_no_stack_trace(string description, string[] args)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.StartsWith("jinka: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_hex_message_names_the_option_and_offset()
    {
        var result = Cli.Run("crypto", "sm3", "--data", "00ZZ");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--data", result.Error, StringComparison.Ordinal);
        Assert.Contains("offset 2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_the_command_groups_and_exits_0()
    {
        var result = Cli.Run("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var group in new[] { "demo", "issue", "transact", "card", "ca", "selftest", "tlv", "apdu", "crypto" })
        {
            Assert.Contains(group, result.Out, StringComparison.Ordinal);
        }
    }
}
