using System.CommandLine;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Jinka.Cli.Infrastructure;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Host.Network;
using Jinka.Host.Storage;

namespace Jinka.Cli.Commands.Host;

/// <summary>
/// <c>jinka host serve</c>: the issuer as an ISO 8583 (CUP POS) service on TCP over a durable store, until Ctrl-C or
/// SIGTERM. The issuer's master keys come from card keys files (test keys) and live in a software key store in
/// process memory only; the store keeps cards, accounts, the ledger and the journal.
/// </summary>
internal static class HostServeCommand
{
    /// <summary>The first line serve prints, up to the bound endpoint (tests and scripts read the port from it).</summary>
    public const string ListeningPrefix = "Listening on ";

    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP:PORT to listen on (port 0: any free port, printed)", Required = true, HelpName = "IP:PORT" };
        var store = StoreOption();
        var durability = new Option<string>("--durability")
        {
            Description = "before-response (default): what an answer rests on is flushed before it is sent, one flush per authorisation; every-write: every write waits for its own flush",
            HelpName = "MODE",
            DefaultValueFactory = _ => "before-response",
        };
        durability.AcceptOnlyFromAmong("before-response", "every-write");
        var cards = new Option<string[]>("--cards")
        {
            Description = "Card keys files (jinka issue --keys-out; TEST KEYS ONLY): the issuer master keys the host derives the cards' keys from; each card is registered with an account",
            HelpName = "KEYS.json",
            AllowMultipleArgumentsPerToken = true,
        };
        var opening = new Option<string>("--opening-balance")
        {
            Description = "Opening balance in yuan of each new card's account (existing accounts are kept as they are)",
            HelpName = "AMOUNT",
            DefaultValueFactory = _ => "1000000.00",
        };
        var command = new Command("serve", "Run the issuer host: ISO 8583 (CUP POS) over TCP, ARQC/ARPC through the key store, a durable ledger; until Ctrl-C or SIGTERM. Test keys only")
        {
            listen, store, durability, cards, opening,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var endpoint = HostOptions.ParseListen(parsed.GetValue(listen));
            var mode = HostOptions.ParseDurability(parsed.GetValue(durability));
            long openingBalance = HostOptions.ParseYuan("--opening-balance", parsed.GetValue(opening));
            var keysFiles = (parsed.GetValue(cards) ?? []).Select(path => (Path: path, Keys: HostOptions.LoadKeys(path))).ToList();
            if (keysFiles.GroupBy(k => k.Keys.Card).FirstOrDefault(g => g.Count() > 1) is { } twice)
            {
                throw new CliInputException($"--cards: {string.Join(" and ", twice.Select(k => k.Path))} are the same card {twice.Key.Masked}; each card once");
            }

            var output = CliOutput.Out(parsed);
            var writeLock = new Lock();
            void Log(string line)
            {
                lock (writeLock)
                {
                    output.WriteLine($"{HostOptions.Timestamp()} {line}");
                    output.Flush();
                }
            }

            await using var issuerStore = await HostOptions.OpenStoreAsync(parsed.GetRequiredValue(store), mode, ct).ConfigureAwait(false);
            using var keyStore = new SoftwareKeyStore();
            foreach (var (path, keys) in keysFiles)
            {
                Log(await RegisterAsync(keyStore, issuerStore.Storage, keys, openingBalance, ct).ConfigureAwait(false) + $" ({path})");
            }

            var issuer = new Issuer(keyStore, issuerStore.Storage);
            var service = new IssuerHostService(issuer, keyStore, new IssuerHostOptions { TestTerminalMasterKeys = true, Log = Log });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(stop));
            try
            {
                var bound = await service.StartAsync(endpoint, ct).ConfigureAwait(false);
                lock (writeLock)
                {
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{ListeningPrefix}{bound} — store {issuerStore.Description} (schema {issuerStore.SchemaVersion}), durability {Name(mode)}, {keysFiles.Count} card(s), TEST terminal master keys. Ctrl-C or SIGTERM stops."));
                    output.Flush();
                }

                await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
            catch (SocketException ex)
            {
                throw new CliInputException($"--listen {endpoint}: {ex.Message}", ex);
            }
            finally
            {
                await service.DisposeAsync().ConfigureAwait(false);
            }

            var s = service.Statistics;
            var w = issuerStore.WriteStatistics;
            Log(string.Create(CultureInfo.InvariantCulture,
                $"Stopped: {s.Requests} requests, {s.Approved} approved, {s.Declined} declined, {s.Duplicates} duplicates, {s.Advices} advices, {s.SignOns} sign-ons, {s.BadMacs} bad MACs, {s.Unknown} unknown, {service.MalformedFrames} malformed frames; store: {w.Commits} commits of {w.Operations} writes, {w.Flushes} separate flushes."));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Option<string> StoreOption() => new("--store")
    {
        Description = "The durable store: sqlite:FILE (created if missing) or \"postgres:Host=...;Database=...;Username=...;Password=...\"; migrated on open",
        Required = true,
        HelpName = "STORE",
    };

    /// <summary>
    /// Imports the card's keys (they live in memory only, so on every start) and, the first time, registers the card
    /// and opens its account; a restart keeps the registered card and the account's balance.
    /// </summary>
    internal static async Task<string> RegisterAsync(SoftwareKeyStore keyStore, IssuerStorage storage, CardKeysFile keys, long openingBalance, CancellationToken ct)
    {
        string accountId = HostOptions.AccountIdFor(keys.Card);
        var account = await storage.Accounts.FindAsync(accountId, ct).ConfigureAwait(false);
        bool opened = account is null;
        account ??= await storage.Accounts.OpenAccountAsync(accountId, "156", openingBalance, cancellationToken: ct).ConfigureAwait(false);
        var existing = await storage.Cards.FindAsync(keys.Card, ct).ConfigureAwait(false);
        try
        {
            if (existing is null)
            {
                await keys.ImportAsync(keyStore, storage.Cards, accountId, ct).ConfigureAwait(false);
            }
            else
            {
                keys.ImportKeys(keyStore);
                keys.ImportPinVerification(keyStore);
            }
        }
        catch (KeyStoreException ex)
        {
            throw new CliInputException($"--cards: {keys.Card.Masked}: {ex.Message}", ex);
        }

        string balance = TransactCommand.Yuan(account.Balance - account.Held);
        return existing is null
            ? $"card {keys.Card.Masked} registered on {(opened ? "new " : string.Empty)}account {accountId} (available ¥{balance})"
            : $"card {keys.Card.Masked} known, account {accountId} (available ¥{balance})";
    }

    private static string Name(StoreDurability mode) => mode == StoreDurability.EveryWrite ? "every-write" : "before-response";

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true; // we stop ourselves: close connections, then the store
        stop.Cancel();
    };
}
