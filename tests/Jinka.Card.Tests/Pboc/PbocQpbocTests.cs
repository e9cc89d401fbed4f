using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Certificates;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// The qPBOC GPO (contract Q2–Q10) through raw APDUs: the decision, the AC recomputed from P3 with the PDOL data, the
/// fDDA signature verified through the certificate chain, the EC balance and its 9F10 MAC recomputed independently.
/// </summary>
public class PbocQpbocTests
{
    private const string OfflineTtq = "28000000";
    private const string OnlineCapableTtq = "26000000";
    private const string OnlineRequiredTtq = "26800000";

    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_ec_purchase_is_approved_offline_with_fdda_and_debits_the_balance(SuiteId suiteId)
    {
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = "000000010000" });
        var txn = new Txn { Amount = "000000001000" };

        var select = terminal.Select();
        var fci = issuer.Dgis.Single(d => d.Dgi == 0x9103).Value;
        Assert.Equal(Hex.Encode(PbocTestIssuer.Tlv("6F", [.. PbocTestIssuer.Tlv("84", PbocTestIssuer.Debit.ToArray()), .. PbocTestIssuer.Tlv("A5", fci)])), Hex.Encode(select.Data.Span));

        var pdolData = issuer.ContactlessPdolData(txn, OfflineTtq);
        var answer = Gpo(terminal, pdolData);
        Assert.Equal(issuer.Profile.Aip, Hex.Encode(answer[0x82]));
        Assert.Equal(PbocTestIssuer.QpbocAfl, Hex.Encode(answer[0x94]));
        Assert.Equal("0001", Hex.Encode(answer[0x9F36]));
        Assert.Equal(PbocTestKeys.Pan + "D26122010000000000000F", Hex.Encode(answer[0x57]));
        Assert.Equal([PbocTestKeys.Psn], answer[0x5F34]);
        Assert.False(answer.ContainsKey(0x9F27));

        // CVR byte 1 b6–b5 = 01: offline approved (Q4); the AC over P3's input taken from the PDOL data.
        var iad = answer[0x9F10];
        Assert.Equal(0x90, iad[4]);
        Assert.Equal(Hex.Encode(ExpectedAc(terminal, pdolData, answer)), Hex.Encode(answer[0x9F26]));

        // Q9/Q10: the balance is debited; 9F5D and the IDD carry the new one, with the MAC recomputed here.
        Assert.Equal("000000009000", Hex.Encode(answer[0x9F5D]));
        Assert.Equal("9F7906000000009000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
        AssertEcIdd(terminal, iad, atc: 1, balanceLow5: "0000009000");

        // Q6/Q7: 9F69 = 01 ‖ UN ‖ CTQ ‖ 00 and 9F4B over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69, verified through the chain.
        var cardData = answer[0x9F69];
        Assert.Equal(8, cardData.Length);
        Assert.Equal(0x01, cardData[0]);
        Assert.Equal(Hex.Encode(answer[0x9F6C]), Hex.Encode(cardData[5..7]));
        Assert.Equal(0x00, cardData[7]);
        byte[] terminalDynamicData = [.. Hex.Parse(txn.Un), .. Hex.Parse(txn.Amount), .. Hex.Parse(txn.Currency), .. cardData];
        VerifyFdda(terminal, answer, terminalDynamicData);

        // The transaction is over: no GENERATE AC, no second GPO.
        Assert.Equal("6985", terminal.Sw(ApduCommands.GenerateAc(CryptogramType.Tc, PbocTestIssuer.Cdol1Data(txn))));
        Assert.Equal("6985", terminal.Sw(ApduCommands.GetProcessingOptions(pdolData)));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_reader_demanding_online_gets_an_arqc_and_the_balance_stays(SuiteId suiteId)
    {
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = "000000010000" });
        var txn = new Txn { Amount = "000000060000" };
        terminal.Select();
        var pdolData = issuer.ContactlessPdolData(txn, OnlineRequiredTtq);
        var answer = Gpo(terminal, pdolData);

        Assert.Equal(0xA0, answer[0x9F10][4]);
        Assert.Equal(Hex.Encode(ExpectedAc(terminal, pdolData, answer)), Hex.Encode(answer[0x9F26]));
        Assert.False(answer.ContainsKey(0x9F4B));
        Assert.False(answer.ContainsKey(0x9F69));

        // Q8: online and amount ≥ the CVM limit 9F6B (500.00): online PIN.
        Assert.Equal(0x80, answer[0x9F6C][0] & 0x80);
        Assert.Equal("000000010000", Hex.Encode(answer[0x9F5D]));
        Assert.Equal("9F7906000000010000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
        AssertEcIdd(terminal, answer[0x9F10], atc: 1, balanceLow5: "0000010000");
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_offline_only_reader_is_declined_what_the_balance_cannot_pay(SuiteId suiteId)
    {
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = "000000000500", EcResetThreshold = null });
        var txn = new Txn { Amount = "000000000501" };
        terminal.Select();
        var pdolData = issuer.ContactlessPdolData(txn, OfflineTtq);
        var answer = Gpo(terminal, pdolData);

        Assert.Equal(0x80, answer[0x9F10][4]);
        Assert.Equal(Hex.Encode(ExpectedAc(terminal, pdolData, answer)), Hex.Encode(answer[0x9F26]));
        Assert.False(answer.ContainsKey(0x9F4B));
        Assert.Equal("9F7906000000000500", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
    }

    /// <summary>Q9's boundaries: amount = balance, amount = 9F78, balance − amount = 9F6D (equal passes), one more fails.</summary>
    public static TheoryData<string, string, string, string?, bool> EcBoundaries => new()
    {
        { "amount = balance, no reset threshold", "000000003000", "000000003000", null, true },
        { "amount = balance + 1", "000000003000", "000000003001", null, false },
        { "amount = balance, leaving less than 9F6D", "000000003000", "000000003000", "000000000001", false },
        { "amount = 9F78 single limit", "000000090000", "000000050000", null, true },
        { "amount = 9F78 + 1", "000000090000", "000000050001", null, false },
        { "balance - amount = 9F6D", "000000003000", "000000002000", "000000001000", true },
        { "balance - amount = 9F6D - 1", "000000003000", "000000002001", "000000001000", false },
        { "zero amount", "000000000000", "000000000000", null, true },
    };

    [Theory]
    [MemberData(nameof(EcBoundaries))]
    public void Ec_offline_approval_at_the_exact_boundaries(string description, string balance, string amount, string? threshold, bool approved)
    {
        foreach (var suiteId in new[] { SuiteId.International, SuiteId.Sm })
        {
            var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = balance, EcResetThreshold = threshold });
            var txn = new Txn { Amount = amount };
            terminal.Select();
            var answer = Gpo(terminal, issuer.ContactlessPdolData(txn, OnlineCapableTtq));
            Assert.True((answer[0x9F10][4] == 0x90) == approved, $"{description} ({suiteId}): CVR {answer[0x9F10][4]:X2}");
            Assert.True(answer.ContainsKey(0x9F4B) == approved, description);
            long expected = long.Parse(balance, System.Globalization.CultureInfo.InvariantCulture) - (approved ? long.Parse(amount, System.Globalization.CultureInfo.InvariantCulture) : 0);
            Assert.Equal(Hex.Encode(Bcd.FromNumber(expected, 6)), Hex.Encode(terminal.Send("80CA9F7900").Data.Span[3..]));
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_debit_card_without_ec_uses_its_velocity_limits(SuiteId suiteId)
    {
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = null, LastOnlineAtc = "0001", InitialAtc = "0001" });
        var txn = new Txn { Amount = "000000001500" };
        terminal.Select();
        var pdolData = issuer.ContactlessPdolData(txn, OnlineCapableTtq);
        var answer = Gpo(terminal, pdolData);
        Assert.Equal(0x90, answer[0x9F10][4]);
        Assert.Equal(8, answer[0x9F10].Length);
        Assert.False(answer.ContainsKey(0x9F5D));
        Assert.Equal(Hex.Encode(ExpectedAc(terminal, pdolData, answer)), Hex.Encode(answer[0x9F26]));
        VerifyFdda(terminal, answer, [.. Hex.Parse(txn.Un), .. Hex.Parse(txn.Amount), .. Hex.Parse(txn.Currency), .. answer[0x9F69]]);
        Assert.Equal(1u, terminal.Card.Cell("state/offline-count"));

        // Over the cumulative limit 9F54 (100.00): online.
        terminal.Select();
        var over = Gpo(terminal, issuer.ContactlessPdolData(txn with { Amount = "000000009000" }, OnlineCapableTtq));
        Assert.Equal(0xA0, over[0x9F10][4] & 0xF0);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_contact_terminal_on_the_same_fci_takes_the_contact_path(SuiteId suiteId)
    {
        // Q24: a contact kernel fills the unknown 9F66 with zeros, so the union PDOL leads to the format 1 GPO.
        var (issuer, terminal) = Issue(suiteId, p => p);
        terminal.Select();
        var response = terminal.Send(ApduCommands.GetProcessingOptions(issuer.ContactlessPdolData(new Txn(), "00000000")));
        Assert.Equal("800A7D000801010010010301", Hex.Encode(response.Data.Span));
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, new Txn()).Type);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_offline_approval_above_the_cvm_limit_asks_for_a_signature(SuiteId suiteId)
    {
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = "000000010000", CvmLimit = "000000000500" });
        terminal.Select();
        var answer = Gpo(terminal, issuer.ContactlessPdolData(new Txn { Amount = "000000000501" }, OfflineTtq));
        Assert.Equal(0x90, answer[0x9F10][4]);
        Assert.Equal("4000", Hex.Encode(answer[0x9F6C]));

        // At the limit: no CVM.
        terminal.Select();
        answer = Gpo(terminal, issuer.ContactlessPdolData(new Txn { Amount = "000000000500" }, OfflineTtq));
        Assert.Equal("0000", Hex.Encode(answer[0x9F6C]));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_new_debit_card_without_ec_is_declined_by_an_offline_only_reader(SuiteId suiteId)
    {
        // P10: a new card goes online; an offline-only reader cannot (Q25), so AAC.
        var (issuer, terminal) = Issue(suiteId, p => p with { EcBalance = null });
        terminal.Select();
        var pdolData = issuer.ContactlessPdolData(new Txn(), OfflineTtq);
        var answer = Gpo(terminal, pdolData);
        Assert.Equal(0x80, answer[0x9F10][4] & 0xF0);
        Assert.Equal(Hex.Encode(ExpectedAc(terminal, pdolData, answer)), Hex.Encode(answer[0x9F26]));
        Assert.False(answer.ContainsKey(0x9F4B));
    }

    [Fact]
    public void An_sm_card_refuses_a_reader_without_sm_on_the_qpboc_path_too()
    {
        var (_, terminal) = Issue(SuiteId.Sm, p => p);
        terminal.Select();
        var txn = new Txn();
        var data = Hex.Parse(OfflineTtq + txn.Amount + txn.Other + txn.Country + txn.Tvr + txn.Currency + txn.Date + txn.Type + txn.Un + "00" + "01");
        Assert.Equal("6985", terminal.Sw(ApduCommands.GetProcessingOptions(data)));
        Assert.Equal(0u, terminal.Card.Cell("state/atc"));
    }

    public static TheoryData<string, string, string> HostileGpos => new()
    {
        { "PDOL data one byte short", "28000000000000001000000000000000015600000000000156260315001122334", "6700" },
        { "amount not BCD", "2800000000000000100A00000000000001560000000000015626031500112233440101", "6A80" },
        { "empty template", "8300", "6700" },
        { "wrong template tag", "8400", "6A80" },
    };

    [Theory]
    [MemberData(nameof(HostileGpos))]
    public void Hostile_gpo_data_gets_a_status_word_never_6f00(string description, string data, string expected)
    {
        var (_, terminal) = Issue(SuiteId.Sm, p => p);
        terminal.Select();
        byte[] body = data.StartsWith("83", StringComparison.Ordinal) || data.StartsWith("84", StringComparison.Ordinal)
            ? Hex.Parse(data)
            : PbocTestIssuer.Tlv("83", Hex.Parse(data.Length % 2 == 0 ? data : data + "0")[..^(data.Length % 2)]);
        var response = terminal.Send(new CommandApdu(0x80, 0xA8, 0x00, 0x00, body, 256));
        Assert.True(response.StatusWord.ToString() == expected, $"{description}: {response.StatusWord}");
    }

    [Fact]
    public void A_tear_during_the_ec_gpo_leaves_balance_and_atc_together()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { Contactless = true, EcBalance = "000000010000" });
        var issued = issuer.IssueCard().Nvm.SnapshotCells().ToList();
        var pdolData = issuer.ContactlessPdolData(new Txn { Amount = "000000001000" }, OfflineTtq);

        int writes = Run(null).Writes;
        Assert.True(writes > 2);
        var outcomes = new HashSet<string>();
        for (int tearAt = 1; tearAt <= writes; tearAt++)
        {
            foreach (bool during in new[] { false, true })
            {
                var (atc, balance, _) = Run(TearController.AtWrite(tearAt, during));
                string state = $"{atc}/{balance}";
                Assert.True(state is "0/000000010000" or "1/000000009000", $"tear at {tearAt} (during {during}): {state}");
                outcomes.Add(state);
            }
        }

        Assert.Equal(2, outcomes.Count);

        (uint Atc, string Balance, int Writes) Run(TearController? tear)
        {
            var card = new VirtualCard(PbocApplication.AddTo(new ApplicationCatalog()), new NvmMemory(issued), new VirtualCardOptions { Random = new CountingRandom() });
            card.PowerOn();
            var terminal = new PbocTerminal(card, issuer);
            terminal.Select();
            var controller = tear ?? TearController.Counting();
            card.Nvm.TearController = controller;
            try
            {
                terminal.Send(ApduCommands.GetProcessingOptions(pdolData));
            }
            catch (Core.Transport.TransportException) when (tear is not null)
            {
                Assert.False(card.IsPowered);
            }

            card.Nvm.TearController = null;
            if (!card.IsPowered)
            {
                card.PowerOn();
            }

            return (card.Cell("state/atc"), Hex.Encode(card.Bytes("data/9F79")!), controller.WritesSeen);
        }
    }

    private static (PbocTestIssuer Issuer, PbocTerminal Terminal) Issue(SuiteId suiteId, Func<PbocProfile, PbocProfile> profile)
    {
        var issuer = new PbocTestIssuer(profile(new PbocProfile(AlgorithmSuite.Get(suiteId)) { Contactless = true }));
        return (issuer, new PbocTerminal(issuer.IssueCard(), issuer));
    }

    private static Dictionary<uint, byte[]> Gpo(PbocTerminal terminal, byte[] pdolData)
    {
        var response = terminal.Send(ApduCommands.GetProcessingOptions(pdolData));
        Assert.Equal(StatusWord.Success, response.StatusWord);
        var reader = new TlvReader(response.Data.ToArray());
        Assert.True(reader.Read());
        Assert.Equal(new Tag(0x77), reader.Tag);
        var objects = new Dictionary<uint, byte[]>();
        var children = reader.ReadChildren();
        while (children.Read())
        {
            Assert.True(objects.TryAdd(children.Tag.Value, children.ValueSpan.ToArray()));
        }

        return objects;
    }

    /// <summary>P3 with the PDOL data: 9F02 … 9F37 (29 bytes after the 4-byte TTQ) ‖ AIP ‖ ATC ‖ 03 ‖ CVR.</summary>
    private static byte[] ExpectedAc(PbocTerminal terminal, byte[] pdolData, Dictionary<uint, byte[]> answer)
    {
        ushort atc = (ushort)((answer[0x9F36][0] << 8) | answer[0x9F36][1]);
        byte[] input = [.. pdolData[4..33], .. answer[0x82], .. answer[0x9F36], 0x03, .. answer[0x9F10][4..7]];
        return IndependentCrypto.Mac(terminal.Suite, IndependentCrypto.SessionKey(terminal.Suite, terminal.Issuer.Udks[0], atc), input, 8);
    }

    /// <summary>Q10: 9F10 = P1's 8 bytes ‖ 0A 01 ‖ balance (5) ‖ MAC over ATC ‖ balance ‖ 00 under the MAC session key.</summary>
    private static void AssertEcIdd(PbocTerminal terminal, byte[] iad, ushort atc, string balanceLow5)
    {
        Assert.Equal(19, iad.Length);
        Assert.Equal("0A01" + balanceLow5, Hex.Encode(iad[8..15]));
        var key = IndependentCrypto.SessionKey(terminal.Suite, terminal.Issuer.Udks[1], atc);
        var mac = IndependentCrypto.Mac(terminal.Suite, key, [(byte)(atc >> 8), (byte)atc, .. Hex.Parse(balanceLow5), 0x00], 4);
        Assert.Equal(Hex.Encode(mac), Hex.Encode(iad[15..]));
    }

    private static void VerifyFdda(PbocTerminal terminal, Dictionary<uint, byte[]> answer, byte[] terminalDynamicData)
    {
        var data = ApplicationData.Read(terminal, answer[0x82], answer[0x94]);
        var signed = answer[0x9F4B];
        if (terminal.Issuer.IsSm)
        {
            var sm2 = Sm2SignedDynamicData.Parse(signed);
            Assert.True(sm2.Verify(data.RecoverSm2IccKey(terminal.Issuer.Sm2CaPublicKey), terminalDynamicData));
            Assert.False(sm2.Verify(data.RecoverSm2IccKey(terminal.Issuer.Sm2CaPublicKey), [.. terminalDynamicData[..^1], 0x01]));
            Assert.Equal(9, sm2.IccDynamicData.Length);
            return;
        }

        var key = data.RecoverRsaIccKey(terminal.Issuer.RsaCaPublicKey);
        var recovery = EmvRsaSignedDynamicData.Recover(key, signed, terminalDynamicData);
        Assert.True(recovery.IsValid, recovery.ToString());
        Assert.Equal(9, recovery.Value!.IccDynamicData.Length);
        Assert.False(EmvRsaSignedDynamicData.Recover(key, signed, [.. terminalDynamicData[..^1], 0x01]).IsValid);
    }
}
