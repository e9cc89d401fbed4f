using Jinka.Testing;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Crypto.Keys;
using Jinka.Issuance.Keys;
using Jinka.Issuance.Personalization;
using Jinka.Issuance.Preparation;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Tests.Personalization;

/// <summary>The personalisation script run through a transport against a VirtualCard whose "jinka.pboc" records the DGIs it receives.</summary>
public class PersonalizerTests
{
    private static readonly byte[] s_seed = "jinka-personalizer-tests"u8.ToArray();
    private static readonly Aid s_debit = Aid.Parse("A000000333010101");

    private static VirtualCard BlankCard()
    {
        var card = new VirtualCard(TestFiles.Catalog());
        card.PowerOn();
        IssuerSecurityDomain.InstallOn(card);
        return card;
    }

    private static PreparedCard Prepare(CardProfile profile) => new DataPreparation(TestFiles.CaKeys()).Prepare(profile, new PreparationOptions { Seed = s_seed });

    private static async Task<PersonalizationReport> PersonalizeAsync(VirtualCard card, PreparedCard prepared, SoftwareKeyStore keys, PersonalizerOptions? options = null)
    {
        IssuerMasterKeys.Load(keys, prepared.Profile);
        await using var transport = new VirtualCardTransport(card, leavePowered: true);
        options ??= new PersonalizerOptions { Random = new DeterministicRandom(s_seed, "host") };
        return await new Personalizer(keys, options).PersonalizeAsync(transport, prepared);
    }

    [Fact]
    public async Task A_blank_card_gets_the_pse_and_the_application_installed_and_every_dgi_in_order()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));

        var report = await PersonalizeAsync(card, prepared, keys);

        var application = prepared.Applications[0];
        ushort[] expected = [.. application.PlainDgis.Select(d => d.Dgi), 0x9000, 0x8000, .. application.SecretDgis.Select(d => d.Dgi)];
        var received = RecordingApplication.Received(card, s_debit);
        Assert.Equal(expected, received.Select(r => r.Dgi));
        foreach (var plain in application.PlainDgis.Concat(application.SecretDgis))
        {
            Assert.Equal(plain.Value.ToArray(), received.Single(r => r.Dgi == plain.Dgi).Value);
        }

        Assert.Equal([Aid.Pse, s_debit], report.Installed);
        Assert.Equal(ApplicationLifeCycle.Personalized, card.Applications.Single(e => e.Aid == s_debit).LifeCycle);
        Assert.True(received[^1].Last);
        Assert.Equal(received.Count(r => r.Last), received.SkipWhile(r => !r.Last).Count());
    }

    [Fact]
    public async Task The_script_is_what_a_personalisation_machine_sends()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));

        var report = await PersonalizeAsync(card, prepared, keys);

        var commands = report.Exchanges.Select(e => e.Command).ToList();
        Assert.All(report.Exchanges, e => Assert.Equal(e.Command.Ins == 0xF2 ? 0x6A88 : 0x9000, e.Response.StatusWord.Value));
        Assert.Equal("00A4040008A000000151000000", Hex.Encode(commands[0].ToArray())[..26]);
        Assert.Equal((0x80, 0x50, 0x01), (commands[1].Cla, commands[1].Ins, commands[1].P1));
        Assert.Equal((0x84, 0x82, 0x01), (commands[2].Cla, commands[2].Ins, commands[2].P1));
        Assert.All(commands.Skip(2), c => Assert.Equal(0x84, c.Cla));
        string[] steps = [.. commands.Skip(3).Select(c => c.Ins == 0xE2 ? "E2" : $"{c.Ins:X2}{c.P1:X2}")];
        Assert.Equal(["F240", "E60C", "E60C", "E620"], steps[..4]);
        int appPerso = Array.LastIndexOf(steps, "E620");
        Assert.All(steps[4..appPerso], s => Assert.Equal("E2", s));
        Assert.All(steps[(appPerso + 1)..], s => Assert.Equal("E2", s));

        var storeData = commands.Skip(3 + appPerso + 1).ToList();
        Assert.Equal(report.StoreDataCommands - (appPerso - 4), storeData.Count);
        Assert.Equal(Enumerable.Range(0, storeData.Count).Select(i => (byte)i), storeData.Select(c => c.P2));
        Assert.All(storeData[..^1], c => Assert.Equal(0, c.P1 & 0x80));
        Assert.Equal(0xE0, storeData[^1].P1);
        Assert.All(storeData, c => Assert.True(c.Nc <= 255));
    }

    [Fact]
    public async Task The_card_keys_are_the_udks_of_notes_a3_for_the_intl_suite()
    {
        // NOTES Appendix A.3: MDK-AC 0123…3210, PAN 6225880000000001, PSN 00 → UDK A4855751C29237E91F01E9679DC85E61.
        var profile = TestFiles.LoadProfile("pboc-debit-intl") with { Pan = "6225880000000001", Psn = 0x00 };
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(profile);

        await PersonalizeAsync(card, prepared, keys);

        var received = RecordingApplication.Received(card, s_debit);
        var udks = received.Single(r => r.Dgi == 0x8000).Value;
        Assert.Equal("A4855751C29237E91F01E9679DC85E61", Hex.Encode(udks.AsSpan(0, 16)));
        var suite = AlgorithmSuite.International;
        var kcvs = suite.KeyCheckValue(udks.AsSpan(0, 16)).Concat(suite.KeyCheckValue(udks.AsSpan(16, 16))).Concat(suite.KeyCheckValue(udks.AsSpan(32, 16)));
        Assert.Equal(kcvs, received.Single(r => r.Dgi == 0x9000).Value);
        Assert.Equal(Hex.Encode(suite.DeriveUdk(profile.MdkMac.Value!, profile.Pan, profile.Psn)), Hex.Encode(udks.AsSpan(16, 16)));
    }

    [Fact]
    public async Task The_sm_card_gets_the_sm4_udks_of_notes_a4_in_8030_and_its_sm2_key_in_8100()
    {
        // NOTES Appendix A.4: same MDK and PAN with SM4 → UDK 221260DE64685BD7DDC3D499F9DE4BAE.
        var profile = TestFiles.LoadProfile("pboc-debit-sm") with { Pan = "6225880000000001", Psn = 0x00 };
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(profile);

        await PersonalizeAsync(card, prepared, keys);

        var received = RecordingApplication.Received(card, s_debit);
        var udks = received.Single(r => r.Dgi == 0x8030).Value;
        Assert.Equal("221260DE64685BD7DDC3D499F9DE4BAE", Hex.Encode(udks.AsSpan(0, 16)));
        Assert.Equal(AlgorithmSuite.Sm.KeyCheckValue(udks.AsSpan(0, 16)), received.Single(r => r.Dgi == 0x9030).Value[..3]);
        Assert.Equal(prepared.Applications[0].SecretDgis.Single(d => d.Dgi == 0x8100).Value.ToArray(), received.Single(r => r.Dgi == 0x8100).Value);
        Assert.DoesNotContain(received, r => r.Dgi is 0x8000 or 0x9000);
    }

    [Fact]
    public async Task The_key_store_keeps_no_transient_key_encryption_key()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));

        await PersonalizeAsync(card, prepared, keys);

        Assert.Equal(3, keys.ListKeys().Count);
        Assert.DoesNotContain(keys.ListKeys(), k => k.Usage == KeyUsage.Kek);
    }

    [Fact]
    public async Task A_card_that_already_has_the_application_is_only_personalised()
    {
        var card = BlankCard();
        card.Install(ApplicationCatalog.PseModule, Aid.Pse, new InstallOptions { SecurityDomain = IssuerSecurityDomain.DefaultAid });
        card.Install(ExecutableModuleTable.PbocModuleName, s_debit, new InstallOptions { SecurityDomain = IssuerSecurityDomain.DefaultAid });
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));

        var report = await PersonalizeAsync(card, prepared, keys);

        Assert.Empty(report.Installed);
        Assert.DoesNotContain(report.Exchanges, e => e.Command.Ins == 0xE6 && e.Command.P1 == 0x0C);
        Assert.NotEmpty(RecordingApplication.Received(card, s_debit));
    }

    [Fact]
    public async Task Other_static_keys_fail_at_the_card_cryptogram_and_install_nothing()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));
        var wrong = new Scp02StaticKeys(0x01, new byte[16], new byte[16], new byte[16]);

        var error = await Assert.ThrowsAsync<PersonalizationException>(() => PersonalizeAsync(card, prepared, keys, new PersonalizerOptions { Keys = wrong }));

        Assert.Contains("card cryptogram", error.Message, StringComparison.Ordinal);
        Assert.Single(card.Applications);
    }

    [Fact]
    public async Task A_dgi_the_application_refuses_stops_the_script_naming_the_block_and_the_status_word()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var good = Prepare(TestFiles.LoadProfile("pboc-debit-intl"));
        var app = good.Applications[0];
        using var bad = new PreparedCard(good.Profile, [new PreparedApplication(app.Application, [new DgiElement(RecordingApplication.RefusedDgi, new byte[] { 0 })], app.CardKeys, [])], good.PseDgis, good.Records, good.StaticData, null);

        var error = await Assert.ThrowsAsync<PersonalizationException>(() => PersonalizeAsync(card, bad, keys));

        Assert.Equal(new StatusWord(0x6A80), error.StatusWord);
        Assert.Equal("STORE DATA block 00 for A000000333010101", error.Step);
    }

    [Fact]
    public async Task Personalisation_also_runs_with_c_decryption()
    {
        var card = BlankCard();
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-credit-intl"));
        var options = new PersonalizerOptions { Level = Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption };

        await PersonalizeAsync(card, prepared, keys, options);

        var received = RecordingApplication.Received(card, Aid.Parse("A000000333010102"));
        Assert.Equal(prepared.Applications[0].PlainDgis.Count + 2 + prepared.Applications[0].SecretDgis.Count, received.Count);
    }

    [Fact]
    public async Task A_card_that_answers_61xx_is_personalised_through_get_response()
    {
        var card = new VirtualCard(TestFiles.Catalog(), options: new VirtualCardOptions { UseGetResponse = true });
        card.PowerOn();
        IssuerSecurityDomain.InstallOn(card);
        using var keys = TestFiles.KeyStore();
        using var prepared = Prepare(TestFiles.LoadProfile("pboc-debit-intl") with { Oda = OdaMethods.None });

        var report = await PersonalizeAsync(card, prepared, keys);

        Assert.Equal(28, report.Exchanges[1].Response.Data.Length);
        Assert.Equal(ApplicationLifeCycle.Personalized, card.Applications.Single(e => e.Aid == s_debit).LifeCycle);
    }

    [Theory]
    [InlineData(0x9000, new ushort[0], true, "9000 when no status word is named")]
    [InlineData(0x6310, new ushort[0], false, "a warning is not 9000")]
    [InlineData(0x6310, new ushort[] { 0x9000, 0x6310 }, true, "a named warning")]
    [InlineData(0x6A88, new ushort[] { 0x9000 }, false, "an error that is not named")]
    public void Check_passes_the_named_status_words_only(ushort sw, ushort[] allowed, bool passes, string description)
    {
        var response = new ResponseApdu(new StatusWord(sw));
        if (passes)
        {
            Assert.Same(response, ApduCheck.Check(response, description, allowed));
        }
        else
        {
            var error = Assert.Throws<PersonalizationException>(() => ApduCheck.Check(response, description, allowed));
            Assert.Contains(description, error.Message, StringComparison.Ordinal);
            Assert.Contains(sw.ToString("X4", System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
        }
    }
}
