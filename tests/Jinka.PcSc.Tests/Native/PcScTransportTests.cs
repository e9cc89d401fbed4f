using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.PcSc.Tests.Native;

/// <summary>What the transport puts on the wire for each protocol, and how PC/SC failures reach the caller.</summary>
public sealed class PcScTransportTests
{
    private readonly FakePcScApi _api = new();

    private PcScTransport Connect(PcScProtocols protocol, PcScConnectOptions? options = null)
    {
        _api.Protocol = protocol;
        var context = PcScContext.Establish(_api, PcScScope.System);
        return context.Connect("Fake Reader 00 00", options);
    }

    [Theory]
    [InlineData("case 1", "00A40000", "00A40000")]
    [InlineData("case 2S", "00B2010C00", "00B2010C00")]
    [InlineData("case 3S", "00200080083012345FFFFFFFFF", "00200080083012345FFFFFFFFF")]
    [InlineData("case 4S loses its Le on T=0 (ISO/IEC 7816-3 §12.2.4)", "00A404000E315041592E5359532E444446303100", "00A404000E315041592E5359532E4444463031")]
    [InlineData("GPO case 4S", "80A8000002830000", "80A80000028300")]
    public void T0_sends_short_commands_as_c_tpdus(string description, string command, string wire)
    {
        using var transport = Connect(PcScProtocols.T0);
        transport.Transmit(CommandApdu.Parse(Hex.Parse(command)));
        Assert.True(Hex.Encode(_api.Sent.Single()) == wire, description);
        Assert.Equal("transmit T0", _api.Calls.Last());
    }

    [Theory]
    [InlineData("case 4S keeps its Le on T=1", "00A404000E315041592E5359532E444446303100")]
    [InlineData("case 4E", "80E2000000000311223300FF")]
    [InlineData("case 2E", "00B00000000100")]
    public void T1_sends_commands_unchanged(string description, string command)
    {
        using var transport = Connect(PcScProtocols.T1);
        transport.Transmit(CommandApdu.Parse(Hex.Parse(command)));
        Assert.True(Hex.Encode(_api.Sent.Single()) == command, description);
    }

    [Fact]
    public void T0_refuses_extended_lengths_without_sending()
    {
        using var transport = Connect(PcScProtocols.T0);
        var e = Assert.Throws<TransportException>(() => transport.Transmit(CommandApdu.Parse(Hex.Parse("80E2000000000311223300FF"))));
        Assert.Equal(TransportFailure.ProtocolViolation, e.Failure);
        Assert.Contains("T=0", e.Message, StringComparison.Ordinal);
        Assert.Empty(_api.Sent);
    }

    [Fact]
    public void Answers_come_back_as_they_are_with_61xx_for_the_status_word_layer()
    {
        _api.Card = _ => [0x61, 0x1C];
        using var transport = Connect(PcScProtocols.T0);
        var response = transport.Transmit(CommandApdu.Parse(Hex.Parse("00A4040007A000000333010100")));
        Assert.Equal(0x611C, response.StatusWord.Value);
        Assert.True(response.Data.IsEmpty);
    }

    [Fact]
    public async Task Status_word_layer_on_top_fetches_the_data_with_get_response()
    {
        _api.Card = command => command[1] == 0xC0 ? [0x6F, 0x00, 0x90, 0x00] : [0x61, 0x02];
        await using var transport = new StatusWordHandlingTransport(Connect(PcScProtocols.T0));
        var response = await transport.TransmitAsync(CommandApdu.Parse(Hex.Parse("00A4040007A000000333010100")));
        Assert.Equal("6F00", Hex.Encode(response.Data.Span));
        Assert.Equal(["00A4040007A0000003330101", "00C0000002"], _api.Sent.Select(b => Hex.Encode(b)));
    }

    [Theory]
    [InlineData("no byte", "")]
    [InlineData("one byte", "90")]
    public void An_answer_without_a_status_word_is_a_protocol_violation(string description, string answer)
    {
        _api.Card = _ => Hex.Parse(answer);
        using var transport = Connect(PcScProtocols.T1);
        var e = Assert.Throws<TransportException>(() => transport.Transmit(CommandApdu.Parse(Hex.Parse("0084000008"))));
        Assert.True(e.Failure == TransportFailure.ProtocolViolation, description);
        Assert.Contains("Fake Reader 00 00", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PcScError.RemovedCard, TransportFailure.CardRemoved)]
    [InlineData(PcScError.ResetCard, TransportFailure.CardRemoved)]
    [InlineData(PcScError.NoService, TransportFailure.PeerClosed)]
    [InlineData(PcScError.ReaderUnavailable, TransportFailure.PeerClosed)]
    [InlineData(PcScError.Timeout, TransportFailure.Timeout)]
    [InlineData(PcScError.CommunicationError, TransportFailure.ProtocolViolation)]
    [InlineData(PcScError.InvalidParameter, TransportFailure.Other)]
    public async Task A_failed_transmit_is_a_typed_transport_exception(PcScError error, TransportFailure failure)
    {
        _api.TransmitResult = error;
        await using var transport = Connect(PcScProtocols.T1);
        var e = await Assert.ThrowsAsync<PcScException>(async () => await transport.TransmitAsync(CommandApdu.Parse(Hex.Parse("0084000008"))));
        Assert.Equal(error, e.Error);
        Assert.Equal(failure, e.Failure);
        Assert.IsAssignableFrom<TransportException>(e);
        Assert.Contains($"0x{(uint)error:X8}", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_reports_the_atr_and_protocol_and_dispose_resets_the_card()
    {
        var transport = Connect(PcScProtocols.T1);
        Assert.Equal(PcScProtocols.T1, transport.Protocol);
        Assert.Equal("3B600000", Hex.Encode(transport.Atr.Span));
        Assert.Contains("connect Fake Reader 00 00 Shared Any", _api.Calls);
        transport.Dispose();
        Assert.Matches("^disconnect [0-9]+ ResetCard$", _api.Calls.Last());
        Assert.Throws<ObjectDisposedException>(() => transport.Transmit(CommandApdu.Parse(Hex.Parse("0084000008"))));
    }

    [Fact]
    public void Disposition_and_share_mode_are_the_callers_to_choose()
    {
        var transport = Connect(PcScProtocols.T1, new PcScConnectOptions { ShareMode = PcScShareMode.Exclusive, Protocols = PcScProtocols.T1, Disposition = PcScDisposition.LeaveCard });
        Assert.Contains("connect Fake Reader 00 00 Exclusive T1", _api.Calls);
        transport.Disposition = PcScDisposition.UnpowerCard;
        transport.Dispose();
        Assert.EndsWith("UnpowerCard", _api.Calls.Last(), StringComparison.Ordinal);
    }

    [Fact]
    public void Reconnect_resets_the_card_and_renegotiates()
    {
        using var transport = Connect(PcScProtocols.T1);
        _api.Protocol = PcScProtocols.T0;
        transport.Reconnect();
        Assert.Contains("reconnect ResetCard", _api.Calls);
        Assert.Equal(PcScProtocols.T0, transport.Protocol);
    }

    [Fact]
    public void The_context_is_released_after_the_last_card_connected_through_it()
    {
        var context = PcScContext.Establish(_api, PcScScope.System);
        var transport = context.Connect("Fake Reader 00 00");
        context.Dispose();
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("release", StringComparison.Ordinal));
        transport.Dispose();
        int disconnect = _api.Calls.FindIndex(c => c.StartsWith("disconnect", StringComparison.Ordinal));
        int release = _api.Calls.FindIndex(c => c.StartsWith("release", StringComparison.Ordinal));
        Assert.True(disconnect >= 0 && release > disconnect, string.Join(", ", _api.Calls));
    }

    [Fact]
    public void Transmit_with_a_cancelled_token_sends_nothing()
    {
        using var transport = Connect(PcScProtocols.T1);
        Assert.ThrowsAny<OperationCanceledException>(() => transport.TransmitAsync(CommandApdu.Parse(Hex.Parse("0084000008")), new CancellationToken(true)).AsTask().GetAwaiter().GetResult());
        Assert.Empty(_api.Sent);
    }
}
