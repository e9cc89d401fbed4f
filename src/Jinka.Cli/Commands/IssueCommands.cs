using System.CommandLine;
using System.Globalization;
using Jinka.Cli.Banking;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Crypto;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka issue</c> and <c>jinka ca export</c>: data preparation and personalisation of test cards.</summary>
internal static class IssueCommands
{
    public static Command Issue()
    {
        var profile = new Option<string>("--profile") { Description = "Card profile: a JSON file, or a shipped name (pboc-debit-intl, pboc-debit-sm, pboc-credit-intl)", Required = true, HelpName = "FILE" };
        var output = new Option<string>("--out") { Description = "Where to write the personalised card image (JSON)", Required = true, HelpName = "CARD.json" };
        var keysOut = new Option<string?>("--keys-out") { Description = "Also write the card's test issuer keys {suite, pan, psn, mdkAc, mdkMac, mdkEnc, pvk, pvki, pvv}", HelpName = "KEYS.json" };
        var seed = new Option<int?>("--seed") { Description = "Seed for reproducible keys and certificates (tests, golden files)" };
        var caDir = new Option<string?>("--ca-dir") { Description = "Directory of the test CA keys (default profiles/ca)", HelpName = "DIR" };
        var command = new Command("issue", "Prepare and personalise a test card (DGIs through STORE DATA over SCP02), as a personalisation machine does")
        {
            profile, output, keysOut, seed, caDir,
        };
        command.SetAction(async (parsed, ct) =>
        {
            var cardProfile = LoadProfile(Workbench.ProfilePath(parsed.GetRequiredValue(profile)));
            string imagePath = parsed.GetRequiredValue(output);
            var (result, keys, issuedKeys) = await Workbench.IssueAsync(cardProfile, imagePath, parsed.GetValue(caDir), parsed.GetValue(seed), ct).ConfigureAwait(false);
            if (parsed.GetValue(keysOut) is { } keysPath)
            {
                AtomicFile.WriteAllText(keysPath, TestPinVerification.AddToKeysJson(issuedKeys, keys));
            }

            string bankPath = LocalBank.PathFor(imagePath);

            var console = CliOutput.Console(parsed);
            var table = new Table().HideHeaders().AddColumns("", "");
            table.AddRow("card", Markup.Escape($"{cardProfile.Name}"));
            table.AddRow("PAN", Markup.Escape(keys.Card.Masked));
            table.AddRow("suite", keys.Suite == SuiteId.Sm ? "SM (SM4 / SM2 / SM3)" : "international (3DES / RSA / SHA-1)");
            table.AddRow("personalisation", $"{result.Report.Exchanges.Count} APDUs, {result.Report.StoreDataCommands} STORE DATA, installed {Markup.Escape(string.Join(", ", result.Report.Installed))}");
            table.AddRow("card image", Markup.Escape(imagePath));
            table.AddRow("issuer (test keys, account)", Markup.Escape(bankPath));
            if (parsed.GetValue(keysOut) is { } k)
            {
                table.AddRow("keys file (TEST KEYS)", Markup.Escape(k));
            }

            console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Ca()
    {
        var json = new Option<bool>("--json") { Description = "Print the JSON array a terminal loads with --capk" };
        var caDir = new Option<string?>("--ca-dir") { Description = "Directory of the test CA keys (default profiles/ca)", HelpName = "DIR" };
        var export = new Command("export", "The CA public keys a Jinka terminal trusts (Jinka's TEST CA keys)") { json, caDir };
        export.SetAction(parsed =>
        {
            using var ca = CaKeyStore.LoadDirectory(Workbench.CaDirectory(parsed.GetValue(caDir)));
            string exported = CaKeyExport.ToJson(ca);
            if (parsed.GetValue(json))
            {
                CliOutput.Out(parsed).WriteLine(exported);
                return ExitCodes.Success;
            }

            var keys = Jinka.Terminal.CaKeys.CaPublicKeyStore.FromJson(exported);
            var table = new Table().AddColumns("RID", "index", "algorithm", "key", "test");
            foreach (var key in keys)
            {
                string size = key.RsaKey is { } rsa ? $"RSA {rsa.Modulus.Length * 8} bits" : "SM2 (sm2p256v1)";
                table.AddRow(key.RidHex, key.Index.ToString("X2", CultureInfo.InvariantCulture), key.Algorithm.ToString(), size, key.IsTestKey ? "yes" : "no");
            }

            CliOutput.Console(parsed).Write(table);
            return ExitCodes.Success;
        });
        return new Command("ca", "Certification authority keys") { export };
    }

    private static CardProfile LoadProfile(string path)
    {
        try
        {
            return CardProfileReader.Load(path);
        }
        catch (CardProfileException ex)
        {
            throw new CliInputException(ex.Message, ex);
        }
    }
}
