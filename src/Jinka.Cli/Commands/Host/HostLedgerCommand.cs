using System.CommandLine;
using System.Globalization;
using Jinka.Cli.Infrastructure;
using Jinka.Host.Storage;
using Spectre.Console;

namespace Jinka.Cli.Commands.Host;

/// <summary><c>jinka host ledger</c>: what a store holds — balances, the books check, the approved authorisations.</summary>
internal static class HostLedgerCommand
{
    private const int AuthorizationsShown = 20;

    public static Command Create()
    {
        var store = HostServeCommand.StoreOption();
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON (every approved authorisation; PANs masked)" };
        var command = new Command("ledger", "Show a host store: account balances, the books check and the approved authorisations (exit 1 when the books do not balance)")
        {
            store, json,
        };
        command.SetAction(async (parsed, ct) =>
        {
            await using var issuerStore = await HostOptions.OpenStoreAsync(parsed.GetRequiredValue(store), StoreDurability.EveryWrite, ct).ConfigureAwait(false);
            var report = await issuerStore.ReadLedgerAsync(ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), report.WriteJson);
            }
            else
            {
                Render(CliOutput.Console(parsed), report);
            }

            return report.Books.Balanced ? ExitCodes.Success : ExitCodes.Negative;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, LedgerReport report)
    {
        console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"{report.Store} (schema {report.SchemaVersion})")));
        var accounts = new Table().AddColumns("account", "currency", "balance", "held", "available").Title("accounts");
        foreach (var account in report.Accounts)
        {
            accounts.AddRow(Markup.Escape(account.Id), account.Currency, Yuan(account.Balance), Yuan(account.Held), Yuan(account.Available));
        }

        console.Write(accounts);
        var books = report.Books;
        console.MarkupLine(books.Balanced
            ? $"[green]books balance[/]: {books.Movements.ToString(CultureInfo.InvariantCulture)} movements, {books.Postings.ToString(CultureInfo.InvariantCulture)} postings"
            : $"[red]books DO NOT balance[/]: {Markup.Escape(string.Join("; ", books.Problems))}");
        foreach (var balance in books.InternalAccounts)
        {
            console.MarkupLine(Markup.Escape($"  {balance.AccountId} ({balance.Currency}): {Yuan(balance.Amount)}"));
        }

        var authorizations = new Table().AddColumns("reference", "card", "ATC", "terminal", "STAN", "amount", "approval", "state", "at")
            .Title(string.Create(CultureInfo.InvariantCulture, $"approved authorisations: {report.Authorizations.Count}"));
        foreach (var a in report.Authorizations.TakeLast(AuthorizationsShown))
        {
            authorizations.AddRow(
                Markup.Escape(a.Reference), Markup.Escape(a.Card.Masked), a.Atc.ToString("X4", CultureInfo.InvariantCulture), Markup.Escape(a.TerminalId),
                a.Stan.ToString("D6", CultureInfo.InvariantCulture), Yuan(a.Amount), Markup.Escape(a.ApprovalCode), a.State.ToString(),
                a.At.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        }

        console.Write(authorizations);
        if (report.Authorizations.Count > AuthorizationsShown)
        {
            console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"(the last {AuthorizationsShown} shown; --json lists all {report.Authorizations.Count})")));
        }
    }

    private static string Yuan(long minor) => minor < 0 ? "-" + TransactCommand.Yuan(-minor) : TransactCommand.Yuan(minor);
}
