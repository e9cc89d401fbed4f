using System.CommandLine;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using System.Globalization;
using Jinka.Card;
using Jinka.Cli.Banking;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Transport;
using Jinka.Terminal;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Pin;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka ec balance</c> and <c>jinka ec load</c>: read the electronic cash balance as a contactless reader does; load it online.</summary>
internal static class EcCommands
{
    public static Command Create()
    {
        var card = new Option<string>("--card") { Description = "The card image", Required = true, HelpName = "CARD.json" };
        var caDir = new Option<string?>("--ca-dir") { Description = "Directory of the test CA keys (default profiles/ca)", HelpName = "DIR" };
        var balance = new Command("balance", "Read the EC balance (9F79): PPSE, SELECT, GET DATA — nothing is debited") { card, caDir };
        balance.SetAction(async (parsed, ct) =>
        {
            var virtualCard = Workbench.LoadCard(parsed.GetRequiredValue(card));
            virtualCard.PowerOn();
            await using var transport = new StatusWordHandlingTransport(new Jinka.Card.VirtualCardTransport(virtualCard));
            var kernel = new QpbocKernel(new TerminalConfig(), Workbench.TerminalCaKeys(parsed.GetValue(caDir), null), null, null);
            var reading = await kernel.ReadEcBalanceAsync(transport, ct).ConfigureAwait(false);
            if (reading.Balance is not { } minor)
            {
                CliOutput.Out(parsed).WriteLine($"no EC balance: {reading.Reason}");
                return ExitCodes.Negative;
            }

            CliOutput.Out(parsed).WriteLine($"{TransactCommand.Yuan(minor)}");
            return ExitCodes.Success;
        });
        return new Command("ec", "Electronic cash (电子现金)") { balance, Load(card, caDir) };
    }

    /// <summary><c>jinka ec load</c>: an online load (圈存) through the card's issuer (contract Q11, Q36).</summary>
    private static Command Load(Option<string> card, Option<string?> caDir)
    {
        var amount = new Option<string>("--amount") { Description = "Amount to load in yuan, e.g. 500.00", Required = true, HelpName = "AMOUNT" };
        var from = new Option<string>("--from") { Description = "Where the money comes from: account (9C 60, the card's own account), other (62, another account) or cash (63)", DefaultValueFactory = _ => "account", HelpName = "SOURCE" };
        from.AcceptOnlyFromAmong("account", "other", "cash");
        var pin = new Option<string?>("--pin") { Description = "The PIN the cardholder enters when asked (without it, PIN entry is bypassed)", HelpName = "PIN" };
        var trace = new Option<string?>("--trace") { Description = "Write the trace (APDUs, steps, field 55, scripts) as JSON", HelpName = "TRACE.json" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var issuerKeys = new Option<string?>("--issuer-keys") { Description = "Authorise with this keys file (jinka issue --keys-out) instead of the card's CARD.issuer.json", HelpName = "KEYS.json" };
        var capk = new Option<string?>("--capk") { Description = "Also trust these CA public keys (the JSON of 'jinka ca export --json')", HelpName = "FILE" };
        var load = new Command("load", "Load electronic cash online: read the balance and limit, ARQC → issuer → 2nd GENERATE AC → PUT DATA 9F79 script")
        {
            card, amount, from, pin, trace, json, issuerKeys, capk, caDir,
        };
        load.SetAction(async (parsed, ct) =>
        {
            long minor = TransactCommand.ParseAmount(parsed.GetRequiredValue(amount));
            byte type = parsed.GetValue(from) switch { "other" => TransactionRequest.EcLoadNonDesignatedAccount, "cash" => TransactionRequest.EcLoadCash, _ => TransactionRequest.EcLoadDesignatedAccount };
            string cardPath = parsed.GetRequiredValue(card);
            string? keysPath = parsed.GetValue(issuerKeys);
            var caKeys = Workbench.TerminalCaKeys(parsed.GetValue(caDir), parsed.GetValue(capk));
            var virtualCard = Workbench.LoadCard(cardPath);
            using var bank = await LocalBank.OpenAsync(keysPath ?? LocalBank.PathFor(cardPath), isKeysFileOnly: keysPath is not null).ConfigureAwait(false);

            TransactionResult result;
            await using (var reader = new VirtualCardTransport(virtualCard))
            {
                result = await LoadAsync(reader, caKeys, bank.Issuer, minor, type, parsed.GetValue(pin), ct).ConfigureAwait(false);
            }


            CardImage.Save(virtualCard, cardPath);
            await bank.SaveAsync().ConfigureAwait(false);
            var account = await bank.AccountAsync().ConfigureAwait(false);
            if (parsed.GetValue(trace) is { } tracePath)
            {
                AtomicFile.WriteAllText(tracePath, result.Trace.ToJson());
            }

            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w =>
                {
                    w.WriteStartObject();
                    w.WriteString("outcome", result.Outcome.ToString());
                    w.WriteString("reason", result.Reason);
                    w.WriteNumber("amount", minor);
                    w.WriteString("transactionType", type.ToString("X2", CultureInfo.InvariantCulture));
                    WriteNumberOrNull(w, "ecBalanceBefore", result.EcBalanceBefore);
                    WriteNumberOrNull(w, "ecBalance", result.EcBalance);
                    w.WriteString("responseCode", result.AuthorizationResponse?.ResponseCode);
                    w.WriteString("scriptResults", result.ScriptResults.IsEmpty ? null : Hex.Encode(result.ScriptResults.Span));
                    w.WriteNumber("apdus", result.Trace.Apdus.Count);
                    w.WriteNumber("accountAvailable", account.Available);
                    w.WriteEndObject();
                });
            }
            else
            {
                string colour = result.IsApproved ? "green" : "red";
                var console = CliOutput.Console(parsed);
                console.MarkupLine($"[bold {colour}]{(result.IsApproved ? "LOADED" : Markup.Escape(result.Outcome.ToString().ToUpperInvariant()))}[/]  ¥{TransactCommand.Yuan(minor)}  — {Markup.Escape(result.Reason)}");
                var table = new Table().HideHeaders().AddColumns("", "");
                table.AddRow("EC balance before", result.EcBalanceBefore is long b ? $"¥{TransactCommand.Yuan(b)}" : "-");
                table.AddRow("EC balance after", result.EcBalance is long a ? $"¥{TransactCommand.Yuan(a)}" : "-");
                table.AddRow("issuer", Markup.Escape(result.AuthorizationResponse is { } r ? $"response code {r.ResponseCode}" : "not asked"));
                table.AddRow("issuer scripts (DF31)", result.ScriptResults.IsEmpty ? "-" : Hex.Encode(result.ScriptResults.Span));
                table.AddRow("APDUs", result.Trace.Apdus.Count.ToString(CultureInfo.InvariantCulture));
                table.AddRow("account available", $"¥{TransactCommand.Yuan(account.Available)}");
                console.Write(table);
            }

            return result.IsApproved ? ExitCodes.Success : ExitCodes.Negative;
        });
        return load;
    }

    /// <summary>One online EC load with the card behind <paramref name="card"/> (a raw transport; the caller owns it).</summary>
    internal static async Task<TransactionResult> LoadAsync(IApduTransport card, Terminal.CaKeys.CaPublicKeyStore caKeys, IAuthorizationClient issuer, long amount, byte type, string? pin, CancellationToken ct)
    {
        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);
        var kernel = new ContactKernel(new TerminalConfig(), caKeys, issuer, pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin));
        return await kernel.LoadElectronicCashAsync(transport, amount, type, cancellationToken: ct).ConfigureAwait(false);
    }

    private static void WriteNumberOrNull(System.Text.Json.Utf8JsonWriter w, string name, long? value)
    {
        if (value is long number)
        {
            w.WriteNumber(name, number);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
