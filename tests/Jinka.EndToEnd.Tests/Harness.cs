using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Core.Transport;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests;

/// <summary>
/// One issued card, the terminal that reads it and the issuer behind it, wired only through APDU bytes (the card)
/// and the IAuthorizationClient contract (the issuer) — the way real ones meet.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly SoftwareKeyStore _issuanceKeys = new();
    private readonly SoftwareKeyStore _issuerKeys = new();

    private Harness(VirtualCard card, CardProfile profile, Issuer issuer, CaPublicKeyStore terminalCaKeys)
    {
        Card = card;
        Profile = profile;
        Issuer = issuer;
        TerminalCaKeys = terminalCaKeys;
    }

    public VirtualCard Card { get; }

    public CardProfile Profile { get; }

    public Issuer Issuer { get; }

    public CaPublicKeyStore TerminalCaKeys { get; }

    public static string ProfilePath(string name) => Path.Combine(AppContext.BaseDirectory, "profiles", name + ".json");

    public static async Task<Harness> IssueAsync(string profileName, int seed = 1, Func<CardProfile, CardProfile>? adjust = null)
    {
        var catalog = PbocApplication.AddTo(new ApplicationCatalog());
        using var caKeys = CaKeyStore.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "profiles", "ca"));
        var profile = CardProfileReader.Load(ProfilePath(profileName));
        profile = adjust?.Invoke(profile) ?? profile;
        var issuanceKeys = new SoftwareKeyStore();
        var cardIssuer = new CardIssuer(catalog, caKeys, issuanceKeys);
        var issued = await cardIssuer.IssueAsync(profile, new IssuanceOptions { Seed = BitConverter.GetBytes(seed) });

        var terminalCa = CaPublicKeyStore.FromJson(CaKeyExport.ToJson(caKeys));
        var keysFile = CardKeysFile.Parse(IssuedKeys.ToJson(profile));
        var issuerKeys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory();
        await keysFile.ImportAsync(issuerKeys, storage.Cards, "acct");
        await storage.Accounts.OpenAccountAsync("acct", "156", 100_000);
        var issuer = new Issuer(issuerKeys, storage);
        issued.Card.PowerOn();
        var h = new Harness(issued.Card, profile, issuer, terminalCa);
        issuanceKeys.Dispose();
        h._issuerKeysOwned = issuerKeys;
        return h;
    }

    private SoftwareKeyStore? _issuerKeysOwned;

    public ContactKernel Kernel(string? pin = "1234", TerminalConfig? config = null, bool online = true) =>
        new(config ?? new TerminalConfig(), TerminalCaKeys, online ? Issuer : null, pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin),
            TimeProvider.System, TerminalRandom.Seeded(7));

    public IApduTransport Transport() => new StatusWordHandlingTransport(new VirtualCardTransport(Card), leaveOpen: false);

    public async Task<TransactionResult> PayAsync(long amount, string? pin = "1234", bool forceOnline = false, TerminalConfig? config = null)
    {
        await using var transport = Transport();
        return await Kernel(pin, config).RunAsync(transport, new TransactionRequest(amount, ForceOnline: forceOnline));
    }

    public ValueTask DisposeAsync()
    {
        _issuanceKeys.Dispose();
        _issuerKeys.Dispose();
        _issuerKeysOwned?.Dispose();
        return ValueTask.CompletedTask;
    }
}
