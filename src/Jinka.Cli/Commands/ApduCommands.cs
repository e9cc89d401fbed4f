using System.CommandLine;
using Jinka.Cli.Infrastructure;
using Jinka.Core.Apdu;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;
using Spectre.Console;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka apdu decode HEX [--response]</c>.</summary>
internal static class ApduCommands
{
    public static Command Create()
    {
        var data = HexOption.CreateArgument("HEX", "A command APDU (or, with --response, a response: data then SW1 SW2) in hex");
        var response = new Option<bool>("--response") { Description = "Decode a response APDU instead of a command" };
        var decode = new Command("decode", "Name a command APDU (ISO 7816-4, EMV, PBOC, GlobalPlatform, ED/EP, PSAM) and its fields") { data, response };
        decode.SetAction(parsed => Decode(parsed, parsed.GetRequiredValue(data), parsed.GetValue(response)));
        return new Command("apdu", "APDU tools") { decode };
    }

    private static int Decode(ParseResult parsed, byte[] bytes, bool isResponse)
    {
        ApduDescription description;
        ReadOnlyMemory<byte> body;
        if (isResponse)
        {
            var apdu = ResponseApdu.Parse(bytes);
            description = ApduDescriber.DescribeResponse(apdu);
            body = apdu.Data;
        }
        else
        {
            var apdu = CommandApdu.Parse(bytes);
            description = ApduDescriber.Describe(apdu, tag => EmvDictionary.TryGet(new Tag(tag), out var e) ? e.Name : null);
            body = apdu.Data;
        }

        var console = CliOutput.Console(parsed);
        var tree = new Tree(Markup.Escape(string.IsNullOrEmpty(description.Standard) ? description.Name : $"{description.Name} ({description.Standard})"));
        foreach (var field in description.Fields)
        {
            tree.AddNode(Markup.Escape(field.ToString()));
        }

        // Data that is well-formed BER-TLV (FCI, records, GPO templates, STORE DATA DGIs are not) is shown as a tree too.
        if (!body.IsEmpty && TlvNode.TryParse(body, out var nodes, out _, new TlvReaderOptions { AllowPadding = false, MaxDepth = 16 })
            && nodes.Count > 0)
        {
            TlvRendering.AddNodes(tree.AddNode("data as TLV"), nodes);
        }

        console.Write(tree);
        console.WriteLine();
        return ExitCodes.Success;
    }
}
