using Jinka.Core.Dol;
using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Dol;

public class DolTests
{
    [Theory]
    [InlineData("9F02069F03069F1A0295055F2A029A039C019F37049F4E14", "9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9C(1) 9F37(4) 9F4E(20)", 49, "CDOL1 as given in the task")]
    [InlineData("9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9F2103 9C01 9F3704 9F4E14", "9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9F21(3) 9C(1) 9F37(4) 9F4E(20)", 52, "CDOL1 of NOTES A.2 (XJ)")]
    [InlineData("8A02 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9F2103 9C01 9F3704", "8A(2) 9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9F21(3) 9C(1) 9F37(4)", 34, "CDOL2 of NOTES A.2")]
    [InlineData("9F7A01 9F0206 5F2A02", "9F7A(1) 9F02(6) 5F2A(2)", 9, "contact PDOL of NOTES A.2")]
    [InlineData("9F6604 9F7A01 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704", "9F66(4) 9F7A(1) 9F02(6) 9F03(6) 9F1A(2) 95(5) 5F2A(2) 9A(3) 9C(1) 9F37(4)", 34, "contactless PDOL of NOTES A.2")]
    [InlineData("9A03 9F2103 9F0206 9F0306 9F1A02 5F2A02 9F4E14 9C01 9F3602", "9A(3) 9F21(3) 9F02(6) 9F03(6) 9F1A(2) 5F2A(2) 9F4E(20) 9C(1) 9F36(2)", 45, "log format 9F4F of NOTES A.3")]
    [InlineData("9F3704", "9F37(4)", 4, "default DDOL (NOTES A.7)")]
    [InlineData("", "", 0, "empty DOL")]
    public void Parse_reads_entries_and_data_length(string hex, string expected, int dataLength, string description)
    {
        var dol = Core.Dol.Dol.Parse(Hex.Parse(hex));
        Assert.True(expected == dol.ToString(), description);
        Assert.Equal(dataLength, dol.DataLength);
        Assert.Equal(Hex.Encode(Hex.Parse(hex)), Hex.Encode(dol.Encode()));
    }

    [Theory]
    [InlineData("9F", TlvError.TruncatedTag, 0, "", "truncated tag")]
    [InlineData("9F3704 9F", TlvError.TruncatedTag, 3, "", "truncated tag after a good entry")]
    [InlineData("9F37", TlvError.TruncatedLength, 0, "9F37", "missing length byte")]
    [InlineData("9F0206 9F0306 95", TlvError.TruncatedLength, 6, "95", "missing length byte on the last entry")]
    [InlineData("1F81818101 04", TlvError.TagTooLong, 0, "", "five-byte tag")]
    public void Parse_reports_malformed_DOLs_with_offset(string hex, TlvError expected, int offset, string tag, string description)
    {
        var bytes = Hex.Parse(hex);
        var ex = Assert.Throws<TlvException>(() => Core.Dol.Dol.Parse(bytes));
        Assert.True(expected == ex.Error, description);
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(tag.Length == 0 ? null : Tag.Parse(tag), ex.Tag);
        Assert.StartsWith($"DOL error at offset {offset}", ex.Message, StringComparison.Ordinal);
        Assert.False(Core.Dol.Dol.TryParse(bytes, out _));
    }

    // DOL entry, value in the database ("" = absent), expected DOL data, description.
    [Theory]
    [InlineData("9F0206", "000000000100", "000000000100", "n: exact length")]
    [InlineData("9F0206", "0100", "000000000100", "n shorter: padded on the left with 00")]
    [InlineData("9F0204", "000000123456", "00123456", "n longer: rightmost bytes kept")]
    [InlineData("5A0A", "6225880000000001", "6225880000000001FFFF", "cn shorter: padded on the right with FF")]
    [InlineData("5A04", "6225880000000001", "62258800", "cn longer: leftmost bytes kept")]
    [InlineData("9F1C0A", "5445524D30303031", "5445524D303030310000", "an shorter: padded on the right with 00")]
    [InlineData("9F1C04", "5445524D30303031", "5445524D", "an longer: leftmost bytes kept")]
    [InlineData("9F4E08", "53484F50", "53484F5000000000", "ans shorter: padded on the right with 00")]
    [InlineData("9F3706", "12345678", "123456780000", "b shorter: padded on the right with 00")]
    [InlineData("9F3702", "12345678", "1234", "b longer: leftmost bytes kept")]
    [InlineData("9F3704", "", "00000000", "absent: zeros")]
    [InlineData("DF7F03", "ABCDEF", "000000", "unknown tag, even when present: zeros (EMV Book 3 §5.4)")]
    [InlineData("7002", "ABCD", "0000", "constructed tag: zeros")]
    [InlineData("9F3700", "12345678", "", "zero-length entry")]
    public void Build_pads_and_truncates_by_format(string dolHex, string value, string expected, string description)
    {
        var dol = Core.Dol.Dol.Parse(Hex.Parse(dolHex));
        var db = new TlvDatabase();
        if (value.Length > 0)
        {
            db.Set(dol.Entries[0].Tag, Hex.Parse(value));
        }

        Assert.True(expected == Hex.Encode(dol.Build(db)), description);
    }

    [Fact]
    public void Build_fills_the_NOTES_CDOL1_from_transaction_data()
    {
        var db = TerminalData();
        var cdol1 = Core.Dol.Dol.Parse(Hex.Parse("9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9F2103 9C01 9F3704 9F4E14"));

        Span<byte> data = stackalloc byte[cdol1.DataLength + 3];
        data.Fill(0xEE);
        cdol1.Build(db, data);

        Assert.Equal(
            "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "240101" + "120000" + "00" + "12345678" +
            "4A494E4B412053484F50" + "00000000000000000000" + "EEEEEE",
            Hex.Encode(data));
    }

    [Fact]
    public void Build_into_a_span_allocates_nothing()
    {
        var db = TerminalData();
        var cdol1 = Core.Dol.Dol.Parse(Hex.Parse("9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9F2103 9C01 9F3704 9F4E14"));
        var data = new byte[cdol1.DataLength];
        for (int i = 0; i < 100; i++)
        {
            cdol1.Build(db, data);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            cdol1.Build(db, data);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Build_into_a_short_destination_is_refused()
    {
        var dol = Core.Dol.Dol.Parse(Hex.Parse("9F3704"));
        Assert.Throws<ArgumentException>(() => dol.Build(new TlvDatabase(), new byte[3]));
    }

    [Fact]
    public void Build_takes_any_lookup()
    {
        var dol = Core.Dol.Dol.Parse(Hex.Parse("9F3704 9C01"));
        var data = dol.Build((Tag tag, out ReadOnlySpan<byte> value) =>
        {
            value = tag == new Tag(0x9F37) ? [0xCA, 0xFE] : default;
            return tag == new Tag(0x9F37);
        });
        Assert.Equal("CAFE000000", Hex.Encode(data));
    }

    [Fact]
    public void Split_cuts_DOL_data_back_into_elements()
    {
        var pdol = Core.Dol.Dol.Parse(Hex.Parse("9F6604 9F7A01 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704"));
        var data = Hex.Parse("26800000 01 000000000100 000000000000 0156 0000000000 0156 240101 00 12345678");

        var elements = pdol.Split(data);

        Assert.Equal(pdol.Entries.Select(e => e.Tag), elements.Select(e => e.Tag));
        Assert.Equal("26800000", Hex.Encode(elements[0].Value.Span));
        Assert.Equal("000000000100", Hex.Encode(elements[2].Value.Span));
        Assert.Equal("12345678", Hex.Encode(elements[9].Value.Span));

        var db = new TlvDatabase();
        foreach (var element in elements)
        {
            db.Set(element.Tag, element.Value.Span);
        }

        Assert.Equal(Hex.Encode(data), Hex.Encode(pdol.Build(db)));
    }

    [Theory]
    [InlineData("9F0206 9F3704", "000000000100 1234", 6, "9F37", "too short: the entry cut short is named")]
    [InlineData("9F0206 9F3704", "0000000001", 0, "9F02", "too short inside the first entry")]
    [InlineData("9F0206 9F3704", "000000000100 12345678 FF", 10, "", "too long: offset of the extra bytes")]
    public void Split_rejects_data_of_the_wrong_length(string dolHex, string dataHex, int offset, string tag, string description)
    {
        var dol = Core.Dol.Dol.Parse(Hex.Parse(dolHex));
        var data = Hex.Parse(dataHex);

        var ex = Assert.Throws<TlvException>(() => dol.Split(data));
        Assert.True(ex.Error == TlvError.DolDataLengthMismatch, description);
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(tag.Length == 0 ? null : Tag.Parse(tag), ex.Tag);
        Assert.Contains($"the data is {data.Length} bytes but the DOL describes 10", ex.Message, StringComparison.Ordinal);
        Assert.False(dol.TrySplit(data, out _));
    }

    [Fact]
    public void Create_checks_lengths()
    {
        var dol = Core.Dol.Dol.Create(new DolEntry(new Tag(0x9F37), 4), new DolEntry(new Tag(0x9C), 1));
        Assert.Equal(5, dol.DataLength);
        Assert.True(dol.Contains(new Tag(0x9C)));
        Assert.False(dol.Contains(new Tag(0x9A)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Core.Dol.Dol.Create(new DolEntry(new Tag(0x9F37), 256)));
    }

    private static TlvDatabase TerminalData()
    {
        var db = new TlvDatabase();
        db.Set(new Tag(0x9F02), Hex.Parse("000000000100"));
        db.Set(new Tag(0x9F03), Hex.Parse("000000000000"));
        db.Set(new Tag(0x9F1A), Hex.Parse("0156"));
        db.Set(new Tag(0x95), Hex.Parse("0000000000"));
        db.Set(new Tag(0x5F2A), Hex.Parse("0156"));
        db.Set(new Tag(0x9A), Hex.Parse("240101"));
        db.Set(new Tag(0x9F21), Hex.Parse("120000"));
        db.Set(new Tag(0x9C), [0x00]);
        db.Set(new Tag(0x9F37), Hex.Parse("12345678"));
        db.Set(new Tag(0x9F4E), "JINKA SHOP"u8);
        return db;
    }
}
