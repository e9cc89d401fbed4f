using System.CommandLine;

namespace Jinka.Cli.Commands;

/// <summary>Every top-level command of <c>jinka</c>, in the order --help lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        TlvCommands.Create(),
        ApduCommands.Create(),
    ];
}
