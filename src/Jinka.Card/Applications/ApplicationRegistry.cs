using Jinka.Card.Files;
using Jinka.Card.Nvm;

namespace Jinka.Card.Applications;

/// <summary>Where each owner's cells live in NVM. The OS alone builds these keys.</summary>
internal static class NvmLayout
{
    public const string RegistryPrefix = "registry/";
    public const string MasterFileData = "mf/data";
    public const string MasterFileFiles = "mf/fs";
    public const ushort MasterFileId = 0x3F00;

    public static string Registry(Aid aid) => RegistryPrefix + aid;

    public static string ApplicationRoot(Aid aid) => $"apps/{aid}";

    public static string ApplicationData(Aid aid) => $"apps/{aid}/data";

    public static string ApplicationFiles(Aid aid) => $"apps/{aid}/fs";

    /// <summary>The MF: FID 3F00 is reserved for it, so it is described directly rather than through <see cref="FileDescriptor.Df"/>.</summary>
    public static FileDescriptor MasterFileDescriptor { get; } = FileDescriptor.MasterFile;

    /// <summary>The ADF descriptor the registry implies (FID if any, DF name = AID).</summary>
    public static FileDescriptor AdfDescriptor(RegistryEntry entry) => FileDescriptor.Df(entry.Fid, entry.Aid);
}

/// <summary>The table of installed applications, read and written inside one NVM transaction.</summary>
internal sealed class ApplicationRegistry(NvmTransaction transaction)
{
    /// <summary>All entries in install order.</summary>
    public IReadOnlyList<RegistryEntry> All()
    {
        var entries = new List<RegistryEntry>();
        foreach (string key in transaction.Keys(NvmLayout.RegistryPrefix))
        {
            transaction.TryRead(key, out var value);
            if (!RegistryEntry.TryDecode(value.Span, out var entry, out var error))
            {
                throw new InvalidOperationException($"NVM cell '{key}': {error}");
            }

            entries.Add(entry);
        }

        entries.Sort((a, b) => a.Order != b.Order ? a.Order.CompareTo(b.Order) : a.Aid.CompareTo(b.Aid));
        return entries;
    }

    public RegistryEntry? Find(Aid aid)
    {
        if (!transaction.TryRead(NvmLayout.Registry(aid), out var value))
        {
            return null;
        }

        return RegistryEntry.TryDecode(value.Span, out var entry, out var error)
            ? entry
            : throw new InvalidOperationException($"NVM cell '{NvmLayout.Registry(aid)}': {error}");
    }

    public void Put(RegistryEntry entry) => transaction.Write(NvmLayout.Registry(entry.Aid), entry.Encode());

    /// <summary>Removes the entry and every cell the application owns.</summary>
    public void Remove(Aid aid)
    {
        transaction.Delete(NvmLayout.Registry(aid));
        foreach (string key in transaction.Keys(NvmLayout.ApplicationRoot(aid) + "/"))
        {
            transaction.Delete(key);
        }
    }

    public int NextOrder() => All().Select(e => e.Order).DefaultIfEmpty(0).Max() + 1;
}
