using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Jinka.Card;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.PcSc;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka readers</c>: the PC/SC readers pcscd knows, and the card in each.</summary>
internal static class ReadersCommand
{
    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table" };
        var command = new Command("readers", "List PC/SC readers and their cards (state, ATR, protocols), as pcscd sees them") { json };
        command.SetAction(parsed =>
        {
            IReadOnlyList<PcScReaderState> states;
            using (var context = CardConnection.OpenContext("readers"))
            {
                try
                {
                    states = context.GetReaderStates();
                }
                catch (PcScException e)
                {
                    throw new CliInputException($"readers: {e.Message}", e);
                }
            }

            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w => WriteJson(w, states));
            }
            else
            {
                Render(CliOutput.Console(parsed), states);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>"T=0, T=1" from the ATR's interface bytes, or null when the ATR does not parse.</summary>
    internal static string? Protocols(ReadOnlySpan<byte> atr) =>
        !atr.IsEmpty && AnswerToReset.TryParse(atr, out var parsed, out _)
            ? string.Join(", ", parsed.Protocols.Distinct().Select(p => string.Create(CultureInfo.InvariantCulture, $"T={p}")))
            : null;

    private static void Render(IAnsiConsole console, IReadOnlyList<PcScReaderState> states)
    {
        if (states.Count == 0)
        {
            console.WriteLine("No PC/SC reader is connected.");
            return;
        }

        var table = new Table().AddColumns("reader", "card", "ATR", "protocols");
        foreach (var state in states)
        {
            table.AddRow(
                Markup.Escape(state.Reader),
                Markup.Escape(state.Describe()),
                state.Atr.IsEmpty ? "-" : Hex.Encode(state.Atr.Span),
                Markup.Escape(Protocols(state.Atr.Span) ?? "-"));
        }

        console.Write(table);
    }

    private static void WriteJson(Utf8JsonWriter w, IReadOnlyList<PcScReaderState> states)
    {
        w.WriteStartArray();
        foreach (var state in states)
        {
            w.WriteStartObject();
            w.WriteString("reader", state.Reader);
            w.WriteString("state", state.Describe());
            w.WriteBoolean("cardPresent", state.CardPresent);
            w.WriteString("atr", state.Atr.IsEmpty ? null : Hex.Encode(state.Atr.Span));
            w.WriteString("protocols", Protocols(state.Atr.Span));
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
