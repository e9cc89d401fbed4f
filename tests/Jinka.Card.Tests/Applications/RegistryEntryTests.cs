using Jinka.Card.Applications;
using Jinka.Core;

namespace Jinka.Card.Tests.Applications;

public class RegistryEntryTests
{
    [Theory]
    [InlineData("not BER-TLV", "E0", "not BER-TLV")]
    [InlineData("another template", "6F034F01A0", "not one template E0")]
    [InlineData("trailing bytes", "E0034F01A000", "not one template E0")]
    [InlineData("no AID", "E003C20107", "lacks the AID (4F)")]
    [InlineData("no module", "E0064F01A0C20107", "lacks the module (C1)")]
    [InlineData("no life cycle", "E0064F01A0C1016D", "lacks the life cycle (C2)")]
    [InlineData("unknown life cycle", "E0094F01A0C1016DC20155", "C2 (1 bytes) at offset 8 is not valid")]
    [InlineData("AID of 17 bytes", "E0134F11A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0A0", "4F (17 bytes)")]
    [InlineData("listing with unknown bits", "E00C4F01A0C1016DC20107C40104", "C4 (1 bytes)")]
    [InlineData("unknown data object", "E00C4F01A0C1016DC20107990100", "99 (1 bytes)")]
    public void Malformed_registry_entry_table(string description, string hex, string expected)
    {
        Assert.False(RegistryEntry.TryDecode(Hex.Parse(hex), out _, out var error), description);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty", "", "1–16 bytes, not 0")]
    [InlineData("17 bytes", "A0000000030000000000000000000000FF", "not 17")]
    [InlineData("not hex", "A0Z0", "'Z' at offset 2")]
    public void Malformed_aid_table(string description, string hex, string expected)
    {
        Assert.False(Aid.TryParse(hex, out _, out var error), description);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Aid.Parse(hex));
    }

    [Fact]
    public void Aids_compare_by_value_and_by_prefix()
    {
        Assert.Equal(Aid.Parse("A000000333010101"), Aid.Parse("a000000333010101"));
        Assert.Equal(Aid.Pse, Aid.FromAscii("1PAY.SYS.DDF01"));
        Assert.True(Aid.Parse("A000000333010101").StartsWith(Hex.Parse("A0000003")));
        Assert.False(Aid.Parse("A000000333").StartsWith(Hex.Parse("A000000333010101")));
        Assert.Equal("315041592E5359532E4444463031", Aid.Pse.ToString());
        Assert.True(Aid.Parse("A0000003330101") < Aid.Parse("A000000333010101"));
    }
}
