using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>EC load by script (contract Q11, choice Q29), the load log, and the qPBOC transaction log (Q29).</summary>
public class PbocElectronicCashTests
{
    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_load_script_sets_the_balance_up_to_9f77_and_writes_the_load_log(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)) { EcBalance = "000000001000", WithLoadLog = true });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Type = "63" };
        terminal.Start(txn);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);

        // Above 9F77 (1000.00): refused, nothing changes, no load-log record.
        Assert.Equal("6A80", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000100001"))));
        Assert.Equal("9F7906000000001000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
        Assert.Equal("6A83", terminal.Sw(ApduCommands.ReadRecord(1, PbocTestIssuer.LoadLogSfi)));

        // Exactly 9F77: accepted; the record is P1P2 ‖ before ‖ after ‖ DF4F data (date, time, country, merchant, ATC).
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000100000"))));
        Assert.Equal("9F7906000000100000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
        var record = terminal.Send(ApduCommands.ReadRecord(1, PbocTestIssuer.LoadLogSfi));
        Assert.Equal(StatusWord.Success, record.StatusWord);
        Assert.Equal(
            "9F79" + "000000001000" + "000000100000" + txn.Date + txn.Time + txn.Country + txn.MerchantHex + "0001",
            Hex.Encode(record.Data.Span));

        // GET DATA of the load log's entry and format.
        Assert.Equal("DF4D020C0A", Hex.Encode(terminal.Send("80CADF4D00").Data.Span));
        Assert.Equal("DF4F0E" + PbocTestIssuer.LoadLogFormat, Hex.Encode(terminal.Send("80CADF4F00").Data.Span));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_load_goes_online_with_the_balance_in_9f10_and_moves_it_only_after_its_own_tc(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)) { EcBalance = "000000001000" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);

        // Q36: a TC asked for a load (9C 60) is answered with an ARQC whose 9F10 carries the current balance (Q10 IDD).
        var load = new Txn { Type = "60", Amount = "000000050000" };
        terminal.Start(load);
        var arqc = terminal.FirstAc(CryptogramType.Tc, load);
        Assert.Equal(CryptogramType.Arqc, arqc.Type);
        Assert.Equal("0A010000001000", Hex.Encode(arqc.Iad[8..15]));
        var key = IndependentCrypto.SessionKey(terminal.Suite, issuer.Udks[1], arqc.Atc);
        Assert.Equal(Hex.Encode(IndependentCrypto.Mac(terminal.Suite, key, [(byte)(arqc.Atc >> 8), (byte)arqc.Atc, .. Hex.Parse("0000001000"), 0x00], 4)), Hex.Encode(arqc.Iad[15..]));

        // The card declines at the 2nd GENERATE AC: the load script is refused and the balance stays.
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Aac, terminal.SecondAc(CryptogramType.Aac, load).Type);
        Assert.Equal("6985", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000051000"))));
        Assert.Equal("9F7906000000001000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));

        // A purchase approved online is not a load either.
        var purchase = new Txn();
        terminal.Start(purchase);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, purchase).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, purchase).Type);
        Assert.Equal("6985", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000051000"))));

        // A cash load (63) approved by the card takes the script.
        var cash = new Txn { Type = "63", Amount = "000000050000" };
        terminal.Start(cash);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, cash).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, cash).Type);
        Assert.Equal("9000", terminal.Sw(terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000051000"))));
        Assert.Equal("9F7906000000051000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
    }

    [Fact]
    public void A_load_log_without_its_format_is_refused_at_personalisation()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International));
        var dgis = issuer.Dgis.ToList();
        int last = dgis.FindIndex(d => d.Dgi == 0x0E01);
        dgis[last] = (0x0E01, [.. dgis[last].Value, .. PbocTestIssuer.Tlv("DF4D", [0x0C, 0x0A])]);
        Assert.Equal(StatusWord.IncorrectData, PbocTestIssuer.Personalize(Blank(), dgis));
        Assert.Equal(StatusWord.Success, PbocTestIssuer.Personalize(Blank(), issuer.Dgis));

        static VirtualCard Blank()
        {
            var card = new VirtualCard(Jinka.Card.Applications.Pboc.PbocApplication.AddTo(new Jinka.Card.Applications.ApplicationCatalog()));
            card.PowerOn();
            card.Install(Jinka.Card.Applications.Pboc.PbocApplication.Module, PbocTestIssuer.Debit, new Jinka.Card.Applications.InstallOptions { Label = "PBOC DEBIT" });
            return card;
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_qpboc_ec_purchase_is_in_the_transaction_log(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)) { Contactless = true, EcBalance = "000000010000" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Amount = "000000000700" };
        terminal.Select();
        Assert.Equal(StatusWord.Success, terminal.Send(ApduCommands.GetProcessingOptions(issuer.ContactlessPdolData(txn, "28000000"))).StatusWord);

        // 9F4F: 9A 9F21 9F02 9F03 9F1A 5F2A 9F4E 9C 9F36; time and merchant are not in the PDOL, so zeros.
        var record = terminal.Send(ApduCommands.ReadRecord(1, PbocTestIssuer.LogSfi));
        Assert.Equal(StatusWord.Success, record.StatusWord);
        Assert.Equal(
            txn.Date + "000000" + txn.Amount + txn.Other + txn.Country + txn.Currency + new string('0', 40) + txn.Type + "0001",
            Hex.Encode(record.Data.Span));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_contact_ec_purchase_debits_the_balance_in_the_first_generate_ac(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)) { EcBalance = "000000010000" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Amount = "000000001000" };
        terminal.Select();
        Assert.Equal("9000", terminal.Sw(ApduCommands.GetProcessingOptions(PbocTestIssuer.PdolData(txn, ec: true))));

        // A new card would go online as debit (P10); as EC (9F7A = 01) the balance decides (ADDENDUM 2.3).
        var tc = terminal.FirstAc(CryptogramType.Tc, txn);
        Assert.Equal(CryptogramType.Tc, tc.Type);
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol1Data(txn), second: false, tc)), Hex.Encode(tc.Ac));
        Assert.Equal("9F7906000000009000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
        Assert.Equal(0u, terminal.Card.Cell("state/offline-count"));

        // Q10's IDD: 0A 01 ‖ balance after ‖ MAC over ATC ‖ balance ‖ 00 under the MAC session key.
        Assert.Equal(19, tc.Iad.Length);
        Assert.Equal("0A010000009000", Hex.Encode(tc.Iad[8..15]));
        var key = IndependentCrypto.SessionKey(terminal.Suite, issuer.Udks[1], tc.Atc);
        Assert.Equal(Hex.Encode(IndependentCrypto.Mac(terminal.Suite, key, [(byte)(tc.Atc >> 8), (byte)tc.Atc, .. Hex.Parse("0000009000"), 0x00], 4)), Hex.Encode(tc.Iad[15..]));

        // More than the balance: online, nothing debited.
        terminal.Select();
        var big = txn with { Amount = "000000009001" };
        Assert.Equal("9000", terminal.Sw(ApduCommands.GetProcessingOptions(PbocTestIssuer.PdolData(big, ec: true))));
        var arqc = terminal.FirstAc(CryptogramType.Tc, big);
        Assert.Equal(CryptogramType.Arqc, arqc.Type);
        Assert.Equal("0A010000009000", Hex.Encode(arqc.Iad[8..15]));
        Assert.Equal("9F7906000000009000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));

        // The same card in a debit transaction (9F7A = 00): P10's checks, no IDD, no debit.
        terminal.Select();
        Assert.Equal("9000", terminal.Sw(ApduCommands.GetProcessingOptions(PbocTestIssuer.PdolData(txn))));
        var debit = terminal.FirstAc(CryptogramType.Tc, txn);
        Assert.Equal(CryptogramType.Arqc, debit.Type);
        Assert.Equal(8, debit.Iad.Length);
        Assert.Equal("9F7906000000009000", Hex.Encode(terminal.Send("80CA9F7900").Data.Span));
    }

    [Fact]
    public void A_tear_during_an_ec_load_keeps_the_balance_and_its_load_log_record_together()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { EcBalance = "000000001000", WithLoadLog = true });
        var issued = issuer.IssueCard().Nvm.SnapshotCells().ToList();
        int writes = Run(null).Writes;
        Assert.True(writes > 2);
        var outcomes = new HashSet<string>();
        for (int tearAt = 1; tearAt <= writes; tearAt++)
        {
            foreach (bool during in new[] { false, true })
            {
                var (balance, logged, _) = Run(TearController.AtWrite(tearAt, during));
                string state = $"{balance}/{logged}";
                Assert.True(state is "000000001000/False" or "000000002000/True", $"tear at {tearAt} (during {during}): {state}");
                outcomes.Add(state);
            }
        }

        Assert.Equal(2, outcomes.Count);

        (string Balance, bool Logged, int Writes) Run(TearController? tear)
        {
            var card = new VirtualCard(PbocApplication.AddTo(new ApplicationCatalog()), new NvmMemory(issued), new VirtualCardOptions { Random = new CountingRandom() });
            card.PowerOn();
            var terminal = new PbocTerminal(card, issuer);
            var txn = new Txn { Type = "63" };
            terminal.Start(txn);
            Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, txn).Type);
            Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
            Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);
            var script = terminal.Script(0x04, 0xDA, 0x9F, 0x79, Hex.Parse("000000002000"));
            var controller = tear ?? TearController.Counting();
            card.Nvm.TearController = controller;
            try
            {
                Assert.Equal("9000", terminal.Sw(script));
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

            terminal.Select();
            bool logged = terminal.Send(ApduCommands.ReadRecord(1, PbocTestIssuer.LoadLogSfi)).StatusWord == StatusWord.Success;
            return (Hex.Encode(card.Bytes("data/9F79")!), logged, controller.WritesSeen);
        }
    }
}
