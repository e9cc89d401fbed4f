using System.Text;
using System.Text.Json;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Keys;
using Jinka.Issuance.Personalization;
using Jinka.Issuance.Preparation;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance;

/// <summary>How <see cref="CardIssuer"/> issues a card.</summary>
public sealed record IssuanceOptions
{
    /// <summary>A seed for reproducible keys, certificates and SCP02 host challenges (tests, golden files; D18), or null.</summary>
    public byte[]? Seed { get; init; }

    /// <summary>How the personaliser talks to the card (ISD AID, SCP02 keys and level).</summary>
    public PersonalizerOptions Personalizer { get; init; } = new();

    /// <summary>The new card's wire behaviour and randoms.</summary>
    public VirtualCardOptions? Card { get; init; }
}

/// <summary>A freshly issued card: the virtual card (powered off) and what was done to it.</summary>
public sealed record IssuanceResult(VirtualCard Card, CardProfile Profile, PersonalizationReport Report);

/// <summary>
/// Issues PBOC cards end to end, the way a bureau does: a blank card with an issuer security domain (the
/// manufacturer's step), data preparation from the profile, and personalisation through SCP02 — here against an
/// in-process <see cref="VirtualCard"/>, whose image can then be saved. The catalog must hold the PBOC application
/// as module <see cref="ExecutableModuleTable.PbocModuleName"/> ("jinka.pboc"); the ISD module is added when missing.
/// </summary>
public sealed class CardIssuer
{
    private readonly ApplicationCatalog _catalog;
    private readonly CaKeyStore _caKeys;
    private readonly IKeyStoreAdministration _keyStore;

    /// <param name="catalog">The card's application code; "jinka.pboc" must be in it.</param>
    /// <param name="caKeys">The CA keys (profiles/ca).</param>
    /// <param name="keyStore">Holds (or receives from the profile) the issuer master keys, and wraps the card keys.</param>
    public CardIssuer(ApplicationCatalog catalog, CaKeyStore caKeys, IKeyStoreAdministration keyStore)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(caKeys);
        ArgumentNullException.ThrowIfNull(keyStore);
        if (!catalog.Contains(ExecutableModuleTable.PbocModuleName))
        {
            throw new ArgumentException($"the catalog has no '{ExecutableModuleTable.PbocModuleName}' module: register the PBOC application under that name", nameof(catalog));
        }

        if (!catalog.Contains(IssuerSecurityDomain.Module))
        {
            IssuerSecurityDomain.Register(catalog);
        }

        _catalog = catalog;
        _caKeys = caKeys;
        _keyStore = keyStore;
    }

    /// <summary>Issues one card from <paramref name="profile"/>.</summary>
    /// <exception cref="PersonalizationException">The card refused a personalisation step.</exception>
    /// <exception cref="KeyStoreException">A master key is missing or differs from the profile's.</exception>
    /// <exception cref="KeyNotFoundException">The profile's CA key is not in the CA store.</exception>
    public async Task<IssuanceResult> IssueAsync(CardProfile profile, IssuanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new IssuanceOptions();
        IssuerMasterKeys.Load(_keyStore, profile);
        using var prepared = new DataPreparation(_caKeys).Prepare(profile, new PreparationOptions { Seed = options.Seed });

        var card = new VirtualCard(_catalog, options: options.Card);
        card.PowerOn();
        var personalizer = options.Personalizer;
        IssuerSecurityDomain.InstallOn(card, personalizer.SecurityDomain);
        var keys = personalizer.Keys;
        if (!keys.IsGlobalPlatformTestKeys)
        {
            card.Personalize(personalizer.SecurityDomain, context => IssuerSecurityDomain.LoadKeySet(context, keys.KeyVersion, keys.Enc, keys.Mac, keys.Dek));
        }

        if (options.Seed is { Length: > 0 } seed && personalizer.Random is null)
        {
            personalizer = personalizer with { Random = new DeterministicRandom(seed, "host-challenge") };
        }

        await using var transport = new VirtualCardTransport(card);
        var report = await new Personalizer(_keyStore, personalizer).PersonalizeAsync(transport, prepared, cancellationToken).ConfigureAwait(false);
        return new IssuanceResult(card, profile, report);
    }

    /// <summary>
    /// Issues one card and writes its image to <paramref name="imagePath"/>, and — when <paramref name="keysPath"/> is
    /// given — the test keys JSON the demo issuer loads (<see cref="IssuedKeys.ToJson"/>).
    /// </summary>
    public async Task<IssuanceResult> IssueToFilesAsync(CardProfile profile, string imagePath, string? keysPath = null, IssuanceOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(imagePath);
        string? keysJson = keysPath is null ? null : IssuedKeys.ToJson(profile);
        var result = await IssueAsync(profile, options, cancellationToken).ConfigureAwait(false);
        CardImage.Save(result.Card, imagePath);
        if (keysPath is not null)
        {
            await File.WriteAllTextAsync(keysPath, keysJson, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }
}

/// <summary>
/// The keys file the demo issuer host loads for a card: <c>{"suite": "intl"|"sm", "pan", "psn", "mdkAc", "mdkMac",
/// "mdkEnc", "openingBalance", "test": true}</c>, master keys in hex. TEST KEYS ONLY: it exists because the profile's
/// master keys are test values already.
/// </summary>
public static class IssuedKeys
{
    /// <exception cref="InvalidOperationException">A master key is given by label only (its value is in a key store, not in the profile).</exception>
    public static string ToJson(CardProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("comment", "TEST KEYS ONLY, for Jinka's demo issuer. Never use them for a real card.");
            writer.WriteString("suite", profile.Suite == SuiteId.Sm ? "sm" : "intl");
            writer.WriteString("pan", profile.Pan);
            writer.WriteString("psn", Hex.Encode([profile.Psn]));
            writer.WriteString("mdkAc", Value(profile.MdkAc, "ac"));
            writer.WriteString("mdkMac", Value(profile.MdkMac, "mac"));
            writer.WriteString("mdkEnc", Value(profile.MdkEnc, "enc"));
            writer.WriteNumber("openingBalance", profile.OpeningBalance);
            writer.WriteBoolean("test", true);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Value(MasterKeyReference key, string name) =>
        key.Value is { } value ? Hex.Encode(value) : throw new InvalidOperationException($"masterKeys.{name} ('{key.Label}') has no value in the profile; a keys file cannot be written");
}
