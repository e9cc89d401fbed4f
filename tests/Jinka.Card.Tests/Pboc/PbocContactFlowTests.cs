using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// The whole contact transaction (NOTES A.2) on a freshly personalised card of each suite, through raw APDUs: every
/// cryptographic answer is checked with keys and formulas the test holds itself.
/// </summary>
public class PbocContactFlowTests
{
    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_online_purchase_runs_from_select_to_the_second_generate_ac(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)));
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn();

        // PSE directory lists the application; SELECT answers 6F { 84 AID, A5 { DGI 9102 } }.
        Assert.Equal("9000", terminal.Sw(ApduCommands.SelectByName(Aid.Pse.Span)));
        Assert.Contains(Hex.Encode(PbocTestIssuer.Debit.Span), Hex.Encode(terminal.Send("00B2010C00").Data.Span), StringComparison.Ordinal);
        var select = terminal.Select();
        Assert.Equal(StatusWord.Success, select.StatusWord);
        var fciProprietary = issuer.Dgis.Single(d => d.Dgi == 0x9102).Value;
        Assert.Equal(Hex.Encode(PbocTestIssuer.Tlv("6F", [.. PbocTestIssuer.Tlv("84", PbocTestIssuer.Debit.ToArray()), .. PbocTestIssuer.Tlv("A5", fciProprietary)])), Hex.Encode(select.Data.Span));

        // GPO: format 1 from DGI 9104, ATC incremented from the seeded 0000.
        var gpo = terminal.Gpo(txn);
        Assert.Equal("800A7D000801010010010301" + "9000", Hex.Encode(gpo.ToArray()));
        Assert.Equal("9F36020001", Hex.Encode(terminal.Send("80CA9F3600").Data.Span));

        // READ RECORD returns the personalised templates; DDA verifies through the certificate chain.
        var data = ApplicationData.Read(terminal, gpo.Data.ToArray());
        Assert.Equal(issuer.Records.Select(r => Hex.Encode(r.Record)), data.Records.Select(r => Hex.Encode(r)));
        byte[] ddolData = Hex.Parse("CAFEBABE");
        var dda = terminal.Send(ApduCommands.InternalAuthenticate(ddolData));
        Assert.Equal(StatusWord.Success, dda.StatusWord);
        Assert.Equal(8, data.VerifyDda(terminal, dda.Data.ToArray(), ddolData).Length);

        // Offline plaintext PIN.
        Assert.Equal("9000", terminal.Sw("0020008008" + issuer.Profile.PinBlock));

        // First GENERATE AC: a new card goes online. CVR: 2nd GAC not requested, ARQC, offline PIN performed; new card; DDA performed.
        var cdol1 = PbocTestIssuer.Cdol1Data(txn);
        var arqc = terminal.FirstAc(CryptogramType.Arqc, txn);
        Assert.Equal(CryptogramType.Arqc, arqc.Type);
        Assert.Equal(0x0001, arqc.Atc);
        Assert.Equal("A41002", Hex.Encode(arqc.Cvr));
        Assert.Equal("070101" + "03A41002" + (suiteId == SuiteId.Sm ? "04" : "01"), Hex.Encode(arqc.Iad));
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(cdol1, second: false, arqc)), Hex.Encode(arqc.Ac));

        // Issuer authentication with an ARPC computed here, then the second GENERATE AC: TC.
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        var tc = terminal.SecondAc(CryptogramType.Tc, txn);
        Assert.Equal(CryptogramType.Tc, tc.Type);
        Assert.Equal("641002", Hex.Encode(tc.Cvr));
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol2Data(txn), second: true, tc)), Hex.Encode(tc.Ac));

        // Back in touch with the issuer: last online ATC = this ATC, counters reset, one log record.
        Assert.Equal("9F13020001", Hex.Encode(terminal.Send("80CA9F1300").Data.Span));
        Assert.Equal(0u, terminal.Card.Cell("state/flags"));
        Assert.Equal("9000", terminal.Sw("00B2015C00"));
        Assert.Equal("6A83", terminal.Sw("00B2025C00"));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void The_international_ac_matches_a_dotnet_3des_recomputation_and_the_sm_ac_a_bare_sm4_one(SuiteId suiteId)
    {
        // Same flow, asking TC on a card that already went online once: an offline TC, AC over P3 recomputed here.
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)) { LastOnlineAtc = "0001", InitialAtc = "0001" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Amount = "000000000999", Un = "0A0B0C0D" };
        terminal.Start(txn);
        var tc = terminal.FirstAc(CryptogramType.Tc, txn);
        Assert.Equal(CryptogramType.Tc, tc.Type);
        Assert.Equal(0x0002, tc.Atc);
        Assert.Equal("900000", Hex.Encode(tc.Cvr));
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol1Data(txn), second: false, tc)), Hex.Encode(tc.Ac));

        // The transaction is over: a second GENERATE AC is out of phase.
        Assert.Equal("6985", terminal.Sw(ApduCommands.GenerateAc(CryptogramType.Tc, PbocTestIssuer.Cdol2Data(txn))));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void A_cda_answer_is_format_2_and_verifies_for_both_generate_acs(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)));
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn { Un = "99887766" };
        var pdolData = PbocTestIssuer.PdolData(txn);
        Assert.Equal("9000", terminal.Select().StatusWord.ToString());
        var gpo = terminal.Gpo(txn);
        var data = ApplicationData.Read(terminal, gpo.Data.ToArray());

        var cdol1 = PbocTestIssuer.Cdol1Data(txn);
        var arqc = terminal.FirstAc(CryptogramType.Arqc, txn, cda: true);
        Assert.Equal(CryptogramType.Arqc, arqc.Type);
        var signedAc = data.VerifyCda(terminal, arqc, pdolData, cdol1, [], Hex.Parse(txn.Un));
        Assert.Equal(Hex.Encode(arqc.Ac), Hex.Encode(signedAc));
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(cdol1, second: false, arqc)), Hex.Encode(arqc.Ac));

        // Contract P5: 77 { 9F27, 9F36, 9F26, 9F10, 9F4B } in this order.
        var tags = new List<string>();
        var reader = new TlvReader(arqc.Template77Value);
        while (reader.Read())
        {
            tags.Add(reader.Tag.ToString());
        }

        Assert.Equal(["9F27", "9F36", "9F26", "9F10", "9F4B"], tags);

        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        var cdol2 = PbocTestIssuer.Cdol2Data(txn);
        var tc = terminal.SecondAc(CryptogramType.Tc, txn, cda: true);
        Assert.Equal(CryptogramType.Tc, tc.Type);
        Assert.Equal(Hex.Encode(tc.Ac), Hex.Encode(data.VerifyCda(terminal, tc, pdolData, cdol1, cdol2, Hex.Parse(txn.Un))));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_aac_asked_with_cda_comes_in_format_1_without_a_signature(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)));
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn();
        terminal.Start(txn);
        var response = terminal.GenerateAc(CryptogramType.Aac, PbocTestIssuer.Cdol1Data(txn), cda: true);
        Assert.Equal(0x80, response.Data.Span[0]);
        var aac = GacAnswer.Parse(response);
        Assert.Equal(CryptogramType.Aac, aac.Type);
        Assert.Null(aac.SignedData);
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol1Data(txn), second: false, aac)), Hex.Encode(aac.Ac));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Enciphered_pin_verifies_once_per_challenge(SuiteId suiteId)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suiteId)));
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn();
        terminal.Start(txn);
        var data = ApplicationData.Read(terminal, Hex.Parse("800A7D000801010010010301"));

        byte[] Encipher(string pinBlock, byte[] challenge)
        {
            byte[] plain = [0x7F, .. Hex.Parse(pinBlock), .. challenge];
            if (issuer.IsSm)
            {
                return Crypto.Asymmetric.Sm2.Encrypt(data.RecoverSm2IccKey(issuer.Sm2CaPublicKey), plain);
            }

            var key = data.RecoverRsaIccKey(issuer.RsaCaPublicKey);
            var pad = new byte[Crypto.Certificates.EmvRsaPinEncipherment.PadLength(key.ModulusLength)];
            Array.Fill(pad, (byte)0x5A);
            return Crypto.Certificates.EmvRsaPinEncipherment.Encipher(key, Hex.Parse(pinBlock), challenge, pad);
        }

        // Without GET CHALLENGE: 6985. With one: the right PIN passes; the challenge cannot be replayed.
        var noChallenge = Encipher(issuer.Profile.PinBlock, new byte[8]);
        Assert.Equal("6985", terminal.Sw(ApduCommands.Verify(noChallenge, PinFormat.Enciphered)));
        var challenge = terminal.Send("0084000000").Data.ToArray();
        Assert.Equal(8, challenge.Length);
        var good = Encipher(issuer.Profile.PinBlock, challenge);
        Assert.Equal("9000", terminal.Sw(ApduCommands.Verify(good, PinFormat.Enciphered)));
        Assert.Equal("6985", terminal.Sw(ApduCommands.Verify(good, PinFormat.Enciphered)));

        // A wrong PIN under a fresh challenge costs a try; a block for another challenge is refused without one.
        challenge = terminal.Send("0084000000").Data.ToArray();
        Assert.Equal("63C2", terminal.Sw(ApduCommands.Verify(Encipher("249999FFFFFFFFFF", challenge), PinFormat.Enciphered)));
        challenge = terminal.Send("0084000000").Data.ToArray();
        Assert.Equal("6A80", terminal.Sw(ApduCommands.Verify(Encipher(issuer.Profile.PinBlock, new byte[8]), PinFormat.Enciphered)));
        Assert.Equal(2u, terminal.Card.Cell("pin/tries"));
    }
}
