using System.Collections.Concurrent;
using Jinka.Card;
using Jinka.Core;
using Jinka.Core.Transport;
using Jinka.PcSc.Tests.Support;
using Jinka.PcSc.Vpcd;

namespace Jinka.PcSc.Tests.Vpcd;

/// <summary>An issued card's image, made once for the class (issuance takes a while).</summary>
public sealed class IssuedImageFixture : IAsyncLifetime
{
    public byte[] Image { get; private set; } = [];

    public async Task InitializeAsync()
    {
        using var card = await TestCard.IssueAsync("pboc-debit-intl");
        Image = CardImage.Serialize(card.Card.Nvm);
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// The card side of the vpcd protocol against a scripted vpcd: framing, the four controls, the power semantics of a
/// real card, and bad input from the peer (zero-length and truncated frames, disconnects, malformed APDUs).
/// </summary>
public sealed class VpcdCardServerTests(IssuedImageFixture issued) : IClassFixture<IssuedImageFixture>, IAsyncLifetime
{
    private const string SelectPse = "00A404000E315041592E5359532E444446303100";
    private const string SelectPboc = "00A4040008A00000033301010100";
    private const string GetAtc = "80CA9F3600";

    private readonly FakeVpcd _vpcd = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<VpcdEvent> _events = new();
    private VirtualCard _card = null!;
    private VpcdCardServer _server = null!;
    private string _gpo = "";
    private Task _run = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        _card = new VirtualCard(TestCard.Catalog(), CardImage.Deserialize(issued.Image));
        _server = new VpcdCardServer(_card, new VpcdServerOptions { EndPoint = _vpcd.EndPoint, ReconnectDelay = TimeSpan.FromMilliseconds(10), OnEvent = _events.Enqueue });
        _run = _server.RunAsync(_stop.Token);
        await _vpcd.AcceptAsync();
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        _vpcd.Dispose();
    }

    private async Task<string> ApduAsync(string hex) => Hex.Encode(await _vpcd.ExchangeAsync(Hex.Parse(hex)));

    /// <summary>GET PROCESSING OPTIONS with zeros for the PDOL the FCI names (or none).</summary>
    private string Gpo => _gpo;

    private async Task SelectPbocAsync()
    {
        string fci = await ApduAsync(SelectPboc);
        Assert.EndsWith("9000", fci, StringComparison.Ordinal);
        var pdol = Core.Tlv.TlvNode.Parse(Hex.Parse(fci[..^4])).Single().Find(new Core.Tlv.Tag(0x9F38));
        int length = pdol is null ? 0 : Core.Dol.Dol.Parse(pdol.Value.Span).DataLength;
        _gpo = $"80A80000{length + 2:X2}83{length:X2}{new string('0', length * 2)}00";
    }

    private async Task PowerOnAsync()
    {
        await _vpcd.SendControlAsync(0x01);
        Assert.Equal(Hex.Encode(_card.Atr.Span), Hex.Encode(await _vpcd.ExchangeAsync([0x04])));
    }

    private bool Saw(VpcdEventKind kind, string text) => _events.Any(e => e.Kind == kind && e.Message.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Get_atr_answers_the_cards_atr_and_commands_get_data_and_status_word()
    {
        await PowerOnAsync();
        string fci = await ApduAsync(SelectPse);
        Assert.StartsWith("6F", fci, StringComparison.Ordinal);
        Assert.EndsWith("9000", fci, StringComparison.Ordinal);
        Assert.True(_card.IsPowered);
        Assert.Equal(1, _server.ApduCount);
        Assert.Contains(_events, e => e.Kind == VpcdEventKind.PowerOn);
    }

    [Fact]
    public async Task Reset_and_power_off_end_the_session_and_keep_the_atc()
    {
        await PowerOnAsync();
        await SelectPbocAsync();
        Assert.EndsWith("9000", await ApduAsync(Gpo), StringComparison.Ordinal);
        string atc = await ApduAsync(GetAtc);
        Assert.Equal("9F3602000190", atc[..12]);

        await _vpcd.SendControlAsync(0x02); // reset: the application is no longer selected
        Assert.NotEqual("9000", (await ApduAsync(Gpo))[^4..]);
        await SelectPbocAsync();
        Assert.EndsWith("9000", await ApduAsync(Gpo), StringComparison.Ordinal);
        Assert.StartsWith("9F36020002", await ApduAsync(GetAtc), StringComparison.Ordinal);

        await _vpcd.SendControlAsync(0x00); // power off, then on: the ATC is persistent
        await PowerOnAsync();
        Assert.NotEqual("9000", (await ApduAsync(Gpo))[^4..]);
        await SelectPbocAsync();
        Assert.EndsWith("9000", await ApduAsync(Gpo), StringComparison.Ordinal);
        Assert.StartsWith("9F36020003", await ApduAsync(GetAtc), StringComparison.Ordinal);
        Assert.Contains(_events, e => e.Kind == VpcdEventKind.Reset);
        Assert.Contains(_events, e => e.Kind == VpcdEventKind.PowerOff);
    }

    [Fact]
    public async Task A_t0_card_answers_a_case_3_select_with_61xx_and_get_response()
    {
        using var vpcd = new FakeVpcd();
        using var stop = new CancellationTokenSource();
        var card = new VirtualCard(TestCard.Catalog(), CardImage.Deserialize(issued.Image), new VirtualCardOptions { UseGetResponse = true });
        var run = new VpcdCardServer(card, new VpcdServerOptions { EndPoint = vpcd.EndPoint }).RunAsync(stop.Token);
        await vpcd.AcceptAsync();
        await vpcd.SendControlAsync(0x01);
        Assert.Equal(0x60, (await vpcd.ExchangeAsync([0x04]))[1] & 0xF0); // T0 = 6K: no TD1, so T=0

        string announced = Hex.Encode(await vpcd.ExchangeAsync(Hex.Parse(SelectPse[..^2]))); // the Le a T=0 terminal leaves off
        Assert.StartsWith("61", announced, StringComparison.Ordinal);
        string fci = Hex.Encode(await vpcd.ExchangeAsync(Hex.Parse("00C00000" + announced[2..])));
        Assert.StartsWith("6F", fci, StringComparison.Ordinal);
        Assert.EndsWith("9000", fci, StringComparison.Ordinal);
        await stop.CancelAsync();
        await run;
    }

    [Fact]
    public async Task A_command_before_power_on_powers_the_card_on_and_is_answered()
    {
        string fci = await ApduAsync(SelectPse);
        Assert.EndsWith("9000", fci, StringComparison.Ordinal);
        Assert.True(Saw(VpcdEventKind.ProtocolError, "before power-on"));
    }

    [Theory]
    [InlineData("2 bytes: shorter than a header", "00A4")]
    [InlineData("3 bytes: shorter than a header", "00A404")]
    [InlineData("Lc announces more data than follows", "00A404000E3150")]
    [InlineData("bytes after Le", "00A4040001AA0000")]
    public async Task A_malformed_apdu_is_answered_6700_and_the_connection_goes_on(string description, string apdu)
    {
        await PowerOnAsync();
        Assert.True(await ApduAsync(apdu) == "6700", description);
        Assert.True(Saw(VpcdEventKind.ProtocolError, "malformed APDU"), description);
        Assert.EndsWith("9000", await ApduAsync(SelectPse), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_control_byte_is_ignored()
    {
        await PowerOnAsync();
        await _vpcd.SendControlAsync(0x07);
        Assert.EndsWith("9000", await ApduAsync(SelectPse), StringComparison.Ordinal);
        Assert.True(Saw(VpcdEventKind.ProtocolError, "unknown control byte 07"));
    }

    [Fact]
    public async Task Frames_split_into_single_bytes_are_reassembled()
    {
        await PowerOnAsync();
        byte[] apdu = Hex.Parse(SelectPse);
        byte[] frame = [0x00, (byte)apdu.Length, .. apdu];
        foreach (byte b in frame)
        {
            await _vpcd.SendRawAsync([b]);
            await Task.Delay(1);
        }

        Assert.EndsWith("9000", Hex.Encode(await _vpcd.ReceiveFrameAsync()), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zero-length frame", "0000", "zero-length")]
    [InlineData("truncated payload", "000A00A404", "truncated frame: vpcd announced 10 bytes and closed the connection after 3")]
    [InlineData("truncated header", "00", "inside a frame header")]
    public async Task Bad_framing_ends_the_connection_and_the_server_reconnects(string description, string bytes, string reported)
    {
        await PowerOnAsync();
        await _vpcd.SendRawAsync(Hex.Parse(bytes));
        if (description == "zero-length frame")
        {
            Assert.True(await _vpcd.PeerClosedAsync(), "the server closes the connection");
        }
        else
        {
            _vpcd.Drop(); // the peer goes away in the middle of the frame
        }

        await _vpcd.AcceptAsync();
        Assert.True(Saw(VpcdEventKind.ProtocolError, reported), $"{description}: {string.Join(" | ", _events)}");
        Assert.False(_card.IsPowered); // the card left the reader with the old connection

        await PowerOnAsync();
        Assert.EndsWith("9000", await ApduAsync(SelectPse), StringComparison.Ordinal);
        Assert.Equal(2, _server.ConnectionCount);
    }

    [Fact]
    public async Task A_peer_that_disconnects_gets_a_clean_reconnect()
    {
        await PowerOnAsync();
        await SelectPbocAsync();
        _vpcd.Drop();
        await _vpcd.AcceptAsync();
        Assert.True(Saw(VpcdEventKind.Disconnected, "vpcd closed the connection"));
        await PowerOnAsync();
        Assert.NotEqual("9000", (await ApduAsync(Gpo))[^4..]); // a new insertion, a new session
        Assert.Equal(2, _events.Count(e => e.Kind == VpcdEventKind.Connected));
    }

    [Fact]
    public async Task Stopping_returns_cleanly_with_the_card_powered_off()
    {
        await PowerOnAsync();
        await _stop.CancelAsync();
        await _run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(_card.IsPowered);
        Assert.True(Saw(VpcdEventKind.Disconnected, "the server stopped"));
        Assert.True(await _vpcd.PeerClosedAsync());
    }

    [Fact]
    public async Task Running_twice_at_once_is_refused()
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => _server.RunAsync(CancellationToken.None));
    }

    [Fact]
    public async Task The_first_connection_failing_is_an_error_naming_the_address()
    {
        var closed = new FakeVpcd();
        var endPoint = closed.EndPoint;
        closed.Dispose();
        var server = new VpcdCardServer(_card, new VpcdServerOptions { EndPoint = endPoint });
        var e = await Assert.ThrowsAsync<TransportException>(() => server.RunAsync(CancellationToken.None));
        Assert.Equal(TransportFailure.PeerClosed, e.Failure);
        Assert.Contains(endPoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("vsmartcard-vpcd", e.Message, StringComparison.Ordinal);
    }
}
