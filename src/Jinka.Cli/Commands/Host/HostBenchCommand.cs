using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Jinka.Cli.Infrastructure;
using Jinka.Iso8583.Load;
using Spectre.Console;

namespace Jinka.Cli.Commands.Host;

/// <summary>
/// <c>jinka host bench</c>: many terminals at once against a host, each signing on and sending MACed 0200 purchases
/// whose ARQCs the bench computes from the cards' test keys (<see cref="LoadCard"/>); TPS and latency percentiles.
/// </summary>
internal static class HostBenchCommand
{
    public static Command Create()
    {
        var host = new Option<string>("--host") { Description = "The host to load", Required = true, HelpName = "HOST:PORT" };
        var connections = new Option<int>("--connections") { Description = "Terminals, one connection each, one request outstanding each (1–999)", DefaultValueFactory = _ => 16, HelpName = "N" };
        var count = new Option<int>("--count") { Description = "Authorisations in all", DefaultValueFactory = _ => 10_000, HelpName = "N" };
        var cards = new Option<string[]>("--cards")
        {
            Description = "Card keys files (jinka issue --keys-out; the host must serve them with --cards). An ATC is 16 bits: each card gives at most 65,535 authorisations, ever; the next ATC is kept in KEYS.json.atc",
            Required = true,
            HelpName = "KEYS.json",
            AllowMultipleArgumentsPerToken = true,
        };
        var amount = new Option<string>("--amount") { Description = "Amount in yuan of each purchase", DefaultValueFactory = _ => "0.01", HelpName = "AMOUNT" };
        var acks = new Option<string?>("--acks") { Description = "Write every approval received as a JSON line {terminal, stan, pan, psn, atc, amount, approvalCode, rrn}", HelpName = "ACKS.jsonl" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON (no progress bar)" };
        var command = new Command("bench", "Load a host with ISO 8583 purchases from many terminals (ARQCs from the cards' test keys); TPS, p50/p99/max latency, response codes")
        {
            host, connections, count, cards, amount, acks, json,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var (hostName, port) = HostOptions.ParseHostPort("--host", parsed.GetValue(host));
            int n = parsed.GetValue(connections), total = parsed.GetValue(count);
            if (n is < 1 or > 999)
            {
                throw new CliInputException($"--connections: {n} is not 1–999");
            }

            if (total < 1)
            {
                throw new CliInputException($"--count: {total} is not a positive number");
            }

            long minor = HostOptions.ParseYuan("--amount", parsed.GetValue(amount));
            var states = Reserve(parsed.GetValue(cards) ?? [], total);
            var loadCards = states.Select(s => s.Card).ToList();
            string? acksPath = parsed.GetValue(acks);
            await using var acksWriter = acksPath is null ? null : new StreamWriter(acksPath, append: false, new System.Text.UTF8Encoding(false));
            var options = new LoadOptions { Host = hostName, Port = port, Connections = n, Count = total, Amount = minor, Acks = acksWriter };
            LoadReport report;
            try
            {
                report = await RunAsync(parsed, options, loadCards, ct).ConfigureAwait(false);
            }
            finally
            {
                // Back to the first ATC not taken (never below it: taken ATCs may have reached the host).
                foreach (var (card, state) in states)
                {
                    state.Save(card.NextAtc);
                }
            }

            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w => WriteJson(w, report, options, acksPath));
            }
            else
            {
                Render(CliOutput.Console(parsed), report, options, acksPath);
            }

            return report.Approved == report.Count ? ExitCodes.Success : ExitCodes.Negative;
        });
        return command;
    }

    /// <summary>
    /// Loads the cards and their ATC state, and records each card's ATCs for this run as used before it starts: the
    /// run takes the cards round robin, so each needs ⌈count ÷ cards⌉ ATCs.
    /// </summary>
    private static List<(LoadCard Card, AtcStateFile State)> Reserve(string[] paths, int total)
    {
        if (paths.Length == 0)
        {
            throw new CliInputException("--cards: give at least one keys file (jinka issue --keys-out KEYS.json)");
        }

        int share = (total + paths.Length - 1) / paths.Length;
        var result = new List<(LoadCard, AtcStateFile)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in paths)
        {
            var keys = HostOptions.LoadKeys(path);
            if (!seen.Add(keys.Card.Pan + "/" + keys.Card.Psn))
            {
                throw new CliInputException($"--cards: {path} is card {keys.Card.Masked} again; each card once");
            }

            var state = AtcStateFile.Load(path, keys.Card);
            if (state.Remaining < share)
            {
                throw new CliInputException(string.Create(CultureInfo.InvariantCulture,
                    $"--cards: card {keys.Card.Masked} ({path}) has {state.Remaining} ATCs left and this run needs {share} from each of {paths.Length} card(s); give more cards of other PANs (jinka issue --profile … --keys-out K.json, then serve and bench them)"));
            }

            result.Add((new LoadCard(keys.Suite, keys.Card.Pan, keys.Card.Psn, keys.MdkAc, state.NextAtc), state));
        }

        foreach (var (card, state) in result)
        {
            state.Save(state.NextAtc + share);
        }

        return result;
    }

    private static async Task<LoadReport> RunAsync(ParseResult parsed, LoadOptions options, IReadOnlyList<LoadCard> cards, CancellationToken ct)
    {
        bool interactive = !parsed.GetValue<bool>("--json") && ReferenceEquals(CliOutput.Out(parsed), Console.Out) && !Console.IsOutputRedirected;
        if (!interactive)
        {
            return await LoadGenerator.RunAsync(cards, options, ct).ConfigureAwait(false);
        }

        LoadReport? report = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(0, 0, 0, TimeSpan.Zero), maxValue: options.Count);
                report = await LoadGenerator.RunAsync(cards, options with
                {
                    Progress = p =>
                    {
                        task.Value = p.Completed;
                        task.Description = Describe(p.Approved, p.Declined, p.Failed, p.Elapsed);
                    },
                }, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return report!;
    }

    private static string Describe(long approved, long declined, long failed, TimeSpan elapsed)
    {
        double tps = elapsed.TotalSeconds > 0 ? (approved + declined) / elapsed.TotalSeconds : 0;
        return string.Create(CultureInfo.InvariantCulture, $"{approved} approved, {declined} declined, {failed} failed, {tps:F0}/s");
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("F2", CultureInfo.InvariantCulture) + " ms";

    private static void Render(IAnsiConsole console, LoadReport report, LoadOptions options, string? acksPath)
    {
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("authorisations", string.Create(CultureInfo.InvariantCulture, $"{report.Count} over {options.Connections} connection(s) to {options.Host}:{options.Port}"));
        table.AddRow("approved / declined / failed", string.Create(CultureInfo.InvariantCulture, $"{report.Approved} / {report.Declined} / {report.Failed}"));
        table.AddRow("elapsed", report.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s");
        table.AddRow("TPS", report.Tps.ToString("F0", CultureInfo.InvariantCulture));
        table.AddRow("latency p50 / p99 / max", $"{Ms(report.P50)} / {Ms(report.P99)} / {Ms(report.Max)}");
        table.AddRow("response codes", Markup.Escape(string.Join(", ", report.ResponseCodes.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Key}: {c.Value}")))));
        if (acksPath is not null)
        {
            table.AddRow("acks", Markup.Escape(acksPath));
        }

        console.Write(table);
        foreach (string failure in report.Failures)
        {
            console.MarkupLine($"[red]failed[/] {Markup.Escape(failure)}");
        }
    }

    private static void WriteJson(Utf8JsonWriter w, LoadReport report, LoadOptions options, string? acksPath)
    {
        w.WriteStartObject();
        w.WriteString("host", string.Create(CultureInfo.InvariantCulture, $"{options.Host}:{options.Port}"));
        w.WriteNumber("connections", options.Connections);
        w.WriteNumber("count", report.Count);
        w.WriteNumber("approved", report.Approved);
        w.WriteNumber("declined", report.Declined);
        w.WriteNumber("failed", report.Failed);
        w.WriteNumber("elapsedSeconds", Math.Round(report.Elapsed.TotalSeconds, 3));
        w.WriteNumber("tps", Math.Round(report.Tps, 1));
        w.WriteNumber("p50Ms", Math.Round(report.P50.TotalMilliseconds, 3));
        w.WriteNumber("p99Ms", Math.Round(report.P99.TotalMilliseconds, 3));
        w.WriteNumber("maxMs", Math.Round(report.Max.TotalMilliseconds, 3));
        w.WriteStartObject("responseCodes");
        foreach (var (code, n) in report.ResponseCodes)
        {
            w.WriteNumber(code, n);
        }

        w.WriteEndObject();
        w.WriteStartArray("failures");
        foreach (string failure in report.Failures)
        {
            w.WriteStringValue(failure);
        }

        w.WriteEndArray();
        w.WriteString("acks", acksPath);
        w.WriteEndObject();
    }
}
