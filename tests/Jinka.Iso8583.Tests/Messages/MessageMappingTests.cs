using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto.Keys;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Messages;

namespace Jinka.Iso8583.Tests.Messages;

/// <summary>Jinka.Core.Online types ⇄ CUP POS messages (NOTES F.1, F.2).</summary>
public sealed class MessageMappingTests
{
    private static readonly CupPosTerminal Terminal = new("JINKA001", "898310048990001", "000042");
    private static readonly DateTimeOffset HostTime = new(2025, 3, 14, 9, 26, 53, TimeSpan.Zero);

    private static readonly byte[] RequestIcc = Hex.Parse(
        "9F2608A6364607F31A5DB3" + "9F270180" + "9F100807010103A0000001" + "9F37045AC30001" + "9F36020001" + "95050000000000" +
        "9A03250314" + "9C0100" + "9F0206000000012345" + "5F2A020156" + "82027C00" + "9F1A020156" + "9F0306000000000000" + "9F3303E0F8C8");

    private static AuthorizationRequest Request(string processingCode = "000000", long amount = 12345, string entryMode = "051") =>
        new("6225880000000001", "01", amount, "156", processingCode, RequestIcc, "JINKA001", "898310048990001", 42, new DateTime(2025, 3, 14, 17, 26, 53))
        {
            Expiry = "2512",
            Track2 = "6225880000000001D25122010000000000F",
            EntryMode = entryMode,
        };

    [Theory]
    [InlineData("purchase", "000000", 200, "22", "00")]
    [InlineData("balance inquiry", "310000", 200, "01", "00")]
    [InlineData("pre-authorisation", "030000", 100, "10", "06")]
    [InlineData("EC load, designated account", "600000", 200, "45", "00")]
    [InlineData("EC load, non-designated account", "620000", 200, "47", "00")]
    [InlineData("EC load, cash", "630000", 200, "46", "00")]
    public void Request_goes_out_with_the_MTI_and_60_1_of_NOTES_F1(string description, string processingCode, int mti, string typeCode, string condition)
    {
        _ = description;
        var message = CupPosRequests.Authorization(Request(processingCode), Terminal).Build();

        Assert.Equal(new Mti(mti), message.Mti);
        Assert.Equal(typeCode, message.Reserved60!.Value.MessageType);
        Assert.Equal("000042", message.Reserved60!.Value.Batch);
        Assert.Equal('5', message.Reserved60!.Value.ReadCapability);
        Assert.Equal(condition, message.ConditionCode);
        Assert.Equal(processingCode != "310000", message.Has(Iso8583Field.Amount));
        Assert.Equal(RequestIcc, message.IccData.ToArray());
        Assert.Equal("001", message.PanSequenceNumber);
        Assert.Equal("6225880000000001D25122010000000000", message.Track2);
        Assert.Equal("172653", message.LocalTime);
        Assert.Equal("0314", message.LocalDate);
    }

    [Fact]
    public void Request_reads_back_as_the_same_authorization_request()
    {
        var original = Request();
        var message = Iso8583Message.Parse(CupPosRequests.Authorization(original, Terminal).Build().Packed.Span);

        Assert.True(CupPosMapping.TryToAuthorizationRequest(message, HostTime, out var request, out _));
        Assert.Equal(CupPosTransaction.Purchase, CupPosMapping.Classify(message));
        Assert.Equal(original.Pan, request.Pan);
        Assert.Equal(original.PanSequenceNumber, request.PanSequenceNumber);
        Assert.Equal(original.Amount, request.Amount);
        Assert.Equal(original.CurrencyCode, request.CurrencyCode);
        Assert.Equal(original.ProcessingCode, request.ProcessingCode);
        Assert.Equal(original.IccData.ToArray(), request.IccData.ToArray());
        Assert.Equal(original.Stan, request.Stan);
        Assert.Equal(original.TerminalId, request.TerminalId);
        Assert.Equal(original.MerchantId, request.MerchantId);
        Assert.Equal(original.LocalTime, request.LocalTime);
        Assert.Equal("2512", request.Expiry);
        Assert.Null(request.PinBlock);
    }

    [Fact]
    public void Balance_inquiry_without_field_4_reads_back_as_amount_0()
    {
        var message = Iso8583Message.Parse(CupPosRequests.Authorization(Request("310000", 0), Terminal).Build().Packed.Span);

        Assert.True(CupPosMapping.TryToAuthorizationRequest(message, HostTime, out var request, out _));
        Assert.Equal(0, request.Amount);
        Assert.Equal(CupPosTransaction.BalanceInquiry, CupPosMapping.Classify(message));
    }

    [Fact]
    public void Online_PIN_fills_26_52_and_53()
    {
        byte[] encrypted = Hex.Parse("0011223344556677");
        var message = CupPosRequests.Authorization(Request(), Terminal, encrypted).Build();

        Assert.Equal(encrypted, message.PinData!.Value.ToArray());
        Assert.Equal("12", message.GetString(Iso8583Field.PinCaptureCode));
        Assert.Equal(CupPosRequests.PinSecurityControl, message.SecurityControl);
        Assert.True(CupPosMapping.TryToAuthorizationRequest(message, HostTime, out var request, out _));
        Assert.Equal(encrypted, request.PinBlock!.Value.ToArray());
    }

    [Fact]
    public void Contactless_sets_60_4_to_6()
    {
        var message = CupPosRequests.Authorization(Request(entryMode: "071"), Terminal).Build();

        Assert.Equal("071", message.EntryMode);
        Assert.Equal('6', message.Reserved60!.Value.ReadCapability);
    }

    [Fact]
    public void Local_date_across_new_year_reads_as_the_nearest_year()
    {
        var request = Request() with { LocalTime = new DateTime(2024, 12, 31, 23, 59, 59) };
        var message = CupPosRequests.Authorization(request, Terminal).Build();

        Assert.True(CupPosMapping.TryToAuthorizationRequest(message, new DateTimeOffset(2025, 1, 1, 0, 0, 5, TimeSpan.Zero), out var read, out _));
        Assert.Equal(new DateTime(2024, 12, 31, 23, 59, 59), read.LocalTime);
    }

    [Fact]
    public void Request_without_a_terminal_id_is_refused_with_the_field_named()
    {
        var builder = CupPosRequests.Authorization(Request(), Terminal);
        builder.Remove(Iso8583Field.TerminalId);

        Assert.False(CupPosMapping.TryToAuthorizationRequest(builder.Build(), HostTime, out _, out string? error));
        Assert.Contains("field 41", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_carries_the_issuer_answer_and_the_card_reads_8A_from_field_39()
    {
        var request = CupPosRequests.Authorization(Request(), Terminal).Build();
        var issuer = new AuthorizationResponse("00", Hex.Parse("910A1122334455667788" + "3030")) { ApprovalCode = "000017", RetrievalReference = "000000000017" };

        var response = Iso8583Message.Parse(CupPosResponses.Authorization(request, issuer, HostTime, "unused000000").Build().Packed.Span);
        var read = CupPosMapping.ToAuthorizationResponse(response);

        Assert.Equal(Mti.FinancialResponse, response.Mti);
        Assert.Equal(request.Stan, response.Stan);
        Assert.Equal(request.GetString(Iso8583Field.Reserved60), response.GetString(Iso8583Field.Reserved60));
        Assert.Equal("0314", response.SettlementDate);
        Assert.Equal("00", read.ResponseCode);
        Assert.Equal("000017", read.ApprovalCode);
        Assert.Equal("000000000017", read.RetrievalReference);
        Assert.Equal(issuer.IccData.ToArray(), read.IccData.ToArray());
        Assert.Equal("3030", Hex.Encode(read.Arc));
    }

    [Fact]
    public void Reversal_keeps_the_original_STAN_and_sends_the_F2_reversal_tags()
    {
        byte[] adviceIcc = Hex.Parse("9F2608" + "0102030405060708" + "9F270100" + "95058000000000" + "9F36020001" + "DF3105" + "2000000001");
        var advice = new TransactionAdvice(AdviceKind.Reversal, Request(), adviceIcc);

        var message = CupPosRequests.Reversal(advice, Terminal).Build();
        var tags = TlvNode.Parse(message.IccData).Select(n => n.Tag).ToArray();

        Assert.Equal(Mti.ReversalRequest, message.Mti);
        Assert.Equal(42, message.Stan);
        Assert.Equal(CupPosCodes.ReversalOther, message.ResponseCode);
        Assert.Equal([new Tag(0x95), new Tag(0x9F10), new Tag(0x9F36), new Tag(0xDF31)], tags);
        Assert.Equal("8000000000", Hex.Encode(TlvNode.Parse(message.IccData)[0].Value.Span));
        Assert.True(CupPosMapping.TryToAdvice(message, HostTime, out var read, out _));
        Assert.Equal(AdviceKind.Reversal, read.Kind);
        Assert.Equal(CupPosTransaction.Reversal, CupPosMapping.Classify(message));
    }

    [Fact]
    public void Completion_with_script_results_is_a_0620_with_60_3_951()
    {
        byte[] adviceIcc = Hex.Parse("9F2608" + "1112131415161718" + "9F270140" + "9F36020001" + "DF3105" + "2000000001");
        var message = CupPosRequests.Completion(new TransactionAdvice(AdviceKind.Completion, Request(), adviceIcc), Terminal).Build();

        Assert.Equal(Mti.ScriptResultRequest, message.Mti);
        Assert.Equal(CupPosCodes.NetworkScriptResult, message.Reserved60!.Value.NetworkCode);
        Assert.True(IccDataSets.TryFind(message.IccData.Span, new Tag(0xDF31), out var results));
        Assert.Equal("2000000001", Hex.Encode(results));
        Assert.True(IccDataSets.TryFind(message.IccData.Span, new Tag(0x9F26), out var tc));
        Assert.Equal("1112131415161718", Hex.Encode(tc));
        Assert.False(IccDataSets.TryFind(message.IccData.Span, new Tag(0x9F02), out _));
        Assert.Equal(CupPosTransaction.ScriptResult, CupPosMapping.Classify(message));
    }

    [Fact]
    public void Completion_without_script_results_is_a_TC_upload_with_the_original_data_and_the_TC()
    {
        byte[] adviceIcc = Hex.Parse("9F2608" + "1112131415161718" + "9F270140" + "9F36020001");
        var message = CupPosRequests.Completion(new TransactionAdvice(AdviceKind.Completion, Request(), adviceIcc), Terminal).Build();

        Assert.Equal(Mti.BatchUploadRequest, message.Mti);
        Assert.True(IccDataSets.TryFind(message.IccData.Span, new Tag(0x9F26), out var tc));
        Assert.Equal("1112131415161718", Hex.Encode(tc));
        Assert.True(IccDataSets.TryFind(message.IccData.Span, new Tag(0x9F27), out var cid));
        Assert.Equal("40", Hex.Encode(cid));
        Assert.True(IccDataSets.TryFind(message.IccData.Span, new Tag(0x9F02), out var amount));
        Assert.Equal("000000012345", Hex.Encode(amount));
        Assert.Equal(CupPosTransaction.TcUpload, CupPosMapping.Classify(message));
        Assert.True(CupPosMapping.TryToAdvice(message, HostTime, out var read, out _));
        Assert.Equal(AdviceKind.Completion, read.Kind);
    }

    [Fact]
    public void Offline_upload_appends_8A_Y1_and_sets_60_to_36()
    {
        var message = CupPosRequests.OfflineUpload(Request(entryMode: "072"), Terminal).Build();

        Assert.Equal(Mti.BatchUploadRequest, message.Mti);
        Assert.Equal("000000", message.ProcessingCode);
        Assert.EndsWith("8A025931", Hex.Encode(message.IccData.Span), StringComparison.Ordinal);
        Assert.Equal("3600004200060", message.Reserved60!.Value.Digits);
        Assert.Equal("CUP", message.Reserved63);
        Assert.Equal(CupPosTransaction.OfflineUpload, CupPosMapping.Classify(message));
    }

    [Fact]
    public void Settlement_totals_travel_in_field_63_and_the_answer_adds_the_result()
    {
        var totals = new SettlementTotals(3, 30_000, 1, 500);
        var request = CupPosRequests.Settlement(Terminal, 99, totals).Build();

        Assert.Equal("003000000030000001000000000500", request.Reserved63);
        Assert.Equal(CupPosCodes.NetworkSettlement, request.Reserved60!.Value.NetworkCode);
        Assert.True(SettlementTotals.TryParse(request.Reserved63, out var read));
        Assert.Equal(totals, read);

        var response = CupPosResponses.Settlement(request, totals, SettlementResult.Balanced, HostTime, "000000000001").Build();
        Assert.Equal(Mti.SettlementResponse, response.Mti);
        Assert.Equal("0030000000300000010000000005001", response.Reserved63);
    }

    [Fact]
    public void Sign_on_keys_are_40_bytes_in_field_62()
    {
        var keys = new SignOnKeys(
            new EncryptedWorkingKey(Hex.Parse("00112233445566778899AABBCCDDEEFF"), Hex.Parse("01020304")),
            new EncryptedWorkingKey(Hex.Parse("FFEEDDCCBBAA99887766554433221100"), Hex.Parse("05060708")));
        var request = CupPosRequests.SignOn(Terminal, 7).Build();

        var response = CupPosResponses.SignOn(request, keys, HostTime, "000000000002").Build();

        Assert.Equal(40, response.Reserved62.Length);
        Assert.True(SignOnKeys.TryParse(response.Reserved62.Span, out var read));
        Assert.Equal(keys.Mac.Ciphertext, read.Mac.Ciphertext);
        Assert.Equal(keys.Pin.CheckValue, read.Pin.CheckValue);
        Assert.Equal("003", request.Reserved60!.Value.NetworkCode);
        Assert.False(SignOnKeys.TryParse(new byte[39], out _));
        Assert.True(SignOnKeys.TryParse(new byte[24], out var single));
        Assert.Equal(8, single.Pin.Ciphertext.Length);
    }
}
