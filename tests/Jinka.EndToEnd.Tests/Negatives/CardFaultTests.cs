using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// A card (or reader) that goes wrong at the N-th command, for every N of a full online CDA purchase: garbage data
/// with 9000, one bit flipped in the data, or "card removed". The kernel must end every transaction with an outcome and a reason (never an
/// exception), and the issuer's books must agree with the outcome: captured when approved; when the issuer had
/// approved but the transaction did not end approved, a reversal releases the hold (P47).
/// </summary>
public class CardFaultTests
{
    [Theory]
    [InlineData("pboc-debit-intl", CardFault.Garbage)]
    [InlineData("pboc-debit-intl", CardFault.Removed)]
    [InlineData("pboc-debit-intl", CardFault.BitFlip)]
    [InlineData("pboc-debit-sm", CardFault.Garbage)]
    [InlineData("pboc-debit-sm", CardFault.Removed)]
    [InlineData("pboc-debit-sm", CardFault.BitFlip)]
    public async Task A_fault_at_any_command_ends_cleanly_and_the_books_agree(string profile, CardFault fault)
    {
        await using var h = await Harness.IssueAsync(profile);
        const long Amount = 1234;
        var baseline = await h.RunAsync(new TransactionRequest(Amount), PinEntry.Fixed(h.Profile.Pin));
        Assert.True(baseline.IsApproved, baseline.Trace.ToJson());
        int commands = baseline.Trace.Apdus.Count;
        Assert.InRange(commands, 10, 40);

        int reversals = 0, approvals = 0;
        for (int n = 1; n <= commands; n++)
        {
            var before = await h.AccountAsync();
            var host = new HostTap(h.Issuer);
            FaultyTransport? faulty = null;
            var result = await h.RunAsync(
                new TransactionRequest(Amount) { SequenceCounter = n + 1 },
                PinEntry.Fixed(h.Profile.Pin),
                host: host,
                wrapTransport: reader => faulty = new FaultyTransport(reader, n, fault));

            string where = $"{fault} at command {n} ({faulty?.Hit?.ToString() ?? "never reached"}): {result}";
            Assert.False(string.IsNullOrWhiteSpace(result.Reason), where);
            Assert.Equal(result.Outcome.ToString(), result.Trace.Outcome);
            Assert.NotNull(faulty?.Hit);
            if (fault == CardFault.Removed)
            {
                Assert.True(result.Outcome == TransactionOutcome.Terminated, where);
                Assert.Contains("card removed", result.Reason, StringComparison.Ordinal);
            }

            var after = await h.AccountAsync();
            Assert.True(after.Held == 0, $"{where}: {after.Held} still held");
            bool hostApproved = host.Responses.Count == 1 && host.Responses[0].IsApproved;
            if (result.IsApproved)
            {
                approvals++;
                Assert.True(hostApproved, where);
                Assert.True(before.Balance - Amount == after.Balance, $"{where}: not captured");
                Assert.Equal(AdviceKind.Completion, host.Advices.Single().Kind);
                continue;
            }

            Assert.True(before.Balance == after.Balance, $"{where}: money moved for a transaction that did not end approved");
            if (hostApproved)
            {
                reversals++;
                Assert.True(host.Advices.Single().Kind == AdviceKind.Reversal, where);
                Assert.Equal(AuthorizationState.Reversed, h.Journal.Records[^1].State);
            }
        }

        // Every fault before the issuer answered declines without it; the ones after it (EXTERNAL AUTHENTICATE, the
        // second GENERATE AC) reach the issuer as reversals, unless garbage happened to pass as a success.
        Assert.True(reversals >= (fault == CardFault.Removed ? 2 : 1), $"{reversals} reversals");
        if (fault == CardFault.Removed)
        {
            Assert.Equal(0, approvals);
        }
    }
}
