using Jinka.Testing;
using System.Text.Json;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Issuance.Personalization;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Tests;

/// <summary>The entry point the CLI calls: profile → card image file and keys file.</summary>
public sealed class CardIssuerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jinka-issuer-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Issue_to_files_writes_a_card_image_that_loads_back_personalised_and_the_test_keys_file()
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var profile = TestFiles.LoadProfile("pboc-debit-sm");
        string image = Path.Combine(_directory, "card.json");
        string keysFile = Path.Combine(_directory, "keys.json");

        await new CardIssuer(TestFiles.Catalog(), caKeys, keys).IssueToFilesAsync(profile, image, keysFile);

        var card = CardImage.LoadCard(image, TestFiles.Catalog());
        var aid = Aid.Parse("A000000333010101");
        Assert.Equal(ApplicationLifeCycle.Personalized, card.Applications.Single(e => e.Aid == aid).LifeCycle);
        Assert.Contains(RecordingApplication.Received(card, aid), d => d.Dgi == 0x8030);
        Assert.Contains(card.Applications, e => e.Aid == Aid.Pse);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(keysFile));
        var root = json.RootElement;
        Assert.Equal("sm", root.GetProperty("suite").GetString());
        Assert.Equal("6225880000000027", root.GetProperty("pan").GetString());
        Assert.Equal("01", root.GetProperty("psn").GetString());
        Assert.Equal("0123456789ABCDEFFEDCBA9876543210", root.GetProperty("mdkAc").GetString());
        Assert.Equal("FEDCBA98765432100123456789ABCDEF", root.GetProperty("mdkMac").GetString());
        Assert.Equal("00112233445566778899AABBCCDDEEFF", root.GetProperty("mdkEnc").GetString());
        Assert.Equal(1_000_000, root.GetProperty("openingBalance").GetInt64());
        Assert.True(root.GetProperty("test").GetBoolean());
    }

    [Fact]
    public void The_catalog_must_hold_the_pboc_module_and_gets_the_isd_when_missing()
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();

        var error = Assert.Throws<ArgumentException>(() => new CardIssuer(new ApplicationCatalog(), caKeys, keys));
        Assert.Contains("jinka.pboc", error.Message, StringComparison.Ordinal);

        var catalog = new ApplicationCatalog().Add(ExecutableModuleTable.PbocModuleName, aid => new RecordingApplication(aid));
        _ = new CardIssuer(catalog, caKeys, keys);
        Assert.True(catalog.Contains(IssuerSecurityDomain.Module));
    }

    [Fact]
    public async Task A_security_domain_with_other_static_keys_is_personalised_with_them()
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var profile = TestFiles.LoadProfile("pboc-debit-intl") with { Oda = OdaMethods.None };
        var other = Hex.Parse("00112233445566778899AABBCCDDEEFF");
        var options = new IssuanceOptions { Personalizer = new PersonalizerOptions { Keys = new Scp02StaticKeys(0x20, other, other, other) } };

        var result = await new CardIssuer(TestFiles.Catalog(), caKeys, keys).IssueAsync(profile, options);

        Assert.Contains(result.Report.Exchanges, e => e.Command.Ins == 0x50 && e.Command.P1 == 0x20);
        Assert.NotEmpty(RecordingApplication.Received(result.Card, Aid.Parse("A000000333010101")));
    }

    [Fact]
    public async Task A_master_key_label_already_holding_another_key_is_refused_before_the_card_is_touched()
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var profile = TestFiles.LoadProfile("pboc-debit-intl");
        keys.ImportClearKey(profile.MdkAc.Label, KeyUsage.MdkAc, CipherAlgorithm.TripleDes, Hex.Parse("11111111111111112222222222222222"));

        var error = await Assert.ThrowsAsync<KeyStoreException>(() => new CardIssuer(TestFiles.Catalog(), caKeys, keys).IssueAsync(profile));

        Assert.Contains(profile.MdkAc.Label, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Master_keys_given_by_label_only_come_from_the_key_store_and_cannot_be_written_to_a_keys_file()
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var full = TestFiles.LoadProfile("pboc-debit-intl");
        var profile = full with
        {
            Oda = OdaMethods.None,
            MdkAc = full.MdkAc with { Value = null },
            MdkMac = full.MdkMac with { Value = null },
            MdkEnc = full.MdkEnc with { Value = null },
        };
        foreach (var (key, usage) in new[] { (full.MdkAc, KeyUsage.MdkAc), (full.MdkMac, KeyUsage.MdkMac), (full.MdkEnc, KeyUsage.MdkEnc) })
        {
            keys.ImportClearKey(key.Label, usage, CipherAlgorithm.TripleDes, key.Value!);
        }

        var result = await new CardIssuer(TestFiles.Catalog(), caKeys, keys).IssueAsync(profile);

        Assert.Contains(RecordingApplication.Received(result.Card, Aid.Parse("A000000333010101")), d => d.Dgi == 0x8000);
        Assert.Throws<InvalidOperationException>(() => IssuedKeys.ToJson(profile));
    }
}
