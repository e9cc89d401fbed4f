using System.Globalization;
using System.Text.Json;
using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;
using Jinka.Terminal.Logs;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary>The transaction and load logs as tables or JSON (<c>jinka card info</c>, <c>jinka card log</c>).</summary>
internal static class CardLogView
{
    public delegate string ValueFormatter(Tag tag, ReadOnlySpan<byte> value);

    public static void Render(IAnsiConsole console, CardLogs logs, ValueFormatter show)
    {
        if (logs.TransactionFormat is { } format)
        {
            var table = new Table().Title($"transaction log ({logs.Transactions.Count} records, newest first)");
            foreach (var entry in format.Entries)
            {
                table.AddColumn(Markup.Escape($"{entry.Tag} {EmvDictionary.NameOf(entry.Tag)}"));
            }

            foreach (var record in logs.Transactions)
            {
                table.AddRow([.. record.Select(e => Markup.Escape(show(e.Tag, e.Value.Span)))]);
            }

            console.Write(table);
        }
        else
        {
            console.WriteLine("no transaction log");
        }

        if (logs.LoadFormat is { } loadFormat)
        {
            var table = new Table().Title($"EC load log ({logs.Loads.Count} records, newest first)").AddColumns("object", "before", "after");
            foreach (var entry in loadFormat.Entries)
            {
                table.AddColumn(Markup.Escape($"{entry.Tag} {EmvDictionary.NameOf(entry.Tag)}"));
            }

            foreach (var load in logs.Loads)
            {
                table.AddRow([
                    load.Tag.ToString("X4", CultureInfo.InvariantCulture), $"¥{TransactCommand.Yuan(load.Before)}", $"¥{TransactCommand.Yuan(load.After)}",
                    .. load.Elements.Select(e => Markup.Escape(show(e.Tag, e.Value.Span))),
                ]);
            }

            console.Write(table);
        }

        foreach (string problem in logs.Problems)
        {
            console.MarkupLine($"[yellow]{Markup.Escape(problem)}[/]");
        }
    }

    public static void WriteJson(Utf8JsonWriter w, CardLogs logs)
    {
        w.WriteStartArray("log");
        foreach (var record in logs.Transactions)
        {
            WriteElements(w, record);
        }

        w.WriteEndArray();
        w.WriteStartArray("loadLog");
        foreach (var load in logs.Loads)
        {
            w.WriteStartObject();
            w.WriteString("tag", load.Tag.ToString("X4", CultureInfo.InvariantCulture));
            w.WriteNumber("before", load.Before);
            w.WriteNumber("after", load.After);
            w.WritePropertyName("data");
            WriteElements(w, load.Elements);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartArray("problems");
        foreach (string problem in logs.Problems)
        {
            w.WriteStringValue(problem);
        }

        w.WriteEndArray();
    }

    private static void WriteElements(Utf8JsonWriter w, IReadOnlyList<TlvElement> elements)
    {
        w.WriteStartObject();
        foreach (var element in elements)
        {
            w.WriteString(element.Tag.ToString(), Hex.Encode(element.Value.Span));
        }

        w.WriteEndObject();
    }
}
