using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;

namespace Jinka.Host.Tests;

/// <summary>An issuer with an in-memory store and a software key store holding one issuer key set per suite.</summary>
internal sealed class IssuerHarness : IDisposable
{
    public static readonly byte[] MdkAc = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    public static readonly byte[] MdkMac = Hex.Parse("1032547698BADCFEEFCDAB8967452301");
    public static readonly byte[] MdkEnc = Hex.Parse("F0E1D2C3B4A5968778695A4B3C2D1E0F");
    public static readonly byte[] Pek = Hex.Parse("89ABCDEF0123456776543210FEDCBA98");

    public IssuerHarness(int maxScriptBytes = 128)
    {
        foreach (var suite in AlgorithmSuite.All)
        {
            string prefix = suite.Id == SuiteId.Sm ? "sm" : "intl";
            Keys.ImportClearKey($"{prefix}-mdk-ac", KeyUsage.MdkAc, suite.Cipher, MdkAc);
            Keys.ImportClearKey($"{prefix}-mdk-mac", KeyUsage.MdkMac, suite.Cipher, MdkMac);
            Keys.ImportClearKey($"{prefix}-mdk-enc", KeyUsage.MdkEnc, suite.Cipher, MdkEnc);
        }

        Keys.ImportClearKey("pek", KeyUsage.PinEncryption, CipherAlgorithm.TripleDes, Pek);
        Storage = IssuerStorage.InMemory(Time);
        Issuer = new Issuer(Keys, Storage, new IssuerOptions { MaxScriptBytes = maxScriptBytes, PinKeyLabel = "pek", Time = Time });
    }

    public FixedTime Time { get; } = new();

    public SoftwareKeyStore Keys { get; } = new();

    public IssuerStorage Storage { get; }

    public Issuer Issuer { get; }

    public static CardKeyLabels IssuerKeys(SuiteId suite)
    {
        string prefix = suite == SuiteId.Sm ? "sm" : "intl";
        return new CardKeyLabels($"{prefix}-mdk-ac", $"{prefix}-mdk-mac", $"{prefix}-mdk-enc");
    }

    /// <summary>Registers a card on the issuer key set of its suite, with its own account.</summary>
    public async Task<SimulatedCard> AddCardAsync(SuiteId suite = SuiteId.International, string pan = "6225880000000001", string psn = "00", long balance = 100_000, CardStatus status = CardStatus.Active, long creditLimit = 0)
    {
        var id = CardId.Create(pan, psn);
        string account = $"ACC-{pan}-{psn}";
        await Storage.Accounts.OpenAccountAsync(account, "156", balance, creditLimit);
        await Storage.Cards.RegisterAsync(new CardRecord(id, suite, IssuerKeys(suite), account) { Status = status });
        return new SimulatedCard(AlgorithmSuite.Get(suite), pan, psn, MdkAc, MdkMac, MdkEnc);
    }

    public static string AccountOf(SimulatedCard card) => $"ACC-{card.Pan}-{card.Psn}";

    public async Task<Account> AccountAsync(SimulatedCard card) => (await Storage.Accounts.FindAsync(AccountOf(card)))!;

    public async Task<IssuerDecision> AuthorizeAsync(ChipTransaction transaction) => await Issuer.DecideAsync(transaction.Request);

    public void Dispose() => Keys.Dispose();
}

/// <summary>What a response's field 55 holds.</summary>
internal sealed record ResponseChipData(byte[]? IssuerAuthentication, IReadOnlyList<TlvNode> Templates)
{
    public static ResponseChipData Parse(AuthorizationResponse response)
    {
        var nodes = TlvNode.Parse(response.IccData);
        return new ResponseChipData(
            nodes.FirstOrDefault(n => n.Tag == new Tag(0x91))?.Value.ToArray(),
            [.. nodes.Where(n => n.Tag == new Tag(0x71) || n.Tag == new Tag(0x72))]);
    }

    /// <summary>The 9F18 script ID of a template.</summary>
    public static uint ScriptId(TlvNode template) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(template.Children.Single(c => c.Tag == new Tag(0x9F18)).Value.Span);

    /// <summary>The 86 commands of a template.</summary>
    public static byte[][] Commands(TlvNode template) => [.. template.Children.Where(c => c.Tag == new Tag(0x86)).Select(c => c.Value.ToArray())];
}

/// <summary>A clock that stands still unless moved.</summary>
internal sealed class FixedTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2025, 1, 1, 4, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
