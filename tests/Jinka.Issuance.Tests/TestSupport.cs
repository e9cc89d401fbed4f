using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Crypto.Keys;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.Testing;

namespace Jinka.Issuance.Tests;


internal static class TestFiles
{
    public static string Profiles => Path.Combine(AppContext.BaseDirectory, "profiles");

    public static string Profile(string name) => Path.Combine(Profiles, name + ".json");

    public static string Golden(string name) => Path.Combine(AppContext.BaseDirectory, "golden", name);

    /// <summary>The source copy of a golden file (rewritten when JINKA_UPDATE_GOLDEN=1).</summary>
    public static string GoldenSource(string name, [System.Runtime.CompilerServices.CallerFilePath] string caller = "")
        => Path.Combine(Path.GetDirectoryName(caller)!, "golden", name);

    public static CaKeyStore CaKeys() => CaKeyStore.LoadDirectory(Path.Combine(Profiles, "ca"));

    public static CardProfile LoadProfile(string name) => CardProfileReader.Load(Profile(name));

    public static ApplicationCatalog Catalog() => IssuerSecurityDomain.Register(
        new ApplicationCatalog().Add(ExecutableModuleTable.PbocModuleName, aid => new RecordingApplication(aid)));

    public static SoftwareKeyStore KeyStore() => new();
}
