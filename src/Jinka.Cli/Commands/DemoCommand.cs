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
/// the PBOC contact kernel against the in-process issuer — online with PIN, then a second purchase — and summarise.
/// </summary>
internal static class DemoCommand
{
    private static readonly (string Profile, string Title)[] s_cards =
    [
        ("pboc-debit-intl", "international (3DES/RSA)"),
        ("pboc-debit-sm", "national (SM4/SM2/SM3)"),
    ];

    public static Command Create()
    {
        var directory = new Option<string?>("--dir") { Description = "Where to keep the demo cards and traces (default: a new temporary directory)", HelpName = "DIR" };
        var command = new Command("demo", "Issue a card in each suite and pay with it: card ↔ PBOC kernel ↔ issuer, with traces") { directory };
        command.SetAction(async (parsed, ct) =>
        {
            string dir = parsed.GetValue(directory) ?? Directory.CreateTempSubdirectory("jinka-demo-").FullName;
            Directory.CreateDirectory(dir);
            var console = CliOutput.Console(parsed);
            console.MarkupLine("[bold]Jinka 金卡 — demo[/]: issue a PBOC debit card in each suite, then pay at a contact terminal whose issuer is in-process.");
            var caKeys = Workbench.TerminalCaKeys(null, null);
            var table = new Table().AddColumns("card", "purchase", "outcome", "online", "ODA / CVM", "APDUs", "balance", "trace");
            bool allApproved = true;
            foreach (var (profileName, title) in s_cards)
            {
                string cardPath = Path.Combine(dir, profileName + ".card.json");
                var profile = CardProfileReader.Load(Workbench.ProfilePath(profileName));
                await Workbench.IssueAsync(profile, cardPath, null, null, ct).ConfigureAwait(false);
                int n = 0;
                foreach (var (amount, forceOnline) in new[] { (12_34L, true), (5_00L, false) })
                {
                    n++;
                    var card = Workbench.LoadCard(cardPath);
                    using var bank = await LocalBank.OpenAsync(LocalBank.PathFor(cardPath)).ConfigureAwait(false);
                    var result = await TransactCommand.PayAsync(card, caKeys, bank, amount, profile.Pin, forceOnline, ct).ConfigureAwait(false);
                    Card.CardImage.Save(card, cardPath);
                    await bank.SaveAsync().ConfigureAwait(false);
                    var account = await bank.AccountAsync().ConfigureAwait(false);
                    string tracePath = Path.Combine(dir, $"{profileName}.purchase{n}.trace.json");
                    AtomicFile.WriteAllText(tracePath, result.Trace.ToJson());
                    allApproved &= result.IsApproved;
                    table.AddRow(
                        Markup.Escape(title),
                        $"¥{TransactCommand.Yuan(amount)}{(forceOnline ? " (forced online)" : "")}",
                        result.IsApproved ? "[green]approved[/]" : $"[red]{Markup.Escape(result.Outcome.ToString())}[/]",
                        result.WentOnline ? Markup.Escape(result.AuthorizationResponse?.ResponseCode ?? "?") : "offline",
                        Markup.Escape(Describe(result)),
                        result.Trace.Apdus.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                        $"¥{TransactCommand.Yuan(account.Balance - account.Held)}",
                        Markup.Escape(Path.GetFileName(tracePath)));
                }
            }

            console.Write(table);
            console.MarkupLine($"Cards, issuer files and traces: [bold]{Markup.Escape(dir)}[/]");
            console.WriteLine("Next: jinka card info --card <card.json>   ·   jinka transact --card <card.json> --amount 8.88 --pin <PIN>   ·   jinka selftest");
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
