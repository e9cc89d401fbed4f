using System.Text.Json;
using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;
using Spectre.Console;

namespace Jinka.Cli.Infrastructure;

/// <summary>Renders parsed TLV as a Spectre tree with dictionary names, formats and bit meanings, or as JSON.</summary>
internal static class TlvRendering
{
    public static void AddNodes(IHasTreeNodes parent, IEnumerable<TlvNode> nodes)
    {
        foreach (var node in nodes)
        {
            var child = parent.AddNode(Markup.Escape(Headline(node)));
            if (node.IsConstructed)
            {
                AddNodes(child, node.Children);
            }
            else if (EmvDictionary.TryGet(node.Tag, out var element))
            {
                foreach (var meaning in element.DescribeBits(node.Value.Span))
                {
                    child.AddNode(Markup.Escape(meaning));
                }
            }
        }
    }

    public static string Headline(TlvNode node)
    {
        var value = node.Value.Span;
        if (!EmvDictionary.TryGet(node.Tag, out var element))
        {
            return node.IsConstructed
                ? $"{node.Tag} (unknown template, {value.Length} bytes)"
                : $"{node.Tag} (unknown, {value.Length} bytes): {Hex.Encode(value)}";
        }

        string name = element.ChineseName is null ? element.Name : $"{element.Name} {element.ChineseName}";
        if (node.IsConstructed)
        {
            return $"{node.Tag} {name} ({value.Length} bytes)";
        }

        string shown = element.FormatValue(value);
        string hex = Hex.Encode(value);
        string text = shown == hex ? hex : $"{hex} \"{shown}\"";
        return $"{node.Tag} {name} [{FormatName(element.Format)}, {value.Length}]: {text}";
    }

    public static void WriteJson(Utf8JsonWriter json, IEnumerable<TlvNode> nodes)
    {
        json.WriteStartArray();
        foreach (var node in nodes)
        {
            json.WriteStartObject();
            json.WriteString("tag", node.Tag.ToString());
            bool known = EmvDictionary.TryGet(node.Tag, out var element);
            json.WriteString("name", known ? element!.Name : null);
            if (known && element!.ChineseName is not null)
            {
                json.WriteString("chineseName", element.ChineseName);
            }

            if (known && !node.IsConstructed)
            {
                json.WriteString("format", FormatName(element!.Format));
            }

            json.WriteNumber("offset", node.Offset);
            json.WriteNumber("length", node.Value.Length);
            if (node.IsConstructed)
            {
                json.WritePropertyName("children");
                WriteJson(json, node.Children);
            }
            else
            {
                json.WriteString("value", Hex.Encode(node.Value.Span));
                if (known && element!.Bits.Count > 0)
                {
                    json.WriteStartArray("meanings");
                    foreach (var meaning in element.DescribeBits(node.Value.Span))
                    {
                        json.WriteStringValue(meaning);
                    }

                    json.WriteEndArray();
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    public static string FormatName(DataFormat format) => format switch
    {
        DataFormat.A => "a",
        DataFormat.An => "an",
        DataFormat.Ans => "ans",
        DataFormat.B => "b",
        DataFormat.Cn => "cn",
        DataFormat.N => "n",
        _ => "var",
    };
}
