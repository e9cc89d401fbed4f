using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TlvReaderTests
{
    [Fact]
    public void Read_walks_a_record_and_its_children_with_absolute_offsets()
    {
        var data = Hex.Parse(SampleData.Record1);
        var reader = new TlvReader(data);

        Assert.True(reader.Read());
        Assert.Equal(new Tag(0x70), reader.Tag);
        Assert.True(reader.IsConstructed);
        Assert.Equal(0, reader.TokenOffset);
        Assert.Equal(0, reader.Depth);
        Assert.Equal(60, reader.ValueSpan.Length);

        var children = reader.ReadChildren();
        Assert.Equal(1, children.Depth);

        Assert.True(children.Read());
        Assert.Equal(new Tag(0x57), children.Tag);
        Assert.Equal(2, children.TokenOffset);
        Assert.Equal("6225880000000001D241222000000000000000", Hex.Encode(children.ValueSpan));

        Assert.True(children.Read());
        Assert.Equal(new Tag(0x5F20), children.Tag);
        Assert.Equal(23, children.TokenOffset);
        Assert.Equal("ZHANG/SAN", System.Text.Encoding.ASCII.GetString(children.ValueSpan));

        Assert.True(children.Read());
        Assert.Equal(new Tag(0x9F1F), children.Tag);
        Assert.Equal(35, children.TokenOffset);
        Assert.Equal(3, children.HeaderLength);
        Assert.Equal(24, children.ValueSpan.Length);

        Assert.False(children.Read());
        Assert.False(children.HasCurrent);
        Assert.Equal(60, children.BytesConsumed);

        Assert.False(reader.Read());
        Assert.Equal(data.Length, reader.BytesConsumed);
    }

    [Fact]
    public void Read_handles_long_form_template_length()
    {
        var data = Hex.Parse(SampleData.Record2);
        var reader = new TlvReader(data);
        Assert.True(reader.Read());
        Assert.Equal(3, reader.HeaderLength);
        Assert.Equal(0xA5, reader.ValueSpan.Length);

        var tags = new List<string>();
        var children = reader.ReadChildren();
        while (children.Read())
        {
            tags.Add(children.Tag.ToString());
        }

        Assert.Equal(SampleData.Record2Tags, tags);
        Assert.False(reader.Read());
    }

    [Fact]
    public void ValueSpan_is_a_slice_of_the_input_not_a_copy()
    {
        var data = Hex.Parse("9F3602 0001");
        var reader = new TlvReader(data);
        reader.Read();
        data[3] = 0xAB;
        Assert.Equal(0xAB, reader.ValueSpan[0]);
        Assert.Equal("9F3602AB01", Hex.Encode(reader.EncodedSpan));
    }

    [Theory]
    [InlineData("00 5A0112 FF 00", 1, "filler before, between and after")]
    [InlineData("0000 70 05 00 5A0112 00 FFFF", 1, "filler inside a template too")]
    [InlineData("", 0, "empty input")]
    [InlineData("000000", 0, "only filler")]
    public void Padding_is_skipped_when_allowed(string hex, int expectedTopLevel, string description)
    {
        var data = Hex.Parse(hex);
        var reader = new TlvReader(data);
        int count = 0;
        while (reader.Read())
        {
            count++;
            if (reader.IsConstructed)
            {
                var children = reader.ReadChildren();
                Assert.True(children.Read());
                Assert.Equal(new Tag(0x5A), children.Tag);
                Assert.False(children.Read());
            }
        }

        Assert.True(count == expectedTopLevel, description);
        Assert.Equal(data.Length, reader.BytesConsumed);
    }

    // Each row: input, options (max depth, padding), expected error, absolute offset, tag (or "" when unknown).
    [Theory]
    [InlineData("9F", 8, true, TlvError.TruncatedTag, 0, "", "truncated tag")]
    [InlineData("5A0112 9F", 8, true, TlvError.TruncatedTag, 3, "", "truncated tag after a good element")]
    [InlineData("70 01 9F", 8, true, TlvError.TruncatedTag, 2, "", "truncated tag inside a template (ends at the template's end)")]
    [InlineData("1F81818101 00", 8, true, TlvError.TagTooLong, 0, "", "five-byte tag")]
    [InlineData("9F36", 8, true, TlvError.TruncatedLength, 0, "9F36", "no length byte")]
    [InlineData("5A0112 5A 82 01", 8, true, TlvError.TruncatedLength, 3, "5A", "82 with one of two length bytes")]
    [InlineData("70 80 5A0100 0000", 8, true, TlvError.IndefiniteLength, 0, "70", "indefinite length")]
    [InlineData("9F3602 0001 70 84 00000001 00", 8, true, TlvError.LengthTooLong, 5, "70", "length byte 84")]
    [InlineData("9F3602 0001 9F2701 80 8A0130 9F10 20 0102030405060708091011121314151617181920", 8, true, TlvError.ValuePastEnd, 12, "9F10", "length past end")]
    [InlineData("70 06 5A 08 1234 0000", 8, true, TlvError.ValuePastEnd, 2, "5A", "child value runs past its template")]
    [InlineData("70 04 A5 02 8801", 1, true, TlvError.TooDeep, 2, "A5", "too deep (MaxDepth 1)")]
    [InlineData("6F 07 A5 05 BF0C 02 88 00", 2, true, TlvError.TooDeep, 4, "BF0C", "too deep (MaxDepth 2)")]
    [InlineData("00 5A0112", 8, false, TlvError.InvalidTag, 0, "", "leading 00 when padding is not allowed")]
    [InlineData("5A0112 FF", 8, false, TlvError.InvalidTag, 3, "", "trailing FF when padding is not allowed")]
    [InlineData("70 04 5A0112 00", 8, false, TlvError.InvalidTag, 5, "", "00 inside a template when padding is not allowed")]
    public void Malformed_input_is_reported_with_its_absolute_offset(
        string hex, int maxDepth, bool allowPadding, TlvError expected, int offset, string tag, string description)
    {
        var data = Hex.Parse(hex);
        var options = new TlvReaderOptions { MaxDepth = maxDepth, AllowPadding = allowPadding };

        var ex = Assert.Throws<TlvException>(() => WalkAll(data, options));

        Assert.True(expected == ex.Error, $"{description}: got {ex.Error}");
        Assert.Equal(offset, ex.Offset);
        Assert.Equal(tag.Length == 0 ? null : Tag.Parse(tag), ex.Tag);
        Assert.Contains($"offset {offset}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_message_names_offset_tag_and_lengths()
    {
        var data = Hex.Parse("9F3602 0001 9F2701 80 8A0130 9F10 20 0102030405060708091011121314151617181920");
        var ex = Assert.Throws<TlvException>(() => WalkAll(data, default));
        Assert.Equal(
            "TLV error at offset 12 (tag 9F10): value length 32 runs past the end of the input (20 bytes left)",
            ex.Message);
    }

    [Fact]
    public void A_failed_read_does_not_move_the_cursor()
    {
        var data = Hex.Parse("5A0112 9F10 05 0102");
        var reader = new TlvReader(data);
        Assert.True(reader.Read());
        int consumed = reader.BytesConsumed;

        Assert.False(reader.TryRead(out var error));
        Assert.Equal(TlvError.ValuePastEnd, error);
        Assert.Equal(consumed, reader.BytesConsumed);

        Assert.False(reader.TryRead(out error));
        Assert.Equal(TlvError.ValuePastEnd, error);
        Assert.Equal(consumed, reader.BytesConsumed);
    }

    [Fact]
    public void TryRead_distinguishes_end_from_error()
    {
        var reader = new TlvReader(Hex.Parse("5A0112"));
        Assert.True(reader.TryRead(out var error));
        Assert.Equal(TlvError.None, error);
        Assert.False(reader.TryRead(out error));
        Assert.Equal(TlvError.None, error);
    }

    [Fact]
    public void TryReadChildren_reports_TooDeep_without_throwing()
    {
        var reader = new TlvReader(Hex.Parse("70 02 A5 00"), new TlvReaderOptions { MaxDepth = 1 });
        reader.Read();
        Assert.True(reader.TryReadChildren(out var level1, out _));
        level1.Read();
        Assert.False(level1.TryReadChildren(out _, out var error));
        Assert.Equal(TlvError.TooDeep, error);
    }

    [Fact]
    public void ReadChildren_of_a_primitive_or_before_Read_is_a_caller_bug()
    {
        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = new TlvReader(Hex.Parse("5A0112"));
            reader.ReadChildren();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = new TlvReader(Hex.Parse("5A0112"));
            reader.Read();
            reader.ReadChildren();
        });
        Assert.Throws<InvalidOperationException>(() =>
        {
            var reader = new TlvReader(Hex.Parse("5A0112"));
            _ = reader.Tag;
        });
    }

    [Fact]
    public void Default_options_are_the_documented_defaults()
    {
        TlvReaderOptions options = default;
        Assert.Equal(8, options.MaxDepth);
        Assert.True(options.AllowPadding);
        Assert.Equal(options, new TlvReaderOptions { MaxDepth = 8, AllowPadding = true });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlvReaderOptions { MaxDepth = 65 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlvReaderOptions { MaxDepth = -1 });
    }

    [Fact]
    public void Reading_a_record_allocates_nothing()
    {
        var record = Hex.Parse(SampleData.Record2);
        int checksum = SumAll(record); // warm-up: JIT and tiering happen here
        for (int i = 0; i < 100; i++)
        {
            checksum += SumAll(record);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            checksum += SumAll(record);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, checksum);
    }

    private static int SumAll(ReadOnlySpan<byte> data)
    {
        int sum = 0;
        var reader = new TlvReader(data);
        while (reader.Read())
        {
            sum += (int)reader.Tag.Value;
            if (reader.IsConstructed)
            {
                var children = reader.ReadChildren();
                while (children.Read())
                {
                    sum += children.ValueSpan.Length + children.TokenOffset;
                }
            }
        }

        return sum;
    }

    private static void WalkAll(ReadOnlySpan<byte> data, TlvReaderOptions options)
    {
        var reader = new TlvReader(data, options);
        Walk(ref reader);
    }

    private static void Walk(ref TlvReader reader)
    {
        while (reader.Read())
        {
            if (reader.IsConstructed)
            {
                var children = reader.ReadChildren();
                Walk(ref children);
            }
        }
    }
}
