using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// A wrong ARPC (one bit of 91 flipped between the issuer and the kernel): EXTERNAL AUTHENTICATE answers 6300, TVR
/// "issuer authentication failed", the card's CVR says so. After online processing the kernel does not run action
/// analysis again (EMV Book 3 §10.9): it asks for what the issuer answered and the card's ADA decides (P26). With
/// the shipped ADA (byte 1 b7) the card declines and the issuer receives a reversal; without b7 the card accepts,
/// and the next transaction reports the failure (CVR byte 2 b4) and must go online (P10).
/// </summary>
public class IssuerAuthenticationTests
{
    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_wrong_arpc_with_ada_b7_makes_the_card_decline_and_the_issuer_reverses(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var host = new HostTap(h.Issuer, HostTap.CorruptArpc);
        var opening = await h.AccountAsync();

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: host);

        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("issuer approved (00) but the card declined (AAC)", result.Reason);
        Assert.True(result.Tvr.IssuerAuthenticationFailed);
        Assert.True(result.Tsi.IssuerAuthenticationPerformed);
        Assert.Equal("6300", result.Trace.Apdus.Single(a => a.Purpose == "EXTERNAL AUTHENTICATE").StatusWord);
        Assert.Equal("AAC", result.Cryptogram());
        Assert.Equal(0x08, result.Cvr(first: false)[0] & 0x08);
        Assert.Equal(0, result.Cvr(first: true)[0] & 0x08);

        Assert.Equal(AdviceKind.Reversal, result.Advice?.Kind);
        Assert.Single(host.Advices);
        var account = await h.AccountAsync();
        Assert.Equal(opening.Balance, account.Balance);
        Assert.Equal(0, account.Held);
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.HoldReleased], (await h.LedgerAsync()).Select(e => e.Kind));
        Assert.Equal(AuthorizationState.Reversed, h.Journal.Records.Single().State);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_wrong_arpc_without_ada_b7_is_accepted_and_reported_next_time(string profile)
    {
        await using var h = await Harness.IssueAsync(profile, new HarnessOptions
        {
            // Signature as CVM, so that only the card's risk management can send the last purchase online.
            Adjust = p => p with { Risk = p.Risk with { ApplicationDefaultAction = [0x20, 0x10] }, CvmList = Core.Hex.Parse("00000000000000001E00") },
        });
        // A first online transaction so the card is not new (9F13 set) and would approve small amounts offline.
        Assert.True((await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin))).IsApproved);
        var opening = await h.AccountAsync();

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: new HostTap(h.Issuer, HostTap.CorruptArpc));

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.True(result.Tvr.IssuerAuthenticationFailed);
        Assert.Equal(0x08, result.Cvr(first: false)[0] & 0x08);
        Assert.Equal(AdviceKind.Completion, result.Advice?.Kind);
        Assert.Equal(opening.Balance - 1234, (await h.AccountAsync()).Balance);

        // Next: an amount the terminal would approve offline; the card insists on going online and reports the failure.
        var next = await h.RunAsync(new TransactionRequest(1000), PinEntry.Fixed(h.Profile.Pin), new TerminalConfig { FloorLimit = 10_000 });
        Assert.True(next.IsApproved, next.ToString());
        Assert.True(next.WentOnline, "the card must turn the TC request into an ARQC after a failed issuer authentication");
        Assert.True(ResultReading.GenerateAc(next.Trace, first: true)!.Purpose.StartsWith("first GENERATE AC (TC", StringComparison.Ordinal), next.Trace.ToJson());
        Assert.Equal(0x08, next.Cvr(first: true)[1] & 0x08);
        Assert.False(next.Tvr.IssuerAuthenticationFailed);
    }
}
