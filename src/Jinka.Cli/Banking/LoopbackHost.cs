using System.Net;
using Jinka.Cli.Commands.Host;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Network;
using Jinka.Host.Storage;
using Jinka.Iso8583.Transport;
using Jinka.Terminal;

namespace Jinka.Cli.Banking;

/// <summary>
/// The issuer host of <c>jinka demo</c>: the same ISO 8583 service as <c>jinka host serve</c>, on a free loopback port,
/// over a durable store (the embedded SQLite default), with the test terminal master keys. Terminals reach it through
/// <see cref="Iso8583AuthorizationClient"/>, so the demo's online path is the wire path. Test keys only.
/// </summary>
internal sealed class LoopbackHost : IAsyncDisposable
{
    private readonly IssuerStore _store;
    private readonly SoftwareKeyStore _keys;
    private readonly IssuerHostService _service;
    private readonly List<Iso8583AuthorizationClient> _clients = [];

    private LoopbackHost(IssuerStore store, SoftwareKeyStore keys, IssuerHostService service, IPEndPoint endPoint)
    {
        _store = store;
        _keys = keys;
        _service = service;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public IssuerStore Store => _store;

    /// <summary>Opens <paramref name="store"/> (e.g. <c>sqlite:FILE</c>) and starts the host on 127.0.0.1, port chosen by the system.</summary>
    public static async Task<LoopbackHost> StartAsync(string store, CancellationToken ct)
    {
        var opened = await IssuerStorageFactory.OpenAsync(store, cancellationToken: ct).ConfigureAwait(false);
        var keys = new SoftwareKeyStore();
        try
        {
            var issuer = new Issuer(keys, opened.Storage);
            var service = new IssuerHostService(issuer, keys, new IssuerHostOptions { TestTerminalMasterKeys = true });
            var endPoint = await service.StartAsync(new IPEndPoint(IPAddress.Loopback, 0), ct).ConfigureAwait(false);
            return new LoopbackHost(opened, keys, service, endPoint);
        }
        catch
        {
            keys.Dispose();
            await opened.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Registers a card with its test keys and opens its account, as <c>host serve --cards</c> does (a known account keeps its balance).</summary>
    public async Task<string> AddCardAsync(CardKeysFile keys, long openingBalance, CancellationToken ct)
    {
        await HostServeCommand.RegisterAsync(_keys, _store.Storage, keys, openingBalance, ct).ConfigureAwait(false);
        return HostOptions.AccountIdFor(keys.Card);
    }

    /// <summary>A terminal of <paramref name="config"/> linked to this host (it signs on with its test master key).</summary>
    public Iso8583AuthorizationClient Terminal(TerminalConfig config)
    {
        var client = TestTerminal.Connect(EndPoint.Address.ToString(), EndPoint.Port, config);
        _clients.Add(client);
        return client;
    }

    public async Task<Account> AccountAsync(string accountId, CancellationToken ct) =>
        await _store.Storage.Accounts.FindAsync(accountId, ct).ConfigureAwait(false) ?? throw new InvalidOperationException($"no account {accountId}");

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync().ConfigureAwait(false);
        }

        await _service.DisposeAsync().ConfigureAwait(false);
        await _store.DisposeAsync().ConfigureAwait(false);
        _keys.Dispose();
    }
}
