using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Iso8583;
using Jinka.Iso8583.Framing;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Tests.Network;

/// <summary>A terminal at the message level, to send what the real client never would.</summary>
internal sealed class RawTerminal : IAsyncDisposable
{
    private readonly CupPosConnection _connection;
    private readonly SoftwareKeyStore _keys = new();

    private RawTerminal(CupPosConnection connection, CupPosTerminal terminal)
    {
        _connection = connection;
        Terminal = terminal;
        _keys.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, TestTerminalKeys.MasterKeyFor(terminal.TerminalId));
    }

    public CupPosTerminal Terminal { get; }

    public static async Task<RawTerminal> ConnectAsync(HostFixture host, string terminalId = "JINKA777") =>
        new(await CupPosConnection.ConnectAsync("127.0.0.1", host.Port, TimeSpan.FromSeconds(5)), new CupPosTerminal(terminalId, HostFixture.MerchantId));

    public async Task SignOnAsync()
    {
        var (_, answer) = await ExchangeAsync(CupPosRequests.SignOn(Terminal, 900_001), null);
        SignOnKeys.TryParse(answer.Reserved62.Span, out var keys);
        _keys.ImportWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication, keys!.Mac.Ciphertext, keys.Mac.CheckValue);
    }

    /// <summary>Sends with the MAK's MAC (or <paramref name="mac"/>) and returns the answer.</summary>
    public async Task<Iso8583Message> SendAsync(Iso8583MessageBuilder request, MacGenerator? mac = null)
    {
        mac ??= _keys.TryGetInfo("mak", out _) ? (block, m) => _keys.GenerateCupPosMac("mak", block, m) : null;
        return (await ExchangeAsync(request, mac)).Message;
    }

    public Task<(CupPosEnvelope Envelope, Iso8583Message Message)> ExchangeAsync(Iso8583MessageBuilder request, MacGenerator? mac, TimeSpan? timeout = null) =>
        _connection.ExchangeAsync(CupPosEnvelope.ToHost(), request, mac, timeout ?? TimeSpan.FromSeconds(5));

    public bool MacVerifies(Iso8583Message message) => _keys.VerifyCupPosMac("mak", message.MacBlock, message.Mac);

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _keys.Dispose();
    }
}
