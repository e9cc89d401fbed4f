using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Jinka.Cli.Infrastructure;
using Jinka.Core.Tlv;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka tlv decode HEX [--json]</c>.</summary>
internal static class TlvCommands
{
    public static Command Create()
    {
        var data = HexOption.CreateArgument("HEX", "BER-TLV bytes in hex (spaces allowed)");
        var json = new Option<bool>("--json") { Description = "Print the tree as JSON instead of text" };
        var decode = new Command("decode", "Decode BER-TLV into a tree with tag names, formats and bit meanings") { data, json };
        decode.SetAction(parsed => Decode(parsed, parsed.GetRequiredValue(data), parsed.GetValue(json)));
        return new Command("tlv", "BER-TLV tools (EMV Book 3 Annex B)") { decode };
    }

    private static int Decode(ParseResult parsed, byte[] bytes, bool asJson)
    {
        var nodes = TlvNode.Parse(bytes, new TlvReaderOptions { AllowPadding = true, MaxDepth = 16 });
        if (asJson)
        {
            WriteJson(CliOutput.Out(parsed), writer => TlvRendering.WriteJson(writer, nodes));
            return ExitCodes.Success;
        }

        var tree = new Tree($"{bytes.Length} bytes, {nodes.Count} top-level object(s)");
        TlvRendering.AddNodes(tree, nodes);
        var console = CliOutput.Console(parsed);
        console.Write(tree);
        console.WriteLine();
        return ExitCodes.Success;
    }

    internal static void WriteJson(TextWriter output, Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
