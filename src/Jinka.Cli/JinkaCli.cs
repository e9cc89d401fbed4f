using System.CommandLine;
using System.Security.Cryptography;
using Jinka.Cli.Commands;
using Jinka.Cli.Infrastructure;

namespace Jinka.Cli;

/// <summary>
/// The <c>jinka</c> command: parses, runs, and turns every failure into one line on stderr with a documented
/// exit code (0 success, 1 negative verification, 2 bad input, 3 internal error). Never a stack trace.
/// </summary>
public static class JinkaCli
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = BuildRootCommand();
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0 && !AsksForHelp(args))
        {
            stderr.WriteLine($"jinka: {OneLine(parsed.Errors[0].Message)} (see 'jinka {CommandPath(parsed)} --help')");
            return ExitCodes.BadInput;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            stderr.WriteLine($"jinka: {OneLine(ex.Message)}");
            return ExitCodes.BadInput;
        }
#pragma warning disable CA1031 // The CLI's contract is one line and an exit code, whatever went wrong.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"jinka: internal error: {ex.GetType().Name}: {OneLine(ex.Message)}");
            return ExitCodes.InternalError;
        }
    }

    internal static RootCommand BuildRootCommand()
    {
        var root = new RootCommand("Jinka: the China financial IC card system (PBOC 3.0 / UICS, qPBOC, SM2/SM3/SM4) end to end.");
        foreach (var command in CommandCatalog.All())
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    private static bool IsBadInput(Exception ex) => ex is CliInputException or FormatException or ArgumentException
        or CryptographicException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException;

    private static bool AsksForHelp(string[] args) => args.Any(a => a is "-h" or "--help" or "-?");

    private static string CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (var r = parsed.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            if (r.Command is not RootCommand)
            {
                names.Insert(0, r.Command.Name);
            }
        }

        return string.Join(' ', names);
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
