using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.Core.Tests.Transport;

public class RecordingTransportTests
{
    /// <summary>A clock that only moves when told to.</summary>
    private sealed class ManualClock : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;
    }

    private static CommandApdu Command(string hex) => CommandApdu.Parse(Hex.Parse(hex));

    [Fact]
    public async Task Exchanges_are_recorded_in_order_with_their_elapsed_time()
    {
        var clock = new ManualClock();
        var card = new ScriptedTransport()
            .Expect("00A404000E315041592E5359532E444446303100", "6F0A840E9000")
            .Expect("00B2010C00", "6A83");
        card.OnCommand = () => clock.Ticks += TimeSpan.FromMilliseconds(12).Ticks;
        await using var recorder = new RecordingTransport(card, timeProvider: clock);

        await recorder.TransmitAsync(Command("00A404000E315041592E5359532E444446303100"));
        await recorder.TransmitAsync(Command("00B2010C00"));

        var exchanges = recorder.Exchanges;
        Assert.Equal(2, exchanges.Count);
        Assert.Equal("00A404000E315041592E5359532E444446303100", Hex.Encode(exchanges[0].Command.ToArray()));
        Assert.Equal("6F0A840E9000", Hex.Encode(exchanges[0].Response.ToArray()));
        Assert.Equal(StatusWord.RecordNotFound, exchanges[1].Response.StatusWord);
        Assert.All(exchanges, e => Assert.Equal(TimeSpan.FromMilliseconds(12), e.Elapsed));
        Assert.Equal(">> 00 B2 01 0C 00\n<< 6A 83", exchanges[1].ToString());
    }

    [Fact]
    public async Task The_callback_sees_each_exchange_as_it_completes()
    {
        var seen = new List<string>();
        var card = new ScriptedTransport().Expect("0084000008", "11223344556677889000").Expect("0084000004", "AABBCCDD9000");
        RecordingTransport? recorder = null;
        recorder = new RecordingTransport(card, e => seen.Add($"{e.Command.Ne}:{recorder!.Exchanges.Count}"));

        await recorder.TransmitAsync(Command("0084000008"));
        Assert.Equal(["8:1"], seen);
        await recorder.TransmitAsync(Command("0084000004"));
        Assert.Equal(["8:1", "4:2"], seen);
        await recorder.DisposeAsync();
    }

    [Fact]
    public async Task Clear_forgets_and_snapshots_do_not_change_afterwards()
    {
        var card = new ScriptedTransport(_ => new ResponseApdu(StatusWord.Success));
        await using var recorder = new RecordingTransport(card);
        await recorder.TransmitAsync(Command("00A40000"));
        var before = recorder.Exchanges;

        recorder.Clear();
        await recorder.TransmitAsync(Command("00A40001"));

        Assert.Single(before);
        Assert.Equal(0x00, before[0].Command.P2);
        Assert.Single(recorder.Exchanges);
        Assert.Equal(0x01, recorder.Exchanges[0].Command.P2);
    }

    [Fact]
    public async Task Failed_exchanges_are_not_recorded()
    {
        var card = new ScriptedTransport()
            .Expect("00A40000", "9000")
            .ExpectThenFail("00B2010C00", new TransportException(TransportFailure.PeerClosed, "vpcd closed"));
        await using var recorder = new RecordingTransport(card);

        await recorder.TransmitAsync(Command("00A40000"));
        var ex = await Assert.ThrowsAsync<TransportException>(() => recorder.TransmitAsync(Command("00B2010C00")).AsTask());

        Assert.Equal(TransportFailure.PeerClosed, ex.Failure);
        Assert.Single(recorder.Exchanges);
    }

    private static ScriptedTransport ChainedCard() => new ScriptedTransport()
        .Expect("00B2010C00", "6C12")
        .Expect("00B2010C12", "6108")
        .Expect("00C0000008", "1122334455667788" + "6104")
        .Expect("00C0000004", "AABBCCDD" + "9000");

    [Fact]
    public async Task Recording_outside_the_status_word_layer_records_the_logical_conversation()
    {
        var card = ChainedCard();
        await using var recorder = new RecordingTransport(new StatusWordHandlingTransport(card));

        var response = await recorder.TransmitAsync(Command("00B2010C00"));

        var exchange = Assert.Single(recorder.Exchanges);
        Assert.Equal("00B2010C00", Hex.Encode(exchange.Command.ToArray()));
        Assert.Equal("1122334455667788AABBCCDD9000", Hex.Encode(exchange.Response.ToArray()));
        Assert.Same(response, exchange.Response);
        card.AssertFinished();
    }

    [Fact]
    public async Task Recording_inside_the_status_word_layer_records_the_wire()
    {
        var card = ChainedCard();
        var recorder = new RecordingTransport(card);
        await using var transport = new StatusWordHandlingTransport(recorder);

        var response = await transport.TransmitAsync(Command("00B2010C00"));

        Assert.Equal("1122334455667788AABBCCDD9000", Hex.Encode(response.ToArray()));
        Assert.Equal(
            new[] { "00B2010C00 → 6C12", "00B2010C12 → 6108", "00C0000008 → 11223344556677886104", "00C0000004 → AABBCCDD9000" },
            recorder.Exchanges.Select(e => $"{Hex.Encode(e.Command.ToArray())} → {Hex.Encode(e.Response.ToArray())}"));
        card.AssertFinished();
    }

    [Fact]
    public async Task Dispose_disposes_the_inner_transport_unless_left_open()
    {
        var owned = new ScriptedTransport();
        await new RecordingTransport(owned).DisposeAsync();
        Assert.True(owned.Disposed);

        var shared = new ScriptedTransport();
        await new RecordingTransport(shared, leaveOpen: true).DisposeAsync();
        Assert.False(shared.Disposed);

        var stack = new ScriptedTransport();
        await new RecordingTransport(new StatusWordHandlingTransport(stack)).DisposeAsync();
        Assert.True(stack.Disposed);
    }
}
