using System.Globalization;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Card.Dispatch;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto.Keys;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Tests;

/// <summary>
/// Stands in for the PBOC application ("jinka.pboc") until the real one is wired in: records every DGI it is given in
/// its own store (so a rolled-back STORE DATA leaves no trace) and becomes PERSONALIZED on the last block.
/// </summary>
internal sealed class RecordingPbocApplication(Aid aid) : CardApplication<RecordingPbocApplication.Phase>(aid), IPersonalizable
{
    /// <summary>A DGI this stand-in refuses with 6A80, to test how refusals surface.</summary>
    public const ushort RefusedDgi = 0xBAD0;

    private static readonly CommandTable<Phase> s_commands = new();

    public enum Phase
    {
        Selected,
    }

    protected override CommandTable<Phase> Commands => s_commands;

    public StatusWord StoreDgi(ApplicationContext context, ushort dgi, ReadOnlySpan<byte> value, bool isLastBlock)
    {
        if (dgi == RefusedDgi)
        {
            return StatusWord.IncorrectData;
        }

        int index = context.Store.Keys("dgi/").Count;
        context.Store.Set(string.Create(CultureInfo.InvariantCulture, $"dgi/{index:D4}"), [(byte)(dgi >> 8), (byte)dgi, isLastBlock ? (byte)1 : (byte)0, .. value]);
        if (isLastBlock)
        {
            context.LifeCycle = ApplicationLifeCycle.Personalized;
        }

        return StatusWord.Success;
    }

    /// <summary>The DGIs the application received, in order.</summary>
    public static IReadOnlyList<ReceivedDgi> Received(VirtualCard card, Aid aid) => card.Inspect(aid, context =>
        context.Store.Keys("dgi/").Order(StringComparer.Ordinal)
            .Select(key => context.Store.Get(key)!)
            .Select(cell => new ReceivedDgi((ushort)((cell[0] << 8) | cell[1]), cell[3..], cell[2] == 1))
            .ToList());
}

internal sealed record ReceivedDgi(ushort Dgi, byte[] Value, bool Last)
{
    public override string ToString() => $"{Dgi:X4} {Hex.Encode(Value)}";
}

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
        new ApplicationCatalog().Add(ExecutableModuleTable.PbocModuleName, aid => new RecordingPbocApplication(aid)));

    public static SoftwareKeyStore KeyStore() => new();
}
