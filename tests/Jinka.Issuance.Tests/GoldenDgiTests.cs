using Jinka.Testing;
using System.Text;
using Jinka.Card;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Issuance.Preparation;

namespace Jinka.Issuance.Tests;

/// <summary>
/// The DGIs of a deterministic issuance, byte for byte, against golden files under tests/Jinka.Issuance.Tests/golden,
/// so every byte change shows in review. The PBOC application's DGIs are those the card's "jinka.pboc" received
/// (after the ISD decrypted the secret ones); the PSE's are read back from the card. Regenerate with
/// <c>JINKA_UPDATE_GOLDEN=1 dotnet test tests/Jinka.Issuance.Tests --filter GoldenDgiTests</c>.
/// </summary>
public class GoldenDgiTests
{
    private static readonly byte[] s_seed = "jinka-golden-seed-1"u8.ToArray();

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-credit-intl")]
    [InlineData("pboc-debit-sm")]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public async Task The_dgis_of_a_seeded_issuance_match_the_golden_file(string profileName)
    {
        var profile = TestFiles.LoadProfile(profileName);
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var issuer = new CardIssuer(TestFiles.Catalog(), caKeys, keys);

        var result = await issuer.IssueAsync(profile, new IssuanceOptions { Seed = s_seed });

        string actual = Render(result.Card, profile.Applications.Select(a => a.Aid), profileName, profile.Suite);
        string file = profileName + ".dgi.txt";
        if (Environment.GetEnvironmentVariable("JINKA_UPDATE_GOLDEN") == "1")
        {
            await File.WriteAllTextAsync(TestFiles.GoldenSource(file), actual);
            return;
        }

        Assert.True(File.Exists(TestFiles.Golden(file)), $"no golden file {file}: run with JINKA_UPDATE_GOLDEN=1 and review it");
        string expected = (await File.ReadAllTextAsync(TestFiles.Golden(file))).ReplaceLineEndings("\n");
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (int i = 0; i < Math.Min(expectedLines.Length, actualLines.Length); i++)
        {
            Assert.True(expectedLines[i] == actualLines[i], $"{file} line {i + 1} differs:\nexpected {expectedLines[i]}\nactual   {actualLines[i]}");
        }

        Assert.Equal(expectedLines.Length, actualLines.Length);
    }

    private static string Render(VirtualCard card, IEnumerable<Aid> applications, string profileName, SuiteId suite)
    {
        var text = new StringBuilder();
        text.Append("# DGIs of profiles/").Append(profileName).Append(".json issued with seed \"jinka-golden-seed-1\". TEST KEYS ONLY.\n");
        text.Append("# One line per DGI: identifier, then the plain value in hex, in the order the application received them.\n");
        if (suite == SuiteId.Sm)
        {
            text.Append("# SM2 signatures are randomised: the last 64 bytes of 90, 9F46 and 93 are shown as 00 (DataPreparationTests verifies them).\n");
        }

        card.PowerOn();
        var fci = TlvNode.Parse(card.Process(ApduCommands.SelectByName(Aid.Pse.Span)).Data).Single().Find(new Tag(0xA5))!;
        text.Append("[PSE]\n0101 ").Append(Hex.Encode(card.Process(ApduCommands.ReadRecord(1, 1)).Data.Span)).Append('\n');
        text.Append("9102 ").Append(Hex.Encode(fci.Value.Span)).Append('\n');
        foreach (var aid in applications)
        {
            text.Append('[').Append(aid).Append("]\n");
            foreach (var dgi in RecordingApplication.Received(card, aid))
            {
                var value = suite == SuiteId.Sm && dgi.Dgi >> 8 == DataPreparation.CertificateSfi ? MaskSignatures(dgi.Value) : dgi.Value;
                text.Append(dgi.Dgi.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(Hex.Encode(value));
                text.Append(dgi.Last ? " last\n" : "\n");
            }
        }

        return text.ToString();
    }

    private static byte[] MaskSignatures(byte[] record)
    {
        var masked = (byte[])record.Clone();
        var template = TlvNode.Parse(record).Single();
        foreach (var child in template.Children.Where(c => c.Tag.Value is 0x90 or 0x9F46 or 0x93))
        {
            int end = child.Offset + child.HeaderLength + child.Value.Length;
            masked.AsSpan(end - 64, 64).Clear();
        }

        return masked;
    }
}
