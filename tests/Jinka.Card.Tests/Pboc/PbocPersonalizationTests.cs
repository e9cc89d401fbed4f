using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Card.Dispatch;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>Personalisation by DGIs (contract D1–D10, choice P34): what is accepted, refused, and when the application is complete.</summary>
public class PbocPersonalizationTests
{
    private static VirtualCard Blank()
    {
        var card = new VirtualCard(PbocApplication.AddTo(new ApplicationCatalog()), options: new VirtualCardOptions { Random = new CountingRandom() });
        card.PowerOn();
        card.Install(PbocApplication.Module, PbocTestIssuer.Debit);
        return card;
    }

    private static List<(ushort Dgi, byte[] Value)> Dgis(SuiteId suite, Func<PbocProfile, PbocProfile>? adjust = null)
    {
        var profile = new PbocProfile(AlgorithmSuite.Get(suite));
        return new PbocTestIssuer(adjust is null ? profile : adjust(profile)).Dgis;
    }

    [Fact]
    public void The_module_registers_in_a_catalog_once()
    {
        var catalog = PbocApplication.AddTo(new ApplicationCatalog());
        Assert.Contains(PbocApplication.Module, catalog.Modules);
        Assert.Equal("jinka.pboc", PbocApplication.Module);
        Assert.Throws<ArgumentException>(() => PbocApplication.AddTo(catalog));
    }

    [Theory]
    [InlineData(SuiteId.International)]
    [InlineData(SuiteId.Sm)]
    public void The_last_dgi_completes_personalisation_and_later_ones_are_refused(SuiteId suite)
    {
        var card = Blank();
        var dgis = Dgis(suite);
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, dgis[..^1], markLast: false));
        Assert.Equal(ApplicationLifeCycle.Selectable, card.LifeCycle());

        // Selectable but unpersonalised: SELECT works, a transaction does not; STORE DATA to the application itself is 6982.
        Assert.Equal("9000", card.Sw("00A4040008A00000033301010100"));
        Assert.Equal("6985", card.Sw("80A800000C830A01000000001000015601" + "00"));
        Assert.Equal("6982", card.Sw("80E2800003010100"));

        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, dgis[^1..]));
        Assert.Equal(ApplicationLifeCycle.Personalized, card.LifeCycle());
        Assert.Equal(StatusWord.ConditionsOfUseNotSatisfied, PbocTestIssuer.Personalize(card, dgis[..1]));
        card.Sw("00A4040008A00000033301010100");
        Assert.Equal("6985", card.Sw("80E2800003010100"));
    }

    public static TheoryData<ushort, string, string> Malformed => new()
    {
        { 0x0101, "5A0862123456789012", "a record that is not a 70 template" },
        { 0x0101, "700362123400", "bytes after the template" },
        { 0x0001, "7003570112", "SFI 0" },
        { 0x1F01, "7003570112", "SFI 31" },
        { 0x01FF, "7003570112", "record FF" },
        { 0x9104, "82027C00940409010100", "AFL entry with bits in b3–b1 of the SFI byte" },
        { 0x9104, "82027C00940408020100", "AFL last record before the first" },
        { 0x9104, "82027C00940408010102", "AFL with more ODA records than records" },
        { 0x9104, "82017C940408010100", "AIP of one byte" },
        { 0x9104, "82027C00", "no AFL" },
        { 0x9102, "9F3803DF6902", "PDOL asking 2 bytes of DF69" },
        { 0x9102, "9F38", "FCI that is not TLV" },
        { 0x9200, "9F1003070102", "CVN 02" },
        { 0x9200, "9F1003060101", "IAD not starting 07" },
        { 0x0D01, "9F58020303", "9F58 of two bytes" },
        { 0x0D01, "9F5406000000001A00", "9F54 not digits" },
        { 0x0D01, "9F170103", "9F17 (the PIN counter comes from 9010)" },
        { 0x0D01, "BF0C039F4D00", "a constructed object" },
        { 0x8010, "141234FFFFFFFFFF", "PIN block format 1" },
        { 0x9010, "0304", "counter above the limit" },
        { 0x9010, "1010", "limit 16" },
        { 0x9010, "03", "one byte" },
        { 0x8000, "0011223344", "a key DGI of 5 bytes" },
        { 0x9000, "112233", "one KCV" },
        { 0x8100, "0000000000000000000000000000000000000000000000000000000000000000", "SM2 d = 0" },
        { 0x7F01, "7003570112", "an unknown DGI" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_dgi_answers_6A80(ushort dgi, string value, string description)
    {
        var card = Blank();
        var status = PbocTestIssuer.Personalize(card, [(dgi, Hex.Parse(value))], markLast: false);
        Check.Equal("6A80", status.ToString(), description);
        Assert.Null(card.LastFault);
    }

    [Fact]
    public void Mixing_the_suites_is_refused()
    {
        var international = Dgis(SuiteId.International);
        var sm = Dgis(SuiteId.Sm);
        byte[] Value(List<(ushort Dgi, byte[] Value)> dgis, ushort dgi) => dgis.Single(d => d.Dgi == dgi).Value;

        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [(0x8000, Value(international, 0x8000))], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [(0x8030, Value(sm, 0x8030))], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [(0x8100, Value(sm, 0x8100))], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [(0x9030, Value(sm, 0x9030))], markLast: false));

        card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [(0x8100, Value(sm, 0x8100))], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [(0x8201, Value(international, 0x8201))], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [(0x8000, Value(international, 0x8000))], markLast: false));
    }

    [Theory]
    [InlineData(SuiteId.International, true)]
    [InlineData(SuiteId.International, false)]
    [InlineData(SuiteId.Sm, true)]
    [InlineData(SuiteId.Sm, false)]
    public void Key_check_values_must_match_the_keys_in_either_order(SuiteId suite, bool keysFirst)
    {
        var dgis = Dgis(suite);
        ushort keyDgi = suite == SuiteId.Sm ? (ushort)0x8030 : (ushort)0x8000;
        var keys = dgis.Single(d => d.Dgi == keyDgi).Value;
        var kcvs = (byte[])dgis.Single(d => d.Dgi == (ushort)(keyDgi + 0x1000)).Value.Clone();
        kcvs[4] ^= 0x01;
        (ushort, byte[])[] order = keysFirst ? [(keyDgi, keys), ((ushort)(keyDgi + 0x1000), kcvs)] : [((ushort)(keyDgi + 0x1000), kcvs), (keyDgi, keys)];

        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [order[0]], markLast: false));
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(card, [order[1]], markLast: false));
    }

    public static TheoryData<string, string, string> Incomplete => new()
    {
        { "9104", "6A88", "no GPO data" },
        { "9102", "6A88", "no FCI" },
        { "8000", "6A88", "no keys" },
        { "9000", "6A88", "no KCVs" },
        { "0203", "6A88", "a record the AFL names" },
        { "0201", "6A88", "the record with CDOL1 and CDOL2" },
        { "8205", "6A88", "one RSA part while the AIP offers DDA" },
        { "9010", "6A88", "the PIN try limit of a personalised PIN" },
    };

    [Theory]
    [MemberData(nameof(Incomplete))]
    public void An_incomplete_last_block_is_refused_and_the_application_stays_unpersonalised(string missing, string sw, string description)
    {
        ushort dgi = Convert.ToUInt16(missing, 16);
        var dgis = Dgis(SuiteId.International).Where(d => d.Dgi != dgi).ToList();
        var card = Blank();
        Check.Equal(sw, PbocTestIssuer.Personalize(card, dgis).ToString(), description);
        Assert.Equal(ApplicationLifeCycle.Selectable, card.LifeCycle());

        // Sending what was missing in a new last block completes it.
        var all = Dgis(SuiteId.International);
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [all.Single(d => d.Dgi == dgi)]));
        Assert.Equal(ApplicationLifeCycle.Personalized, card.LifeCycle());
    }

    [Fact]
    public void A_log_entry_without_a_log_format_is_incomplete()
    {
        var dgis = Dgis(SuiteId.International, p => p with { WithLog = false });
        dgis.Insert(0, (0x0E01, Hex.Parse("9F4D020B0A")));
        Assert.Equal(StatusWord.ReferencedDataNotFound, PbocTestIssuer.Personalize(Blank(), dgis));
    }

    [Fact]
    public void Rsa_parts_that_do_not_form_the_key_are_refused_at_the_end()
    {
        var dgis = Dgis(SuiteId.International);
        int index = dgis.FindIndex(d => d.Dgi == 0x8203);
        var dp = (byte[])dgis[index].Value.Clone();
        dp[^1] ^= 0x02;
        dgis[index] = (0x8203, dp);
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(Blank(), dgis));
    }

    [Fact]
    public void Rsa_parts_left_with_80_padding_by_the_security_domain_are_trimmed()
    {
        var dgis = Dgis(SuiteId.International);
        foreach (ushort dgi in new ushort[] { 0x8201, 0x8202, 0x8203, 0x8204, 0x8205 })
        {
            int index = dgis.FindIndex(d => d.Dgi == dgi);
            dgis[index] = (dgi, [.. dgis[index].Value, 0x80, 0, 0, 0, 0, 0, 0, 0]);
        }

        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International));
        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, dgis));
        var terminal = new PbocTerminal(card, issuer);
        terminal.Start(new Txn());
        var dda = terminal.Send(ApduCommands.InternalAuthenticate(Hex.Parse("01020304")));
        Assert.Equal(StatusWord.Success, dda.StatusWord);
        var key = new Crypto.Asymmetric.EmvRsaPublicKey(PbocTestKeys.RsaIcc.Modulus, PbocTestKeys.RsaIcc.Exponent);
        Assert.True(Crypto.Certificates.EmvRsaSignedDynamicData.Recover(key, dda.Data.Span[3..], Hex.Parse("01020304")).IsValid);
    }

    [Fact]
    public void A_card_without_dda_or_cda_needs_no_icc_key_and_refuses_internal_authenticate()
    {
        var dgis = Dgis(SuiteId.International, p => p with { Aip = "5C00" }).Where(d => d.Dgi is < 0x8201 or > 0x8207).ToList();
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { Aip = "5C00" });
        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, dgis));
        var terminal = new PbocTerminal(card, issuer);
        terminal.Start(new Txn());
        Assert.Equal("6985", terminal.Sw(ApduCommands.InternalAuthenticate(Hex.Parse("01020304"))));

        // CDA asked of a card without CDA: a plain format 1 answer.
        var txn = new Txn();
        var response = terminal.GenerateAc(CryptogramType.Arqc, PbocTestIssuer.Cdol1Data(txn), cda: true);
        Assert.Equal(0x80, response.Data.Span[0]);
    }

    [Fact]
    public void Dgis_for_later_interfaces_are_kept()
    {
        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [(0x9203, Hex.Parse("9F7901"))], markLast: false));
        Assert.Equal("9F7901", Hex.Encode(card.Bytes("dgi/9203")!));
    }

    [Fact]
    public void Dgi_9207_gives_the_qpboc_aip_and_afl()
    {
        var card = Blank();
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(card, [(0x9207, Hex.Parse("82020040940418010100"))], markLast: false));
        Assert.Equal("0040", Hex.Encode(card.Bytes("qpboc/aip")!));
        Assert.Equal("18010100", Hex.Encode(card.Bytes("qpboc/afl")!));
    }

    [Theory]
    [InlineData("no AIP", "940418010100")]
    [InlineData("AIP of 1 byte", "820100940418010100")]
    [InlineData("no AFL", "82020040")]
    [InlineData("AFL not a multiple of 4", "820200409403180101")]
    [InlineData("AFL SFI 0", "82020040940400010100")]
    [InlineData("AFL last before first", "82020040940418020100")]
    [InlineData("AFL more ODA records than records", "82020040940418010102")]
    [InlineData("truncated TLV", "8202004094041801")]
    public void Malformed_dgi_9207_is_refused(string description, string value)
    {
        var card = Blank();
        Assert.True(PbocTestIssuer.Personalize(card, [(0x9207, Hex.Parse(value))], markLast: false) == StatusWord.IncorrectData, description);
    }

    [Fact]
    public void Get_data_answers_what_was_personalised_as_readable()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { PinTries = "0302" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        terminal.Select();
        Assert.Equal("9F5801039000", Hex.Encode(terminal.Send("80CA9F5800").ToArray()));
        Assert.Equal("9F5406000000010000", Hex.Encode(terminal.Send("80CA9F5400").Data.Span));
        Assert.Equal("9F4D020B0A", Hex.Encode(terminal.Send("80CA9F4D00").Data.Span));
        Assert.Equal("9F4F19" + PbocTestIssuer.LogFormat, Hex.Encode(terminal.Send("80CA9F4F00").Data.Span));
        Assert.Equal("9F170102", Hex.Encode(terminal.Send("80CA9F1700").Data.Span));
        Assert.Equal("9F13020000", Hex.Encode(terminal.Send("80CA9F1300").Data.Span));
        Assert.Equal("6A88", terminal.Sw("80CADF4F00"));

        // Q30: on an EC card 9F5D is the EC balance; a card without EC and without 9F5D has none.
        Assert.Equal("9F5D06000000000000", Hex.Encode(terminal.Send("80CA9F5D00").Data.Span));
        var debitOnly = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { EcBalance = null });
        var other = new PbocTerminal(debitOnly.IssueCard(), debitOnly);
        other.Select();
        Assert.Equal("6A88", other.Sw("80CA9F5D00"));
        Assert.Equal("6A88", other.Sw("80CA9F7900"));
    }
}

/// <summary>
/// The real route: STORE DATA APDUs to a security domain, which hands each plain DGI to the application through the
/// OS's <see cref="CardManager.StoreDgi"/> (no secure channel here: the domain is a test stand-in).
/// </summary>
public class PbocStoreDataRouteTests
{
    private static readonly Aid s_domain = Aid.Parse("A000000151000000");

    [Fact]
    public void Store_data_through_a_security_domain_personalises_the_application()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Sm));
        var catalog = PbocApplication.AddTo(new ApplicationCatalog()).Add(RoutingDomain.Module, aid => new RoutingDomain(aid));
        var card = new VirtualCard(catalog, options: new VirtualCardOptions { Random = new CountingRandom() });
        card.PowerOn();
        card.Install(RoutingDomain.Module, s_domain, new InstallOptions { Privileges = ApplicationPrivileges.SecurityDomain });
        card.Install(PbocApplication.Module, PbocTestIssuer.Debit, new InstallOptions { SecurityDomain = s_domain });

        Assert.Equal("9000", card.Sw("00A4040008A00000015100000000"));
        for (int i = 0; i < issuer.Dgis.Count; i++)
        {
            var (dgi, value) = issuer.Dgis[i];
            byte[] data = [(byte)(dgi >> 8), (byte)dgi, .. value.Length < 0xFF ? new[] { (byte)value.Length } : [0xFF, (byte)(value.Length >> 8), (byte)value.Length], .. value];
            byte p1 = i == issuer.Dgis.Count - 1 ? (byte)0x80 : (byte)0x00;
            Assert.Equal(StatusWord.Success, card.Process(new CommandApdu(0x80, 0xE2, p1, (byte)i, data)).StatusWord);
        }

        Assert.Equal(ApplicationLifeCycle.Personalized, card.LifeCycle());
        Assert.Equal("6985", card.Process(new CommandApdu(0x80, 0xE2, 0x80, 0x00, [0x01, 0x01, 0x03, 0x70, 0x01, 0x00])).StatusWord.ToString());

        var terminal = new PbocTerminal(card, issuer);
        var txn = new Txn();
        terminal.Start(txn);
        var arqc = terminal.FirstAc(CryptogramType.Arqc, txn);
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol1Data(txn), second: false, arqc)), Hex.Encode(arqc.Ac));
    }

    /// <summary>STORE DATA 80 E2 P1 P2 DGI ‖ L ‖ value for the one application associated with this domain; P1 b8 = last block.</summary>
    private sealed class RoutingDomain(Aid aid) : CardApplication<RoutingDomain.Phase>(aid)
    {
        public const string Module = "test.routing-domain";

        private static readonly CommandTable<Phase> s_commands = new CommandTable<Phase>().OnAnyPhase(0x80, 0xE2, Store, length: LengthRule.AtLeast(3));

        public enum Phase
        {
            Selected,
        }

        protected override CommandTable<Phase> Commands => s_commands;

        private static ResponseApdu Store(CommandContext context)
        {
            var data = context.Command.Data.Span;
            ushort dgi = (ushort)((data[0] << 8) | data[1]);
            var value = data[2] == 0xFF ? data[5..] : data[3..];
            var manager = context.CardManager!;
            var target = manager.Applications.Single(e => e.SecurityDomain == context.Aid && e.Aid != context.Aid).Aid;
            return Responses.Status(manager.StoreDgi(target, dgi, value, (context.Command.P1 & 0x80) != 0));
        }
    }
}
