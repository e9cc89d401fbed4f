using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Applications;

/// <summary>
/// The contract every card application implements (PBOC, transit purse, social security, security domains, the
/// payment directories). One instance serves one AID; it keeps nothing between commands in fields: persistent
/// state is in <see cref="ApplicationContext.Store"/> and <see cref="ApplicationContext.Files"/>, volatile state in
/// <see cref="CommandContext.Volatile{T}"/>. The OS owns selection, life cycle, transactions and the firewall.
/// </summary>
/// <remarks>
/// Handlers may throw: the OS turns any exception into 6F00 and rolls back NVM. Most applications derive from
/// <see cref="CardApplication{TPhase}"/> and declare a <see cref="CommandTable{TPhase}"/>.
/// </remarks>
public interface ICardApplication
{
    Aid Aid { get; }

    /// <summary>
    /// The application has just been selected (its volatile state is fresh, security states cleared): answer with
    /// the FCI and 9000. Any other status word (except a warning) refuses selection and the MF is selected instead.
    /// The OS itself answers 6283 when the application is BLOCKED.
    /// </summary>
    ResponseApdu Select(CommandContext context);

    /// <summary>Processes a command sent while this application is selected (everything except SELECT and GET RESPONSE).</summary>
    ResponseApdu Process(CommandContext context);

    /// <summary>Called once, in the install transaction, to create the application's files and initial data.</summary>
    void Install(ApplicationContext context)
    {
    }
}

/// <summary>
/// Application code by module name, like a GlobalPlatform executable load file: the registry in NVM names a
/// module for each AID, and the OS asks the catalog for an instance at power-on. A card image can only be loaded
/// with a catalog that knows every module it names.
/// </summary>
public sealed class ApplicationCatalog
{
    /// <summary>Module name of the built-in PSE ("1PAY.SYS.DDF01") directory.</summary>
    public const string PseModule = "jinka.os.pse";

    /// <summary>Module name of the built-in PPSE ("2PAY.SYS.DDF01") directory.</summary>
    public const string PpseModule = "jinka.os.ppse";

    private readonly Dictionary<string, Func<Aid, ICardApplication>> _factories = new(StringComparer.Ordinal);

    /// <summary>A catalog holding the built-in directory modules.</summary>
    public ApplicationCatalog()
    {
        _factories[PseModule] = aid => new PaymentSystemDirectory(aid, contactless: false);
        _factories[PpseModule] = aid => new PaymentSystemDirectory(aid, contactless: true);
    }

    public IEnumerable<string> Modules => _factories.Keys.Order(StringComparer.Ordinal);

    /// <summary>Adds a module; returns this catalog for chaining.</summary>
    /// <exception cref="ArgumentException">The name is taken.</exception>
    public ApplicationCatalog Add(string module, Func<Aid, ICardApplication> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(module, factory))
        {
            throw new ArgumentException($"module '{module}' is already in the catalog", nameof(module));
        }

        return this;
    }

    public bool Contains(string module) => _factories.ContainsKey(module);

    /// <exception cref="InvalidOperationException">Unknown module, or the factory built an instance for another AID.</exception>
    internal ICardApplication Create(string module, Aid aid)
    {
        if (!_factories.TryGetValue(module, out var factory))
        {
            throw new InvalidOperationException($"application {aid} needs module '{module}', which the catalog does not have (it has: {string.Join(", ", Modules)})");
        }

        var application = factory(aid);
        if (application.Aid != aid)
        {
            throw new InvalidOperationException($"module '{module}' built an application for {application.Aid}, not {aid}");
        }

        return application;
    }
}
