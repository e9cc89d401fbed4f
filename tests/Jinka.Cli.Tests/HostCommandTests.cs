using System.Globalization;
using System.Text.Json;

namespace Jinka.Cli.Tests;

/// <summary>Two cards issued once (intl and SM) with their keys files, copied into each test's directory.</summary>
public sealed class IssuedCardsFixture : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jinka-host-cards-");

    public IssuedCardsFixture()
    {
        string ca = Path.Combine(AppContext.BaseDirectory, "profiles", "ca");
        foreach (var (name, profile, seed) in new[] { ("intl", "pboc-debit-intl", "51"), ("sm", "pboc-debit-sm", "52") })
        {
            var issued = Cli.Run("issue", "--profile", profile, "--out", PathOf($"{name}.json"), "--keys-out", PathOf($"{name}.keys.json"), "--seed", seed, "--ca-dir", ca);
            if (issued.ExitCode != 0)
            {
                throw new InvalidOperationException(issued.ToString());
            }
        }
    }

    public string PathOf(string name) => Path.Combine(_dir.FullName, name);

    /// <summary>Copies the card image, its bank file and keys file of <paramref name="name"/> into <paramref name="directory"/>.</summary>
    public void CopyTo(string name, string directory)
    {
        foreach (string file in new[] { $"{name}.json", $"{name}.issuer.json", $"{name}.keys.json" })
        {
            File.Copy(PathOf(file), Path.Combine(directory, file));
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}

/// <summary>
/// <c>jinka host serve</c>, <c>host bench</c>, <c>host ledger</c> and <c>transact --host</c> as a user runs them: the
/// host a child process, killed with SIGKILL mid-load and restarted on the same store.
/// </summary>
public sealed class HostCommandTests(IssuedCardsFixture cards) : IClassFixture<IssuedCardsFixture>, IDisposable
{
    private const long OpeningBalance = 1_000_000_00;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jinka-host-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Theory]
    [InlineData("a store of no known kind", new[] { "host", "ledger", "--store", "mysql:x" }, "--store: The store kind 'mysql' is unknown")]
    [InlineData("a listen address without a port", new[] { "host", "serve", "--listen", "127.0.0.1", "--store", "sqlite:x.db" }, "--listen: '127.0.0.1' is not IP:PORT")]
    [InlineData("an unknown durability", new[] { "host", "serve", "--listen", "127.0.0.1:0", "--store", "sqlite:x.db", "--durability", "sometimes" }, "sometimes")]
    [InlineData("a missing keys file", new[] { "host", "serve", "--listen", "127.0.0.1:0", "--store", "sqlite:x.db", "--cards", "/nonexistent/k.json" }, "--cards: no file /nonexistent/k.json")]
    [InlineData("bench with no port", new[] { "host", "bench", "--host", "127.0.0.1", "--cards", "k.json" }, "--host: '127.0.0.1' is not HOST:PORT")]
    [InlineData("bench with 0 connections", new[] { "host", "bench", "--host", "127.0.0.1:1", "--cards", "k.json", "--connections", "0" }, "--connections: 0 is not 1–999")]
    [InlineData("transact with both --host and --issuer-keys", new[] { "transact", "--card", "c.json", "--amount", "1.00", "--host", "127.0.0.1:1", "--issuer-keys", "k.json" }, "give one of them")]
    public void Bad_input_is_named(string description, string[] args, string fragment)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_refuses_a_card_without_enough_ATCs_left_before_sending_anything()
    {
        cards.CopyTo("intl", _dir.FullName);
        File.WriteAllText(PathOf("intl.keys.json.atc"), ReadPan("intl") is var (pan, psn) ? $"{{\"pan\":\"{pan}\",\"psn\":\"{psn}\",\"nextAtc\":65000}}" : string.Empty);

        var result = Cli.Run("host", "bench", "--host", "127.0.0.1:1", "--count", "1000", "--cards", PathOf("intl.keys.json"));

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("has 536 ATCs left and this run needs 1000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transact_over_ISO8583_is_approved_captured_in_the_store_and_kept_across_a_restart()
    {
        cards.CopyTo("intl", _dir.FullName);
        string store = $"sqlite:{PathOf("host.db")}";
        using (var host = await HostProcess.StartAsync(store, "--cards", PathOf("intl.keys.json")))
        {
            var paid = Cli.Run("transact", "--card", PathOf("intl.json"), "--amount", "12.34", "--pin", "123456", "--force-online", "--host", $"127.0.0.1:{host.Port}", "--json");
            Assert.True(paid.ExitCode == 0, paid + host.Output);
            Assert.Contains("\"responseCode\": \"00\"", paid.Out, StringComparison.Ordinal);
            Assert.Contains("\"balance\": null", paid.Out, StringComparison.Ordinal);
            Assert.Equal(0, await host.TerminateAsync());
            Assert.Contains("Stopped: ", host.Output, StringComparison.Ordinal);
            Assert.Contains("1 approved", host.Output, StringComparison.Ordinal);
        }

        // The in-process bank file was not touched: the host keeps the account.
        Assert.Equal(File.ReadAllText(cards.PathOf("intl.issuer.json")), File.ReadAllText(PathOf("intl.issuer.json")));
        using (var again = await HostProcess.StartAsync(store, "--cards", PathOf("intl.keys.json")))
        {
            Assert.Contains("known, account", again.Output, StringComparison.Ordinal);
            Assert.Equal(0, await again.TerminateAsync());
        }

        var (report, _) = Ledger(store);
        var account = Assert.Single(report.GetProperty("accounts").EnumerateArray());
        Assert.Equal(OpeningBalance - 1234, account.GetProperty("balance").GetInt64());
        Assert.Equal(0, account.GetProperty("held").GetInt64());
        var authorization = Assert.Single(report.GetProperty("authorizations").EnumerateArray());
        Assert.Equal("Completed", authorization.GetProperty("state").GetString());
        Assert.Equal("JINKA001", authorization.GetProperty("terminal").GetString());
    }

    [Theory]
    [InlineData("before-response")]
    [InlineData("every-write")]
    public Task Kill_9_mid_load_loses_no_acknowledged_approval_and_doubles_no_debit_on_SQLite(string durability) =>
        CrashAndCheckAsync($"sqlite:{PathOf("host.db")}", durability);

    [PostgresFact]
    public async Task Kill_9_mid_load_loses_no_acknowledged_approval_and_doubles_no_debit_on_PostgreSQL()
    {
        var (connection, drop) = await Postgres.CreateSchemaAsync();
        try
        {
            await CrashAndCheckAsync($"postgres:{connection}", "before-response");
        }
        finally
        {
            await drop();
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>
    /// Loads a host child process with two cards from 16 terminals, kills it with SIGKILL once 400 approvals are
    /// acknowledged, restarts it on the same store, benches again (the ATC state file must keep every ATC new: no 94),
    /// and checks the ledger against the acks.
    /// </summary>
    private async Task CrashAndCheckAsync(string store, string durability)
    {
        cards.CopyTo("intl", _dir.FullName);
        cards.CopyTo("sm", _dir.FullName);
        string[] keys = [PathOf("intl.keys.json"), PathOf("sm.keys.json")];
        string acks = PathOf("acks.jsonl");
        CliResult first;
        using (var host = await HostProcess.StartAsync(store, ["--durability", durability, "--cards", .. keys]))
        {
            var bench = Task.Run(() => Cli.Run(["host", "bench", "--host", $"127.0.0.1:{host.Port}", "--count", "50000", "--acks", acks, "--json", "--cards", .. keys]));
            await WaitForLinesAsync(acks, 400, bench);
            host.Kill();
            first = await bench;
        }

        Assert.True(first.ExitCode == 1, first.ToString());
        using (var summary = JsonDocument.Parse(first.Out))
        {
            Assert.True(summary.RootElement.GetProperty("failed").GetInt64() > 0, "the kill should have failed the rest of the run: " + first.Out);
        }

        var acked = File.ReadAllLines(acks).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.True(acked.Count >= 400, $"{acked.Count} acks");

        using (var again = await HostProcess.StartAsync(store, ["--durability", durability, "--cards", .. keys]))
        {
            var second = Cli.Run(["host", "bench", "--host", $"127.0.0.1:{again.Port}", "--count", "100", "--connections", "4", "--json", "--cards", .. keys]);
            Assert.True(second.ExitCode == 0, second + again.Output);
            Assert.Equal(0, await again.TerminateAsync());
        }

        var (report, _) = Ledger(store);
        var authorizations = report.GetProperty("authorizations").EnumerateArray().ToList();
        var byTrace = authorizations.ToDictionary(a => (a.GetProperty("terminal").GetString(), a.GetProperty("stan").GetInt32(), a.GetProperty("card").GetString(), a.GetProperty("atc").GetInt32()));
        foreach (var ack in acked)
        {
            var key = (ack.GetProperty("terminal").GetString(), ack.GetProperty("stan").GetInt32(), Masked(ack.GetProperty("pan").GetString()!, ack.GetProperty("psn").GetString()!),
                int.Parse(ack.GetProperty("atc").GetString()!, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            Assert.True(byTrace.TryGetValue(key, out var found), $"acknowledged approval {ack} is not in the ledger");
            Assert.Equal(ack.GetProperty("approvalCode").GetString(), found.GetProperty("approvalCode").GetString());
            Assert.Equal("Approved", found.GetProperty("state").GetString());
        }

        // One authorisation per card and ATC; each account's held amount is its approved authorisations' plus at most
        // those the kill left undecided (ATC claimed, perhaps the hold too, answer never sent: at most one per terminal
        // in flight), which the terminal's reversal releases.
        Assert.Equal(authorizations.Count, authorizations.Select(a => (a.GetProperty("card").GetString(), a.GetProperty("atc").GetInt32())).Distinct().Count());
        Assert.True(authorizations.Count >= acked.Count + 100);
        var pending = await PendingAsync(store, keys);
        Assert.True(pending.Values.Sum(p => p.Count) <= 16, $"{pending.Values.Sum(p => p.Count)} undecided authorisations after the kill; at most one per terminal was in flight");
        foreach (var account in report.GetProperty("accounts").EnumerateArray())
        {
            string pan = account.GetProperty("id").GetString()!["acct-".Length..];
            long approved = authorizations.Where(a => a.GetProperty("card").GetString()!.StartsWith(Masked(pan, string.Empty), StringComparison.Ordinal)).Sum(a => a.GetProperty("amount").GetInt64());
            Assert.Equal(OpeningBalance, account.GetProperty("balance").GetInt64());
            long held = account.GetProperty("held").GetInt64();
            Assert.True(held >= approved && held <= approved + pending[pan].Amount, $"{pan}: held {held}, approved {approved}, undecided {pending[pan].Amount}");
        }
    }

    /// <summary>The journal's undecided (Pending) authorisations of each card, over every ATC the bench used (per the ATC state file).</summary>
    private static async Task<Dictionary<string, (int Count, long Amount)>> PendingAsync(string store, string[] keysFiles)
    {
        var result = new Dictionary<string, (int, long)>(StringComparer.Ordinal);
        await using var opened = await Jinka.Host.Storage.IssuerStorageFactory.OpenAsync(store);
        foreach (string path in keysFiles)
        {
            var keys = Jinka.Host.Issuing.CardKeysFile.Load(path);
            using var state = JsonDocument.Parse(File.ReadAllText(path + ".atc"));
            int next = state.RootElement.GetProperty("nextAtc").GetInt32();
            int count = 0;
            long amount = 0;
            for (int atc = 1; atc < next; atc++)
            {
                var record = await opened.Storage.Journal.FindByAtcAsync(keys.Card, (ushort)atc);
                if (record?.State == Jinka.Host.Issuing.AuthorizationState.Pending)
                {
                    count++;
                    amount += record.Amount;
                }
            }

            result[keys.Card.Pan] = (count, amount);
        }

        return result;
    }

    private static (JsonElement Report, CliResult Result) Ledger(string store)
    {
        var ledger = Cli.Run("host", "ledger", "--store", store, "--json");
        Assert.True(ledger.ExitCode == 0, ledger.ToString());
        var report = JsonDocument.Parse(ledger.Out).RootElement;
        Assert.True(report.GetProperty("books").GetProperty("balanced").GetBoolean(), ledger.Out);
        return (report, ledger);
    }

    private static string Masked(string pan, string psn) => $"{pan[..6]}{new string('*', pan.Length - 10)}{pan[^4..]}/{psn}";

    private (string Pan, string Psn) ReadPan(string name)
    {
        using var keys = JsonDocument.Parse(File.ReadAllText(PathOf($"{name}.keys.json")));
        return (keys.RootElement.GetProperty("pan").GetString()!, keys.RootElement.GetProperty("psn").GetString()!);
    }

    private static async Task WaitForLinesAsync(string path, int lines, Task<CliResult> bench)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline && !bench.IsCompleted)
        {
            if (File.Exists(path))
            {
                using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                using var reader = new StreamReader(stream);
                if ((await reader.ReadToEndAsync()).Count(c => c == '\n') >= lines)
                {
                    return;
                }
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"{lines} acks were not written in time: {(bench.IsCompleted ? bench.Result.ToString() : "bench still running")}");
    }
}
