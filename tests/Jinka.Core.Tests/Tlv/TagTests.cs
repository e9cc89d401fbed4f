using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TagTests
{
    [Theory]
    [InlineData("5A", 0x5Au, 1, false, TagClass.Application, "one byte, application primitive (PAN)")]
    [InlineData("70", 0x70u, 1, true, TagClass.Application, "one byte, application constructed (record template)")]
    [InlineData("82", 0x82u, 1, false, TagClass.ContextSpecific, "one byte, context-specific primitive (AIP)")]
    [InlineData("A5", 0xA5u, 1, true, TagClass.ContextSpecific, "one byte, context-specific constructed (FCI proprietary)")]
    [InlineData("9F36", 0x9F36u, 2, false, TagClass.ContextSpecific, "two bytes (ATC)")]
    [InlineData("5F20", 0x5F20u, 2, false, TagClass.Application, "two bytes, application class (cardholder name)")]
    [InlineData("BF0C", 0xBF0Cu, 2, true, TagClass.ContextSpecific, "two bytes, constructed (FCI issuer discretionary)")]
    [InlineData("DF4D", 0xDF4Du, 2, false, TagClass.Private, "two bytes, private class (PBOC load log entry)")]
    [InlineData("DF8101", 0xDF8101u, 3, false, TagClass.Private, "three bytes")]
    [InlineData("1F818201", 0x1F818201u, 4, false, TagClass.Universal, "four bytes, the maximum")]
    public void Parse_reads_value_length_and_class(string hex, uint value, int length, bool constructed, TagClass tagClass, string description)
    {
        var tag = Tag.Parse(hex);

        Assert.True(tag.Value == value, description);
        Assert.Equal(length, tag.EncodedLength);
        Assert.Equal(constructed, tag.IsConstructed);
        Assert.Equal(tagClass, tag.Class);
        Assert.Equal(hex, tag.ToString());
    }

    [Theory]
    [InlineData("9F36", "9F36")]
    [InlineData("5A0812", "5A")]
    [InlineData("DF810105", "DF8101")]
    public void TryRead_reads_only_the_tag(string input, string expectedTag)
    {
        Assert.True(Tag.TryRead(Hex.Parse(input), out var tag, out int consumed));
        Assert.Equal(expectedTag, tag.ToString());
        Assert.Equal(expectedTag.Length / 2, consumed);
    }

    [Theory]
    [InlineData("", "empty input")]
    [InlineData("9F", "continuation byte missing")]
    [InlineData("DF81", "second continuation byte missing (b8 of 81 is set)")]
    [InlineData("1F818181", "fifth byte needed: longer than 4 bytes")]
    [InlineData("1F81818101", "five bytes")]
    public void TryRead_rejects_truncated_or_too_long_tags(string input, string description)
    {
        Assert.False(Tag.TryRead(Hex.Parse(input), out _, out int consumed), description);
        Assert.Equal(0, consumed);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("9F", "truncated")]
    [InlineData("9F3601", "more than one tag")]
    [InlineData("9G36", "not hex")]
    [InlineData("1F81818101", "too long")]
    public void Parse_rejects_text_that_is_not_exactly_one_tag(string text, string description)
    {
        Assert.False(Tag.TryParse(text, out _), description);
        Assert.Throws<FormatException>(() => Tag.Parse(text));
    }

    [Theory]
    [InlineData(0x9F36u, "9F36")]
    [InlineData(0x57u, "57")]
    [InlineData(0xDF8101u, "DF8101")]
    public void TryWrite_writes_big_endian_bytes(uint value, string expected)
    {
        Span<byte> buffer = stackalloc byte[4];
        Assert.True(new Tag(value).TryWrite(buffer, out int written));
        Assert.Equal(expected, Hex.Encode(buffer[..written]));
        Assert.False(new Tag(value).TryWrite(buffer[..(written - 1)], out _));
    }

    [Fact]
    public void Tags_compare_by_value()
    {
        Assert.Equal(new Tag(0x9F36), Tag.Parse("9f36"));
        Assert.NotEqual(new Tag(0x9F36), new Tag(0x9F37));
    }
}
