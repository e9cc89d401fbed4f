using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TlvDatabaseTests
{
    [Fact]
    public void Merge_of_a_record_stores_its_primitive_leaves_in_order()
    {
        var db = new TlvDatabase();
        var result = db.Merge(Hex.Parse(SampleData.Record2));

        Assert.Equal(SampleData.Record2Tags, result.Merged.Select(t => t.ToString()));
        Assert.False(result.HasDuplicates);
        Assert.Equal(SampleData.Record2Tags, db.Select(e => e.Tag.ToString()));
        Assert.False(db.Contains(new Tag(0x70)));
        Assert.Equal("6225880000000001", Hex.Encode(db.Get(new Tag(0x5A))));
        Assert.Equal("9F02069F03069F1A0295055F2A029A039F21039C019F37049F4E14", Hex.Encode(db.Get(new Tag(0x8C))));
    }

    [Fact]
    public void Merge_of_a_GPO_format_2_response()
    {
        var db = new TlvDatabase();
        var result = db.Merge(Hex.Parse(SampleData.GpoFormat2));

        Assert.Equal(9, result.Merged.Count);
        Assert.Equal("7C00", Hex.Encode(db.Get(new Tag(0x82))));
        Assert.Equal("0801010010010101", Hex.Encode(db.Get(new Tag(0x94))));
        Assert.Equal("A6364607F31A5DB3", Hex.Encode(db.Get(new Tag(0x9F26))));
        Assert.Equal(0x20, db.Get(new Tag(0x9F10))[4] & 0x30); // CVR byte 2 bits 6–5 = 10: ARQC (NOTES A.4)
        Assert.True(db.TryGetValue(new Tag(0x9F5D), out var offlineAmount));
        Assert.Equal("000000010000", Hex.Encode(offlineAmount.Span));
    }

    [Fact]
    public void Merge_descends_through_nested_templates()
    {
        var db = new TlvDatabase();
        db.Merge(Hex.Parse(SampleData.PseFci));
        Assert.Equal(["84", "88", "5F2D", "9F4D", "DF4D"], db.Select(e => e.Tag.ToString()));
    }

    [Fact]
    public void A_primitive_returned_twice_is_reported_and_replaced_by_default()
    {
        var db = new TlvDatabase();
        db.Merge(Hex.Parse(SampleData.GpoFormat2));
        var result = db.Merge(Hex.Parse(SampleData.Record1 + SampleData.Record2));

        // 57 came in the GPO response and again in record 1; 5F34 in the GPO response and in record 2.
        Assert.Equal([new Tag(0x57), new Tag(0x5F34)], result.Duplicates);
        Assert.Contains(new Tag(0x57), result.Merged);
    }

    [Fact]
    public void KeepExisting_keeps_the_first_value()
    {
        var db = new TlvDatabase();
        var options = new TlvMergeOptions(TlvDuplicatePolicy.KeepExisting);
        var result = db.Merge(Hex.Parse("70 0A 9F3602 0001 9F3602 0002"), options);

        Assert.Equal([new Tag(0x9F36)], result.Merged);
        Assert.Equal([new Tag(0x9F36)], result.Duplicates);
        Assert.Equal("0001", Hex.Encode(db.Get(new Tag(0x9F36))));

        db.Merge(Hex.Parse("9F3602 0003"));
        Assert.Equal("0003", Hex.Encode(db.Get(new Tag(0x9F36))));
    }

    [Fact]
    public void Malformed_input_changes_nothing()
    {
        var db = new TlvDatabase();
        db.Set(new Tag(0x9F02), Hex.Parse("000000000100"));

        var malformed = Hex.Parse("70 09 5A 02 1234 9F36 05 0001");
        var ex = Assert.Throws<TlvException>(() => db.Merge(malformed));
        Assert.Equal(TlvError.ValuePastEnd, ex.Error);
        Assert.Equal(6, ex.Offset);

        Assert.False(db.TryMerge(malformed, out var result, out var error));
        Assert.Null(result);
        Assert.Equal(TlvError.ValuePastEnd, error);
        Assert.Single(db);
    }

    [Fact]
    public void Set_copies_and_replaces_in_place()
    {
        var db = new TlvDatabase();
        var value = Hex.Parse("0001");
        db.Set(new Tag(0x9F36), value);
        db.Set(new Tag(0x9F02), Hex.Parse("000000000100"));
        value[1] = 0xFF;
        Assert.Equal("0001", Hex.Encode(db.Get(new Tag(0x9F36))));

        db.Set(new Tag(0x9F36), Hex.Parse("0002"));
        Assert.Equal(["9F36", "9F02"], db.Select(e => e.Tag.ToString()));
        Assert.Equal(2, db.Count);

        Assert.True(db.Remove(new Tag(0x9F36)));
        Assert.False(db.Remove(new Tag(0x9F36)));
        Assert.False(db.TryGet(new Tag(0x9F36), out _));
    }

    [Fact]
    public void Get_of_an_absent_element_names_it()
    {
        var db = new TlvDatabase();
        var ex = Assert.Throws<KeyNotFoundException>(() => db.Get(new Tag(0x9F36)).Length);
        Assert.Contains("9F36 (Application Transaction Counter (ATC))", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_writes_the_field_55_list_skipping_absent_tags()
    {
        var db = new TlvDatabase();
        db.Merge(Hex.Parse(SampleData.GpoFormat2));
        db.Set(new Tag(0x9F27), [0x80]);
        db.Set(new Tag(0x95), Hex.Parse("0000000000"));

        // NOTES F.2 request list, first tags: 9F26 9F27 9F10 9F37 9F36 95 (9F37 absent here).
        var field55 = db.Encode(new Tag(0x9F26), new Tag(0x9F27), new Tag(0x9F10), new Tag(0x9F37), new Tag(0x9F36), new Tag(0x95));

        Assert.Equal(
            "9F2608A6364607F31A5DB3" + "9F270180" + "9F101307000103A03002010A010000000000B0992D81" + "9F36020001" + "95050000000000",
            Hex.Encode(field55));
    }
}
