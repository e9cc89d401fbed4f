using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// The issuer decides, but its answer never reaches the terminal (a timeout, a dropped connection): the terminal
/// goes on as "unable to go online" (Y3/Z3). The issuer may have placed a hold, so the terminal must tell it how the
/// transaction ended — a reversal when it did not end approved, a completion when the card approved offline
/// (choice P49) — or the hold stays open for ever.
/// </summary>
public class LostResponseTests
{
    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_lost_approval_declined_offline_is_reversed(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var opening = await h.AccountAsync();
        var host = new LosingHost(h.Issuer);

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: host);

        // TAC-Default names "floor limit exceeded": Z3, the card declines.
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.StartsWith("unable to go online; declined offline (Z3", result.Reason, StringComparison.Ordinal);
        Assert.Equal("response lost", result.Trace.Authorization?.Failure);
        Assert.Equal("00", host.Lost.Single().ResponseCode);
        Assert.Equal(AdviceKind.Reversal, result.Advice?.Kind);
        var account = await h.AccountAsync();
        Assert.Equal((opening.Balance, 0L), (account.Balance, account.Held));
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.HoldReleased], (await h.LedgerAsync()).Select(e => e.Kind));
        Assert.Equal(AuthorizationState.Reversed, h.Journal.Records.Single().State);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_lost_approval_approved_offline_is_completed(string profile)
    {
        // Signature, under the floor limit: the TVR stays clean, the new card asks for an ARQC itself (P10), and with the
        // answer lost no default code matches: Y3, and the card approves within its upper limits (P27).
        await using var h = await Harness.IssueAsync(profile, new HarnessOptions { Adjust = p => p with { CvmList = Core.Hex.Parse("00000000000000001E00") } });
        var opening = await h.AccountAsync();
        var host = new LosingHost(h.Issuer);

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Bypass, new TerminalConfig { FloorLimit = 10_000 }, host);

        // The completion captures the hold the issuer placed.
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("Y3", result.Arc());
        Assert.Equal(AdviceKind.Completion, result.Advice?.Kind);
        var account = await h.AccountAsync();
        Assert.Equal((opening.Balance - 1234, 0L), (account.Balance, account.Held));
        Assert.Equal(AuthorizationState.Completed, h.Journal.Records.Single().State);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_request_that_never_arrived_is_reversed_harmlessly(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var opening = await h.AccountAsync();
        var host = new LosingHost(h.Issuer) { DropRequests = true };

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: host);

        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal(AdviceKind.Reversal, result.Advice?.Kind);
        Assert.Empty(h.Journal.Records);
        Assert.Equal(opening, await h.AccountAsync());
        Assert.Contains(h.Issuer.Events.Snapshot(), e => e.Kind == IssuerEventKind.AdviceUnknownOriginal);
    }

    /// <summary>Forwards the request to the issuer (unless told to drop it) and loses the answer.</summary>
    private sealed class LosingHost(IAuthorizationClient issuer) : IAuthorizationClient
    {
        public bool DropRequests { get; init; }

        public List<AuthorizationResponse> Lost { get; } = [];

        public async ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
        {
            if (!DropRequests)
            {
                Lost.Add(await issuer.AuthorizeAsync(request, cancellationToken));
            }

            throw new OnlineException("response lost");
        }

        public ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default) => issuer.AdviseAsync(advice, cancellationToken);
    }
}
