using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Matrix;

/// <summary>
/// The end-to-end purchase matrix: suite × ODA × CVM × outcome, each row a freshly issued card, the kernel and the
/// in-process issuer. Not the full product: every value of every axis in both suites, and the pairs with logic of
/// their own (CDA with online and with offline approval, enciphered PIN under RSA and SM2, ODA chosen by the card's
/// AIP and by the terminal's capabilities). Each row checks the outcome, TVR/TSI, the CVM results, the card's CVR,
/// the card's ATC and log read back through APDUs, and the issuer's journal and ledger.
/// </summary>
public class PurchaseMatrixTests
{
    /// <summary>The rows, run in both suites.</summary>
    private static readonly (Oda Oda, OdaBy By, Cvm Cvm, Outcome Outcome)[] s_rows =
    [
        (Oda.Cda, OdaBy.Card, Cvm.OnlinePin, Outcome.OnlineApprove),
        (Oda.Cda, OdaBy.Card, Cvm.OfflineEncipheredPin, Outcome.OnlineApprove),
        (Oda.Cda, OdaBy.Card, Cvm.OfflineEncipheredPin, Outcome.OfflineApprove),
        (Oda.Cda, OdaBy.Card, Cvm.Signature, Outcome.OnlineDecline),
        (Oda.Cda, OdaBy.Card, Cvm.NoCvm, Outcome.OfflineDecline),
        (Oda.Dda, OdaBy.Card, Cvm.OfflinePlaintextPin, Outcome.OnlineApprove),
        (Oda.Dda, OdaBy.Card, Cvm.NoCvm, Outcome.OfflineApprove),
        (Oda.Dda, OdaBy.Card, Cvm.Signature, Outcome.OfflineDecline),
        (Oda.Dda, OdaBy.Terminal, Cvm.OfflineEncipheredPin, Outcome.OnlineDecline),
        (Oda.Dda, OdaBy.Card, Cvm.OfflinePlaintextPin, Outcome.OfflineDecline),
        (Oda.Sda, OdaBy.Card, Cvm.Signature, Outcome.OnlineApprove),
        (Oda.Sda, OdaBy.Card, Cvm.OfflinePlaintextPin, Outcome.OfflineApprove),
        (Oda.Sda, OdaBy.Card, Cvm.OnlinePin, Outcome.OnlineDecline),
        (Oda.Sda, OdaBy.Terminal, Cvm.OfflineEncipheredPin, Outcome.OfflineDecline),
        (Oda.Sda, OdaBy.Terminal, Cvm.NoCvm, Outcome.OnlineApprove),
    ];

    public static TheoryData<Suite, Oda, OdaBy, Cvm, Outcome> Rows()
    {
        var data = new TheoryData<Suite, Oda, OdaBy, Cvm, Outcome>();
        foreach (var suite in Enum.GetValues<Suite>())
        {
            foreach (var (oda, by, cvm, outcome) in s_rows)
            {
                data.Add(suite, oda, by, cvm, outcome);
            }
        }

        return data;
    }

    [Fact]
    public void The_rows_cover_every_axis_value_and_the_pairs_with_their_own_logic()
    {
        Assert.Equal(Enum.GetValues<Oda>().Length, s_rows.Select(r => r.Oda).Distinct().Count());
        Assert.Equal(Enum.GetValues<Cvm>().Length, s_rows.Select(r => r.Cvm).Distinct().Count());
        Assert.Equal(Enum.GetValues<Outcome>().Length, s_rows.Select(r => r.Outcome).Distinct().Count());
        Assert.Contains(s_rows, r => r is { Oda: Oda.Cda, Outcome: Outcome.OnlineApprove });
        Assert.Contains(s_rows, r => r is { Oda: Oda.Cda, Outcome: Outcome.OfflineApprove });
        Assert.Contains(s_rows, r => r is { By: OdaBy.Terminal, Oda: Oda.Sda });
        Assert.Contains(s_rows, r => r is { By: OdaBy.Terminal, Oda: Oda.Dda });
        // Each way an offline decline comes about (card ADA, terminal TAC-Denial, card limits without a host).
        var routes = s_rows.Where(r => r.Outcome == Outcome.OfflineDecline).Select(r => new MatrixScenario(Suite.Intl, r.Oda, r.By, r.Cvm, r.Outcome).DeclineRoute).Distinct();
        Assert.Equal(3, routes.Count(r => r != DeclineRoute.None));

        // Every ODA method meets every outcome at least once, so each method's effect on the final CID is seen.
        foreach (var oda in Enum.GetValues<Oda>())
        {
            Assert.True(s_rows.Count(r => r.Oda == oda) >= 4, $"{oda} appears in fewer than 4 rows");
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Purchase(Suite suite, Oda oda, OdaBy odaBy, Cvm cvm, Outcome outcome)
    {
        var row = new MatrixScenario(suite, oda, odaBy, cvm, outcome);
        await using var h = await Harness.IssueAsync(row.ProfileName, new HarnessOptions { Adjust = row.Adjust });
        var opening = await h.AccountAsync();
        var host = new HostTap(h.Issuer);
        long expectedBalance = opening.Balance;
        int transactions = 0;

        if (row.NeedsWarmUp)
        {
            var warmUp = await h.RunAsync(new TransactionRequest(MatrixScenario.OnlineAmount), PinEntry.Fixed(h.Profile.Pin), row.Terminal(h.Profile.Pan, warmUp: true), host);
            Assert.True(warmUp.IsApproved, $"warm-up: {warmUp}\n{warmUp.Trace.ToJson()}");
            Assert.True(warmUp.WentOnline);
            expectedBalance -= MatrixScenario.OnlineAmount;
            transactions++;
        }

        long amount = row.Amount(opening.Balance);
        int requestsBefore = host.Requests.Count;
        var result = await h.RunAsync(new TransactionRequest(amount) { SequenceCounter = 2 }, row.PinPad(h.Profile.Pin), row.Terminal(h.Profile.Pan), host, online: row.TerminalHasHost);
        transactions++;
        string trace = $"{row}: {result}\n{result.Trace.ToJson()}";

        Assert.Equal(h.Aid, result.Aid);
        AssertOda(row, result, trace);
        AssertCvm(row, result, host, h.Profile, trace);
        var cvr = AssertOutcome(row, result, host, requestsBefore, trace);

        // The card's CVR (contract P2) in the final 9F10, and the suite's algorithm identifier (P1).
        var iad = result.Data.Get(new Core.Tlv.Tag(0x9F10)).ToArray();
        Assert.Equal(row.Suite == Suite.Intl ? 0x01 : 0x04, iad[7]);
        Assert.Equal(row.Oda == Oda.Dda, (iad[6] & 0x02) != 0);
        Assert.True((iad[4] & cvr.Mask) == cvr.Value, $"CVR byte 1 {iad[4]:X2}: expected {cvr.Value:X2} under mask {cvr.Mask:X2}\n{trace}");
        Assert.Equal(row.IsOfflinePin, (iad[4] & 0x04) != 0);
        Assert.Equal(row.DeclineRoute == DeclineRoute.CardAdaPinTryLimit, (iad[4] & 0x02) != 0);

        // The card afterwards, read through APDUs in a new power cycle.
        var card = await h.Probe.ReadAsync();
        Assert.Equal(transactions, card.Atc);
        Assert.Equal(transactions, card.Log.Count);
        Assert.Equal(amount, card.Log[0].Amount);
        Assert.Equal(card.Atc, card.Log[0].Atc);
        Assert.Equal(result.Data.Get(new Core.Tlv.Tag(0x9F36)).ToArray(), card.Log[0][0x9F36]);
        bool online = row.Outcome is Outcome.OnlineApprove or Outcome.OnlineDecline;
        Assert.Equal(online ? card.Atc : row.NeedsWarmUp ? 1 : 0, card.LastOnlineAtc);
        Assert.Equal(row.DeclineRoute == DeclineRoute.CardAdaPinTryLimit ? 0 : 3, card.PinTries);

        // The issuer: held and captured only when the card approved online; nothing otherwise.
        var account = await h.AccountAsync();
        if (row.Outcome == Outcome.OnlineApprove)
        {
            expectedBalance -= amount;
        }

        Assert.Equal(expectedBalance, account.Balance);
        Assert.Equal(0, account.Held);
        var kinds = (await h.LedgerAsync()).Select(e => e.Kind).ToArray();
        int captured = (row.NeedsWarmUp ? 1 : 0) + (row.Outcome == Outcome.OnlineApprove ? 1 : 0);
        Assert.Equal([LedgerEntryKind.Opening, .. Enumerable.Repeat<LedgerEntryKind[]>([LedgerEntryKind.Hold, LedgerEntryKind.Debit], captured).SelectMany(k => k)], kinds);
        var journal = h.Journal.Records;
        Assert.Equal(host.Requests.Count, journal.Count);
        // Online PIN: the issuer checked the block against the card's PVV (P51), which the Harness registered.
        bool pinVerified = h.Issuer.Events.Snapshot().Any(e => e.Kind == Host.Issuing.IssuerEventKind.OnlinePinVerified && e.Atc == Core.Hex.Encode(result.Data.Get(new Core.Tlv.Tag(0x9F36))));
        Assert.True(pinVerified == (row.Cvm == Cvm.OnlinePin && host.Requests.Count > requestsBefore), $"online PIN verified by the issuer: {pinVerified}\n{trace}");
        if (online)
        {
            Assert.Equal(row.Outcome == Outcome.OnlineApprove ? AuthorizationState.Completed : AuthorizationState.Declined, journal[^1].State);
            Assert.Equal(row.Outcome == Outcome.OnlineApprove ? "TC" : "AAC", journal[^1].FinalCryptogram);
        }
    }

    private static void AssertOda(MatrixScenario row, TransactionResult result, string trace)
    {
        var tvr = result.Tvr;
        Assert.True(result.Tsi.OfflineDataAuthenticationPerformed, trace);
        Assert.False(tvr.OfflineDataAuthenticationNotPerformed, trace);
        Assert.False(tvr.SdaFailed || tvr.DdaFailed || tvr.CdaFailed || tvr.IccDataMissing, trace);
        Assert.Equal(row.Oda == Oda.Sda, tvr.Has(TvrBit.SdaSelected));
        var step = result.Trace.Steps.Single(s => s.Name == "Offline data authentication");
        Assert.Equal(row.Oda.ToString().ToUpperInvariant(), step.Outputs["method"]);
        var apdus = result.Trace.Apdus;
        Assert.Equal(row.Oda == Oda.Dda, apdus.Any(a => a.Purpose == "INTERNAL AUTHENTICATE"));
        if (row.Oda == Oda.Sda)
        {
            Assert.True(result.Data.Contains(new Core.Tlv.Tag(0x9F45)), "SDA recovers the data authentication code 9F45");
        }

        // CDA: every GENERATE AC that may carry a signature asks for one, and every signature verifies.
        bool cdaExpected = row.Oda == Oda.Cda && row.DeclineRoute != DeclineRoute.TerminalTacDenial;
        Assert.Equal(cdaExpected, apdus.Any(a => a.Purpose.Contains("with CDA", StringComparison.Ordinal)));
        int signed = result.Trace.Steps.SelectMany(s => s.Notes).Count(n => n == "CDA signature verified");
        // A signature on each GENERATE AC answered with a TC or an ARQC (P29: never on an AAC).
        int expectedSignatures = !cdaExpected ? 0 : row.Outcome switch
        {
            Outcome.OnlineApprove => 2,
            Outcome.OfflineDecline when row.DeclineRoute == DeclineRoute.CardAdaPinTryLimit => 0,
            _ => 1,
        };
        Assert.True(expectedSignatures == signed, $"{signed} CDA signatures verified, {expectedSignatures} expected\n{trace}");
    }

    private static void AssertCvm(MatrixScenario row, TransactionResult result, HostTap host, Issuance.Profiles.CardProfile profile, string trace)
    {
        Assert.True(result.Tsi.CardholderVerificationPerformed);
        var cvm = result.CvmResults ?? throw new Xunit.Sdk.XunitException("no CVM results");
        bool pinFails = row.DeclineRoute == DeclineRoute.CardAdaPinTryLimit;
        byte expectedResult = pinFails ? CvmResults.ResultFailed
            : row.Cvm is Cvm.OnlinePin or Cvm.Signature ? CvmResults.ResultUnknown
            : CvmResults.ResultSuccessful;
        Assert.Equal(new CvmResults(row.CvmCode, 0x00, expectedResult), cvm);
        Assert.Equal(Hex.Encode(cvm.ToArray()), Hex.Encode(result.Data.Get(new Core.Tlv.Tag(0x9F34))));
        Assert.Equal(pinFails, result.Tvr.CardholderVerificationNotSuccessful);
        Assert.Equal(pinFails, result.Tvr.Has(TvrBit.PinTryLimitExceeded));
        Assert.False(result.Tvr.Has(TvrBit.PinNotEntered) || result.Tvr.Has(TvrBit.PinPadNotPresentOrNotWorking), trace);
        Assert.Equal(row.Cvm == Cvm.OnlinePin, result.Tvr.Has(TvrBit.OnlinePinEntered));
        Assert.Equal(row.Cvm == Cvm.Signature && result.IsApproved, result.SignatureRequired);

        var verifies = result.Trace.Apdus.Where(a => a.Purpose.StartsWith("VERIFY", StringComparison.Ordinal)).ToList();
        Assert.Equal(!row.IsOfflinePin ? 0 : pinFails ? profile.PinTryLimit : 1, verifies.Count);
        Assert.All(verifies, v => Assert.EndsWith(row.Cvm == Cvm.OfflineEncipheredPin ? "(enciphered PIN)" : "(plaintext PIN)", v.Purpose, StringComparison.Ordinal));
        if (row.IsOfflinePin)
        {
            Assert.Equal(pinFails ? "63C0" : "9000", verifies[^1].StatusWord);
        }

        // Online PIN travels to the host as the ISO 9564 format 0 block of the PIN entered (contract P44).
        var request = host.Requests.Count > 0 && result.WentOnline ? host.Requests[^1] : null;
        if (row.Cvm == Cvm.OnlinePin)
        {
            Assert.NotNull(request);
            Assert.Equal(PinBlock.Format0(profile.Pin, profile.Pan), request.PinBlock?.ToArray());
        }
        else
        {
            Assert.Null(request?.PinBlock);
        }
    }

    /// <summary>Checks the outcome; returns the expected CVR byte 1 (value under mask) for this outcome.</summary>
    private static (byte Value, byte Mask) AssertOutcome(MatrixScenario row, TransactionResult result, HostTap host, int requestsBefore, string trace)
    {
        string arc = System.Text.Encoding.ASCII.GetString(result.Data.Get(new Core.Tlv.Tag(0x8A)));
        byte cid = result.Data.Get(new Core.Tlv.Tag(0x9F27))[0];
        Assert.True(result.Tsi.TerminalRiskManagementPerformed && result.Tsi.CardRiskManagementPerformed, trace);
        Assert.False(result.Tvr.IssuerAuthenticationFailed, trace);
        Assert.False(result.Tsi.ScriptProcessingPerformed, trace);
        const byte ByteOneCryptograms = 0xF1;
        switch (row.Outcome)
        {
            case Outcome.OnlineApprove:
                Assert.True(result.Outcome == TransactionOutcome.Approved, trace);
                Assert.Equal("issuer approved (00) and the card accepted (TC)", result.Reason);
                Assert.True(result.WentOnline && result.Tsi.IssuerAuthenticationPerformed, trace);
                Assert.Equal("00", arc);
                Assert.Equal(0x40, cid & 0xC0);
                Assert.Equal(AdviceKind.Completion, result.Advice?.Kind);
                Assert.Single(host.Advices.Skip(requestsBefore));
                return (0x60, ByteOneCryptograms);

            case Outcome.OnlineDecline:
                Assert.True(result.Outcome == TransactionOutcome.Declined, trace);
                Assert.StartsWith("issuer declined (51: insufficient funds", result.Reason, StringComparison.Ordinal);
                Assert.True(result.WentOnline && result.Tsi.IssuerAuthenticationPerformed, trace);
                Assert.Equal("51", arc);
                Assert.Equal(0x00, cid & 0xC0);
                Assert.Equal(AdviceKind.Completion, result.Advice?.Kind);
                return (0x20, ByteOneCryptograms);

            case Outcome.OfflineApprove:
                Assert.True(result.Outcome == TransactionOutcome.Approved, trace);
                Assert.Equal("card approved offline (TC)", result.Reason);
                Assert.False(result.WentOnline || result.Tsi.IssuerAuthenticationPerformed, trace);
                Assert.Equal(requestsBefore, host.Requests.Count);
                Assert.Equal("Y1", arc);
                Assert.Equal(0x40, cid & 0xC0);
                Assert.Null(result.Advice);
                return (0x90, ByteOneCryptograms);

            default:
                Assert.True(result.Outcome == TransactionOutcome.Declined, trace);
                Assert.False(result.WentOnline || result.Tsi.IssuerAuthenticationPerformed, trace);
                Assert.Equal(requestsBefore, host.Requests.Count);
                Assert.Null(result.Advice);
                Assert.Equal(0x00, cid & 0xC0);
                switch (row.DeclineRoute)
                {
                    case DeclineRoute.CardAdaPinTryLimit:
                        // The terminal asked for an ARQC (CVM failed); the card's ADA turned it into an AAC.
                        Assert.Equal("card declined offline (AAC)", result.Reason);
                        Assert.Contains(result.Trace.Apdus, a => a.Purpose.StartsWith("first GENERATE AC (ARQC", StringComparison.Ordinal));
                        Assert.Equal("Z1", arc);
                        return (0x80, ByteOneCryptograms);
                    case DeclineRoute.TerminalTacDenial:
                        Assert.Equal("card declined offline (AAC)", result.Reason);
                        Assert.True(result.Tvr.Has(TvrBit.CardOnExceptionFile), trace);
                        Assert.Contains(result.Trace.Apdus, a => a.Purpose == "first GENERATE AC (AAC)");
                        Assert.Equal("Z1", arc);
                        return (0x80, ByteOneCryptograms);
                    default:
                        // TC asked, ARQC answered (over 9F54), no host: Y3 and a TC asked again; the card declines over 9F5C.
                        Assert.Equal("unable to go online; the card declined (AAC)", result.Reason);
                        Assert.Equal("no authorisation client is configured", result.Trace.Authorization?.Failure);
                        Assert.Equal("Y3", arc);
                        return (0x21, ByteOneCryptograms);
                }
        }
    }
}
