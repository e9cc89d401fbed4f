using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class CommandApduTests
{
    [Theory]
    [InlineData("Nc 255 fits a short Lc", 255, 0, ApduCase.Case3Short, "80E20000FF", 4 + 1 + 255)]
    [InlineData("Nc 256 needs an extended Lc", 256, 0, ApduCase.Case3Extended, "80E20000000100", 4 + 3 + 256)]
    [InlineData("Nc 65535 is the largest extended Lc", 65535, 0, ApduCase.Case3Extended, "80E2000000FFFF", 4 + 3 + 65535)]
    [InlineData("Ne 256 is short Le 00", 0, 256, ApduCase.Case2Short, "80E2000000", 5)]
    [InlineData("Ne 257 needs extended Le", 0, 257, ApduCase.Case2Extended, "80E20000000101", 7)]
    [InlineData("Ne 65536 is extended Le 0000", 0, 65536, ApduCase.Case2Extended, "80E20000000000", 7)]
    [InlineData("Nc 255 and Ne 256 stay short", 255, 256, ApduCase.Case4Short, "80E20000FF", 4 + 1 + 255 + 1)]
    [InlineData("Nc 1 and Ne 257 go extended together", 1, 257, ApduCase.Case4Extended, "80E20000000001", 4 + 3 + 1 + 2)]
    [InlineData("Nc 256 and Ne 1: extended Le 0001", 256, 1, ApduCase.Case4Extended, "80E20000000100", 4 + 3 + 256 + 2)]
    public void Extended_lengths_are_chosen_only_when_needed(string description, int nc, int ne, ApduCase expected, string prefix, int encodedLength)
    {
        var command = new CommandApdu(0x80, 0xE2, 0x00, 0x00, new byte[nc], ne);
        var bytes = command.ToArray();

        Assert.True(expected == command.Case, description);
        Assert.Equal(encodedLength, command.EncodedLength);
        Assert.Equal(encodedLength, bytes.Length);
        Assert.StartsWith(prefix, Hex.Encode(bytes), StringComparison.Ordinal);
        Assert.Equal(command, CommandApdu.Parse(bytes));
    }

    [Theory]
    [InlineData("short Le for 256 is 00", 256, "00")]
    [InlineData("extended Le for 257 is 0101", 257, "0101")]
    [InlineData("extended Le for 65536 is 0000", 65536, "0000")]
    [InlineData("extended Le for 65535 is FFFF", 65535, "FFFF")]
    public void Le_encodes_at_the_end(string description, int ne, string leHex)
    {
        var command = new CommandApdu(0x00, 0xB0, 0x00, 0x00, [0x01], ne);
        Assert.True(Hex.Encode(command.ToArray()).EndsWith(leHex, StringComparison.Ordinal), description);
    }

    [Fact]
    public void Forced_extended_encoding_is_used_for_small_lengths_but_not_for_case_1()
    {
        var forced = new CommandApdu(0x00, 0xB0, 0x00, 0x00, ne: 16, forceExtended: true);
        Assert.Equal(ApduCase.Case2Extended, forced.Case);
        Assert.Equal("00B00000000010", Hex.Encode(forced.ToArray()));

        var case1 = new CommandApdu(0x00, 0xA4, 0x00, 0x00, forceExtended: true);
        Assert.Equal(ApduCase.Case1, case1.Case);
        Assert.False(case1.IsExtended);
        Assert.Equal("00A40000", Hex.Encode(case1.ToArray()));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65537)]
    public void Ne_outside_0_to_65536_is_a_caller_bug(int ne)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new CommandApdu(0x00, 0xB0, 0x00, 0x00, ne: ne));

    [Fact]
    public void More_than_65535_data_bytes_is_a_caller_bug()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new CommandApdu(0x80, 0xE2, 0x00, 0x00, new byte[65536]));

    [Fact]
    public void The_constructor_copies_the_data()
    {
        var data = new byte[] { 1, 2, 3 };
        var command = new CommandApdu(0x00, 0x82, 0x00, 0x00, data);
        data[0] = 9;

        Assert.Equal("010203", Hex.Encode(command.Data.Span));
    }

    [Theory]
    [InlineData("interindustry, no SM, channel 0", 0x00, false, 0, false, false)]
    [InlineData("interindustry, channel 3", 0x03, false, 3, false, false)]
    [InlineData("interindustry, proprietary SM (04: EMV script PUT DATA)", 0x04, true, 0, false, false)]
    [InlineData("interindustry, SM header authenticated", 0x0C, true, 0, false, false)]
    [InlineData("interindustry, chaining", 0x10, false, 0, true, false)]
    [InlineData("further interindustry, channel 4", 0x40, false, 4, false, false)]
    [InlineData("further interindustry, channel 19, SM", 0x6F, true, 19, false, false)]
    [InlineData("EMV/GP proprietary, no SM", 0x80, false, 0, false, true)]
    [InlineData("EMV/GP proprietary with MAC", 0x84, true, 0, false, true)]
    [InlineData("GP proprietary, channel 1", 0x81, false, 1, false, true)]
    [InlineData("GP proprietary further class, channel 9", 0xC5, false, 9, false, true)]
    [InlineData("GP proprietary further class, channel 9, SM", 0xE5, true, 9, false, true)]
    [InlineData("FF: reserved for PPS, nothing coded", 0xFF, false, 0, false, false)]
    public void The_class_byte_is_read_per_ISO_7816_4(string description, byte cla, bool sm, int channel, bool chained, bool proprietary)
    {
        var command = new CommandApdu(cla, 0xCA, 0x9F, 0x36, ne: 256);
        Assert.True(
            (sm, channel, chained, proprietary) == (command.HasSecureMessaging, command.LogicalChannel, command.IsChained, command.IsProprietaryClass),
            description);
    }

    [Theory]
    [InlineData("case 1", "00A40000", "00 A4 00 00")]
    [InlineData("case 2S", "00B2010C00", "00 B2 01 0C 00")]
    [InlineData("case 3S", "841E000004AABBCCDD", "84 1E 00 00 04 AABBCCDD")]
    [InlineData("case 4S", "00A4040007A000000333010100", "00 A4 04 00 07 A0000003330101 00")]
    [InlineData("case 2E", "00B00000000101", "00 B0 00 00 000101")]
    [InlineData("case 3E", "80E20000000002AABB", "80 E2 00 00 000002 AABB")]
    [InlineData("case 4E", "80E20000000002AABB0000", "80 E2 00 00 000002 AABB 0000")]
    public void ToString_spaces_header_bytes_then_Lc_data_and_Le_as_one_token_each(string description, string hex, string expected)
        => Assert.True(expected == CommandApdu.Parse(Hex.Parse(hex)).ToString(), description);

    [Fact]
    public void TryWrite_reports_a_short_destination_and_writes_into_a_large_one()
    {
        var command = CommandApdu.Parse(Hex.Parse("00B2010C00"));
        Assert.False(command.TryWrite(new byte[4], out int none));
        Assert.Equal(0, none);

        var buffer = new byte[10];
        Assert.True(command.TryWrite(buffer, out int written));
        Assert.Equal(5, written);
        Assert.Equal("00B2010C00", Hex.Encode(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void WithNe_changes_only_the_Le_and_keeps_an_extended_encoding()
    {
        var shortCommand = CommandApdu.Parse(Hex.Parse("00B2010C00"));
        Assert.Equal("00B2010C1D", Hex.Encode(shortCommand.WithNe(0x1D).ToArray()));
        Assert.Equal("00B2010C", Hex.Encode(shortCommand.WithNe(0).ToArray()));

        var extended = CommandApdu.Parse(Hex.Parse("80E20000000002AABB0000"));
        Assert.Equal("80E20000000002AABB0010", Hex.Encode(extended.WithNe(16).ToArray()));
    }

    [Fact]
    public void WithCla_changes_only_the_class()
        => Assert.Equal("84DA9F7900", Hex.Encode(CommandApdu.Parse(Hex.Parse("80DA9F7900")).WithCla(0x84).ToArray()));

    [Fact]
    public void Equality_compares_every_encoded_field()
    {
        var a = CommandApdu.Parse(Hex.Parse("00A4040007A000000333010100"));
        Assert.Equal(a, CommandApdu.Parse(Hex.Parse("00A4040007A000000333010100")));
        Assert.NotEqual(a, CommandApdu.Parse(Hex.Parse("00A4040207A000000333010100")));
        Assert.NotEqual(a, CommandApdu.Parse(Hex.Parse("00A4040007A000000333010200")));
        Assert.NotEqual(a, CommandApdu.Parse(Hex.Parse("00A4040007A0000003330101")));
        Assert.NotEqual(a, CommandApdu.Parse(Hex.Parse("00A40400000007A00000033301010100")));
        Assert.False(a.Equals(null));
    }
}
