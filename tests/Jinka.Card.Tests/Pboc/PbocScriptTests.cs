using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>Issuer scripts with secure messaging (contract P9): MACs computed here, their effects and their refusals.</summary>
public class PbocScriptTests
{
    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    private static PbocTerminal Card(SuiteId suite)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)));
        return new PbocTerminal(issuer.IssueCard(), issuer);
    }

    /// <summary>SELECT, GPO, ARQC (and EXTERNAL AUTHENTICATE): the card now accepts template 71 scripts.</summary>
    private static Txn Online(PbocTerminal terminal, bool authenticate = true, string type = "00")
    {
        var txn = new Txn { Type = type };
        terminal.Start(txn);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        if (authenticate)
        {
            Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        }

        return txn;
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Pin_try_exhaustion_blocks_verify_and_a_pin_unblock_script_restores_it(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = new Txn();
        terminal.Start(txn);
        Assert.Equal("63C2", terminal.Sw("0020008008241111FFFFFFFFFF"));
        Assert.Equal("63C1", terminal.Sw("0020008008241111FFFFFFFFFF"));
        Assert.Equal("63C0", terminal.Sw("0020008008241111FFFFFFFFFF"));
        Assert.Equal("6983", terminal.Sw("0020008008241234FFFFFFFFFF"));
        Assert.Equal("9F170100", Hex.Encode(terminal.Send("80CA9F1700").Data.Span));

        // Online: PIN UNBLOCK 84 24 00 00 04 MAC (template 71), then the second GENERATE AC counts one script command.
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Tc, txn).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x24, 0x00, 0x00, [])));
        var tc = terminal.SecondAc(CryptogramType.Tc, txn);
        Assert.Equal(0x10, tc.Cvr[2] & 0xF8);
        Assert.Equal("9F170103", Hex.Encode(terminal.Send("80CA9F1700").Data.Span));

        terminal.Start(txn);
        Assert.Equal("9000", terminal.Sw("0020008008241234FFFFFFFFFF"));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_script_with_a_bad_mac_is_refused_and_changes_nothing_but_the_cvr(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = new Txn();
        terminal.Start(txn);
        for (int i = 0; i < 3; i++)
        {
            terminal.Send("0020008008241111FFFFFFFFFF");
        }

        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        var pinBefore = terminal.Card.Bytes("pin/block");
        Assert.Equal("6988", terminal.Sw(terminal.Script(0x84, 0x24, 0x00, 0x00, [], corruptMac: true)));
        Assert.Equal("6988", terminal.Sw(terminal.Script(0x84, 0x1E, 0x00, 0x00, [], corruptMac: true)));
        Assert.Equal("6988", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000001000"), corruptMac: true)));
        Assert.Equal("6987", terminal.Sw("841E000002AABB"));

        Assert.Equal(0u, terminal.Card.Cell("pin/tries"));
        Assert.Equal(Hex.Encode(pinBefore!), Hex.Encode(terminal.Card.Bytes("pin/block")!));
        Assert.Equal(ApplicationLifeCycle.Personalized, terminal.Card.LifeCycle());
        Assert.Equal("9F7906000000000000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));

        // CVR byte 3: four script commands processed, script processing failed.
        var tc = terminal.SecondAc(CryptogramType.Tc, txn);
        Assert.Equal(0x40 | 0x08, tc.Cvr[2] & 0xF8);
        Assert.Equal("9000", terminal.Select().StatusWord.ToString());
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Application_block_makes_select_answer_6283_and_gpo_6985(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = Online(terminal);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x1E, 0x00, 0x00, [])));

        // EMV Book 3 §6.5.1: a blocked application answers AAC from now on.
        Assert.Equal(CryptogramType.Aac, terminal.SecondAc(CryptogramType.Tc, txn).Type);
        var select = terminal.Select();
        Assert.Equal("6283", select.StatusWord.ToString());
        Assert.Equal(0x6F, select.Data.Span[0]);
        Assert.Equal("6985", terminal.Gpo(txn).StatusWord.ToString());
        Assert.Equal(ApplicationLifeCycle.Blocked, terminal.Card.LifeCycle());
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Application_unblock_in_the_same_session_lifts_the_block(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = Online(terminal);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x1E, 0x00, 0x00, [])));
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x18, 0x00, 0x00, [])));
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);
        Assert.Equal("9000", terminal.Select().StatusWord.ToString());
    }

    [Fact]
    public void Card_block_locks_every_application_of_the_issuers_domain_and_spares_other_domains()
    {
        var terminal = Card(SuiteId.International);
        var otherIssuer = Aid.Parse("A000000333010102");
        terminal.Card.Install(PbocApplication.Module, otherIssuer, new InstallOptions { SecurityDomain = Aid.Parse("A0000000031000") });
        var txn = Online(terminal);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x16, 0x00, 0x00, [])));
        Assert.Equal(ApplicationLifeCycle.Locked, terminal.Card.LifeCycle());
        Assert.Equal(CryptogramType.Aac, terminal.SecondAc(CryptogramType.Tc, txn).Type);

        // A new session (while still selected, the OS lets SELECT find the application's own root DF by name).
        terminal.Card.Reset();
        Assert.Equal("6A82", terminal.Select().StatusWord.ToString());
        Assert.Equal("6A82", terminal.Sw(ApduCommands.SelectByName(Aid.Pse.Span)));
        Assert.Equal("9000", terminal.Sw(ApduCommands.SelectByName(otherIssuer.Span)));
        Assert.Equal(ApplicationLifeCycle.Locked, terminal.Card.LifeCycle());
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Pin_change_sets_the_new_pin_from_data_enciphered_under_the_enc_session_key(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = Online(terminal);
        var newPin = terminal.EncipherScriptData(Hex.Parse("26654321FFFFFFFF"));
        Assert.Equal(16, newPin.Length);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x84, 0x24, 0x00, 0x02, newPin)));

        // Garbage that deciphers to no PIN block, and P2 01 (with the current PIN), are refused.
        Assert.Equal("6A80", terminal.Sw(terminal.Script(0x84, 0x24, 0x00, 0x02, new byte[16])));
        Assert.Equal("6A86", terminal.Sw(terminal.Script(0x84, 0x24, 0x00, 0x01, newPin)));
        terminal.SecondAc(CryptogramType.Tc, txn);

        terminal.Start(txn);
        Assert.Equal("63C2", terminal.Sw("0020008008241234FFFFFFFFFF"));
        Assert.Equal("9000", terminal.Sw("002000800826654321FFFFFFFF"));
    }

    public static TheoryData<string, string, string, string> PutDataCases => new()
    {
        { "9F79", "000000012345", "6985", "EC balance outside an approved load (Q36)" },
        { "9F58", "09", "9000", "lower consecutive limit" },
        { "9F79", "0000000123", "6700", "shorter than the current value" },
        { "9F79", "00000001234A", "6A80", "not digits" },
        { "9F36", "0099", "6A88", "the ATC is the card's" },
        { "9F4F", "9A03", "6A88", "the log format is fixed" },
        { "DF01", "01", "6A88", "not a data object of this card" },
    };

    [Theory]
    [MemberData(nameof(PutDataCases))]
    public void Put_data_changes_listed_objects_only(string tag, string value, string sw, string description)
    {
        var terminal = Card(SuiteId.International);
        var txn = Online(terminal);
        var t = Hex.Parse(tag);
        var before = Hex.Encode(terminal.Send(ApduCommands.GetData((ushort)((t[0] << 8) | t[1]))).ToArray());
        Check.Equal(sw, terminal.Sw(terminal.Script(0x04, 0xDA, t[0], t[1], Hex.Parse(value))), description);
        var after = Hex.Encode(terminal.Send(ApduCommands.GetData((ushort)((t[0] << 8) | t[1]))).ToArray());
        Check.Equal(sw == "9000" ? tag + Hex.Encode([(byte)(value.Length / 2)]) + value + "9000" : before, after, description);
        terminal.SecondAc(CryptogramType.Tc, txn);
    }

    [Fact]
    public void Update_record_replaces_a_record_whole_and_guards_the_cdols_and_the_log()
    {
        var terminal = Card(SuiteId.International);
        Online(terminal);
        var record = PbocTestIssuer.Tlv("70", PbocTestIssuer.Tlv("5F20", "NEW/NAME"u8.ToArray()));
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x04, 0xDC, 0x01, 0x0C, record)));
        Assert.Equal(Hex.Encode(record), Hex.Encode(terminal.Send("00B2010C00").Data.Span));

        Assert.Equal("6A80", terminal.Sw(terminal.Script(0x04, 0xDC, 0x01, 0x0C, Hex.Parse("5F200141"))));
        Assert.Equal("6A80", terminal.Sw(terminal.Script(0x04, 0xDC, 0x01, 0x14, record)));
        Assert.Equal("6A83", terminal.Sw(terminal.Script(0x04, 0xDC, 0x09, 0x0C, record)));
        Assert.Equal("6A82", terminal.Sw(terminal.Script(0x04, 0xDC, 0x01, 0x1C, record)));
        Assert.Equal("6981", terminal.Sw(terminal.Script(0x04, 0xDC, 0x01, 0x5C, record)));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Scripts_run_after_the_second_generate_ac_and_count_in_the_next_transactions_cvr(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = Online(terminal, type: "60");
        terminal.SecondAc(CryptogramType.Tc, txn);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000050000"))));
        Assert.Equal("9F7906000000050000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));

        terminal.Start(txn);
        var next = terminal.FirstAc(CryptogramType.Arqc, txn);
        Assert.Equal(0x10, next.Cvr[2] & 0xF8);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Scripts_need_an_arqc_in_this_session_and_secure_messaging(SuiteId suite)
    {
        var terminal = Card(suite);
        var txn = new Txn();
        terminal.Start(txn);
        Assert.Equal("6985", terminal.Sw("841E000004AABBCCDD"));

        // An offline TC leaves no ARQC to MAC over.
        var offline = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)) { LastOnlineAtc = "0001" });
        var offlineTerminal = new PbocTerminal(offline.IssueCard(), offline);
        offlineTerminal.Start(txn);
        Assert.Equal(CryptogramType.Tc, offlineTerminal.FirstAc(CryptogramType.Tc, txn).Type);
        Assert.Equal("6985", offlineTerminal.Sw("841E000004AABBCCDD"));

        // After an ARQC, plain CLA 80 is refused: secure messaging is required.
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        Assert.Equal("6982", terminal.Sw("801E000000"));
        Assert.Equal("6982", terminal.Sw("00DA9F7906000000050000"));
    }
}
