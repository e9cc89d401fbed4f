using System.Text.Json;

namespace Jinka.Cli.Tests;

/// <summary>issue → transact → card info through the command line, on files, as a user runs them.</summary>
public sealed class CardCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jinka-cli-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static string Profile(string name) => Path.Combine(AppContext.BaseDirectory, "profiles", name + ".json");

    private static string CaDir => Path.Combine(AppContext.BaseDirectory, "profiles", "ca");

    [Theory]
    [InlineData("pboc-debit-intl", "intl")]
    [InlineData("pboc-debit-sm", "sm")]
    public void Issue_then_pay_twice_persists_the_atc_and_the_balance(string profile, string suite)
    {
        var issued = Cli.Run("issue", "--profile", Profile(profile), "--out", PathOf("card.json"), "--keys-out", PathOf("keys.json"), "--seed", "3", "--ca-dir", CaDir);
        Assert.True(issued.ExitCode == 0, issued.ToString());
        using (var keys = JsonDocument.Parse(File.ReadAllText(PathOf("keys.json"))))
        {
            Assert.Equal(suite, keys.RootElement.GetProperty("suite").GetString());
            Assert.Equal(32, keys.RootElement.GetProperty("mdkAc").GetString()!.Length);
        }

        Assert.True(File.Exists(PathOf("card.issuer.json")));

        var first = Pay("12.34");
        var second = Pay("1.00");
        Assert.Equal("Approved", first.GetProperty("outcome").GetString());
        Assert.Equal("Approved", second.GetProperty("outcome").GetString());
        Assert.Equal(first.GetProperty("balance").GetInt64() - 100, second.GetProperty("balance").GetInt64());

        var info = Cli.Run("card", "info", "--card", PathOf("card.json"), "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        using var doc = JsonDocument.Parse(info.Out);
        var app = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("0002", app.GetProperty("counters").GetProperty("ATC").GetString());
        Assert.Equal(2, app.GetProperty("log").GetArrayLength());
        Assert.Contains("*", app.GetProperty("data").GetProperty("5A").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Transact_writes_a_trace_with_apdus_tvr_tsi_outcome_and_field_55()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile("pboc-credit-intl"), "--out", PathOf("card.json"), "--ca-dir", CaDir).ExitCode);
        var result = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "8.50", "--pin", "123456", "--force-online", "--trace", PathOf("t.json"), "--ca-dir", CaDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("APPROVED", result.Out, StringComparison.Ordinal);
        using var trace = JsonDocument.Parse(File.ReadAllText(PathOf("t.json")));
        var root = trace.RootElement;
        var apdus = root.GetProperty("apdus");
        Assert.True(apdus.GetArrayLength() >= 8);
        Assert.StartsWith("00A40400", apdus[0].GetProperty("command").GetString(), StringComparison.Ordinal);
        Assert.EndsWith("9000", apdus[0].GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal(10, root.GetProperty("tvr").GetProperty("hex").GetString()!.Length);
        Assert.Equal(4, root.GetProperty("tsi").GetProperty("hex").GetString()!.Length);
        Assert.Equal("Approved", root.GetProperty("outcome").GetString());
        string sent = root.GetProperty("authorization").GetProperty("requestIccData").GetString()!;
        Assert.StartsWith("9F2608", sent, StringComparison.Ordinal);
        Assert.StartsWith("910A", root.GetProperty("authorization").GetProperty("responseIccData").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_card_pays_with_its_keys_file_and_ca_keys()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile("pboc-debit-intl"), "--out", PathOf("card.json"), "--keys-out", PathOf("keys.json"), "--ca-dir", CaDir).ExitCode);
        File.Delete(PathOf("card.issuer.json"));
        var export = Cli.Run("ca", "export", "--json", "--ca-dir", CaDir);
        File.WriteAllText(PathOf("capk.json"), export.Out);
        var result = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "3.00", "--pin", "123456", "--issuer-keys", PathOf("keys.json"), "--capk", PathOf("capk.json"), "--ca-dir", CaDir, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void The_issuer_verifies_the_online_pin_from_the_bank_file_and_the_keys_file()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile("pboc-debit-intl"), "--out", PathOf("card.json"), "--keys-out", PathOf("keys.json"), "--ca-dir", CaDir).ExitCode);
        using (var keys = JsonDocument.Parse(File.ReadAllText(PathOf("keys.json"))))
        {
            Assert.Equal(32, keys.RootElement.GetProperty("pvk").GetString()!.Length);
            Assert.Equal("1", keys.RootElement.GetProperty("pvki").GetString());
            Assert.Matches("^[0-9]{4}$", keys.RootElement.GetProperty("pvv").GetString());
            Assert.True(keys.RootElement.GetProperty("test").GetBoolean());
        }

        using (var bank = JsonDocument.Parse(File.ReadAllText(PathOf("card.issuer.json"))))
        {
            Assert.Matches("^[0-9]{4}$", bank.RootElement.GetProperty("keys").GetProperty("pvv").GetString());
        }

        // The profile's PIN is 123456; the shipped CVM list asks for it online.
        var wrong = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "2.00", "--pin", "000000", "--json", "--ca-dir", CaDir);
        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        using (var declined = JsonDocument.Parse(wrong.Out))
        {
            Assert.Equal("55", declined.RootElement.GetProperty("responseCode").GetString());
            Assert.Equal("Declined", declined.RootElement.GetProperty("outcome").GetString());
        }

        var right = Pay("2.00");
        Assert.Equal("00", right.GetProperty("responseCode").GetString());

        // A foreign card's keys file carries the same reference.
        File.Delete(PathOf("card.issuer.json"));
        var foreignWrong = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "1.00", "--pin", "000000", "--issuer-keys", PathOf("keys.json"), "--json", "--ca-dir", CaDir);
        Assert.True(foreignWrong.ExitCode == 1, foreignWrong.ToString());
    }

    [Theory]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public void A_tap_spends_electronic_cash_offline_and_ec_balance_shows_it(string profile)
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile(profile), "--out", PathOf("card.json"), "--ca-dir", CaDir).ExitCode);
        decimal before = decimal.Parse(Cli.Run("ec", "balance", "--card", PathOf("card.json"), "--ca-dir", CaDir).Line, System.Globalization.CultureInfo.InvariantCulture);
        var tap = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "8.50", "--contactless", "--json", "--ca-dir", CaDir);
        Assert.True(tap.ExitCode == 0, tap.ToString());
        using var doc = JsonDocument.Parse(tap.Out);
        Assert.False(doc.RootElement.GetProperty("online").GetBoolean());
        decimal after = decimal.Parse(Cli.Run("ec", "balance", "--card", PathOf("card.json"), "--ca-dir", CaDir).Line, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(before - 8.50m, after);
    }

    [Fact]
    public void Ec_load_persists_on_card_and_account_and_card_log_shows_both_logs()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile("pboc-debit-ec-sm"), "--out", PathOf("card.json"), "--ca-dir", CaDir).ExitCode);
        var load = Cli.Run("ec", "load", "--card", PathOf("card.json"), "--amount", "500.00", "--pin", "123456", "--json", "--ca-dir", CaDir);
        Assert.True(load.ExitCode == 0, load.ToString());
        using (var doc = JsonDocument.Parse(load.Out))
        {
            var root = doc.RootElement;
            Assert.Equal((200_00L, 700_00L), (root.GetProperty("ecBalanceBefore").GetInt64(), root.GetProperty("ecBalance").GetInt64()));
            Assert.Equal("60", root.GetProperty("transactionType").GetString());
            Assert.Equal(10_000_00 - 500_00, root.GetProperty("accountAvailable").GetInt64());
        }

        Assert.Equal("700.00", Cli.Run("ec", "balance", "--card", PathOf("card.json"), "--ca-dir", CaDir).Line);

        // Above 9F77 (¥1,000): refused by the terminal, exit 1, nothing changes.
        var over = Cli.Run("ec", "load", "--card", PathOf("card.json"), "--amount", "300.01", "--ca-dir", CaDir);
        Assert.Equal(1, over.ExitCode);
        Assert.Contains("9F77", over.Out, StringComparison.Ordinal);
        Assert.Equal("700.00", Cli.Run("ec", "balance", "--card", PathOf("card.json"), "--ca-dir", CaDir).Line);

        var log = Cli.Run("card", "log", "--card", PathOf("card.json"), "--json");
        Assert.True(log.ExitCode == 0, log.ToString());
        using var logs = JsonDocument.Parse(log.Out);
        var app = logs.RootElement[0];
        var loadRecord = Assert.Single(app.GetProperty("loadLog").EnumerateArray());
        Assert.Equal((200_00L, 700_00L), (loadRecord.GetProperty("before").GetInt64(), loadRecord.GetProperty("after").GetInt64()));
        Assert.Equal("60", app.GetProperty("log")[0].GetProperty("9C").GetString());
        Assert.Empty(app.GetProperty("problems").EnumerateArray());

        var bad = Cli.Run("ec", "load", "--card", PathOf("card.json"), "--amount", "1.00", "--from", "bank", "--ca-dir", CaDir);
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public void A_contact_only_card_tapped_says_try_another_interface()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", Profile("pboc-debit-intl"), "--out", PathOf("card.json"), "--ca-dir", CaDir).ExitCode);
        var tap = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", "8.50", "--contactless", "--ca-dir", CaDir);
        Assert.Equal(1, tap.ExitCode);
        Assert.Contains("another interface", tap.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Ca_export_lists_the_test_keys_as_json()
    {
        var result = Cli.Run("ca", "export", "--json", "--ca-dir", CaDir);
        Assert.Equal(0, result.ExitCode);
        using var doc = JsonDocument.Parse(result.Out);
        var keys = doc.RootElement.EnumerateArray().ToArray();
        Assert.Contains(keys, k => k.GetProperty("algorithm").GetString() == "rsa" && k.GetProperty("modulus").GetString()!.Length > 200);
        Assert.Contains(keys, k => k.GetProperty("algorithm").GetString() == "sm2" && k.GetProperty("publicKey").GetString()!.StartsWith("04", StringComparison.Ordinal));
        Assert.All(keys, k => Assert.True(k.GetProperty("test").GetBoolean()));
        Assert.All(keys, k => Assert.Equal("A000000333", k.GetProperty("rid").GetString()));
    }

    [Fact]
    public void Demo_issues_and_pays_in_both_suites_and_loads_and_taps_electronic_cash()
    {
        var result = Cli.Run("demo", "--dir", _dir.FullName);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(6, Directory.GetFiles(_dir.FullName, "*.trace.json").Length);
        Assert.Single(Directory.GetFiles(_dir.FullName, "pboc-debit-ec-sm.2-tap.trace.json"));
        Assert.Contains("EC ¥291.50", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Declined", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing card image", new[] { "transact", "--card", "/nonexistent/card.json", "--amount", "1.00" }, "--card")]
    [InlineData("amount with three decimals", new[] { "transact", "--card", "x.json", "--amount", "1.234" }, "--amount")]
    [InlineData("negative amount", new[] { "transact", "--card", "x.json", "--amount", "-1" }, "--amount")]
    [InlineData("unknown profile", new[] { "issue", "--profile", "no-such-profile", "--out", "x.json" }, "--profile")]
    public void Bad_input_is_named(string description, string[] args, string fragment)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_card_image_is_bad_input_not_a_crash()
    {
        File.WriteAllText(PathOf("bad.json"), "{ \"format\": \"jinka-card-image\", \"version\": 1, \"cells\": { \"x\": \"0G\" } }");
        var result = Cli.Run("card", "info", "--card", PathOf("bad.json"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.json", result.Error, StringComparison.Ordinal);
    }

    private JsonElement Pay(string amount)
    {
        var result = Cli.Run("transact", "--card", PathOf("card.json"), "--amount", amount, "--pin", "123456", "--json", "--ca-dir", CaDir);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonDocument.Parse(result.Out).RootElement.Clone();
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
