using System.CommandLine;
using Jinka.Cli.Banking;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary>
/// <c>jinka demo</c>: issue a debit card in each suite (data preparation, SCP02 personalisation), then pay with each at
/// the PBOC contact kernel — online with PIN to the issuer host over ISO 8583 on loopback (SQLite store), then a second
/// purchase — and a debit card with electronic cash: an online EC load, then an offline tap at the qPBOC kernel.
/// </summary>
internal static class DemoCommand
{
    private enum DemoKind
    {
        Purchase,
        ForcedOnlinePurchase,
        EcLoad,
        Tap,
    }

    private static readonly (string Profile, string Title, (DemoKind Kind, long Amount)[] Steps)[] s_cards =
    [
        ("pboc-debit-intl", "international (3DES/RSA)", [(DemoKind.ForcedOnlinePurchase, 12_34), (DemoKind.Purchase, 5_00)]),
        ("pboc-debit-sm", "national (SM4/SM2/SM3)", [(DemoKind.ForcedOnlinePurchase, 12_34), (DemoKind.Purchase, 5_00)]),
        ("pboc-debit-ec-sm", "debit + electronic cash (SM)", [(DemoKind.EcLoad, 100_00), (DemoKind.Tap, 8_50)]),
    ];

    public static Command Create()
    {
        var directory = new Option<string?>("--dir") { Description = "Where to keep the demo cards and traces (default: a new temporary directory)", HelpName = "DIR" };
        var command = new Command("demo", "Issue cards in each suite and pay with them (contact, EC load, contactless tap): card ↔ kernel ↔ issuer, with traces") { directory };
        command.SetAction(async (parsed, ct) =>
        {
            string dir = parsed.GetValue(directory) ?? Directory.CreateTempSubdirectory("jinka-demo-").FullName;
            Directory.CreateDirectory(dir);
            var console = CliOutput.Console(parsed);
            console.MarkupLine("[bold]Jinka 金卡 — demo[/]: issue PBOC debit cards in each suite, pay at a contact terminal online to an ISO 8583 issuer host, load electronic cash and tap.");
            var caKeys = Workbench.TerminalCaKeys(null, null);

            // The issuer host, as `jinka host serve` runs it, on a loopback port over the embedded SQLite store: every
            // online request below goes out as ISO 8583 (CUP POS) through a signed-on terminal.
            // The demo issues new cards (ATC 0000), so it starts a new store too: an old one would see their ATCs replayed.
            string storeFile = Path.Combine(dir, "demo-host.sqlite");
            foreach (string stale in new[] { storeFile, storeFile + "-wal", storeFile + "-shm" })
            {
                File.Delete(stale);
            }

            await using var host = await LoopbackHost.StartAsync($"sqlite:{storeFile}", ct).ConfigureAwait(false);
            var terminalConfig = new TerminalConfig();
            var terminal = host.Terminal(terminalConfig);
            console.MarkupLine($"Issuer host: ISO 8583 on [bold]{host.EndPoint}[/], store {Markup.Escape(host.Store.Description)}");
            var table = new Table().AddColumns("card", "purchase", "outcome", "online", "ODA / CVM", "APDUs", "balance", "trace");
            bool allApproved = true;
            foreach (var (profileName, title, steps) in s_cards)
            {
                string cardPath = Path.Combine(dir, profileName + ".card.json");
                var profile = CardProfileReader.Load(Workbench.ProfilePath(profileName));
                var (_, keys, _) = await Workbench.IssueAsync(profile, cardPath, null, null, ct).ConfigureAwait(false);
                string accountId = await host.AddCardAsync(keys, profile.OpeningBalance, ct).ConfigureAwait(false);
                int n = 0;
                foreach (var (kind, amount) in steps)
                {
                    n++;
                    var card = Workbench.LoadCard(cardPath);
                    TransactionResult result;
                    await using (var reader = new Card.VirtualCardTransport(card))
                    {
                        result = kind switch
                        {
                            DemoKind.EcLoad => await EcCommands.LoadAsync(reader, caKeys, terminal, amount, TransactionRequest.EcLoadDesignatedAccount, profile.Pin, ct).ConfigureAwait(false),
                            DemoKind.Tap => await TransactCommand.TapAsync(reader, caKeys, terminal, amount, profile.Pin, forceOnline: false, ct, readEcBalance: true).ConfigureAwait(false),
                            _ => await TransactCommand.PayAsync(reader, caKeys, terminal, amount, profile.Pin, kind == DemoKind.ForcedOnlinePurchase, ct).ConfigureAwait(false),
                        };
                    }

                    Card.CardImage.Save(card, cardPath);
                    var account = await host.AccountAsync(accountId, ct).ConfigureAwait(false);
                    string tracePath = Path.Combine(dir, $"{profileName}.{n}-{kind.ToString().ToLowerInvariant()}.trace.json");
                    AtomicFile.WriteAllText(tracePath, result.Trace.ToJson());
                    allApproved &= result.IsApproved;
                    table.AddRow(
                        Markup.Escape(title),
                        Markup.Escape(kind switch
                        {
                            DemoKind.ForcedOnlinePurchase => $"¥{TransactCommand.Yuan(amount)} (forced online)",
                            DemoKind.EcLoad => $"EC load ¥{TransactCommand.Yuan(amount)}",
                            DemoKind.Tap => $"tap ¥{TransactCommand.Yuan(amount)}",
                            _ => $"¥{TransactCommand.Yuan(amount)}",
                        }),
                        result.IsApproved ? "[green]approved[/]" : $"[red]{Markup.Escape(result.Outcome.ToString())}[/]",
                        result.WentOnline ? Markup.Escape(result.AuthorizationResponse?.ResponseCode ?? "?") : "offline",
                        Markup.Escape(Describe(result)),
                        result.Trace.Apdus.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        Markup.Escape($"¥{TransactCommand.Yuan(account.Balance - account.Held)}{(result.EcBalance is long ec ? $" · EC ¥{TransactCommand.Yuan(ec)}" : "")}"),
                        Markup.Escape(Path.GetFileName(tracePath)));
                }
            }

            console.Write(table);
            console.MarkupLine($"Cards, issuer files and traces: [bold]{Markup.Escape(dir)}[/]");
            console.WriteLine("Next: jinka card info --card <card.json>   ·   jinka transact --card <card.json> --amount 8.88 --pin <PIN>   ·   jinka card log --card <card.json>   ·   jinka selftest");
            return allApproved ? ExitCodes.Success : ExitCodes.Negative;
        });
        return command;
    }


    private static string Describe(TransactionResult result)
    {
        string oda = result.Tsi.Has(TsiBit.OfflineDataAuthenticationPerformed)
            ? result.Tvr.SdaFailed || result.Tvr.Has(TvrBit.DdaFailed) || result.Tvr.Has(TvrBit.CdaFailed) ? "ODA failed" : "ODA ok"
            : "no ODA";
        string cvm = result.Trace.CvmResults?.Words is { Count: > 0 } words ? words[0] : "no CVM";
        return $"{oda}; {cvm}";
    }
}
