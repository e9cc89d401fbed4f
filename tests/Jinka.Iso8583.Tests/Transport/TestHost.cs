using System.Collections.Concurrent;
using System.Net;
using Jinka.Core.Online;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Iso8583.Tests.Transport;

/// <summary>A small CUP POS host for transport tests: sign-on with real working keys, MAC checks, canned answers.</summary>
internal sealed class TestHost : ICupPosHandler, IAsyncDisposable
{
    public static readonly byte[] Tmk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    private readonly SoftwareKeyStore _keys = new();
    private readonly CupPosServer _server;

    public TestHost(CupPosServerOptions? options = null)
    {
        _keys.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);
        _server = new CupPosServer(this, (options ?? new CupPosServerOptions()) with { Log = Logs.Enqueue });
        _server.Start(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public int Port => _server.LocalEndPoint.Port;

    public CupPosServer Server => _server;

    public ConcurrentQueue<string> Logs { get; } = new();

    public ConcurrentQueue<Iso8583Message> Received { get; } = new();

    /// <summary>Answers to give before the normal ones, by MTI: a response code, or null to stay silent.</summary>
    public ConcurrentQueue<string?> Scripted { get; } = new();

    /// <summary>Spoils the MAC of the next answers.</summary>
    public bool SpoilMacs { get; set; }

    public int SignOns { get; private set; }

    public Func<CupPosRequest, Task>? BeforeAnswer { get; set; }

    public async ValueTask<CupPosReply?> HandleAsync(CupPosRequest request, CancellationToken cancellationToken)
    {
        Received.Enqueue(request.Message);
        if (BeforeAnswer is { } before)
        {
            await before(request);
        }

        var message = request.Message;
        var now = DateTimeOffset.UtcNow;
        if (message.Mti == Mti.SignOnRequest)
        {
            SignOns++;
            var keys = new SignOnKeys(_keys.GenerateWorkingKey("tmk", "pik", KeyUsage.PinEncryption), _keys.GenerateWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication));
            return new CupPosReply(CupPosResponses.SignOn(message, keys, now, "000000000001"));
        }

        if (Scripted.TryDequeue(out string? scripted))
        {
            return scripted is null ? null : new CupPosReply(CupPosResponses.Echo(message, scripted, now, "000000000002"), _keys.TryGetInfo("mak", out _) ? Mac : null);
        }

        if (!_keys.TryGetInfo("mak", out _) || !_keys.VerifyCupPosMac("mak", message.MacBlock, message.Mac))
        {
            return new CupPosReply(CupPosResponses.Echo(message, CupPosCodes.MacError, now));
        }

        var answer = message.Mti.Value is 100 or 200
            ? CupPosResponses.Authorization(message, new AuthorizationResponse("00", Convert.FromHexString("910A00112233445566773030")) { ApprovalCode = "123456" }, now, "000000000003")
            : CupPosResponses.Echo(message, CupPosCodes.Approved, now, "000000000004");
        return new CupPosReply(answer, Mac);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _keys.Dispose();
    }

    private void Mac(ReadOnlySpan<byte> block, Span<byte> mac)
    {
        _keys.GenerateCupPosMac("mak", block, mac);
        if (SpoilMacs)
        {
            mac[0] ^= 0x01;
        }
    }
}

internal static class TestRequests
{
    public static readonly CupPosTerminal Terminal = new("JINKA001", "898310048990001");

    public static AuthorizationRequest Purchase(int stan, long amount = 100) =>
        new("6225880000000001", "00", amount, "156", "000000", Convert.FromHexString("9F360200019F270180"), "JINKA001", "898310048990001", stan, DateTime.Now);

    public static Iso8583ClientOptions Options(int port) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        Terminal = Terminal,
        ResponseTimeout = TimeSpan.FromSeconds(2),
    };

    public static Iso8583MessageBuilder Echo(int stan) =>
        new Iso8583MessageBuilder(Mti.FinancialRequest).SetNumber(Iso8583Field.Stan, stan).Set(Iso8583Field.TerminalId, "JINKA001");
}
