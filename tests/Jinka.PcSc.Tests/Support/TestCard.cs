using System.Collections.Concurrent;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Card.Applications.Pboc;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Pin;

namespace Jinka.PcSc.Tests.Support;

/// <summary>
/// A card issued from a shipped profile (data preparation and SCP02 personalisation), the terminal's CA keys and the
/// in-process issuer that holds the card's keys: what a PC/SC test puts on each side of the reader.
/// </summary>
internal sealed class TestCard : IDisposable
{
    public const string AccountId = "acct";

    /// <summary>The terminal's clock: inside every shipped profile's validity.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 30, 0, TimeSpan.Zero);

    private static readonly ConcurrentDictionary<(string Profile, int Seed), Lazy<Task<byte[]>>> s_images = new();

    private readonly SoftwareKeyStore _issuerKeys;

    private TestCard(VirtualCard card, CardProfile profile, Issuer issuer, CaPublicKeyStore caKeys, SoftwareKeyStore issuerKeys)
    {
        Card = card;
        Profile = profile;
        Issuer = issuer;
        TerminalCaKeys = caKeys;
        _issuerKeys = issuerKeys;
    }

    public VirtualCard Card { get; }

    public CardProfile Profile { get; }

    public Issuer Issuer { get; }

    public CaPublicKeyStore TerminalCaKeys { get; }

    public static ApplicationCatalog Catalog() => IssuerSecurityDomain.Register(PbocApplication.AddTo(new ApplicationCatalog()));

    public static string ProfilePath(string name) => Path.Combine(AppContext.BaseDirectory, "profiles", name + ".json");

    /// <summary>Issues a card; <paramref name="t0"/> makes it a T=0 card (ATR offers T=0, case-4 data via 61xx and GET RESPONSE).</summary>
    /// <remarks>Issuance (key generation, certificates, SCP02 personalisation) runs once per profile and seed; each
    /// call gets its own card over a copy of that image.</remarks>
    public static async Task<TestCard> IssueAsync(string profileName, bool t0 = false, int seed = 1)
    {
        var profile = CardProfileReader.Load(ProfilePath(profileName));
        byte[] image = await s_images.GetOrAdd((profileName, seed), key => new Lazy<Task<byte[]>>(() => IssueImageAsync(profile, key.Seed))).Value;
        var card = new VirtualCard(Catalog(), CardImage.Deserialize(image), new VirtualCardOptions { UseGetResponse = t0 });
        using var caKeys = LoadCaKeys();
        var issuerKeys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory(new FixedClock(Now));
        await CardKeysFile.Parse(IssuedKeys.ToJson(profile)).ImportAsync(issuerKeys, storage.Cards, AccountId);
        await storage.Accounts.OpenAccountAsync(AccountId, "156", profile.OpeningBalance);
        var issuer = new Issuer(issuerKeys, storage, new IssuerOptions { Time = new FixedClock(Now) });
        return new TestCard(card, profile, issuer, CaPublicKeyStore.FromJson(CaKeyExport.ToJson(caKeys)), issuerKeys);
    }

    private static async Task<byte[]> IssueImageAsync(CardProfile profile, int seed)
    {
        using var caKeys = LoadCaKeys();
        using var issuanceKeys = new SoftwareKeyStore();
        var issued = await new CardIssuer(Catalog(), caKeys, issuanceKeys).IssueAsync(profile, new IssuanceOptions { Seed = BitConverter.GetBytes(seed) });
        return CardImage.Serialize(issued.Card.Nvm);
    }

    private static CaKeyStore LoadCaKeys() => CaKeyStore.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "profiles", "ca"));

    public ContactKernel ContactKernel() =>
        new(new TerminalConfig(), TerminalCaKeys, Issuer, PinEntry.Bypass, new FixedClock(Now), TerminalRandom.Seeded(7));

    public QpbocKernel QpbocKernel() =>
        new(new TerminalConfig(), TerminalCaKeys, Issuer, PinEntry.Bypass, new FixedClock(Now), TerminalRandom.Seeded(7))
        {
            Reader = new QpbocReaderOptions { ContactlessTransactionLimit = 1_000_000, CvmLimit = 100_000, ContactlessFloorLimit = 50_000 },
        };

    public async Task<long> BalanceAsync() => (await Issuer.Storage.Accounts.FindAsync(AccountId))!.Balance;

    public void Dispose() => _issuerKeys.Dispose();
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
