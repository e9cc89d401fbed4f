using Jinka.Core;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Tests.Fields;

/// <summary>Messages whose bytes are derived by hand from the field table, and the two published CUP POS messages.</summary>
public sealed class GoldenMessageTests
{
    /// <summary>
    /// 0800 sign-on. MTI 08 00. Bitmap: field 11 is bit 3 of byte 2 (20); 41, 42 are bits 1, 2 of byte 6 (C0); 60 and
    /// 63 are bits 4 and 7 of byte 8 (10 | 02 = 12) → 00 20 00 00 00 C0 00 12. Field 11 n6 BCD: 00 01 23. Field 41 ans8
    /// ASCII "JINKA001". Field 42 ans15 ASCII "898310048990001". Field 60 n LLLVAR: 11 digits → prefix 00 11, content
    /// "00" ‖ "000001" ‖ "003" left-aligned with a 0 pad nibble → 00 00 00 01 00 30. Field 63 ans LLLVAR: 00 03 "001".
    /// </summary>
    private const string SignOnHex =
        "0800" + "0020000000C00012" + "000123" + "4A494E4B41303031" + "383938333130303438393930303031" +
        "0011" + "000000010030" + "0003" + "303031";

    /// <summary>
    /// 0200 purchase without MAC. Bitmap for 2, 3, 4, 11, 14, 22, 23, 25, 35, 41, 42, 49, 55, 60: byte 1 = 70 (2, 3, 4),
    /// byte 2 = 24 (11, 14), byte 3 = 06 (22, 23), byte 4 = 80 (25), byte 5 = 20 (35), byte 6 = C0 (41, 42), byte 7 =
    /// 82 (49, 55), byte 8 = 10 (60). Field 2 LLVAR: 16 digits → 16 ‖ 6225880000000001. Field 3: 000000. Field 4 n12:
    /// 000000012345. Field 11: 000042. Field 14 YYMM: 2512. Field 22 n3 left-aligned "051" → 05 10. Field 23 n3
    /// right-aligned "001" → 00 01. Field 25: 00. Field 35 z LLVAR 34 digits ("D" = separator) → 34 ‖ 17 bytes. 41, 42
    /// ASCII, 49 an3 "156" → 31 35 36. Field 55 b LLLVAR 20 bytes → 00 20 ‖ 9F26 08 … 9F36 02 0001 9F27 01 80. Field 60:
    /// 13 digits "22" ‖ "000001" ‖ "000" ‖ "5" ‖ "0" → 00 13 ‖ 22 00 00 01 00 05 00.
    /// </summary>
    private const string PurchaseHex =
        "0200" + "7024068020C08210" + "16" + "6225880000000001" + "000000" + "000000012345" + "000042" + "2512" + "0510" +
        "0001" + "00" + "34" + "6225880000000001D25122010000000000" + "4A494E4B41303031" + "383938333130303438393930303031" +
        "313536" + "0020" + "9F2608A6364607F31A5DB39F360200019F270180" + "0013" + "22000001000500";

    [Fact]
    public void Sign_on_is_packed_exactly_as_derived_from_the_table()
    {
        var message = new Iso8583MessageBuilder(Mti.SignOnRequest)
            .SetNumber(Iso8583Field.Stan, 123)
            .Set(Iso8583Field.TerminalId, "JINKA001")
            .Set(Iso8583Field.MerchantId, "898310048990001")
            .Set(Iso8583Field.Reserved60, Field60.Create("00", "000001", "003").Digits)
            .Set(Iso8583Field.Reserved63, "001")
            .Build();

        Assert.Equal(SignOnHex, Hex.Encode(message.Packed.Span));
    }

    [Fact]
    public void Sign_on_reads_back_field_by_field()
    {
        var message = Iso8583Message.Parse(Hex.Parse(SignOnHex));

        Assert.Equal(Mti.SignOnRequest, message.Mti);
        Assert.Equal([11, 41, 42, 60, 63], message.FieldNumbers);
        Assert.Equal(123, message.Stan);
        Assert.Equal("JINKA001", message.TerminalId);
        Assert.Equal("898310048990001", message.MerchantId);
        Assert.Equal("003", message.Reserved60!.Value.NetworkCode);
        Assert.Equal("000001", message.Reserved60!.Value.Batch);
        Assert.Null(message.Reserved60!.Value.ReadCapability);
        Assert.Equal("001", message.Reserved63);
    }

    [Fact]
    public void Purchase_is_packed_exactly_as_derived_from_the_table()
    {
        var message = new Iso8583MessageBuilder(Mti.FinancialRequest)
            .Set(Iso8583Field.Pan, "6225880000000001")
            .Set(Iso8583Field.ProcessingCode, "000000")
            .SetNumber(Iso8583Field.Amount, 12345)
            .SetNumber(Iso8583Field.Stan, 42)
            .Set(Iso8583Field.Expiry, "2512")
            .Set(Iso8583Field.EntryMode, "051")
            .Set(Iso8583Field.PanSequenceNumber, "001")
            .Set(Iso8583Field.ConditionCode, "00")
            .Set(Iso8583Field.Track2, "6225880000000001=25122010000000000")
            .Set(Iso8583Field.TerminalId, "JINKA001")
            .Set(Iso8583Field.MerchantId, "898310048990001")
            .Set(Iso8583Field.Currency, "156")
            .Set(Iso8583Field.IccData, Hex.Parse("9F2608A6364607F31A5DB39F360200019F270180"))
            .Set(Iso8583Field.Reserved60, Field60.Create("22", "000001", "000", '5', '0').Digits)
            .Build();

        Assert.Equal(PurchaseHex, Hex.Encode(message.Packed.Span));
    }

    [Fact]
    public void Purchase_reads_back_with_typed_accessors()
    {
        var message = Iso8583Message.Parse(Hex.Parse(PurchaseHex));

        Assert.Equal("6225880000000001", message.Pan);
        Assert.Equal(12345L, message.Amount);
        Assert.Equal(42, message.Stan);
        Assert.Equal("051", message.EntryMode);
        Assert.Equal("001", message.PanSequenceNumber);
        Assert.Equal("6225880000000001D25122010000000000", message.Track2);
        Assert.Equal("156", message.Currency);
        Assert.Equal("9F2608A6364607F31A5DB39F360200019F270180", Hex.Encode(message.IccData.Span));
        Assert.Equal('5', message.Reserved60!.Value.ReadCapability);
        Assert.Equal('0', message.Reserved60!.Value.IcCondition);
        Assert.Equal("22", message.Reserved60!.Value.MessageType);
    }

    [Fact]
    public void Published_purchase_parses_and_its_fields_match_the_blog()
    {
        var message = Iso8583Message.Parse(PublishedMessages.Purchase);

        Assert.Equal([3, 4, 11, 22, 25, 26, 35, 41, 42, 49, 52, 53, 60, 64], message.FieldNumbers);
        Assert.Equal(51L, message.Amount);
        Assert.Equal(1834, message.Stan);
        Assert.Equal("021", message.EntryMode);
        Assert.Equal("4392260009942820D131210112008439", message.Track2);
        Assert.Equal("16688014", message.TerminalId);
        Assert.Equal("156", message.Currency);
        Assert.Equal("ACF46E73838A82F9", Hex.Encode(message.PinData!.Value.Span));
        Assert.Equal("22000001", message.Reserved60!.Value.Digits);
        Assert.Equal(PublishedMessages.PurchaseMacBlock, message.MacBlock.ToArray());
        Assert.Equal(PublishedMessages.Purchase, message.ToBuilder().Build().Packed.ToArray());
    }

    [Fact]
    public void Published_frame_parses_and_repacks_byte_for_byte()
    {
        var (envelope, message) = CupPosFrame.ReadFramed(PublishedMessages.QrFrame);

        Assert.Equal(new Tpdu(0x60, 0x0003, 0x0000), envelope.Tpdu);
        Assert.Equal("603210320072", envelope.Header.ToString());
        Assert.Equal([3, 4, 11, 22, 25, 41, 42, 49, 60, 62, 64], message.FieldNumbers);
        Assert.Equal(1234L, message.Amount);
        Assert.Equal("952718182217875", message.MerchantId);
        Assert.Equal(19, message.GetUnits(Iso8583Field.Reserved60));
        Assert.Equal(43, message.Reserved62.Length);
        Assert.Equal(PublishedMessages.QrMac, System.Text.Encoding.ASCII.GetString(message.Mac));
        Assert.Equal(PublishedMessages.QrFrame, CupPosFrame.ToArray(envelope, message.ToBuilder()));
    }
}
