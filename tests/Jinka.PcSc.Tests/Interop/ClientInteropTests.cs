using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.PcSc.Tests.Support;

namespace Jinka.PcSc.Tests.Interop;

/// <summary>
/// Independent PC/SC clients against our card in the vpcd reader: OpenSC's opensc-tool and a pyscard script
/// (tests/interop/pboc_read.py). They share no code with Jinka, so the bytes on the wire are checked by someone else.
/// </summary>
[Collection(PcScdCollection.Name)]
public sealed partial class ClientInteropTests
{
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(60);

    [PcScdTheory(Tool = Tools.OpenScTool)]
    [InlineData("pboc-debit-intl", "1PAY.SYS.DDF01")]
    [InlineData("pboc-ec-intl", "2PAY.SYS.DDF01")]
    public async Task Opensc_tool_selects_the_directory_and_gets_an_fci_with_9000(string profile, string directory)
    {
        PcScd.Require(Tools.OpenScTool);
        using var card = await TestCard.IssueAsync(profile);
        using var context = PcScContext.Establish();
        await using var served = await ServedCard.StartAsync(card.Card, context);
        string name = Hex.Encode(System.Text.Encoding.ASCII.GetBytes(directory));
        string select = $"00A40400{name.Length / 2:X2}{name}00";

        var result = await Tools.RunAsync("opensc-tool", ["-r", served.Reader, "-s", select], s_toolTimeout);

        Assert.NotNull(result);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Received (SW1=0x90, SW2=0x00)", result.Out, StringComparison.Ordinal);
        byte[] fci = ReceivedBytes(result.Out);
        var template = Assert.Single(TlvNode.Parse(fci));
        Assert.Equal(new Tag(0x6F), template.Tag);
        Assert.Equal(name, Hex.Encode(template.Find(new Tag(0x84))!.Value.Span));
        Assert.NotNull(template.Find(new Tag(0xA5)));
    }

    [PcScdTheory(Tool = Tools.Pyscard)]
    [InlineData("pboc-debit-intl", false, false)]
    [InlineData("pboc-debit-sm", false, false)]
    [InlineData("pboc-debit-intl", true, false)]
    [InlineData("pboc-ec-intl", false, true)]
    public async Task Pyscard_selects_the_pboc_application_does_gpo_and_reads_the_records(string profile, bool t0, bool ppse)
    {
        PcScd.Require(Tools.Pyscard);
        using var card = await TestCard.IssueAsync(profile, t0);
        using var context = PcScContext.Establish();
        await using var served = await ServedCard.StartAsync(card.Card, context);
        string script = Path.Combine(AppContext.BaseDirectory, "interop", "pboc_read.py");

        var result = await Tools.RunAsync(Tools.Python, ppse ? [script, "--reader", served.Reader, "--ppse"] : [script, "--reader", served.Reader], s_toolTimeout);

        Assert.NotNull(result);
        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        string aid = card.Profile.Applications[0].Aid.ToString();
        Assert.Equal(aid, root.GetProperty("aid").GetString());
        Assert.Equal(aid, root.GetProperty("directory")[0].GetString());
        Assert.Equal(Hex.Encode(card.Card.Atr.Span), root.GetProperty("atr").GetString());
        Assert.Equal(t0 ? 1 : 2, root.GetProperty("protocol").GetInt32());
        Assert.StartsWith(card.Profile.Pan, root.GetProperty("pan").GetString(), StringComparison.Ordinal);
        Assert.NotNull(root.GetProperty("expiry").GetString());

        // Every record the AFL names was read and parsed as one 70 template.
        string afl = root.GetProperty("afl").GetString()!;
        Assert.NotEmpty(afl);
        int listed = Enumerable.Range(0, afl.Length / 8).Sum(i => Convert.ToInt32(afl.Substring((i * 8) + 4, 2), 16) - Convert.ToInt32(afl.Substring((i * 8) + 2, 2), 16) + 1);
        Assert.Equal(listed, root.GetProperty("records").GetArrayLength());
        if (ppse)
        {
            Assert.Contains("9F26", root.GetProperty("gpoTags").EnumerateArray().Select(e => e.GetString()));
        }
        else
        {
            Assert.NotNull(root.GetProperty("cdol1").GetString());
        }

        // What the script counts as sent is what reached the card through pcscd and vpcd.
        Assert.Equal(root.GetProperty("commands").GetInt32(), served.Server.ApduCount);
    }

    /// <summary>The response bytes of opensc-tool's hex dump ("6F 1E 84 0E … o...1PAY"), 16 a line, ASCII beside.</summary>
    private static byte[] ReceivedBytes(string output)
    {
        var lines = output.Split('\n').SkipWhile(l => !l.StartsWith("Received", StringComparison.Ordinal)).Skip(1);
        var bytes = new List<byte>();
        foreach (string line in lines)
        {
            var match = HexDumpLine().Match(line);
            if (!match.Success)
            {
                break;
            }

            bytes.AddRange(match.Groups[1].Captures.Select(c => byte.Parse(c.Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            if (match.Groups[1].Captures.Count < 16)
            {
                break;
            }
        }

        return [.. bytes];
    }

    [GeneratedRegex("^(?:([0-9A-F]{2}) ){1,16}")]
    private static partial Regex HexDumpLine();
}
