using System.Runtime.CompilerServices;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Crypto.Keys;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Terminal.CaKeys;

namespace Jinka.Benchmarks;

/// <summary>A card issued once from a shipped profile, kept as its NVM image so a benchmark can restore it as issued.</summary>
internal sealed record IssuedBenchCard(CardProfile Profile, ApplicationCatalog Catalog, byte[] Image, CaPublicKeyStore TerminalCaKeys)
{
    public static readonly DateTimeOffset Now = new(2026, 3, 14, 10, 30, 0, TimeSpan.Zero);

    /// <summary>Issues <paramref name="profileName"/> (profiles/NAME.json) with a fixed seed, against the test CAs of profiles/ca.</summary>
    public static async Task<IssuedBenchCard> IssueAsync(string profileName)
    {
        string repository = RepositoryRoot();
        var profile = CardProfileReader.Load(Path.Combine(repository, "profiles", profileName + ".json"));
        var catalog = PbocApplication.AddTo(new ApplicationCatalog());
        using var caKeys = CaKeyStore.LoadDirectory(Path.Combine(repository, "profiles", "ca"));
        using var issuanceKeys = new SoftwareKeyStore();
        var issued = await new CardIssuer(catalog, caKeys, issuanceKeys).IssueAsync(profile, new IssuanceOptions { Seed = [1, 2, 3, 4] }).ConfigureAwait(false);
        return new IssuedBenchCard(profile, catalog, CardImage.Serialize(issued.Card.Nvm), CaPublicKeyStore.FromJson(CaKeyExport.ToJson(caKeys)));
    }

    /// <summary>The card as issued: ATC 0000, opening EC balance.</summary>
    public VirtualCard Restore() => new(Catalog, CardImage.Deserialize(Image));

    /// <summary>The repository root, found from the benchmark's binaries (BenchmarkDotNet builds under bin/) or, failing that, this source file.</summary>
    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "profiles", "ca")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
    }
}

/// <summary>A clock that always says <see cref="IssuedBenchCard.Now"/>.</summary>
internal sealed class FixedBenchClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => IssuedBenchCard.Now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}
