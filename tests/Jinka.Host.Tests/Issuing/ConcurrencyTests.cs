using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;

namespace Jinka.Host.Tests.Issuing;

public sealed class ConcurrencyTests : IDisposable
{
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Parallel_authorisations_on_one_account_never_overdraw_it()
    {
        var card = await _harness.AddCardAsync(balance: 50_000);
        var transactions = Enumerable.Range(0, 200).Select(_ => card.Transact(1_000)).ToArray();

        var responses = await Task.WhenAll(transactions.Select(t => Task.Run(async () => await _harness.Issuer.AuthorizeAsync(t.Request))));

        Assert.Equal(50, responses.Count(r => r.ResponseCode == "00"));
        Assert.Equal(150, responses.Count(r => r.ResponseCode == "51"));
        var account = await _harness.AccountAsync(card);
        Assert.Equal((50_000L, 50_000L, 0L), (account.Balance, account.Held, account.Available));
        var entries = await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card));
        Assert.Equal(50, entries.Count(e => e.Kind == LedgerEntryKind.Hold));
        Assert.Equal(50, responses.Select(r => r.ApprovalCode).Where(c => c is not null).Distinct().Count());
    }

    [Fact]
    public async Task Parallel_copies_of_one_arqc_are_approved_once()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(1_000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () => await _harness.Issuer.AuthorizeAsync(transaction.Request))));

        Assert.Single(responses, r => r.ResponseCode == "00");
        Assert.Equal(31, responses.Count(r => r.ResponseCode == "94"));
        Assert.Equal(1_000, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task Parallel_reversals_and_authorisations_keep_the_books_balanced()
    {
        var card = await _harness.AddCardAsync(balance: 30_000);
        var transactions = Enumerable.Range(0, 60).Select(_ => card.Transact(500)).ToArray();
        await Task.WhenAll(transactions.Select(t => Task.Run(async () => await _harness.Issuer.AuthorizeAsync(t.Request))));

        // Reverse every other one, each reversal sent three times at once.
        var reversals = transactions.Where((_, i) => i % 2 == 0)
            .SelectMany(t => Enumerable.Repeat(new TransactionAdvice(AdviceKind.Reversal, t.Request, default), 3));
        await Task.WhenAll(reversals.Select(a => Task.Run(async () => await _harness.Issuer.AdviseAsync(a))));

        var account = await _harness.AccountAsync(card);
        var entries = await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card));
        long held = entries.Where(e => e.Kind == LedgerEntryKind.Hold).Sum(e => e.Amount) - entries.Where(e => e.Kind == LedgerEntryKind.HoldReleased).Sum(e => e.Amount);
        Assert.Equal(held, account.Held);
        Assert.Equal(30 * 500, account.Held);
        Assert.Equal(30, entries.Count(e => e.Kind == LedgerEntryKind.HoldReleased));
        Assert.All(((InMemoryAuthorizationJournal)_harness.Storage.Journal).Records, r =>
            Assert.Equal(transactions.Select((t, i) => (t.Atc, i)).Single(x => x.Atc == r.Atc).i % 2 == 0 ? AuthorizationState.Reversed : AuthorizationState.Approved, r.State));
    }
}
