using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Core.Online;
using Jinka.Core.Transport;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests;

/// <summary>How <see cref="Harness.IssueAsync(string, HarnessOptions)"/> sets the scene up.</summary>
internal sealed record HarnessOptions
{
    /// <summary>The issuance seed (keys, certificates, SCP02 challenges: D18).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Changes the profile before data preparation (CVM list, ODA methods, risk parameters …).</summary>
    public Func<CardProfile, CardProfile>? Adjust { get; init; }

    /// <summary>The card's random source (ICC dynamic numbers, challenges); a seeded one by default so traces repeat.</summary>
    public ICardRandom? CardRandom { get; init; }

    /// <summary>The account's opening balance; the profile's <c>openingBalance</c> when null.</summary>
    public long? OpeningBalance { get; init; }
}

/// <summary>
/// One issued card, the terminal that reads it and the issuer behind it, wired only through APDU bytes (the card)
/// and the IAuthorizationClient contract (the issuer) — the way real ones meet. The card is issued through data
/// preparation and SCP02 personalisation; the terminal gets the CA keys from the CA export JSON; the issuer gets the
/// card's keys from the keys JSON the issuance writes. Time and the terminal's and card's randoms are fixed.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    /// <summary>The account the card posts to.</summary>
    public const string AccountId = "acct";

    /// <summary>The issuer's PIN verification key (test value): the online PIN is checked against a PVV of the profile's PIN (P51).</summary>
    public const string PvkHex = "0123456789ABCDEFFEDCBA9876543210";

    /// <summary>The issuer's PIN encryption key (test value).</summary>
    public const string PinKeyLabel = "test/issuer/pin-key";

    /// <summary>The terminal's clock: a Saturday in 2026, inside every shipped profile's validity.</summary>
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 30, 0, TimeSpan.Zero);

    private readonly SoftwareKeyStore _issuerKeys;

    private Harness(VirtualCard card, CardProfile profile, Issuer issuer, CaPublicKeyStore terminalCaKeys, SoftwareKeyStore issuerKeys)
    {
        Card = card;
        Profile = profile;
        Issuer = issuer;
        TerminalCaKeys = terminalCaKeys;
        _issuerKeys = issuerKeys;
        CardId = CardId.Create(profile.Pan, profile.Psn.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
    }

    public VirtualCard Card { get; }

    public CardProfile Profile { get; }

    public Issuer Issuer { get; }

    /// <summary>The issuer's key store (card keys; the ISO 8583 host keeps terminal keys in it too).</summary>
    public SoftwareKeyStore IssuerKeys => _issuerKeys;

    public CaPublicKeyStore TerminalCaKeys { get; }

    public CardId CardId { get; }

    /// <summary>The application's AID, hex.</summary>
    public string Aid => Profile.Applications[0].Aid.ToString();

    public TimeProvider Clock { get; } = new FixedClock(Now);

    /// <summary>Reads the card's persistent state through APDUs, the way a test tool would.</summary>
    public CardProbe Probe => new(Card, Profile.Applications[0].Aid);

    public InMemoryAuthorizationJournal Journal => (InMemoryAuthorizationJournal)Issuer.Storage.Journal;

    public static string ProfilePath(string name) => Path.Combine(AppContext.BaseDirectory, "profiles", name + ".json");

    public static Task<Harness> IssueAsync(string profileName, int seed = 1, Func<CardProfile, CardProfile>? adjust = null) =>
        IssueAsync(profileName, new HarnessOptions { Seed = seed, Adjust = adjust });

    public static async Task<Harness> IssueAsync(string profileName, HarnessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var catalog = PbocApplication.AddTo(new ApplicationCatalog());
        using var caKeys = CaKeyStore.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "profiles", "ca"));
        var profile = CardProfileReader.Load(ProfilePath(profileName));
        profile = options.Adjust?.Invoke(profile) ?? profile;
        var issued = await IssueCardAsync(catalog, caKeys, profile, options);

        var terminalCa = CaPublicKeyStore.FromJson(CaKeyExport.ToJson(caKeys));
        var keysFile = WithPvv(CardKeysFile.Parse(IssuedKeys.ToJson(profile)), profile.Pin);
        var issuerKeys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory(new FixedClock(Now));
        await keysFile.ImportAsync(issuerKeys, storage.Cards, AccountId);
        await storage.Accounts.OpenAccountAsync(AccountId, "156", options.OpeningBalance ?? profile.OpeningBalance);
        // A 3DES PIN key, so the issuer can queue PIN CHANGE scripts (P18: the new PIN is kept as a format 0 block under it).
        issuerKeys.ImportClearKey(PinKeyLabel, KeyUsage.PinEncryption, Crypto.Symmetric.CipherAlgorithm.TripleDes, Core.Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));
        var issuer = new Issuer(issuerKeys, storage, new IssuerOptions { Time = new FixedClock(Now), PinKeyLabel = PinKeyLabel });
        return new Harness(issued.Card, profile, issuer, terminalCa, issuerKeys);
    }

    /// <summary>The keys file with the card's online PIN reference: a PVV of <paramref name="pin"/> under <see cref="PvkHex"/>, PVKI 1.</summary>
    private static CardKeysFile WithPvv(CardKeysFile keys, string pin)
    {
        using var store = new SoftwareKeyStore();
        byte[] pvk = Core.Hex.Parse(PvkHex);
        store.ImportClearKey("pvk", KeyUsage.PinVerification, Crypto.Symmetric.CipherAlgorithm.TripleDes, pvk);
        return keys.WithPinVerification(pvk, 1, store.GeneratePvv("pvk", keys.Card.Pan, 1, pin));
    }

    private static async Task<IssuanceResult> IssueCardAsync(ApplicationCatalog catalog, CaKeyStore caKeys, CardProfile profile, HarnessOptions options)
    {
        using var issuanceKeys = new SoftwareKeyStore();
        var cardIssuer = new CardIssuer(catalog, caKeys, issuanceKeys);
        var cardOptions = new VirtualCardOptions { Random = options.CardRandom ?? new SeededCardRandom(options.Seed) };
        return await cardIssuer.IssueAsync(profile, new IssuanceOptions { Seed = BitConverter.GetBytes(options.Seed), Card = cardOptions });
    }

    /// <summary>The terminal: a kernel with the test clock and a seeded random; <paramref name="host"/> null = cannot go online.</summary>
    public ContactKernel Kernel(IPinEntry? pinEntry, TerminalConfig? config = null, IAuthorizationClient? host = null, int terminalSeed = 7) =>
        new(config ?? new TerminalConfig(), TerminalCaKeys, host, pinEntry, Clock, TerminalRandom.Seeded(terminalSeed));

    /// <summary>The card in a reader: powered on now, powered off when disposed.</summary>
    public IApduTransport Transport() => new VirtualCardTransport(Card);

    /// <summary>One transaction from card insertion to removal (a power cycle), through the in-process issuer unless told otherwise.</summary>
    public async Task<TransactionResult> RunAsync(
        TransactionRequest request,
        IPinEntry? pinEntry,
        TerminalConfig? config = null,
        IAuthorizationClient? host = null,
        bool online = true,
        Func<IApduTransport, IApduTransport>? wrapTransport = null)
    {
        await using var reader = Transport();
        await using var transport = wrapTransport?.Invoke(reader) ?? new NonOwningTransport(reader);
        return await Kernel(pinEntry, config, online ? host ?? Issuer : null).RunAsync(transport, request);
    }

    /// <summary>A purchase of <paramref name="amount"/> with the profile's PIN on the PIN pad (null: bypass).</summary>
    public Task<TransactionResult> PayAsync(long amount, string? pin = "", bool forceOnline = false, TerminalConfig? config = null)
    {
        var entry = pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin.Length == 0 ? Profile.Pin : pin);
        return RunAsync(new TransactionRequest(amount, ForceOnline: forceOnline), entry, config);
    }

    /// <summary>
    /// Flips one byte in the middle of the value of <paramref name="tag"/> (90, 9F46, 93 …) in the personalised records
    /// of SFI 1–10, as a faulty personalisation or a tampered card would hold it.
    /// </summary>
    public void TamperRecordObject(uint tag)
    {
        bool done = false;
        Card.Personalize(Profile.Applications[0].Aid, context =>
        {
            var files = context.Files;
            for (int sfi = 1; sfi <= 10 && !done; sfi++)
            {
                if (files.FindBySfi(files.Root, sfi) is not { } file)
                {
                    continue;
                }

                for (int n = 1; n <= files.RecordCount(file) && !done; n++)
                {
                    if (files.TryReadRecord(file, n, out var record)
                        && Core.Tlv.TlvNode.Parse(record).Single().Find(new Core.Tlv.Tag(tag)) is { } node)
                    {
                        record[node.Offset + node.HeaderLength + (node.Value.Length / 2)] ^= 0x10;
                        Assert.Equal(Core.Apdu.StatusWord.Success, files.UpdateRecord(file, n, record));
                        done = true;
                    }
                }
            }
        });
        Assert.True(done, $"no record holds {tag:X}");
    }

    public async Task<Account> AccountAsync() => (await Issuer.Storage.Accounts.FindAsync(AccountId))!;

    public async Task<IReadOnlyList<LedgerEntry>> LedgerAsync() => await Issuer.Storage.Accounts.GetEntriesAsync(AccountId);

    public ValueTask DisposeAsync()
    {
        _issuerKeys.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Lets the kernel run over the reader without taking ownership of it.</summary>
    private sealed class NonOwningTransport(IApduTransport inner) : IApduTransport
    {
        public ValueTask<Core.Apdu.ResponseApdu> TransmitAsync(Core.Apdu.CommandApdu command, CancellationToken cancellationToken = default) =>
            inner.TransmitAsync(command, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
