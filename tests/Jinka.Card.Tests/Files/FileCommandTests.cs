using Jinka.Card.Files;
using Jinka.Core;

namespace Jinka.Card.Tests.Files;

/// <summary>READ/UPDATE BINARY and READ/UPDATE/APPEND RECORD through the OS file commands, on <see cref="CounterApplication"/>'s files:
/// SFI 21 transparent (30 bytes, write state 1), SFI 24 cyclic (23 × 5, write never), SFI 1 linear variable (64 × 10, write state 1),
/// SFI 2 linear fixed (4 × 3, read state 2, write SM), SFI 3 transparent (read never), DF01 { SFI 5 linear variable, SFI 6 transparent }.</summary>
public class FileCommandTests
{
    private static VirtualCard Card()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Personalize(TestCards.App1, c =>
        {
            var sfi1 = c.Files.FindBySfi(c.Files.Root, 1)!;
            c.Files.WriteRecord(sfi1, 1, Hex.Parse("700A5A086212345678901234"));
            c.Files.WriteRecord(sfi1, 2, Hex.Parse("70035F2401"));
            c.Files.UpdateBinary(c.Files.FindBySfi(c.Files.Root, 0x15)!, 0, Hex.Parse("0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E"));
            var ef05 = c.Files.FindBySfi(c.Files.Find("DF01")!, 5)!;
            c.Files.WriteRecord(ef05, 1, Hex.Parse("011031323334353637383930313233343536"));
            c.Files.WriteRecord(ef05, 2, Hex.Parse("0704AABBCCDD"));
            c.Files.WriteRecord(ef05, 3, Hex.Parse("0702EEFF"));
        });
        card.Select(TestCards.App1);
        return card;
    }

    [Theory]
    [InlineData("record 1 of SFI 1", "00B2010C00", "700A5A0862123456789012349000")]
    [InlineData("record 2 of SFI 1", "00B2020C00", "70035F24019000")]
    [InlineData("exact Le", "00B2020C05", "70035F24019000")]
    [InlineData("no Le", "00B2020C", "70035F24019000")]
    [InlineData("Le too short: 6Cxx with the length", "00B2010C02", "6C0C")]
    [InlineData("Le too long: 6Cxx with the length", "00B2020C10", "6C05")]
    [InlineData("record not written", "00B2030C00", "6A83")]
    [InlineData("record beyond the file", "00B20B0C00", "6A83")]
    [InlineData("SFI not in the current DF", "00B2014C00", "6A82")]
    [InlineData("SFI of a DF01 EF from the ADF", "00B2012C00", "6A82")]
    [InlineData("transparent EF", "00B2011C00", "6981")]
    [InlineData("no current EF", "00B2010400", "6986")]
    [InlineData("read needs security state 2", "00B2011400", "6982")]
    [InlineData("empty cyclic file", "00B201C400", "6A83")]
    [InlineData("record 0 (current record)", "00B2000C00", "6A86")]
    [InlineData("record FF", "00B2FF0C00", "6A86")]
    [InlineData("mode 101", "00B2010D00", "6A86")]
    [InlineData("SFI 31", "00B201FC00", "6A86")]
    [InlineData("command data", "00B2010C0100", "6700")]
    public void Read_record_table(string description, string command, string expected)
        => Check.Equal(expected, Card().Exchange(command), description);

    [Theory]
    [InlineData("by number, SFI 5 in DF01", "00B2022C00", "0704AABBCCDD9000")]
    [InlineData("by identifier 07: the first record tagged 07", "00B2072800", "0704AABBCCDD9000")]
    [InlineData("by identifier 01", "00B2012800", "0110313233343536373839303132333435369000")]
    [InlineData("identifier absent", "00B2092800", "6A83")]
    [InlineData("social security style, exact Le (NOTES C.2)", "00B2032C04", "0702EEFF9000")]
    public void Records_in_a_child_df_by_number_and_by_identifier(string description, string command, string expected)
    {
        var card = Card();
        Assert.Equal("9000", card.Sw("00A4000002DF01"));
        Check.Equal(expected, card.Exchange(command), description);
    }

    [Theory]
    [InlineData("whole file by SFI 21 (NOTES B.2 00B0950000 form)", "00B0950000", "0102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E9000")]
    [InlineData("offset by SFI", "00B0951004", "111213149000")]
    [InlineData("exact length at offset", "00B0951C02", "1D1E9000")]
    [InlineData("explicit Le past the end: data and 6282", "00B0951C05", "1D1E6282")]
    [InlineData("offset at the end", "00B0951E00", "6B00")]
    [InlineData("read never", "00B0830000", "6982")]
    [InlineData("record file", "00B0980000", "6981")]
    [InlineData("unknown SFI", "00B0890000", "6A82")]
    [InlineData("SFI 0 in the SFI form", "00B0800000", "6A86")]
    [InlineData("P1 b7-b6 set", "00B0E10000", "6A86")]
    [InlineData("no current EF", "00B0000000", "6986")]
    public void Read_binary_table(string description, string command, string expected)
        => Check.Equal(expected, Card().Exchange(command), description);

    [Fact]
    public void Read_binary_of_the_current_ef_uses_a_15_bit_offset_and_sfi_reads_make_the_ef_current()
    {
        var card = Card();
        Assert.Equal("9000", card.Sw("00A40200020015"));
        Assert.Equal("0B0C9000", card.Exchange("00B0000A02"));
        Assert.Equal("6B00", card.Sw("00B0010002"));

        card.Select(TestCards.App1);
        Assert.Equal("6986", card.Sw("00B0000002"));
        card.Sw("00B0950001");
        Assert.Equal("03049000", card.Exchange("00B0000202"));
    }

    [Fact]
    public void Update_binary_needs_its_security_state_and_stays_inside_the_file()
    {
        var card = Card();
        Assert.Equal("6982", card.Sw("00D6950002AABB"));
        card.Authenticate();

        Assert.Equal("9000", card.Sw("00D6951C02AABB"));
        Assert.Equal("1B1CAABB9000", card.Exchange("00B0951A04"));
        Assert.Equal("6700", card.Sw("00D6951D02AABB"));
        Assert.Equal("6B00", card.Sw("00D6951E01AA"));
        Assert.Equal("6700", card.Sw("00D69500"));
        Assert.Equal("6981", card.Sw("00D6810001AA"));
    }

    [Fact]
    public void Update_and_append_record_on_a_linear_variable_file()
    {
        var card = Card();
        Assert.Equal("6982", card.Sw("00DC010C03700100"));
        Assert.Equal("6982", card.Sw("00E2000803700100"));
        card.Authenticate();

        Assert.Equal("9000", card.Sw("00DC010C03700100"));
        Assert.Equal("7001009000", card.Exchange("00B2010C00"));
        Assert.Equal("6A83", card.Sw("00DC050C03700100"));
        Assert.Equal("6A86", card.Sw("00DC010803700100"));
        Assert.Equal("6700", card.Sw("00DC010C41" + new string('0', 130)));

        for (int record = 3; record <= 10; record++)
        {
            Assert.Equal("9000", card.Sw($"00E2000802{record:X2}00"));
        }

        Assert.Equal("0A009000", card.Exchange("00B20A0C00"));
        Assert.Equal("6A84", card.Sw("00E20008020B00"));
        Assert.Equal("6A86", card.Sw("00E20108020B00"));
        Assert.Equal("6A86", card.Sw("00E2000C020B00"));
    }

    [Fact]
    public void A_fixed_record_file_written_under_secure_messaging()
    {
        var card = Card();
        var key = TestCards.App1.Span.ToArray();
        string Sm(string header, string data)
        {
            var withSm = new Core.Apdu.CommandApdu(0x04, Hex.Parse(header)[1], Hex.Parse(header)[2], Hex.Parse(header)[3], Hex.Parse(data));
            var mac = CounterApplication.ToySecureMessaging.Mac(key, withSm);
            return header + $"{(data.Length / 2) + 4:X2}" + data + Hex.Encode(mac);
        }

        Assert.Equal("6982", card.Sw("00E2001004CAFEBABE"));
        Assert.Equal("9000", card.Sw(Sm("04E20010", "CAFEBABE")));
        Assert.Equal("6700", card.Sw(Sm("04E20010", "CAFEBA")));
        Assert.Equal("6988", card.Sw(Sm("04E20010", "CAFEBABE")[..^2] + "00"));
        Assert.Equal("6987", card.Sw("04E2001002CAFE"));

        // Read needs state 2 (VERIFY).
        Assert.Equal("6982", card.Sw("00B2011400"));
        Assert.Equal("9000", card.Sw("00200001021234"));
        Assert.Equal("CAFEBABE9000", card.Exchange("00B2011400"));
    }

    [Fact]
    public void A_cyclic_file_numbers_the_newest_record_1_and_overwrites_the_oldest()
    {
        var card = Card();
        for (int credit = 1; credit <= 7; credit++)
        {
            Assert.Equal("9000", card.Sw($"801000000400000{credit:X3}"));
        }

        // Five slots: the records hold ATC 7, 6, 5, 4, 3 in that order.
        for (int record = 1; record <= 5; record++)
        {
            var data = card.Send($"00B2{record:X2}C400").Data.Span;
            Assert.Equal(CounterApplication.LogRecordSize, data.Length);
            Assert.Equal(8 - record, (data[0] << 8) | data[1]);
        }

        Assert.Equal("6A83", card.Sw("00B206C400"));
        Assert.Equal("6982", card.Sw("00E200C017" + new string('0', 46)));
    }

    [Fact]
    public void The_raw_file_system_enforces_structure_for_the_owner()
    {
        var card = Card();
        card.Personalize(TestCards.App1, c =>
        {
            var files = c.Files;
            var root = files.Root;
            Assert.Throws<ArgumentException>(() => files.CreateEf(root, FileDescriptor.Transparent(0x0015, null, 4)));
            Assert.Throws<ArgumentException>(() => files.CreateEf(root, FileDescriptor.Transparent(0x0099, 0x15, 4)));
            Assert.Throws<ArgumentException>(() => files.CreateDf(root, FileDescriptor.Df(0xDF02, Aid.Parse("D15600000501"))));
            var cyclic = files.FindBySfi(root, 0x18)!;
            Assert.Throws<ArgumentException>(() => files.WriteRecord(cyclic, 1, new byte[23]));
            Assert.Equal("6700", files.AppendRecord(cyclic, new byte[22]).ToString());
            Assert.Throws<InvalidOperationException>(() => files.ReadBinary(cyclic));
            Assert.Equal(2, files.RecordCount(files.FindBySfi(root, 1)!));
            Assert.Equal(["0001", "0002", "0003", "0015", "0018", "DF01"], files.Children(root).Select(f => f.Path));
        });
    }

    [Theory]
    [InlineData("reserved FID 3F00", 0x3F00, 1, 4)]
    [InlineData("SFI 0", 0x0010, 0, 4)]
    [InlineData("SFI 31", 0x0010, 31, 4)]
    [InlineData("size 0", 0x0010, 1, 0)]
    [InlineData("size past 15-bit offsets", 0x0010, 1, 0x8000)]
    public void Descriptors_refuse_impossible_files(string description, int fid, int sfi, int size)
        => Assert.True(Assert.Throws<ArgumentException>(() => FileDescriptor.Transparent((ushort)fid, sfi, size)) is not null, description);

    [Theory]
    [InlineData("not BER-TLV", "62")]
    [InlineData("not template 62", "6F03820101")]
    [InlineData("no descriptor", "6204830200AA")]
    [InlineData("unknown structure", "6203820107")]
    [InlineData("record file without sizes", "6203820102")]
    [InlineData("reserved access bits", "620B8201018302000186026000")]
    [InlineData("unexpected data object", "6206820101990100")]
    [InlineData("trailing bytes", "620382010100")]
    [InlineData("transparent EF of size 0", "62098201018302000180020000")]
    public void Malformed_fcp_table(string description, string hex)
    {
        Assert.False(FileDescriptor.TryDecodeFcp(Hex.Parse(hex), out _, out var error), description);
        Assert.StartsWith("FCP", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("transparent")]
    [InlineData("cyclic")]
    [InlineData("df")]
    public void Fcp_round_trips(string kind)
    {
        var descriptor = kind switch
        {
            "transparent" => FileDescriptor.Transparent(0x0015, 0x15, 30, AccessCondition.State(3), AccessCondition.Never),
            "cyclic" => FileDescriptor.Records(FileStructure.Cyclic, null, 0x18, 23, 10, AccessCondition.Always, AccessCondition.SecureMessaging.AndSecureMessaging()),
            _ => FileDescriptor.Df(0xDF01, Aid.Parse("D15600000501")),
        };

        Assert.Equal(descriptor, FileDescriptor.DecodeFcp(descriptor.EncodeFcp()));
    }
}
