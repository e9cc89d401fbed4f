using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Tlv;

public class TlvDecoderTests
{
    [Theory]
    [InlineData("9F360200 01", "9F36", 3, 2, "short form")]
    [InlineData("5A00", "5A", 2, 0, "empty value")]
    [InlineData("8E7F" + "00", "8E", 2, 127, "short form maximum (value not checked here: length only)")]
    [InlineData("70 81 80", "70", 3, 128, "81: one length byte")]
    [InlineData("70 81 FF", "70", 3, 255, "81: one length byte, maximum")]
    [InlineData("70 82 0100", "70", 4, 256, "82: two length bytes")]
    [InlineData("BF0C 83 010000", "BF0C", 6, 65536, "83: three length bytes")]
    [InlineData("5A 81 05", "5A", 3, 5, "non-minimal long form is accepted")]
    public void DecodeHeader_reads_tag_and_length_forms(string hex, string tag, int headerLength, int valueLength, string description)
    {
        var error = TlvDecoder.DecodeHeader(Hex.Parse(hex), out var actualTag, out int actualHeader, out int actualValue);

        Assert.True(error == TlvError.None, description);
        Assert.Equal(Tag.Parse(tag), actualTag);
        Assert.Equal(headerLength, actualHeader);
        Assert.Equal(valueLength, actualValue);
    }

    [Theory]
    [InlineData("9F3602 0001", "9F36", 3, 2, "exact fit")]
    [InlineData("5A01 12 9F3602 0001", "5A", 2, 1, "reads only the first element")]
    [InlineData("70 81 80" + SampleBytes.OneHundredTwentyEight, "70", 3, 128, "long form with its value present")]
    public void TryReadElement_accepts_whole_elements(string hex, string tag, int headerLength, int valueLength, string description)
    {
        Assert.True(TlvDecoder.TryReadElement(Hex.Parse(hex), out var actualTag, out int actualHeader, out int actualValue, out var error), description);
        Assert.Equal(TlvError.None, error);
        Assert.Equal(Tag.Parse(tag), actualTag);
        Assert.Equal(headerLength, actualHeader);
        Assert.Equal(valueLength, actualValue);
    }

    [Theory]
    [InlineData("", TlvError.TruncatedTag, "empty input")]
    [InlineData("9F", TlvError.TruncatedTag, "multi-byte tag cut after its first byte")]
    [InlineData("1F81818101 00", TlvError.TagTooLong, "five-byte tag")]
    [InlineData("00 01 00", TlvError.InvalidTag, "00 cannot start a tag")]
    [InlineData("FF 01 00", TlvError.InvalidTag, "FF cannot start a tag")]
    [InlineData("9F36", TlvError.TruncatedLength, "no length byte")]
    [InlineData("5A 81", TlvError.TruncatedLength, "81 with no length byte after it")]
    [InlineData("5A 82 01", TlvError.TruncatedLength, "82 with one of two length bytes")]
    [InlineData("70 80 5A0100 0000", TlvError.IndefiniteLength, "indefinite length")]
    [InlineData("70 84 00000001 00", TlvError.LengthTooLong, "four length bytes")]
    [InlineData("70 FF", TlvError.LengthTooLong, "127 length bytes")]
    [InlineData("9F10 05 01020304", TlvError.ValuePastEnd, "value one byte short")]
    [InlineData("70 81 80 00", TlvError.ValuePastEnd, "long-form length past the end")]
    public void TryReadElement_reports_malformed_input(string hex, TlvError expected, string description)
    {
        Assert.False(TlvDecoder.TryReadElement(Hex.Parse(hex), out _, out _, out _, out var error), description);
        Assert.Equal(expected, error);

        var ex = Assert.Throws<TlvException>(() => TlvDecoder.ReadElement(Hex.Parse(hex), out _, out _, out _));
        Assert.Equal(expected, ex.Error);
        Assert.Equal(0, ex.Offset);
    }

    [Theory]
    [InlineData("", "TLV error at offset 0: the input is empty where a tag was expected")]
    [InlineData("DF81", "TLV error at offset 0: the input ends inside the tag starting DF81")]
    [InlineData("70 82 01", "TLV error at offset 0 (tag 70): length byte 82 needs 2 more length bytes (1 left)")]
    [InlineData("70 84 00000001", "TLV error at offset 0 (tag 70): length byte 84 asks for 4 length bytes (at most 3)")]
    [InlineData("FF 01 00", "TLV error at offset 0: byte FF cannot start a tag (padding is not allowed here)")]
    public void ReadElement_messages_say_what_is_wrong(string hex, string expected)
        => Assert.Equal(expected, Assert.Throws<TlvException>(() => TlvDecoder.ReadElement(Hex.Parse(hex), out _, out _, out _)).Message);

    [Theory]
    [InlineData(0, 1)]
    [InlineData(127, 1)]
    [InlineData(128, 2)]
    [InlineData(255, 2)]
    [InlineData(256, 3)]
    [InlineData(65535, 3)]
    [InlineData(65536, 4)]
    [InlineData(0xFFFFFF, 4)]
    public void LengthFieldSize_is_minimal(int length, int expected)
        => Assert.Equal(expected, TlvDecoder.LengthFieldSize(length));

    [Fact]
    public void LengthFieldSize_rejects_lengths_beyond_three_length_bytes()
        => Assert.Throws<ArgumentOutOfRangeException>(() => TlvDecoder.LengthFieldSize(0x1000000));
}

internal static class SampleBytes
{
    /// <summary>128 bytes of hex: 00 … 7F.</summary>
    public const string OneHundredTwentyEight =
        "000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F" +
        "202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F" +
        "404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F" +
        "606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F";
}
