using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;

namespace Jinka.Host.Tests.Issuing;

public sealed class CardKeysFileTests : IDisposable
{
    private const string Valid = """
        {
          "suite": "sm",
          "pan": "6225880000000001",
          "psn": "01",
          "mdkAc": "0123456789ABCDEFFEDCBA9876543210",
          "mdkMac": "1032547698badcfeefcdab8967452301",
          "mdkEnc": "F0E1D2C3B4A5968778695A4B3C2D1E0F"
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("jinka-keys-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Parses_and_round_trips_through_json_and_disk()
    {
        var file = CardKeysFile.Parse(Valid);
        Assert.Equal(SuiteId.Sm, file.Suite);
        Assert.Equal(CardId.Create("6225880000000001", "01"), file.Card);
        Assert.Equal("1032547698BADCFEEFCDAB8967452301", Hex.Encode(file.MdkMac));

        string path = Path.Combine(_directory, "card.keys.json");
        file.Save(path);
        var loaded = CardKeysFile.Load(path);
        Assert.Equal(file.ToJson(), loaded.ToJson());
        Assert.Equal((file.Suite, file.Card), (loaded.Suite, loaded.Card));
        Assert.Equal(file.MdkAc.ToArray(), loaded.MdkAc.ToArray());
        Assert.Equal(file.MdkEnc.ToArray(), loaded.MdkEnc.ToArray());
        Assert.Contains("\"suite\": \"sm\"", file.ToJson(), StringComparison.Ordinal);

        var intl = new CardKeysFile(SuiteId.International, CardId.Create("6210220110002707355"), IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        Assert.Equal(SuiteId.International, CardKeysFile.Parse(intl.ToJson()).Suite);
    }

    private const string WithPvv = """
        {
          "suite": "intl",
          "pan": "4321000000001234",
          "psn": "00",
          "mdkAc": "0123456789ABCDEFFEDCBA9876543210",
          "mdkMac": "1032547698badcfeefcdab8967452301",
          "mdkEnc": "F0E1D2C3B4A5968778695A4B3C2D1E0F",
          "pvk": "0123456789ABCDEFFEDCBA9876543210",
          "pvki": "1",
          "pvv": "6629"
        }
        """;

    [Fact]
    public void The_pin_reference_round_trips_and_old_files_have_none()
    {
        var file = CardKeysFile.Parse(WithPvv);
        Assert.True(file.HasPinVerification);
        Assert.Equal((1, "6629"), (file.Pvki, file.Pvv));
        var back = CardKeysFile.Parse(file.ToJson());
        Assert.Equal(file.ToJson(), back.ToJson());
        Assert.Equal(file.Pvk.ToArray(), back.Pvk.ToArray());
        Assert.Contains("\"pvki\": \"1\"", file.ToJson(), StringComparison.Ordinal);
        Assert.Equal(1, CardKeysFile.Parse(WithPvv.Replace("\"1\"", "1", StringComparison.Ordinal)).Pvki);

        var old = CardKeysFile.Parse(Valid);
        Assert.False(old.HasPinVerification);
        Assert.True(old.Pvk.IsEmpty);
        Assert.Null(old.Pvki);
        Assert.DoesNotContain("pvk", old.ToJson(), StringComparison.Ordinal);
        var added = old.WithPinVerification(IssuerHarness.Pek, 2, "0042");
        Assert.Equal((2, "0042"), (CardKeysFile.Parse(added.ToJson()).Pvki, CardKeysFile.Parse(added.ToJson()).Pvv));
        Assert.Throws<ArgumentException>(() => old.WithPinVerification(IssuerHarness.Pek, 7, "0042"));
        Assert.Throws<ArgumentException>(() => old.WithPinVerification(IssuerHarness.Pek, 1, "042"));
    }

    [Fact]
    public async Task Imported_pin_reference_lets_the_issuer_verify_the_online_pin()
    {
        using var keys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory();
        var issuer = new Issuer(keys, storage);
        await storage.Accounts.OpenAccountAsync("ext-1", "156", 10_000);
        var record = await CardKeysFile.Parse(WithPvv).ImportAsync(keys, storage.Cards, "ext-1");

        Assert.Equal(new PinVerificationReference("card-4321000000001234-00-pvk", 1, "6629"), record.PinVerification);
        Assert.Equal(KeyUsage.PinVerification, keys.GetInfo("card-4321000000001234-00-pvk").Usage);
        Assert.Null((await CardKeysFile.Parse(Valid).ImportAsync(keys, storage.Cards, "ext-1")).PinVerification);
        var card = new SimulatedCard(AlgorithmSuite.International, "4321000000001234", "00", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        var right = await issuer.AuthorizeAsync(card.Transact(100).Request with { PinBlock = IsoPinBlock.Format0("1234", "4321000000001234") });
        var wrong = await issuer.AuthorizeAsync(card.Transact(100).Request with { PinBlock = IsoPinBlock.Format0("4321", "4321000000001234") });
        Assert.Equal(("00", "55"), (right.ResponseCode, wrong.ResponseCode));
    }

    [Fact]
    public void ToString_shows_check_values_not_keys()
    {
        string text = CardKeysFile.Parse(Valid).ToString();
        Assert.DoesNotContain("0123456789ABCDEF", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("622588******0001/01", text, StringComparison.Ordinal);
        Assert.Contains("KCV AC", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Imported_keys_let_the_issuer_authorise_the_card()
    {
        using var keys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory();
        var issuer = new Issuer(keys, storage);
        await storage.Accounts.OpenAccountAsync("ext-1", "156", 10_000);
        var file = CardKeysFile.Parse(Valid);

        var record = await file.ImportAsync(keys, storage.Cards, "ext-1");
        await file.ImportAsync(keys, storage.Cards, "ext-1");

        Assert.Equal("card-6225880000000001-01-ac", record.Keys.Ac);
        Assert.Equal(KeyUsage.MdkMac, keys.GetInfo(record.Keys.Mac).Usage);
        var card = new SimulatedCard(AlgorithmSuite.Sm, "6225880000000001", "01", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        var transaction = card.Transact(2_500);
        var response = await issuer.AuthorizeAsync(transaction.Request);
        Assert.Equal("00", response.ResponseCode);
        Assert.True(card.AcceptsIssuerAuthentication(ResponseChipData.Parse(response).IssuerAuthentication, transaction));
    }

    [Fact]
    public void A_label_holding_another_key_is_not_overwritten()
    {
        using var keys = new SoftwareKeyStore();
        keys.ImportClearKey("card-6225880000000001-01-mac", KeyUsage.MdkMac, Crypto.Symmetric.CipherAlgorithm.Sm4, new byte[16]);
        var ex = Assert.Throws<KeyStoreException>(() => CardKeysFile.Parse(Valid).ImportKeys(keys));
        Assert.Contains("already holds a different key", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedFiles => new()
    {
        { "empty", "", "empty" },
        { "not JSON", "{\"suite\": \"sm\",", "not JSON" },
        { "an array", "[]", "top level is a JSON array" },
        { "suite missing", Without("suite"), "\"suite\" is missing" },
        { "pan missing", Without("pan"), "\"pan\" is missing" },
        { "psn missing", Without("psn"), "\"psn\" is missing" },
        { "mdkEnc missing", Without("mdkEnc"), "\"mdkEnc\" is missing" },
        { "suite unknown", Valid.Replace("\"sm\"", "\"des\"", StringComparison.Ordinal), "\"intl\" or \"sm\"" },
        { "pan with a letter", Valid.Replace("6225880000000001", "62258800000X0001", StringComparison.Ordinal), "not a decimal digit" },
        { "pan too short", Valid.Replace("6225880000000001", "6225880", StringComparison.Ordinal), "PAN has 7 digits" },
        { "psn of letters", Valid.Replace("\"01\"", "\"AB\"", StringComparison.Ordinal), "PAN sequence number 'AB'" },
        { "psn empty", Valid.Replace("\"01\"", "\"\"", StringComparison.Ordinal), "\"psn\" is empty" },
        { "psn a number", Valid.Replace("\"01\"", "1", StringComparison.Ordinal), "\"psn\" is a JSON number" },
        { "key not hex", Valid.Replace("0123456789ABCDEF", "0123456789ABCDEG", StringComparison.Ordinal), "\"mdkAc\" is not hex" },
        { "key odd length", Valid.Replace("F0E1D2C3B4A5968778695A4B3C2D1E0F", "F0E1D2C3B4A5968778695A4B3C2D1E0", StringComparison.Ordinal), "\"mdkEnc\" is not hex" },
        { "key of 15 bytes", Valid.Replace("F0E1D2C3B4A5968778695A4B3C2D1E0F", "F0E1D2C3B4A5968778695A4B3C2D1E", StringComparison.Ordinal), "\"mdkEnc\" is 15 bytes" },
        { "key of 24 bytes", Valid.Replace("0123456789ABCDEFFEDCBA9876543210", "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF", StringComparison.Ordinal), "\"mdkAc\" is 24 bytes" },
        { "pvv without pvk", Valid.Replace("\"suite\"", "\"pvki\": \"1\", \"pvv\": \"1234\", \"suite\"", StringComparison.Ordinal), "\"pvk\" is missing" },
        { "pvk without pvv", WithPvv.Replace("\"pvv\": \"6629\"", "\"other\": 0", StringComparison.Ordinal), "\"pvv\" is missing" },
        { "pvki 7", WithPvv.Replace("\"pvki\": \"1\"", "\"pvki\": \"7\"", StringComparison.Ordinal), "one digit 0–6" },
        { "pvki two digits", WithPvv.Replace("\"pvki\": \"1\"", "\"pvki\": 11", StringComparison.Ordinal), "one digit 0–6" },
        { "pvki true", WithPvv.Replace("\"pvki\": \"1\"", "\"pvki\": true", StringComparison.Ordinal), "\"pvki\" is a JSON true" },
        { "pvv of 3 digits", WithPvv.Replace("\"6629\"", "\"662\"", StringComparison.Ordinal), "\"pvv\" is \"662\"" },
        { "pvv with a letter", WithPvv.Replace("\"6629\"", "\"66A9\"", StringComparison.Ordinal), "4 decimal digits" },
        { "pvk not hex", WithPvv.Replace("\"pvk\": \"0123", "\"pvk\": \"X123", StringComparison.Ordinal), "\"pvk\" is not hex" },
        { "pvk of 8 bytes", WithPvv.Replace("\"pvk\": \"0123456789ABCDEFFEDCBA9876543210\"", "\"pvk\": \"0123456789ABCDEF\"", StringComparison.Ordinal), "\"pvk\" is 8 bytes" },
        { "key duplicated", Valid.Replace("\"psn\": \"01\",", "\"psn\": \"01\", \"mdkAc\": \"0123456789ABCDEFFEDCBA9876543210\",", StringComparison.Ordinal), "\"mdkAc\" appears more than once" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_files_are_refused_with_the_field_named(string description, string json, string reason)
    {
        _ = description;
        Assert.False(CardKeysFile.TryParse(json, out var file, out string? error));
        Assert.Null(file);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        var ex = Assert.Throws<CardKeysFileException>(() => CardKeysFile.Parse(json));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void Load_names_the_path_and_unknown_fields_are_ignored()
    {
        string path = Path.Combine(_directory, "bad.json");
        File.WriteAllText(path, Without("mdkAc"));
        var ex = Assert.Throws<CardKeysFileException>(() => CardKeysFile.Load(path));
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => CardKeysFile.Load(Path.Combine(_directory, "absent.json")));

        Assert.True(CardKeysFile.TryParse(Valid.Replace("\"suite\"", "\"comment\": \"test card\", \"suite\"", StringComparison.Ordinal), out _, out _));
    }

    private static string Without(string field) =>
        string.Join('\n', Valid.Split('\n').Where(line => !line.Contains($"\"{field}\"", StringComparison.Ordinal)))
            .Replace(",\n}", "\n}", StringComparison.Ordinal);
}
