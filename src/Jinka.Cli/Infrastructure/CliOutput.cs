using System.CommandLine;
using Spectre.Console;

namespace Jinka.Cli.Infrastructure;

/// <summary>Where a command writes: the invocation's stdout, as plain text or as a Spectre console for trees and tables.</summary>
internal static class CliOutput
{
    public static TextWriter Out(ParseResult parsed) => parsed.InvocationConfiguration.Output;

    /// <summary>
    /// A Spectre console over the invocation's stdout. Colours only on a real terminal; when redirected the width is
    /// wide enough that hex values are not wrapped, so scripts and tests see one value per line.
    /// </summary>
    public static IAnsiConsole Console(ParseResult parsed)
    {
        var writer = Out(parsed);
        bool interactive = ReferenceEquals(writer, System.Console.Out) && !System.Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!interactive)
        {
            console.Profile.Width = 400;
        }

        return console;
    }
}
