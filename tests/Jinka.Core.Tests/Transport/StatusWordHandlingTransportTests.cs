using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.Core.Tests.Transport;

public class StatusWordHandlingTransportTests
{
    private static CommandApdu Command(string hex) => CommandApdu.Parse(Hex.Parse(hex));

    private static async Task<ResponseApdu> SendAsync(ScriptedTransport card, string commandHex, int maxGetResponses = StatusWordHandlingTransport.DefaultMaxGetResponses)
    {
        await using var transport = new StatusWordHandlingTransport(card, maxGetResponses, leaveOpen: true);
        return await transport.TransmitAsync(Command(commandHex));
    }

    [Theory]
    [InlineData("success", "6F0A8408A0000003330101019000")]
    [InlineData("error status", "6A82")]
    [InlineData("warning with data", "6F0A8408A0000003330101016283")]
    [InlineData("63Cx", "63C2")]
    public async Task Final_status_words_pass_through_with_one_exchange(string description, string response)
    {
        var card = new ScriptedTransport().Expect("00A4040008A00000033301010100", response);
        var result = await SendAsync(card, "00A4040008A00000033301010100");

        Assert.True(response == Hex.Encode(result.ToArray()), description);
        card.AssertFinished();
    }

    [Fact]
    public async Task A_61xx_chain_is_collected_with_get_response()
    {
        var card = new ScriptedTransport()
            .Expect("80A8000002830000", "611A")
            .Expect("00C000001A", "770A8202" + "7C00" + "9404" + "08010100" + new string('A', 32) + "6110")
            .Expect("00C0000010", new string('B', 32) + "9000");

        var result = await SendAsync(card, "80A8000002830000");

        Assert.Equal(StatusWord.Success, result.StatusWord);
        Assert.Equal("770A82027C00940408010100" + new string('A', 32) + new string('B', 32), Hex.Encode(result.Data.Span));
        card.AssertFinished();
    }

    [Fact]
    public async Task Data_that_comes_with_61xx_is_kept()
    {
        var card = new ScriptedTransport()
            .Expect("80CA9F7900", "9F7906" + "6102")
            .Expect("00C0000002", "00000000" + "9000");

        var result = await SendAsync(card, "80CA9F7900");
        Assert.Equal("9F790600000000", Hex.Encode(result.Data.Span));
    }

    [Fact]
    public async Task A_6100_asks_for_256_bytes_with_le_00()
    {
        var card = new ScriptedTransport()
            .Expect("00B2010C00", "6100")
            .Expect("00C0000000", new string('C', 512) + "9000");

        var result = await SendAsync(card, "00B2010C00");
        Assert.Equal(256, result.Data.Length);
    }

    [Fact]
    public async Task The_final_status_word_of_the_chain_is_returned()
    {
        var card = new ScriptedTransport()
            .Expect("00A4040008A00000033301010100", "6104")
            .Expect("00C0000004", "6F028400" + "6283");

        var result = await SendAsync(card, "00A4040008A00000033301010100");
        Assert.Equal(StatusWord.SelectedFileInvalidated, result.StatusWord);
        Assert.Equal("6F028400", Hex.Encode(result.Data.Span));
    }

    [Theory]
    [InlineData("interindustry channel 0", "00B2010C00", "00C0000010")]
    [InlineData("interindustry channel 2", "02B2010C00", "02C0000010")]
    [InlineData("proprietary class with MAC, channel 0", "841E000004AABBCCDD", "00C0000010")]
    [InlineData("GP proprietary class, channel 1", "81CA006600", "01C0000010")]
    [InlineData("further interindustry, channel 9 with SM", "65B2010C00", "45C0000010")]
    [InlineData("GP further class, channel 9", "C5CA006600", "45C0000010")]
    public async Task Get_response_is_sent_on_the_original_channel(string description, string command, string getResponse)
    {
        var card = new ScriptedTransport().Expect(command, "6110").Expect(getResponse, new string('0', 32) + "9000");
        var result = await SendAsync(card, command);
        Assert.True(result.StatusWord.IsSuccess, description);
        card.AssertFinished();
    }

    [Fact]
    public async Task A_6Cxx_resends_the_same_command_once_with_the_exact_le()
    {
        var card = new ScriptedTransport()
            .Expect("00B2010C00", "6C1D")
            .Expect("00B2010C1D", new string('D', 58) + "9000");

        var result = await SendAsync(card, "00B2010C00");

        Assert.Equal(29, result.Data.Length);
        Assert.True(result.StatusWord.IsSuccess);
        card.AssertFinished();
    }

    [Fact]
    public async Task A_6C00_resend_uses_le_00()
    {
        var card = new ScriptedTransport()
            .Expect("00B2010C10", "6C00")
            .Expect("00B2010C00", "9000");

        var result = await SendAsync(card, "00B2010C10");
        Assert.True(result.StatusWord.IsSuccess);
    }

    [Fact]
    public async Task A_6Cxx_resend_that_answers_61xx_continues_with_get_response()
    {
        var card = new ScriptedTransport()
            .Expect("0084000000", "6C08")
            .Expect("0084000008", "6108")
            .Expect("00C0000008", "1122334455667788" + "9000");

        var result = await SendAsync(card, "0084000000");
        Assert.Equal("1122334455667788", Hex.Encode(result.Data.Span));
        card.AssertFinished();
    }

    [Fact]
    public async Task A_second_6Cxx_ends_the_exchange_with_a_protocol_violation()
    {
        var card = new ScriptedTransport()
            .Expect("00B2010C00", "6C1D")
            .Expect("00B2010C1D", "6C1E");

        await using var transport = new StatusWordHandlingTransport(card);
        var ex = await Assert.ThrowsAsync<TransportException>(() => transport.TransmitAsync(Command("00B2010C00")).AsTask());

        Assert.Equal(TransportFailure.ProtocolViolation, ex.Failure);
        Assert.Equal("card answered 6C1E to 00 B2 01 0C again after the resend with Le = 1D", ex.Message);
        card.AssertFinished();
    }

    [Fact]
    public async Task A_get_response_answered_6Cxx_is_asked_again_with_the_exact_length()
    {
        var card = new ScriptedTransport()
            .Expect("80A8000002830000", "6120")
            .Expect("00C0000020", "6C10")
            .Expect("00C0000010", new string('E', 32) + "9000");

        var result = await SendAsync(card, "80A8000002830000");
        Assert.Equal(16, result.Data.Length);
        card.AssertFinished();
    }

    [Fact]
    public async Task An_endless_61xx_card_is_stopped_after_the_bound()
    {
        var card = new ScriptedTransport(_ => ResponseApdu.Parse(Hex.Parse("00" + "6101")));

        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);
        var ex = await Assert.ThrowsAsync<TransportException>(() => transport.TransmitAsync(Command("00B2010C00")).AsTask());

        Assert.Equal(TransportFailure.ProtocolViolation, ex.Failure);
        Assert.Equal(1 + StatusWordHandlingTransport.DefaultMaxGetResponses, card.Received.Count);
        Assert.Equal("card still answered 6101 after 64 GET RESPONSE commands for 00 B2 01 0C (65 bytes so far); giving up", ex.Message);
    }

    [Fact]
    public async Task The_bound_is_configurable_and_a_chain_within_it_completes()
    {
        var endless = new ScriptedTransport(_ => ResponseApdu.Parse(Hex.Parse("6101")));
        await Assert.ThrowsAsync<TransportException>(() => SendAsync(endless, "00B2010C00", maxGetResponses: 3));
        Assert.Equal(4, endless.Received.Count);

        var card = new ScriptedTransport()
            .Expect("00B2010C00", "6101")
            .Expect("00C0000001", "AA6101")
            .Expect("00C0000001", "BB6101")
            .Expect("00C0000001", "CC9000");
        var result = await SendAsync(card, "00B2010C00", maxGetResponses: 3);
        Assert.Equal("AABBCC", Hex.Encode(result.Data.Span));
    }

    [Fact]
    public async Task A_card_alternating_6Cxx_and_61xx_on_get_response_is_bounded_too()
    {
        int n = 0;
        var card = new ScriptedTransport(_ => ResponseApdu.Parse(Hex.Parse(n++ % 2 == 0 ? "6101" : "6C01")));

        await Assert.ThrowsAsync<TransportException>(() => SendAsync(card, "00B2010C00"));
        Assert.True(card.Received.Count <= 2 + StatusWordHandlingTransport.DefaultMaxGetResponses, $"{card.Received.Count} commands sent");
    }

    [Fact]
    public async Task Transport_failures_and_cancellation_propagate_unchanged()
    {
        var failure = new TransportException(TransportFailure.CardRemoved, "card removed");
        var card = new ScriptedTransport()
            .Expect("00B2010C00", "6110")
            .ExpectThenFail("00C0000010", failure);
        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);

        var ex = await Assert.ThrowsAsync<TransportException>(() => transport.TransmitAsync(Command("00B2010C00")).AsTask());
        Assert.Same(failure, ex);

        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => transport.TransmitAsync(Command("00B2010C00"), cts.Token).AsTask());
    }

    [Fact]
    public async Task The_cancellation_token_reaches_every_inner_exchange()
    {
        using var cts = new CancellationTokenSource();
        var card = new ScriptedTransport().Expect("00B2010C00", "6110").Expect("00C0000010", new string('0', 32) + "9000");
        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);

        await transport.TransmitAsync(Command("00B2010C00"), cts.Token);
        Assert.All(card.Tokens, token => Assert.Equal(cts.Token, token));
        Assert.Equal(2, card.Tokens.Count);
    }

    [Fact]
    public async Task Dispose_disposes_the_inner_transport_unless_left_open()
    {
        var owned = new ScriptedTransport();
        await new StatusWordHandlingTransport(owned).DisposeAsync();
        Assert.True(owned.Disposed);

        var shared = new ScriptedTransport();
        await new StatusWordHandlingTransport(shared, leaveOpen: true).DisposeAsync();
        Assert.False(shared.Disposed);
    }

    [Fact]
    public void A_bound_below_one_is_a_caller_bug()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new StatusWordHandlingTransport(new ScriptedTransport(), 0));
}
