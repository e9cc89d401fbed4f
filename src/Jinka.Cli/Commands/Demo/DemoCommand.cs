using System.CommandLine;
using Jinka.Cli.Infrastructure;
using Spectre.Console;

namespace Jinka.Cli.Commands.Demo;

/// <summary>
/// <c>jinka demo</c>. Until the card OS, kernels and host land, a guided tour of the foundation: each step computes a
/// value live and sets it beside the value public material publishes. Exit 0 when every published value is matched.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var command = new Command("demo", "Tour the foundation: live computations checked against published test vectors");
        command.SetAction(Run);
        return command;
    }

    private static int Run(ParseResult parsed)
    {
        var console = Terminal.Console(parsed);
        console.MarkupLine("[bold]Jinka 金卡 — foundation tour[/]");
        console.WriteLine("Each value below is computed now by Jinka and compared with the value public material publishes.");
        console.WriteLine();

        var table = new Table().AddColumns("Step", "Source", "Jinka computed", "Published", "");
        int failures = 0;
        foreach (var step in DemoTour.Steps())
        {
            string computed;
            try
            {
                computed = step.Compute();
            }
#pragma warning disable CA1031 // A failing step is reported in the table, not thrown: the tour goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                computed = $"error: {ex.Message}";
            }

            bool? match = step.Published is null ? null : string.Equals(computed, step.Published, StringComparison.OrdinalIgnoreCase);
            failures += match == false ? 1 : 0;
            table.AddRow(
                Markup.Escape(step.Name),
                Markup.Escape(step.Source),
                Markup.Escape(computed),
                Markup.Escape(step.Published ?? "(none published)"),
                match switch { true => "[green]✓[/]", false => "[red]✗[/]", null => "[grey]·[/]" });
        }

        console.Write(table);
        console.WriteLine();
        console.MarkupLine(failures == 0
            ? "[green]Every published value was reproduced.[/]"
            : $"[red]{failures} step(s) did not reproduce the published value.[/]");
        console.WriteLine("Next: the virtual card, the PBOC/qPBOC kernels and the ISO 8583 host (issues 3–6) build on these pieces.");
        console.WriteLine("Try: jinka tlv decode 770E82027C0094080801010010010301   ·   jinka crypto --help");
        return failures == 0 ? ExitCodes.Success : ExitCodes.Negative;
    }
}
