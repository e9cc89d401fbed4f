using System.Text.Json;
using System.Text.Json.Nodes;
using Jinka.Cli.Infrastructure;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;

namespace Jinka.Cli.Banking;

/// <summary>
/// The in-process issuer a card issued by <c>jinka issue</c> pays against, until the ISO 8583 host (issue 5) takes
/// over: the card's test issuer keys and its account, kept beside the card image as <c>CARD.issuer.json</c>
/// (<c>{"keys": {…keys file…}, "account": {"id", "currency", "balance", "creditLimit"}}</c>). Test keys only.
/// </summary>
internal sealed class LocalBank : IDisposable
{
    private readonly SoftwareKeyStore _keyStore;
    private readonly string? _path;
    private readonly CardKeysFile _keys;
    private readonly string _accountId;

    private LocalBank(string? path, CardKeysFile keys, string accountId, SoftwareKeyStore keyStore, Issuer issuer)
    {
        _path = path;
        _keys = keys;
        _accountId = accountId;
        _keyStore = keyStore;
        Issuer = issuer;
    }

    public Issuer Issuer { get; }

    /// <summary>Where the bank file of a card image lives: CARD.json → CARD.issuer.json.</summary>
    public static string PathFor(string cardPath)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(cardPath)) ?? ".";
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(cardPath) + ".issuer.json");
    }

    /// <summary>Writes a new bank file for a freshly issued card.</summary>
    public static void Create(string path, CardKeysFile keys, string currency, long openingBalance, long creditLimit)
    {
        var keysNode = JsonNode.Parse(keys.ToJson())!;
        var root = new JsonObject
        {
            ["note"] = "TEST KEYS ONLY: the in-process issuer of a Jinka test card",
            ["keys"] = keysNode,
            ["account"] = new JsonObject
            {
                ["id"] = Commands.Host.HostOptions.AccountIdFor(keys.Card),
                ["currency"] = currency,
                ["balance"] = openingBalance,
                ["creditLimit"] = creditLimit,
            },
        };
        AtomicFile.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Opens a card's bank file, or builds a bank from a foreign card's keys file (no saved balance).</summary>
    public static async Task<LocalBank> OpenAsync(string path, bool isKeysFileOnly = false, long foreignBalance = 1_000_000_00)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"no issuer file at {path}: issue the card with 'jinka issue', or give --issuer-keys");
        }

        string text = await File.ReadAllTextAsync(path).ConfigureAwait(false);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            throw new CliInputException($"{path}: not JSON ({ex.Message})", ex);
        }

        string keysJson = isKeysFileOnly ? text : root?["keys"]?.ToJsonString() ?? throw new CliInputException($"{path}: no \"keys\" object");
        if (!CardKeysFile.TryParse(keysJson, out var keys, out var error))
        {
            throw new CliInputException($"{path}: {error}");
        }

        var account = isKeysFileOnly ? null : root?["account"];
        string accountId = account?["id"]?.GetValue<string>() ?? Commands.Host.HostOptions.AccountIdFor(keys.Card);
        string currency = account?["currency"]?.GetValue<string>() ?? "156";
        long balance = account?["balance"]?.GetValue<long>() ?? foreignBalance;
        long creditLimit = account?["creditLimit"]?.GetValue<long>() ?? 0;

        var keyStore = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory();
        await keys.ImportAsync(keyStore, storage.Cards, accountId).ConfigureAwait(false);
        await storage.Accounts.OpenAccountAsync(accountId, currency, balance, creditLimit).ConfigureAwait(false);
        var issuer = new Issuer(keyStore, storage);
        return new LocalBank(isKeysFileOnly ? null : path, keys, accountId, keyStore, issuer);
    }

    /// <summary>The account as the issuer sees it now.</summary>
    public async Task<Host.Ledger.Account> AccountAsync() =>
        await Issuer.Storage.Accounts.FindAsync(_accountId).ConfigureAwait(false) ?? throw new InvalidOperationException("account vanished");

    /// <summary>Writes the new balance back (the bank file of an issued card; nothing for a foreign keys file).</summary>
    public async Task SaveAsync()
    {
        if (_path is null)
        {
            return;
        }

        var account = await AccountAsync().ConfigureAwait(false);
        Create(_path, _keys, account.Currency, account.Balance - account.Held, account.CreditLimit);
    }

    public void Dispose() => _keyStore.Dispose();

}
