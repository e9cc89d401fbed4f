using Jinka.Host.Ledger;

namespace Jinka.Host.Tests.Ledger;

public class InMemoryAccountStoreTests
{
    private readonly InMemoryAccountStore _store = new(new FixedTime());

    [Fact]
    public async Task Hold_capture_and_reverse_move_balance_and_holds_as_documented()
    {
        await _store.OpenAccountAsync("A", "156", 10_000);

        Assert.Equal(LedgerStatus.Done, (await _store.PlaceHoldAsync("A", "r1", 3_000, "purchase")).Status);
        var afterHold = (await _store.FindAsync("A"))!;
        Assert.Equal((10_000L, 3_000L, 7_000L), (afterHold.Balance, afterHold.Held, afterHold.Available));

        var captured = await _store.CaptureHoldAsync("r1", "completion");
        Assert.Equal(LedgerStatus.Done, captured.Status);
        Assert.Equal((7_000L, 0L), (captured.Account!.Balance, captured.Account.Held));

        var reversed = await _store.ReverseAsync("r1", "late reversal");
        Assert.Equal(LedgerStatus.Done, reversed.Status);
        Assert.Equal(10_000, reversed.Account!.Balance);

        var entries = await _store.GetEntriesAsync("A");
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.Debit, LedgerEntryKind.DebitReversed], entries.Select(e => e.Kind));
        Assert.Equal([1L, 2L, 3L, 4L], entries.Select(e => e.Sequence));
        Assert.All(entries.Skip(1), e => Assert.Equal("r1", e.Reference));
    }

    [Fact]
    public async Task Every_operation_is_idempotent_per_reference()
    {
        await _store.OpenAccountAsync("A", "156", 10_000);
        await _store.PlaceHoldAsync("A", "r1", 3_000, "purchase");
        Assert.Equal(LedgerStatus.AlreadyDone, (await _store.PlaceHoldAsync("A", "r1", 3_000, "purchase")).Status);
        Assert.Equal(LedgerStatus.Done, (await _store.ReverseAsync("r1", "reversal")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await _store.ReverseAsync("r1", "reversal")).Status);
        Assert.Equal(LedgerStatus.Reversed, (await _store.CaptureHoldAsync("r1", "completion")).Status);
        Assert.Equal(LedgerStatus.Done, (await _store.CreditAsync("A", "dep-1", 500, "deposit")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await _store.CreditAsync("A", "dep-1", 500, "deposit")).Status);

        var account = (await _store.FindAsync("A"))!;
        Assert.Equal((10_500L, 0L), (account.Balance, account.Held));
        Assert.Equal(4, (await _store.GetEntriesAsync("A")).Count);
    }

    [Fact]
    public async Task Insufficient_funds_and_unknown_references_change_nothing()
    {
        await _store.OpenAccountAsync("A", "156", 1_000, creditLimit: 500);
        Assert.Equal(LedgerStatus.InsufficientFunds, (await _store.PlaceHoldAsync("A", "r1", 1_501, "too much")).Status);
        Assert.Equal(LedgerStatus.Done, (await _store.PlaceHoldAsync("A", "r2", 1_500, "all of it")).Status);
        Assert.Equal(-500, (await _store.FindAsync("A"))!.Balance - (await _store.FindAsync("A"))!.Held);
        Assert.Equal(LedgerStatus.UnknownAccount, (await _store.PlaceHoldAsync("B", "r3", 1, "no account")).Status);
        Assert.Equal(LedgerStatus.UnknownReference, (await _store.ReverseAsync("nope", "x")).Status);
        Assert.Equal(LedgerStatus.UnknownReference, (await _store.CaptureHoldAsync("nope", "x")).Status);
        Assert.Equal(LedgerStatus.UnknownAccount, (await _store.CreditAsync("B", "c", 1, "x")).Status);
        Assert.Empty(await _store.GetEntriesAsync("B"));
        Assert.Null(await _store.FindAsync("B"));
    }

    [Theory]
    [InlineData("duplicate account", "A", "156", 0L, 0L)]
    [InlineData("empty id", "", "156", 0L, 0L)]
    [InlineData("currency of letters", "C", "CNY", 0L, 0L)]
    [InlineData("currency of 4 digits", "C", "0156", 0L, 0L)]
    [InlineData("negative opening balance", "C", "156", -1L, 0L)]
    [InlineData("negative credit limit", "C", "156", 0L, -1L)]
    public async Task Bad_account_definitions_are_refused(string description, string id, string currency, long opening, long creditLimit)
    {
        _ = description;
        await _store.OpenAccountAsync("A", "156", 0);
        await Assert.ThrowsAsync<LedgerException>(async () => await _store.OpenAccountAsync(id, currency, opening, creditLimit));
    }

    [Fact]
    public async Task Negative_amounts_are_refused()
    {
        await _store.OpenAccountAsync("A", "156", 100);
        await Assert.ThrowsAsync<LedgerException>(async () => await _store.PlaceHoldAsync("A", "r", -1, "x"));
        await Assert.ThrowsAsync<LedgerException>(async () => await _store.CreditAsync("A", "r", -1, "x"));
    }

    [Fact]
    public async Task Parallel_holds_never_take_the_account_below_zero()
    {
        await _store.OpenAccountAsync("A", "156", 10_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => Task.Run(async () => await _store.PlaceHoldAsync("A", $"r{i}", 300, "x"))));
        Assert.Equal(33, results.Count(r => r.Status == LedgerStatus.Done));
        Assert.Equal(100, (await _store.FindAsync("A"))!.Available);
    }
}
