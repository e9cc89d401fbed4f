using System.Buffers;
using Jinka.Core;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583.Tests.Fields;

/// <summary>Build → pack → parse gives the same values and the same bytes, for every field of the table.</summary>
public sealed class RoundTripTests
{
    public static TheoryData<string, int, string> TextValues => new()
    {
        { "PAN, even digit count", 2, "6225880000000001" },
        { "PAN, odd digit count (pad nibble)", 2, "6225880000000000017" },
        { "PAN, shortest", 2, "1" },
        { "processing code", 3, "310000" },
        { "amount", 4, "999999999999" },
        { "STAN", 11, "999999" },
        { "local time", 12, "235959" },
        { "local date", 13, "1231" },
        { "expiry", 14, "4912" },
        { "settlement date", 15, "0101" },
        { "entry mode, left-aligned", 22, "072" },
        { "PAN sequence number, right-aligned", 23, "099" },
        { "condition code", 25, "06" },
        { "PIN capture code", 26, "12" },
        { "acquirer, odd LLVAR", 32, "12345678901" },
        { "track 2 odd with separator", 35, "6225880000000001D2512201" },
        { "track 3 LLLVAR", 36, "996225880000000001D1561560000000000000000" },
        { "RRN", 37, "000000000001" },
        { "approval code with letters", 38, "A1B2C3" },
        { "response code A0", 39, "A0" },
        { "terminal ID", 41, "JINKA001" },
        { "merchant ID", 42, "898310048990001" },
        { "additional response", 44, "ISSUER 01" },
        { "field 48 LLLVAR digits", 48, "00000000000100000000000000000000000000010001" },
        { "currency", 49, "156" },
        { "security control", 53, "2600000000000000" },
        { "additional amounts", 54, "1002156C000000001000" },
        { "field 60 with all five subfields", 60, "2200000100050" },
        { "field 60, 60.1 and 60.2 only", 60, "22000001" },
        { "original message data", 61, "00000100001112" },
        { "field 63, printable", 63, "CUP 001 ~!@#" },
    };

    [Theory]
    [MemberData(nameof(TextValues))]
    public void Text_field_round_trips(string description, int field, string value)
    {
        _ = description;
        var built = new Iso8583MessageBuilder(Mti.FinancialRequest).Set(field, value).Build();
        var parsed = Iso8583Message.Parse(built.Packed.Span);

        Assert.Equal(value, parsed.GetString(field));
        Assert.Equal(value.Length, parsed.GetUnits(field));
        Assert.Equal([field], parsed.FieldNumbers);
        Assert.Equal(built.Packed.ToArray(), parsed.ToBuilder().Build().Packed.ToArray());
    }

    [Theory]
    [InlineData("PIN block", 52, "0123456789ABCDEF")]
    [InlineData("field 55 TLV", 55, "9F360200019F2701809F10080701010300000001")]
    [InlineData("field 55 empty", 55, "")]
    [InlineData("field 58 any bytes", 58, "00FF00FF")]
    [InlineData("field 62 working keys", 62, "000102030405060708090A0B0C0D0E0F1011121314")]
    [InlineData("MAC", 64, "3132333435363738")]
    [InlineData("secondary MAC (secondary bitmap)", 128, "3132333435363738")]
    public void Binary_field_round_trips(string description, int field, string hex)
    {
        _ = description;
        byte[] value = Hex.Parse(hex);
        var built = new Iso8583MessageBuilder(Mti.FinancialRequest).Set(field, value).Build();
        var parsed = Iso8583Message.Parse(built.Packed.Span);

        Assert.Equal(value, parsed.GetBytes(field).ToArray());
        Assert.Equal(field > 64, parsed.HasSecondaryBitmap);
    }

    [Fact]
    public void Every_field_of_the_table_together_round_trips()
    {
        var builder = new Iso8583MessageBuilder(Mti.FinancialRequest);
        foreach (var definition in Iso8583Spec.CupPos.Fields)
        {
            if (definition.Type == FieldType.Binary)
            {
                builder.Set(definition.Number, definition.Content == FieldContent.BerTlv ? Hex.Parse("9F360200FF") : new byte[definition.LengthKind == LengthKind.Fixed ? definition.MaxLength : 3]);
            }
            else
            {
                char fill = definition.Type is FieldType.Numeric or FieldType.Track ? '7' : 'x';
                builder.Set(definition.Number, new string(fill, definition.LengthKind == LengthKind.Fixed ? definition.MaxLength : definition.MaxLength / 2));
            }
        }

        var message = builder.Build();
        var again = Iso8583Message.Parse(message.Packed.Span);

        Assert.Equal(Iso8583Spec.CupPos.Fields.Select(f => f.Number), again.FieldNumbers);
        Assert.True(again.HasSecondaryBitmap);
        Assert.Equal(message.Packed.ToArray(), again.ToBuilder().Build().Packed.ToArray());
    }

    [Fact]
    public void ToString_lists_the_fields_and_masks_the_PIN_block()
    {
        var message = new Iso8583MessageBuilder(Mti.FinancialRequest).SetNumber(Iso8583Field.Stan, 12).Set(Iso8583Field.PinData, Hex.Parse("0123456789ABCDEF")).Build();

        Assert.Equal("0200 [11] 000012 [52] ****************", message.ToString());
    }

    [Fact]
    public void MAC_generator_fills_field_64_over_everything_before_it()
    {
        byte[]? seen = null;
        var builder = new Iso8583MessageBuilder(Mti.FinancialRequest).SetNumber(Iso8583Field.Stan, 7);
        var message = builder.Build((block, mac) =>
        {
            seen = block.ToArray();
            "ABCDEFGH"u8.CopyTo(mac);
        });

        Assert.True(message.Has(Iso8583Field.Mac));
        Assert.Equal("ABCDEFGH"u8.ToArray(), message.Mac.ToArray());
        Assert.Equal(seen, message.MacBlock.ToArray());
        Assert.Equal("0200" + "0020000000000001" + "000007", Hex.Encode(seen));
    }

    [Fact]
    public void MAC_goes_in_128_when_a_secondary_bitmap_is_needed()
    {
        var spec = new Iso8583Spec("with field 70",
        [
            new FieldDefinition(11, "STAN", FieldType.Numeric, LengthKind.Fixed, 6),
            new FieldDefinition(64, "MAC", FieldType.Binary, LengthKind.Fixed, 8),
            new FieldDefinition(70, "Network management information code", FieldType.Numeric, LengthKind.Fixed, 3),
            new FieldDefinition(128, "MAC", FieldType.Binary, LengthKind.Fixed, 8),
        ]);
        var message = new Iso8583MessageBuilder(new Mti(800), spec).SetNumber(11, 1).Set(70, "301").Build((_, mac) => mac.Fill(0x41));

        Assert.Equal([11, 70, 128], message.FieldNumbers);
        Assert.Equal("AAAAAAAA"u8.ToArray(), message.Mac.ToArray());
    }

    [Fact]
    public void ASCII_digits_and_prefixes_are_supported_by_the_definitions()
    {
        var spec = new Iso8583Spec("ASCII numerics",
        [
            new FieldDefinition(2, "PAN", FieldType.Numeric, LengthKind.LlVar, 19) { Digits = DigitEncoding.Ascii, Prefix = DigitEncoding.Ascii },
            new FieldDefinition(4, "Amount", FieldType.Numeric, LengthKind.Fixed, 12) { Digits = DigitEncoding.Ascii },
            new FieldDefinition(55, "ICC", FieldType.Binary, LengthKind.LllVar, 255) { Prefix = DigitEncoding.Ascii },
        ]);
        var message = new Iso8583MessageBuilder(Mti.FinancialRequest, spec)
            .Set(2, "6225880000000000017").SetNumber(4, 100).Set(55, Hex.Parse("9F3602")).Build();

        Assert.Equal("0200" + "5000000000000200" + "3139" + Hex.Encode("6225880000000000017"u8) + Hex.Encode("000000000100"u8) + "303033" + "9F3602", Hex.Encode(message.Packed.Span));
        Assert.Equal(100L, Iso8583Message.Parse(message.Packed.Span, spec).Amount);
    }

    [Fact]
    public void Packing_into_a_span_allocates_nothing()
    {
        var builder = new Iso8583MessageBuilder(Mti.FinancialRequest)
            .Set(Iso8583Field.Pan, "6225880000000001").SetNumber(Iso8583Field.Amount, 100).SetNumber(Iso8583Field.Stan, 1)
            .Set(Iso8583Field.TerminalId, "JINKA001").Set(Iso8583Field.IccData, Hex.Parse("9F360200019F270180"));
        byte[] buffer = new byte[512];
        MacGenerator mac = static (_, m) => m.Fill(0x30);
        builder.WriteTo(buffer, mac);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            builder.WriteTo(buffer, mac);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Parsing_allocates_only_the_index_and_the_message_object()
    {
        var memory = PublishedMessages.Purchase.AsMemory();
        Iso8583Message.Parse(memory);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var message = Iso8583Message.Parse(memory);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(14, message.Count);
        Assert.InRange(allocated, 1, 512);
    }

    [Fact]
    public void A_segmented_sequence_parses_like_contiguous_bytes()
    {
        byte[] whole = PublishedMessages.Purchase;
        var first = new Segment(whole.AsMemory(0, 30));
        var last = first.Append(whole.AsMemory(30));
        var sequence = new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);

        var message = Iso8583Message.Parse(sequence);

        Assert.Equal(whole, message.Packed.ToArray());
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
