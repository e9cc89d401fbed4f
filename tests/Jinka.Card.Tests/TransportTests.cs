using Jinka.Card.Applications;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Core.Tlv;

namespace Jinka.Card.Tests;

public class TransportTests
{
    private static readonly VirtualCardOptions s_t0 = new() { UseGetResponse = true, Random = new CountingRandom() };

    [Fact]
    public async Task A_terminal_conversation_through_status_word_handling_in_61xx_mode()
    {
        var card = TestCards.Standard(s_t0);
        var wire = new RecordingTransport(new VirtualCardTransport(card));
        await using var terminal = new RecordingTransport(new StatusWordHandlingTransport(wire));

        var pse = await terminal.TransmitAsync(ApduCommands.SelectByName(ApduCommands.Pse));
        Assert.Equal(StatusWord.Success, pse.StatusWord);
        Assert.Equal("01", Hex.Encode(TlvNode.Parse(pse.Data)[0].Find(new Tag(0x88))!.Value.Span));

        var record = await terminal.TransmitAsync(ApduCommands.ReadRecord(1, 1));
        Assert.Equal("A0000009990101", Hex.Encode(TlvNode.Parse(record.Data)[0].Find(new Tag(0x4F))!.Value.Span));

        var select = await terminal.TransmitAsync(ApduCommands.SelectByName(TestCards.App1.Span));
        Assert.Equal("6F1B8407A0000009990101A510500B434F554E544552204F4E45870101", Hex.Encode(select.Data.Span));

        var credit = await terminal.TransmitAsync(new CommandApdu(0x80, 0x10, 0x00, 0x00, [0, 0, 1, 0], CommandApdu.MaxShortNe));
        Assert.Equal("000100000100", Hex.Encode(credit.Data.Span));

        // The terminal saw four exchanges; the wire carried a GET RESPONSE after each case-4 command (READ RECORD is case 2).
        Assert.Equal(4, terminal.Exchanges.Count);
        Assert.Equal(
            ["00A40400 -> 6117", "00C00000 -> 9000", "00B2010C -> 9000", "00A40400 -> 611D", "00C00000 -> 9000", "80100000 -> 6106", "00C00000 -> 9000"],
            wire.Exchanges.Select(e => $"{Hex.Encode(e.Command.ToArray().AsSpan(0, 4))} -> {e.Response.StatusWord}"));
        Assert.Equal(0x17, wire.Exchanges[1].Command.Ne);
    }

    [Fact]
    public async Task In_t1_mode_data_comes_with_the_status_word()
    {
        var card = TestCards.Standard();
        var wire = new RecordingTransport(new VirtualCardTransport(card));
        await using var terminal = new StatusWordHandlingTransport(wire);

        var select = await terminal.TransmitAsync(ApduCommands.SelectByName(TestCards.App1.Span));
        Assert.Equal(StatusWord.Success, select.StatusWord);
        Assert.Single(wire.Exchanges);
        Assert.Equal(29, select.Data.Length);
    }

    [Fact]
    public async Task A_warning_status_survives_the_get_response_chain()
    {
        var card = TestCards.Standard(s_t0);
        card.Personalize(TestCards.App2, c => c.LifeCycle = ApplicationLifeCycle.Blocked);
        await using var terminal = new StatusWordHandlingTransport(new VirtualCardTransport(card));

        var select = await terminal.TransmitAsync(ApduCommands.SelectByName(TestCards.App2.Span));
        Assert.Equal(StatusWord.SelectedFileInvalidated, select.StatusWord);
        Assert.Equal(0x6Fu, TlvNode.Parse(select.Data)[0].Tag.Value);
    }

    [Fact]
    public void Get_response_hands_out_the_data_in_pieces_and_anything_else_drops_it()
    {
        var card = TestCards.Standard(s_t0);
        Assert.Equal("611D", card.Exchange("00A4040007A000000999010100"));
        Assert.Equal("6F1B8407A0000009990101A510" + "6110", card.Exchange("00C000000D"));
        Assert.Equal("6A86", card.Sw("00C0010010"));
        Assert.Equal("500B434F554E544552204F4E45870101" + "9000", card.Exchange("00C0000000"));
        Assert.Equal("6985", card.Sw("00C0000010"));

        Assert.Equal("611D", card.Exchange("00A4040007A000000999010100"));
        Assert.Equal("9000", card.Sw("0084000004"));
        Assert.Equal("6985", card.Sw("00C000001D"));
    }

    [Fact]
    public async Task The_transport_powers_the_card_on_and_off()
    {
        var card = TestCards.Standard();
        card.PowerOff();
        var transport = new VirtualCardTransport(card);
        Assert.True(card.IsPowered);
        await transport.DisposeAsync();
        Assert.False(card.IsPowered);

        var kept = new VirtualCardTransport(card, leavePowered: true);
        await kept.DisposeAsync();
        Assert.True(card.IsPowered);
    }
}
