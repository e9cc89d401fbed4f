using System.CommandLine;
using System.Text.Json;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka card info</c>: what a terminal can read from a card image or the card in a reader, without paying; <c>jinka card serve</c>.</summary>
internal static class CardCommands
{
    private static readonly Tag[] s_shown =
    [
        new(0x5A), new(0x5F34), new(0x5F20), new(0x5F25), new(0x5F24), new(0x5F28), new(0x9F08), new(0x82), new(0x8E), new(0x9F4D),
    ];

    public static Command Create()
    {
        var card = new Option<string?>("--card") { Description = "The card image", HelpName = "CARD.json" };
        var reader = CardConnection.ReaderOption();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables" };
        var info = new Command("info", "Applications, PAN (masked), dates, counters and the transaction log, read as a terminal reads them") { card, reader, json };
        info.SetAction(async (parsed, ct) =>
        {
            var applications = await ReadAsync(parsed.GetValue(card), parsed.GetValue(reader), ct).ConfigureAwait(false);
            if (parsed.GetValue(json))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w => WriteJson(w, applications));
            }
            else
            {
                Render(CliOutput.Console(parsed), applications);
            }

            return ExitCodes.Success;
        });
        var logJson = new Option<bool>("--json") { Description = "Print JSON instead of tables" };
        var log = new Command("log", "The transaction log (9F4D/9F4F) and the EC load log (DF4D/DF4F), read from the card with GET DATA and READ RECORD") { card, reader, logJson };
        log.SetAction(async (parsed, ct) =>
        {
            var applications = await ReadAsync(parsed.GetValue(card), parsed.GetValue(reader), ct).ConfigureAwait(false);
            if (parsed.GetValue(logJson))
            {
                TlvCommands.WriteJson(CliOutput.Out(parsed), w =>
                {
                    w.WriteStartArray();
                    foreach (var app in applications)
                    {
                        w.WriteStartObject();
                        w.WriteString("aid", app.Aid);
                        w.WriteString("error", app.Error);
                        CardLogView.WriteJson(w, app.Logs);
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                });
            }
            else
            {
                var console = CliOutput.Console(parsed);
                foreach (var app in applications)
                {
                    console.MarkupLine($"[bold]{Markup.Escape(app.Aid)}[/] {Markup.Escape(app.Label ?? "")}");
                    if (app.Error is not null)
                    {
                        console.MarkupLine($"  [red]{Markup.Escape(app.Error)}[/]");
                        continue;
                    }

                    CardLogView.Render(console, app.Logs, Show);
                }
            }

            return ExitCodes.Success;
        });
        return new Command("card", "Card tools: read a card image or the card in a reader; serve an image to pcscd as a card in a virtual reader") { info, log, CardServeCommand.Create() };
    }

    /// <summary>Reads every application of the card image (or the card in a reader) as a terminal does; an image on disk is left as it was.</summary>
    private static async Task<IReadOnlyList<CardApplicationInfo>> ReadAsync(string? cardPath, string? readerName, CancellationToken ct)
    {
        await using var connection = CardConnection.Open(cardPath, readerName);
        await using var transport = new StatusWordHandlingTransport(connection.Transport, leaveOpen: true);
        return await CardReader.ReadAsync(transport, ct).ConfigureAwait(false);
    }

    internal static string Mask(string pan) => pan.Length <= 10 ? pan : $"{pan[..6]}{new string('*', pan.Length - 10)}{pan[^4..]}";

    internal static string Show(Tag tag, ReadOnlySpan<byte> value)
    {
        if (tag == new Tag(0x5A))
        {
            return Mask(Hex.Encode(value).TrimEnd('F'));
        }

        return EmvDictionary.TryGet(tag, out var element) ? element.FormatValue(value) : Hex.Encode(value);
    }

    private static void Render(IAnsiConsole console, IReadOnlyList<CardApplicationInfo> applications)
    {
        if (applications.Count == 0)
        {
            console.WriteLine("No application listed in the PSE.");
            return;
        }

        foreach (var app in applications)
        {
            console.MarkupLine($"[bold]{Markup.Escape(app.Aid)}[/] {Markup.Escape(app.Label ?? "")}");
            if (app.Error is not null)
            {
                console.MarkupLine($"  [red]{Markup.Escape(app.Error)}[/]");
                continue;
            }

            var table = new Table().HideHeaders().AddColumns("", "");
            foreach (var tag in s_shown)
            {
                if (app.Records.TryGet(tag, out var value))
                {
                    table.AddRow(Markup.Escape($"{tag} {EmvDictionary.NameOf(tag)}"), Markup.Escape(Show(tag, value)));
                }
            }

            foreach (var (name, value) in app.Counters)
            {
                table.AddRow(Markup.Escape(name), value);
            }

            console.Write(table);
            CardLogView.Render(console, app.Logs, Show);
        }
    }

    private static void WriteJson(Utf8JsonWriter w, IReadOnlyList<CardApplicationInfo> applications)
    {
        w.WriteStartArray();
        foreach (var app in applications)
        {
            w.WriteStartObject();
            w.WriteString("aid", app.Aid);
            w.WriteString("label", app.Label);
            w.WriteString("error", app.Error);
            w.WriteStartObject("data");
            foreach (var tag in s_shown)
            {
                if (app.Records.TryGet(tag, out var value))
                {
                    w.WriteString(tag.ToString(), tag == new Tag(0x5A) ? Show(tag, value) : Hex.Encode(value));
                }
            }

            w.WriteEndObject();
            w.WriteStartObject("counters");
            foreach (var (name, value) in app.Counters)
            {
                w.WriteString(name, value);
            }

            w.WriteEndObject();
            CardLogView.WriteJson(w, app.Logs);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
