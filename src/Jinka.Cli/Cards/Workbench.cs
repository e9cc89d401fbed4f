using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Card.Applications.Pboc;
using Jinka.Cli.Banking;
using Jinka.Cli.Infrastructure;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Terminal.CaKeys;

namespace Jinka.Cli.Cards;

/// <summary>What the card commands share: the application catalog, the test CA, card images on disk.</summary>
internal static class Workbench
{
    /// <summary>Every module a Jinka card image may name: the ISD and the PBOC application (the OS adds PSE/PPSE).</summary>
    public static ApplicationCatalog Catalog() => IssuerSecurityDomain.Register(PbocApplication.AddTo(new ApplicationCatalog()));

    /// <summary>
    /// The test CA directory: <c>--ca-dir</c>, else <c>profiles/ca</c> under the current directory, else the copy
    /// shipped beside the executable.
    /// </summary>
    public static string CaDirectory(string? explicitDirectory)
    {
        if (explicitDirectory is not null)
        {
            return Directory.Exists(explicitDirectory) ? explicitDirectory : throw new CliInputException($"--ca-dir: no directory {explicitDirectory}");
        }

        foreach (var candidate in new[] { Path.Combine("profiles", "ca"), Path.Combine(AppContext.BaseDirectory, "profiles", "ca") })
        {
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliInputException("no test CA keys found: run from the repository root or pass --ca-dir");
    }

    /// <summary>A shipped profile by name (pboc-debit-intl …) or a path.</summary>
    public static string ProfilePath(string nameOrPath)
    {
        if (File.Exists(nameOrPath))
        {
            return nameOrPath;
        }

        foreach (var directory in new[] { "profiles", Path.Combine(AppContext.BaseDirectory, "profiles") })
        {
            string candidate = Path.Combine(directory, nameOrPath.EndsWith(".json", StringComparison.Ordinal) ? nameOrPath : nameOrPath + ".json");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new CliInputException($"--profile: no file {nameOrPath} (and no shipped profile of that name)");
    }

    /// <summary>The CA public keys a terminal trusts: Jinka's test CA, plus any given with --capk.</summary>
    public static CaPublicKeyStore TerminalCaKeys(string? caDirectory, string? capkFile)
    {
        using var ca = CaKeyStore.LoadDirectory(CaDirectory(caDirectory));
        var store = CaPublicKeyStore.FromJson(CaKeyExport.ToJson(ca));
        if (capkFile is not null)
        {
            if (!File.Exists(capkFile))
            {
                throw new CliInputException($"--capk: no file {capkFile}");
            }

            try
            {
                store.AddFromJson(File.ReadAllText(capkFile));
            }
            catch (CaPublicKeyFormatException ex)
            {
                throw new CliInputException($"--capk {capkFile}: {ex.Message}", ex);
            }
        }

        return store;
    }

    /// <summary>
    /// Issues a card from <paramref name="profile"/> to <paramref name="imagePath"/> and writes its bank file beside it
    /// (test issuer keys with the PVV of the profile's PIN, P54, and the opening balance). Returns the issuance and the keys.
    /// </summary>
    public static async Task<(IssuanceResult Result, CardKeysFile Keys, string IssuedKeysJson)> IssueAsync(
        CardProfile profile, string imagePath, string? caDirectory, int? seed, CancellationToken ct)
    {
        using var ca = CaKeyStore.LoadDirectory(CaDirectory(caDirectory));
        using var keyStore = new SoftwareKeyStore();
        var options = new IssuanceOptions { Seed = seed is { } s ? BitConverter.GetBytes(s) : null };
        var result = await new CardIssuer(Catalog(), ca, keyStore).IssueToFilesAsync(profile, imagePath, null, options, ct).ConfigureAwait(false);
        string issuedKeys = IssuedKeys.ToJson(profile);
        var keys = TestPinVerification.Add(CardKeysFile.Parse(issuedKeys), profile.Pin);
        LocalBank.Create(LocalBank.PathFor(imagePath), keys, profile.Currency.ToString("D3", System.Globalization.CultureInfo.InvariantCulture), profile.OpeningBalance, 0);
        return (result, keys, issuedKeys);
    }

    public static VirtualCard LoadCard(string path, VirtualCardOptions? options = null)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"--card: no card image at {path}");
        }

        try
        {
            return CardImage.LoadCard(path, Catalog(), options);
        }
        catch (CardImageException ex)
        {
            throw new CliInputException(ex.Message, ex);
        }
    }
}
