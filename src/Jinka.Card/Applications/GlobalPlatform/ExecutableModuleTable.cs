namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>
/// One executable module the card holds: the GlobalPlatform executable load file (package) AID, the executable
/// module (applet class) AID, and the <see cref="ApplicationCatalog"/> module name that implements it. Jinka's
/// applications are built into the OS, so there is no LOAD: INSTALL [for install] names a module from this table.
/// </summary>
public sealed record ExecutableModule(Aid LoadFile, Aid Module, string Name);

/// <summary>The executable load files and modules a security domain can instantiate (GET STATUS P1 20/10 lists them).</summary>
public sealed class ExecutableModuleTable
{
    /// <summary>The catalog name of the PBOC debit/credit application.</summary>
    public const string PbocModuleName = "jinka.pboc";

    private readonly List<ExecutableModule> _modules;

    /// <exception cref="ArgumentException">Two entries have the same module AID.</exception>
    public ExecutableModuleTable(IEnumerable<ExecutableModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        _modules = [.. modules];
        var duplicate = _modules.GroupBy(m => m.Module).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"executable module {duplicate.Key} appears twice", nameof(modules));
        }
    }

    /// <summary>Executable load file of the PBOC application: A00000033301.</summary>
    public static Aid PbocLoadFile { get; } = Aid.Parse("A00000033301");

    /// <summary>Executable module of the PBOC application: A0000003330101 → "jinka.pboc".</summary>
    public static Aid PbocModule { get; } = Aid.Parse("A0000003330101");

    /// <summary>Jinka's load file for OS modules: F0 ‖ "JINKA" (a proprietary, unregistered AID, ISO/IEC 7816-5 category F).</summary>
    public static Aid JinkaLoadFile { get; } = Aid.Parse("F04A494E4B41");

    /// <summary>Executable module of the PSE directory → "jinka.os.pse".</summary>
    public static Aid PseModule { get; } = Aid.Parse("F04A494E4B410001");

    /// <summary>Executable module of the PPSE directory → "jinka.os.ppse".</summary>
    public static Aid PpseModule { get; } = Aid.Parse("F04A494E4B410002");

    /// <summary>The PBOC package (UnionPay RID) and Jinka's own load file for the payment directories (declared after the AIDs it uses: static initialisers run in order).</summary>
    public static ExecutableModuleTable Default { get; } = new(
    [
        new ExecutableModule(PbocLoadFile, PbocModule, PbocModuleName),
        new ExecutableModule(JinkaLoadFile, PseModule, ApplicationCatalog.PseModule),
        new ExecutableModule(JinkaLoadFile, PpseModule, ApplicationCatalog.PpseModule),
    ]);

    public IReadOnlyList<ExecutableModule> Modules => _modules.AsReadOnly();

    /// <summary>The load files in first-seen order.</summary>
    public IReadOnlyList<Aid> LoadFiles => _modules.Select(m => m.LoadFile).Distinct().ToList();

    /// <summary>The module with this module AID inside this load file, or null.</summary>
    public ExecutableModule? Find(ReadOnlySpan<byte> loadFile, ReadOnlySpan<byte> module)
    {
        foreach (var entry in _modules)
        {
            if (entry.LoadFile.Span.SequenceEqual(loadFile) && entry.Module.Span.SequenceEqual(module))
            {
                return entry;
            }
        }

        return null;
    }

    /// <summary>The executable module that implements the catalog module <paramref name="name"/>, or null.</summary>
    public ExecutableModule? FindByName(string name) => _modules.Find(m => m.Name == name);

    /// <summary>A copy with one more module.</summary>
    public ExecutableModuleTable With(ExecutableModule module) => new([.. _modules, module]);
}
