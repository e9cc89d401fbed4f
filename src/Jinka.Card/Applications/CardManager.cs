using Jinka.Core.Apdu;
using Jinka.Card.Dispatch;
using Jinka.Card.Nvm;

namespace Jinka.Card.Applications;

/// <summary>What <see cref="VirtualCard.Install"/> and <see cref="CardManager.Install"/> record about a new application instance.</summary>
public sealed record InstallOptions
{
    public ApplicationLifeCycle LifeCycle { get; init; } = ApplicationLifeCycle.Selectable;

    public ushort? Fid { get; init; }

    public DirectoryListing Listing { get; init; }

    public string? Label { get; init; }

    public byte? Priority { get; init; }

    public ReadOnlyMemory<byte> DirectoryData { get; init; }

    public ApplicationPrivileges Privileges { get; init; }

    /// <summary>The associated security domain; <see cref="CardManager.Install"/> defaults it to the installing one.</summary>
    public Aid? SecurityDomain { get; init; }
}

/// <summary>
/// Card content management for security domains (NOTES D.1): install and delete application instances, change
/// their life cycle, personalise them. Everything happens inside the calling command's NVM transaction, so an
/// INSTALL or a STORE DATA commits atomically with the domain's own bookkeeping. The OS hands one only to
/// applications with the <see cref="ApplicationPrivileges.SecurityDomain"/> privilege; which domain may manage
/// which application (authorised or delegated management, tokens, receipts) is the security domain's policy.
/// </summary>
public sealed class CardManager
{
    private readonly NvmTransaction _transaction;
    private readonly ApplicationCatalog _catalog;
    private readonly ICardRandom _random;

    internal CardManager(NvmTransaction transaction, ApplicationCatalog catalog, ICardRandom random, Aid manager)
    {
        _transaction = transaction;
        _catalog = catalog;
        _random = random;
        Manager = manager;
    }

    /// <summary>The security domain using this manager.</summary>
    public Aid Manager { get; }

    /// <summary>Installed applications in install order.</summary>
    public IReadOnlyList<RegistryEntry> Applications => new ApplicationRegistry(_transaction).All();

    /// <summary>Installs an instance of <paramref name="module"/> at <paramref name="aid"/>, associated with this domain unless the options say otherwise.</summary>
    /// <exception cref="InvalidOperationException">The AID or FID is taken, or the module is unknown.</exception>
    public RegistryEntry Install(string module, Aid aid, InstallOptions? options = null)
    {
        options ??= new InstallOptions();
        return InstallInTransaction(_transaction, _catalog, _random, module, aid, options.SecurityDomain is null ? options with { SecurityDomain = Manager } : options);
    }

    /// <summary>Deletes an application and everything it owns.</summary>
    /// <exception cref="InvalidOperationException">Not installed, or it is this domain itself.</exception>
    public void Uninstall(Aid aid)
    {
        ArgumentNullException.ThrowIfNull(aid);
        if (aid == Manager)
        {
            throw new InvalidOperationException("a security domain cannot delete itself");
        }

        var registry = new ApplicationRegistry(_transaction);
        _ = registry.Find(aid) ?? throw new InvalidOperationException($"application {aid} is not installed");
        registry.Remove(aid);
    }

    public void SetLifeCycle(Aid aid, ApplicationLifeCycle lifeCycle)
    {
        ArgumentNullException.ThrowIfNull(aid);
        var registry = new ApplicationRegistry(_transaction);
        var entry = registry.Find(aid) ?? throw new InvalidOperationException($"application {aid} is not installed");
        registry.Put(entry with { LifeCycle = lifeCycle });
    }

    /// <summary>Runs <paramref name="personalize"/> on another application's store and files (e.g. STORE DATA DGIs routed by the domain).</summary>
    public void Personalize(Aid aid, Action<ApplicationContext> personalize)
    {
        ArgumentNullException.ThrowIfNull(aid);
        ArgumentNullException.ThrowIfNull(personalize);
        var entry = new ApplicationRegistry(_transaction).Find(aid) ?? throw new InvalidOperationException($"application {aid} is not installed");
        personalize(new ApplicationContext(_transaction, aid, NvmLayout.AdfDescriptor(entry), _random, _catalog));
    }

    /// <summary>
    /// Routes one plain DGI to an application that implements <see cref="IPersonalizable"/>; the application's own
    /// code decides what the DGI means. Answers 6A88 (referenced data not found) when the application is not installed
    /// and 6A81 (function not supported) when it takes no DGIs.
    /// </summary>
    public StatusWord StoreDgi(Aid aid, ushort dgi, ReadOnlySpan<byte> value, bool isLastBlock)
    {
        ArgumentNullException.ThrowIfNull(aid);
        var entry = new ApplicationRegistry(_transaction).Find(aid);
        if (entry is null)
        {
            return new StatusWord(0x6A88);
        }

        if (_catalog.Create(entry.Module, aid) is not IPersonalizable personalizable)
        {
            return new StatusWord(0x6A81);
        }

        return personalizable.StoreDgi(new ApplicationContext(_transaction, aid, NvmLayout.AdfDescriptor(entry), _random, _catalog), dgi, value, isLastBlock);
    }

    internal static RegistryEntry InstallInTransaction(NvmTransaction transaction, ApplicationCatalog catalog, ICardRandom random, string module, Aid aid, InstallOptions options)
    {
        ArgumentNullException.ThrowIfNull(aid);
        var application = catalog.Create(module, aid);
        var registry = new ApplicationRegistry(transaction);
        var existing = registry.All();
        if (existing.Any(e => e.Aid == aid))
        {
            throw new InvalidOperationException($"application {aid} is already installed");
        }

        if (options.Fid is ushort fid && (existing.Any(e => e.Fid == fid) || fid == NvmLayout.MasterFileId))
        {
            throw new InvalidOperationException($"FID {fid:X4} is already used at the MF level");
        }

        var entry = new RegistryEntry(aid, module)
        {
            LifeCycle = options.LifeCycle,
            Order = registry.NextOrder(),
            Fid = options.Fid,
            Listing = options.Listing,
            Label = options.Label,
            Priority = options.Priority,
            DirectoryData = options.DirectoryData,
            Privileges = options.Privileges,
            SecurityDomain = options.SecurityDomain,
        };
        registry.Put(entry);
        application.Install(new ApplicationContext(transaction, aid, NvmLayout.AdfDescriptor(entry), random, catalog));
        return entry;
    }
}
