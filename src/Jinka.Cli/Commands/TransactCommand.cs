using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Jinka.Cli.Banking;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Transport;
using Jinka.Iso8583.Transport;
using Jinka.Terminal;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Pin;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka transact</c>: one purchase with a card image or the card in a PC/SC reader, the PBOC kernel and the in-process issuer.</summary>
internal static class TransactCommand
{
    public static Command Create()
    {
        var card = new Option<string?>("--card") { Description = "The card image (from 'jinka issue'); its new state is saved back", HelpName = "CARD.json" };
        var reader = CardConnection.ReaderOption();
        var amount = new Option<string>("--amount") { Description = "Amount in yuan, e.g. 12.34", Required = true, HelpName = "AMOUNT" };
        var pin = new Option<string?>("--pin") { Description = "The PIN the cardholder enters when asked (without it, PIN entry is bypassed)", HelpName = "PIN" };
        var forceOnline = new Option<bool>("--force-online") { Description = "Merchant forces the transaction online" };
        var contactless = new Option<bool>("--contactless") { Description = "Tap instead of insert: the qPBOC kernel (PPSE, GPO with TTQ, fDDA, offline EC or online)" };
        var trace = new Option<string?>("--trace") { Description = "Write the trace (APDUs, steps, TVR/TSI, field 55) as JSON", HelpName = "TRACE.json" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var issuerKeys = new Option<string?>("--issuer-keys") { Description = "Authorise with this keys file (jinka issue --keys-out) instead of the card's CARD.issuer.json", HelpName = "KEYS.json" };
        var capk = new Option<string?>("--capk") { Description = "Also trust these CA public keys (the JSON of 'jinka ca export --json')", HelpName = "FILE" };
        var caDir = new Option<string?>("--ca-dir") { Description = "Directory of the test CA keys (default profiles/ca)", HelpName = "DIR" };
        var host = new Option<string?>("--host")
        {
            Description = "Send online requests over ISO 8583 (CUP POS) to this host ('jinka host serve' with the card's --cards) instead of the in-process issuer; terminal JINKA001 with its test master key",
            HelpName = "HOST:PORT",
        };
        var command = new Command("transact", "Pay with a card image or the card in a reader: PBOC kernel → card (APDUs) → in-process issuer or an ISO 8583 host (field 55)")
        {
            card, reader, amount, pin, forceOnline, contactless, trace, json, issuerKeys, capk, caDir, host,
        };
        command.SetAction(async (parsed, ct) =>
        {
            long minor = ParseAmount(parsed.GetRequiredValue(amount));
            string? keysPath = parsed.GetValue(issuerKeys);
            string? hostText = parsed.GetValue(host);
            if (hostText is not null && keysPath is not null)
            {
                throw new CliInputException("--issuer-keys and --host: the host authorises with the keys it serves (host serve --cards); give one of them");
            }

            var caKeys = Workbench.TerminalCaKeys(parsed.GetValue(caDir), parsed.GetValue(capk));
            await using var connection = CardConnection.Open(parsed.GetValue(card), parsed.GetValue(reader));

            // A card image pays against its own bank file; a card in a reader against --issuer-keys, or an issuer that
            // knows no card (which declines it online: the kernel still completes).
            // With --host, the ISO 8583 host decides and keeps the account: no bank file is read or written.
            await using var remote = hostText is null ? null : HostClient(hostText);
            using var bank = remote is null && (keysPath is not null || connection.ImagePath is not null)
                ? await LocalBank.OpenAsync(keysPath ?? LocalBank.PathFor(connection.ImagePath!), isKeysFileOnly: keysPath is not null).ConfigureAwait(false)
                : null;
            using var unknownCards = bank is null && remote is null ? new UnknownCardIssuer() : null;
            IAuthorizationClient issuer = remote is not null ? remote : bank?.Issuer ?? unknownCards!.Issuer;

            var outcome = parsed.GetValue(contactless)
                ? await TapAsync(connection.Transport, caKeys, issuer, minor, parsed.GetValue(pin), parsed.GetValue(forceOnline), ct).ConfigureAwait(false)
                : await PayAsync(connection.Transport, caKeys, issuer, minor, parsed.GetValue(pin), parsed.GetValue(forceOnline), ct).ConfigureAwait(false);
            connection.SaveImage();
            long? balance = null;
            if (bank is not null)
            {
                await bank.SaveAsync().ConfigureAwait(false);
                var account = await bank.AccountAsync().ConfigureAwait(false);
                balance = account.Balance - account.Held;
            }

            string? tracePath = parsed.GetValue(trace);
            if (tracePath is not null)
            {
                AtomicFile.WriteAllText(tracePath, outcome.Trace.ToJson());
            }

            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w => WriteJson(w, outcome, minor, balance, tracePath));
            }
            else
            {
                Render(CliOutput.Console(parsed), outcome, minor, balance, tracePath);
            }

            return outcome.IsApproved ? ExitCodes.Success : ExitCodes.Negative;
        });
        return command;
    }

    /// <summary>The terminal side of ISO 8583 to <paramref name="hostPort"/>: the default terminal (JINKA001) with its test master key.</summary>
    private static Iso8583AuthorizationClient HostClient(string hostPort)
    {
        var (name, port) = Host.HostOptions.ParseHostPort("--host", hostPort);
        return TestTerminal.Connect(name, port);
    }

    /// <summary>One purchase with the card behind <paramref name="card"/> (a raw transport: status words are handled here); the caller owns it.</summary>
    internal static async Task<TransactionResult> PayAsync(IApduTransport card, Terminal.CaKeys.CaPublicKeyStore caKeys, IAuthorizationClient issuer, long amount, string? pin, bool forceOnline, CancellationToken ct)
    {
        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);
        var kernel = new ContactKernel(new TerminalConfig(), caKeys, issuer, pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin));
        return await kernel.RunAsync(transport, new TransactionRequest(amount, ForceOnline: forceOnline), ct).ConfigureAwait(false);
    }

    /// <summary>
    /// The reader limits of <c>--contactless</c> (docs/cli.md): transactions of ¥10,000 or more go to another interface,
    /// a CVM is required from ¥1,000 (UnionPay QuickPass no-PIN limit), and above ¥500 the reader asks for an online
    /// cryptogram; below that the card may approve offline from its electronic cash.
    /// </summary>
    internal static QpbocReaderOptions ReaderLimits { get; } = new()
    {
        ContactlessTransactionLimit = 1_000_000,
        CvmLimit = 100_000,
        ContactlessFloorLimit = 50_000,
    };

    /// <summary>One contactless purchase with the card behind <paramref name="card"/> (a raw transport); the caller owns it. <paramref name="readEcBalance"/> adds GET DATA 9F79 after an offline approval (Q20).</summary>
    internal static async Task<TransactionResult> TapAsync(IApduTransport card, Terminal.CaKeys.CaPublicKeyStore caKeys, IAuthorizationClient issuer, long amount, string? pin, bool forceOnline, CancellationToken ct, bool readEcBalance = false)
    {
        await using var transport = new StatusWordHandlingTransport(card, leaveOpen: true);
        var kernel = new QpbocKernel(new TerminalConfig(), caKeys, issuer, pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin)) { Reader = ReaderLimits with { ReadEcBalanceAfter = readEcBalance } };
        return await kernel.RunAsync(transport, new TransactionRequest(amount, ForceOnline: forceOnline), ct).ConfigureAwait(false);
    }

    internal static long ParseAmount(string text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            || value <= 0 || decimal.Round(value, 2) != value || value >= 10_000_000_000m)
        {
            throw new CliInputException($"--amount: '{text}' is not an amount in yuan with at most two decimals (e.g. 12.34)");
        }

        return (long)(value * 100);
    }

    internal static string Yuan(long minor) => (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    private static void Render(IAnsiConsole console, TransactionResult result, long amount, long? balance, string? tracePath)
    {
        string colour = result.IsApproved ? "green" : "red";
        console.MarkupLine($"[bold {colour}]{Markup.Escape(result.Outcome.ToString().ToUpperInvariant())}[/]  ¥{Yuan(amount)}  — {Markup.Escape(result.Reason)}");
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("application", Markup.Escape(result.Aid ?? "-"));
        table.AddRow("online", result.WentOnline ? Markup.Escape($"yes, response code {result.AuthorizationResponse?.ResponseCode ?? "-"}") : "no");
        table.AddRow("TVR", Markup.Escape(Words(result.Trace.Tvr.Hex, result.Trace.Tvr.Words)));
        table.AddRow("TSI", Markup.Escape(Words(result.Trace.Tsi.Hex, result.Trace.Tsi.Words)));
        if (result.Trace.CvmResults is { } cvm)
        {
            table.AddRow("CVM results", Markup.Escape(Words(cvm.Hex, cvm.Words)));
        }

        if (!result.ScriptResults.IsEmpty)
        {
            table.AddRow("issuer scripts (DF31)", Hex.Encode(result.ScriptResults.Span));
        }

        table.AddRow("APDUs", result.Trace.Apdus.Count.ToString(CultureInfo.InvariantCulture));
        if (balance is long available)
        {
            table.AddRow("account balance", $"¥{Yuan(available)}");
        }

        if (tracePath is not null)
        {
            table.AddRow("trace", Markup.Escape(tracePath));
        }

        console.Write(table);
    }

    private static string Words(string hex, List<string> words) => words.Count == 0 ? hex : $"{hex}: {string.Join("; ", words)}";

    private static void WriteJson(Utf8JsonWriter w, TransactionResult result, long amount, long? balance, string? tracePath)
    {
        w.WriteStartObject();
        w.WriteString("outcome", result.Outcome.ToString());
        w.WriteString("reason", result.Reason);
        w.WriteNumber("amount", amount);
        w.WriteString("aid", result.Aid);
        w.WriteBoolean("online", result.WentOnline);
        w.WriteString("responseCode", result.AuthorizationResponse?.ResponseCode);
        w.WriteString("tvr", result.Trace.Tvr.Hex);
        w.WriteString("tsi", result.Trace.Tsi.Hex);
        w.WriteString("cvmResults", result.Trace.CvmResults?.Hex);
        w.WriteString("scriptResults", result.ScriptResults.IsEmpty ? null : Hex.Encode(result.ScriptResults.Span));
        w.WriteNumber("apdus", result.Trace.Apdus.Count);
        if (balance is long available)
        {
            w.WriteNumber("balance", available);
        }
        else
        {
            w.WriteNull("balance");
        }

        w.WriteString("trace", tracePath);
        w.WriteEndObject();
    }
}
