using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class CommandApduParseTests
{
    private static readonly string Data255 = string.Concat(Enumerable.Repeat("AB", 255));
    private static readonly string Data256 = string.Concat(Enumerable.Repeat("CD", 256));

    public static TheoryData<string, string, ApduCase, int, int> AllCases => new()
    {
        { "case 1: header only", "00A40000", ApduCase.Case1, 0, 0 },
        { "case 2S: GET CHALLENGE for 8 bytes", "0084000008", ApduCase.Case2Short, 0, 8 },
        { "case 2S: Le 00 means 256", "00B2010C00", ApduCase.Case2Short, 0, 256 },
        { "case 3S: EMV issuer authentication ARPC ‖ ARC", "008200000A11223344556677883030", ApduCase.Case3Short, 10, 0 },
        { "case 3S: 255 data bytes, the short maximum", "80E20000FF" + Data255, ApduCase.Case3Short, 255, 0 },
        { "case 4S: SELECT PSE (NOTES A.2)", "00A404000E315041592E5359532E444446303100", ApduCase.Case4Short, 14, 256 },
        { "case 4S: INITIALIZE FOR PURCHASE with Le 0F", "805001020B01000010000011223344550F", ApduCase.Case4Short, 11, 15 },
        { "case 2E: Le 0100 is 256, extended by choice", "00B00000000100", ApduCase.Case2Extended, 0, 256 },
        { "case 2E: Le 0101 is 257", "00B00000000101", ApduCase.Case2Extended, 0, 257 },
        { "case 2E: Le 0000 means 65536", "00B00000000000", ApduCase.Case2Extended, 0, 65536 },
        { "case 3E: 256 data bytes need extended Lc", "80E20000000100" + Data256, ApduCase.Case3Extended, 256, 0 },
        { "case 3E: 3 data bytes, extended by choice", "80E20000000003AABBCC", ApduCase.Case3Extended, 3, 0 },
        { "case 4E: Le 0000 means 65536", "80E20000000003AABBCC0000", ApduCase.Case4Extended, 3, 65536 },
        { "case 4E: Le 0102 is 258", "80E20000000003AABBCC0102", ApduCase.Case4Extended, 3, 258 },
        { "case 4E: 256 data bytes and Le 0100", "80E20000000100" + Data256 + "0100", ApduCase.Case4Extended, 256, 256 },
    };

    [Theory]
    [MemberData(nameof(AllCases))]
    public void Parse_recognises_the_case_and_lengths_and_encodes_back_to_the_same_bytes(
        string description, string hex, ApduCase expectedCase, int nc, int ne)
    {
        var bytes = Hex.Parse(hex);
        var command = CommandApdu.Parse(bytes);

        Assert.True(expectedCase == command.Case, description);
        Assert.Equal(nc, command.Nc);
        Assert.Equal(ne, command.Ne);
        Assert.Equal(expectedCase is ApduCase.Case2Extended or ApduCase.Case3Extended or ApduCase.Case4Extended, command.IsExtended);
        Assert.Equal(bytes.Length, command.EncodedLength);
        Assert.Equal(hex, Hex.Encode(command.ToArray()));
    }

    [Theory]
    [MemberData(nameof(AllCases))]
    public void A_command_built_from_the_parsed_fields_encodes_identically(
        string description, string hex, ApduCase expectedCase, int nc, int ne)
    {
        var parsed = CommandApdu.Parse(Hex.Parse(hex));
        var built = new CommandApdu(parsed.Cla, parsed.Ins, parsed.P1, parsed.P2, parsed.Data.Span, parsed.Ne, parsed.IsExtended);

        Assert.True(hex == Hex.Encode(built.ToArray()), description);
        Assert.Equal(parsed, built);
        Assert.Equal(parsed.GetHashCode(), built.GetHashCode());
        Assert.Equal((expectedCase, nc, ne), (built.Case, built.Nc, built.Ne));
    }

    [Fact]
    public void Parse_reads_the_header_and_data()
    {
        var command = CommandApdu.Parse(Hex.Parse("00A404000E315041592E5359532E444446303100"));

        Assert.Equal((0x00, 0xA4, 0x04, 0x00), (command.Cla, command.Ins, command.P1, command.P2));
        Assert.Equal("1PAY.SYS.DDF01", System.Text.Encoding.ASCII.GetString(command.Data.Span));
    }

    [Fact]
    public void Parse_copies_the_input_so_later_changes_do_not_leak_in()
    {
        var bytes = Hex.Parse("00820000021122");
        var command = CommandApdu.Parse(bytes);
        bytes[5] = 0xFF;

        Assert.Equal("1122", Hex.Encode(command.Data.Span));
    }

    public static TheoryData<string, string, int, string> Malformed => new()
    {
        { "empty", "", 0, "APDU shorter than the 4-byte header: 0 bytes" },
        { "one byte", "00", 1, "APDU shorter than the 4-byte header: 1 byte" },
        { "three bytes", "00A404", 3, "APDU shorter than the 4-byte header: 3 bytes" },
        { "Lc overflow: Lc says 14, 3 follow", "00A404000E315041", 5, "Lc = 0E announces 14 data bytes but only 3 follow at offset 5" },
        { "Lc overflow: Lc says 8, 1 follows", "0084000008FF", 5, "Lc = 08 announces 8 data bytes but only 1 follows at offset 5" },
        { "Lc short: more bytes than Lc, data and Le", "00A4040002A000000300", 8, "2 unexpected bytes at offset 8 after Lc = 02, 2 data bytes and Le" },
        { "trailing junk after Le", "00A4040001AA0000", 7, "1 unexpected byte at offset 7 after Lc = 01, 1 data byte and Le" },
        { "extended length cut short", "00B000000001", 5, "byte 00 at offset 4 starts an extended length, which needs 2 more bytes at offset 5 but 1 follows" },
        { "extended Lc 0000", "80E2000000000011", 5, "extended Lc 0000 is invalid at offset 5" },
        { "extended Lc overflow", "80E2000000000511223344", 7, "extended Lc = 0005 announces 5 data bytes but only 4 follow at offset 7" },
        { "extended Le cut to one byte", "80E20000000002112200", 9, "extended Le at offset 9 needs 2 bytes but 1 follows" },
        { "trailing junk after extended Le", "80E2000000000211220000FF", 11, "1 unexpected byte at offset 11 after extended Lc = 0002, 2 data bytes and Le" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Parse_rejects_malformed_input_naming_the_offset(string description, string hex, int offset, string message)
    {
        var bytes = Hex.Parse(hex);

        var ex = Assert.Throws<ApduException>(() => CommandApdu.Parse(bytes));
        Assert.True(offset == ex.Offset, $"{description}: offset {ex.Offset}");
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<FormatException>(ex);

        Assert.False(CommandApdu.TryParse(bytes, out var command, out var error));
        Assert.Null(command);
        Assert.Equal(ex.Message, error);
    }

    [Fact]
    public void TryParse_succeeds_without_an_error_on_good_input()
    {
        Assert.True(CommandApdu.TryParse(Hex.Parse("80CA9F7900"), out var command, out var error));
        Assert.Null(error);
        Assert.Equal(0x9F, command.P1);
    }
}
