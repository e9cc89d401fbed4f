using Jinka.Core;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Tests.Fields;

/// <summary>Every way a message can be malformed gives an <see cref="Iso8583Exception"/> naming the field and offset.</summary>
public sealed class MalformedMessageTests
{
    public static TheoryData<string, string, Iso8583ErrorKind, int, int> Malformed => new()
    {
        // description, hex, kind, field, offset
        { "empty", "", Iso8583ErrorKind.Truncated, 0, 0 },
        { "MTI not BCD", "0A00" + "0000000000000000", Iso8583ErrorKind.InvalidDigit, 0, 0 },
        { "bitmap cut short", "0200" + "00000000", Iso8583ErrorKind.Truncated, 1, 2 },
        { "secondary bitmap missing", "0200" + "8000000000000000", Iso8583ErrorKind.Truncated, 1, 10 },
        { "bitmap asks for field 5 (undefined)", "0200" + "0800000000000000" + "000000000000", Iso8583ErrorKind.UndefinedField, 5, 2 },
        { "secondary bitmap asks for field 65 (a tertiary bitmap)", "0200" + "8000000000000000" + "8000000000000000", Iso8583ErrorKind.UndefinedField, 65, 10 },
        { "field 3 not BCD", "0200" + "2000000000000000" + "00A000", Iso8583ErrorKind.InvalidDigit, 3, 11 },
        { "field 2 LLVAR prefix not BCD", "0200" + "4000000000000000" + "1A" + "62258800000000", Iso8583ErrorKind.InvalidLength, 2, 10 },
        { "field 2 LLVAR over 19 digits", "0200" + "4000000000000000" + "20" + "62258800000000012345", Iso8583ErrorKind.LengthOverflow, 2, 10 },
        { "field 2 odd length with pad nibble 5", "0200" + "4000000000000000" + "17" + "622588000000000015", Iso8583ErrorKind.InvalidPadding, 2, 19 },
        { "field 35 z with nibble A", "0200" + "0000000020000000" + "04" + "12A4", Iso8583ErrorKind.InvalidCharacter, 35, 12 },
        { "field 55 LLLVAR over 255", "0200" + "0000000000000200" + "0256", Iso8583ErrorKind.LengthOverflow, 55, 10 },
        { "field 55 LLLVAR prefix of four digits", "0200" + "0000000000000200" + "1001", Iso8583ErrorKind.LengthOverflow, 55, 10 },
        { "field 55 value longer than the message", "0200" + "0000000000000200" + "0010" + "9F2608", Iso8583ErrorKind.Truncated, 55, 10 },
        { "field 55 not BER-TLV", "0200" + "0000000000000200" + "0004" + "9F260801", Iso8583ErrorKind.InvalidTlv, 55, 12 },
        { "field 55 template with a broken inside", "0200" + "0000000000000200" + "0004" + "71029F26", Iso8583ErrorKind.InvalidTlv, 55, 14 },
        { "field 39 an with a control character", "0200" + "0000000002000000" + "0A30", Iso8583ErrorKind.InvalidCharacter, 39, 10 },
        { "field 41 ans with DEL", "0200" + "0000000000800000" + "4A494E4B4130307F", Iso8583ErrorKind.InvalidCharacter, 41, 17 },
        { "field 60 n LLLVAR over 30 digits", "0200" + "0000000000000010" + "0031", Iso8583ErrorKind.LengthOverflow, 60, 10 },
        { "field 63 LLLVAR over 163", "0200" + "0000000000000002" + "0164", Iso8583ErrorKind.LengthOverflow, 63, 10 },
        { "bytes after the last field", "0200" + "2000000000000000" + "000000" + "FF", Iso8583ErrorKind.TrailingBytes, 3, 13 },
        { "field 64 cut short", "0200" + "0000000000000001" + "3132", Iso8583ErrorKind.Truncated, 64, 10 },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Is_refused_naming_the_field_and_offset(string description, string hex, Iso8583ErrorKind kind, int field, int offset)
    {
        var ex = Assert.Throws<Iso8583Exception>(() => Iso8583Message.Parse(Hex.Parse(hex)));

        Assert.True(kind == ex.Error.Kind, $"{description}: {ex.Message}");
        Assert.Equal(field, ex.Field);
        Assert.Equal(offset, ex.Offset);
        Assert.Contains($"offset {offset}", ex.Message, StringComparison.Ordinal);
        Assert.False(Iso8583Message.TryParse(Hex.Parse(hex), out _, out var error));
        Assert.Equal(ex.Error, error);
    }

    [Fact]
    public void The_message_names_the_field_and_what_was_expected()
    {
        var ex = Assert.Throws<Iso8583Exception>(() => Iso8583Message.Parse(Hex.Parse("0200" + "0000000000000200" + "0256")));

        Assert.Equal("field 55 (ICC system related data) at offset 10: length 256 exceeds the maximum 255", ex.Message);
    }

    [Fact]
    public void A_message_cut_at_any_byte_is_truncated_never_misread()
    {
        byte[] whole = PublishedMessages.Purchase;
        for (int length = 0; length < whole.Length; length++)
        {
            bool parsed = Iso8583Message.TryParse(whole.AsSpan(0, length), out _, out var error);

            Assert.False(parsed, $"cut at {length}");
            Assert.True(error.Kind == Iso8583ErrorKind.Truncated, $"cut at {length}: {error}");
            Assert.InRange(error.Offset, 0, length);
        }
    }

    [Fact]
    public void A_frame_cut_at_any_byte_is_refused()
    {
        byte[] frame = PublishedMessages.QrFrame;
        for (int length = 0; length < frame.Length; length++)
        {
            var ex = Assert.Throws<Iso8583Exception>(() => CupPosFrame.ReadFramed(frame.AsSpan(0, length)));
            Assert.True(ex.Error.Kind is Iso8583ErrorKind.Truncated or Iso8583ErrorKind.InvalidFrame, $"cut at {length}: {ex.Message}");
        }
    }

    [Fact]
    public void Frame_with_a_TPDU_other_than_60_is_refused_at_offset_2()
    {
        byte[] frame = [.. PublishedMessages.QrFrame];
        frame[2] = 0x61;

        var ex = Assert.Throws<Iso8583Exception>(() => CupPosFrame.ReadFramed(frame));

        Assert.Equal(Iso8583ErrorKind.InvalidFrame, ex.Error.Kind);
        Assert.Equal(-1, ex.Field);
        Assert.Equal(2, ex.Offset);
    }

    [Fact]
    public void Errors_inside_a_frame_count_from_the_frame_start()
    {
        byte[] frame = [.. PublishedMessages.QrFrame];
        frame[13] = 0xA2; // the MTI's first byte: after 2 (length) + 5 (TPDU) + 6 (header)

        var ex = Assert.Throws<Iso8583Exception>(() => CupPosFrame.ReadFramed(frame));

        Assert.Equal(Iso8583ErrorKind.InvalidDigit, ex.Error.Kind);
        Assert.Equal(0, ex.Field);
        Assert.Equal(13, ex.Offset);
    }

    [Fact]
    public void Frame_length_prefix_must_match()
    {
        byte[] frame = [.. PublishedMessages.QrFrame, 0x00];

        var ex = Assert.Throws<Iso8583Exception>(() => CupPosFrame.ReadFramed(frame));

        Assert.Equal(Iso8583ErrorKind.InvalidFrame, ex.Error.Kind);
    }

    [Theory]
    [InlineData("fixed n too short", Iso8583Field.Stan, "123")]
    [InlineData("n with a letter", Iso8583Field.ProcessingCode, "00000A")]
    [InlineData("LLVAR over its maximum", Iso8583Field.Pan, "62258800000000000001")]
    [InlineData("an too long", Iso8583Field.ResponseCode, "000")]
    [InlineData("an with punctuation", Iso8583Field.ResponseCode, "0!")]
    [InlineData("z with a letter other than D", Iso8583Field.Track2, "6225A")]
    [InlineData("binary set as text", Iso8583Field.IccData, "9F36")]
    [InlineData("undefined field", 5, "000000000001")]
    public void Builder_refuses_values_that_do_not_suit_the_field(string description, int field, string value)
    {
        _ = description;
        var builder = new Iso8583MessageBuilder(Mti.FinancialRequest);

        Assert.ThrowsAny<ArgumentException>(() => builder.Set(field, value));
        Assert.False(builder.Has(field));
    }

    [Fact]
    public void Builder_refuses_binary_of_the_wrong_length()
    {
        var builder = new Iso8583MessageBuilder(Mti.FinancialRequest);

        Assert.Throws<ArgumentException>(() => builder.Set(Iso8583Field.PinData, new byte[7]));
        Assert.Throws<ArgumentException>(() => builder.Set(Iso8583Field.IccData, new byte[256]));
        Assert.Throws<ArgumentException>(() => builder.SetNumber(Iso8583Field.Amount, 1_000_000_000_000));
    }
}
