using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;

namespace Jinka.Host.Tests.Issuing;

public sealed class AdviceTests : IDisposable
{
    private static readonly byte[] s_tvrAfter = Hex.Parse("0000000000");
    private static readonly byte[] s_cvrTc = Hex.Parse("03640000");
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task Completion_with_a_valid_tc_captures_the_hold_and_verifies_the_tc()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(3_000);
        await _harness.AuthorizeAsync(transaction);

        var outcome = await _harness.Issuer.HandleAdviceAsync(Completion(transaction, 0x40, card.FinalCryptogram(transaction, s_tvrAfter, s_cvrTc)));

        var account = await _harness.AccountAsync(card);
        Assert.Equal((97_000L, 0L), (account.Balance, account.Held));
        Assert.Equal(AuthorizationState.Completed, outcome.Record!.State);
        Assert.Equal("TC", outcome.Record.FinalCryptogram);
        Assert.Equal([IssuerEventKind.FinalCryptogramVerified, IssuerEventKind.Completed], outcome.Events.Select(e => e.Kind));
        Assert.Equal(
            [LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.Debit],
            (await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card))).Select(e => e.Kind));
    }

    [Fact]
    public async Task A_tc_that_does_not_verify_is_flagged_but_the_completion_still_posts()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(3_000);
        await _harness.AuthorizeAsync(transaction);
        byte[] tc = card.FinalCryptogram(transaction, s_tvrAfter, s_cvrTc);
        tc[0] ^= 0x80;

        var outcome = await _harness.Issuer.HandleAdviceAsync(Completion(transaction, 0x40, tc));

        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.FinalCryptogramInvalid);
        Assert.Equal(97_000, (await _harness.AccountAsync(card)).Balance);
    }

    [Fact]
    public async Task Completion_with_an_aac_releases_the_hold()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(3_000);
        await _harness.AuthorizeAsync(transaction);

        var outcome = await _harness.Issuer.HandleAdviceAsync(Completion(transaction, 0x00, card.FinalCryptogram(transaction, s_tvrAfter, Hex.Parse("03240000"))));

        var account = await _harness.AccountAsync(card);
        Assert.Equal((100_000L, 0L), (account.Balance, account.Held));
        Assert.Equal(AuthorizationState.DeclinedByCard, outcome.Record!.State);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.DeclinedByCard);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.FinalCryptogramVerified);
    }

    [Fact]
    public async Task An_advice_for_a_replayed_atc_from_another_terminal_leaves_the_original_alone()
    {
        var card = await _harness.AddCardAsync();
        var original = card.Transact(3_000, atc: 7);
        Assert.Equal("00", (await _harness.AuthorizeAsync(original)).Response.ResponseCode);

        // Another terminal sends the same card with the same ATC: declined 94, and its reversal must not undo the first.
        var replay = card.Transact(1_000, atc: 7);
        replay.TerminalId = "TERM0002";
        Assert.Equal("94", (await _harness.AuthorizeAsync(replay)).Response.ResponseCode);
        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Reversal, replay.Request, default));

        Assert.Null(outcome.Record);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.AdviceUnknownOriginal);
        Assert.Equal(3_000, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_repeated_completion_changes_nothing()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(3_000);
        await _harness.AuthorizeAsync(transaction);
        var completion = Completion(transaction, 0x40, card.FinalCryptogram(transaction, s_tvrAfter, s_cvrTc));
        await _harness.Issuer.AdviseAsync(completion);
        var again = await _harness.Issuer.HandleAdviceAsync(completion);
        Assert.Equal(IssuerEventKind.AdviceRepeated, Assert.Single(again.Events).Kind);
        Assert.Equal(97_000, (await _harness.AccountAsync(card)).Balance);
    }

    [Fact]
    public async Task Reversal_restores_the_balance_and_is_idempotent()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(4_000);
        await _harness.AuthorizeAsync(transaction);
        Assert.Equal(96_000, (await _harness.AccountAsync(card)).Available);
        var reversal = new TransactionAdvice(AdviceKind.Reversal, transaction.Request, Tlv((0x9F36, SimulatedCard.AtcBytes(transaction.Atc))));

        var first = await _harness.Issuer.HandleAdviceAsync(reversal);
        var second = await _harness.Issuer.HandleAdviceAsync(reversal);
        await _harness.Issuer.AdviseAsync(reversal);

        var account = await _harness.AccountAsync(card);
        Assert.Equal((100_000L, 0L, 100_000L), (account.Balance, account.Held, account.Available));
        Assert.Equal(IssuerEventKind.Reversed, Assert.Single(first.Events).Kind);
        Assert.Equal(IssuerEventKind.AdviceRepeated, Assert.Single(second.Events).Kind);
        Assert.Equal(AuthorizationState.Reversed, first.Record!.State);
        Assert.Single(await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card)), e => e.Kind == LedgerEntryKind.HoldReleased);
    }

    [Fact]
    public async Task Reversal_after_completion_credits_the_debit_back_once()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(4_000);
        await _harness.AuthorizeAsync(transaction);
        await _harness.Issuer.AdviseAsync(Completion(transaction, 0x40, card.FinalCryptogram(transaction, s_tvrAfter, s_cvrTc)));
        Assert.Equal(96_000, (await _harness.AccountAsync(card)).Balance);

        var reversal = new TransactionAdvice(AdviceKind.Reversal, transaction.Request, default);
        await _harness.Issuer.AdviseAsync(reversal);
        await _harness.Issuer.AdviseAsync(reversal);

        Assert.Equal(100_000, (await _harness.AccountAsync(card)).Balance);
        Assert.Single(await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card)), e => e.Kind == LedgerEntryKind.DebitReversed);
    }

    [Fact]
    public async Task Reversal_of_an_unknown_original_is_a_logged_no_op()
    {
        var card = await _harness.AddCardAsync();
        var neverSent = card.Transact(4_000);

        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Reversal, neverSent.Request, default));
        await _harness.Issuer.AdviseAsync(new TransactionAdvice(AdviceKind.Completion, neverSent.Request, default));

        Assert.Null(outcome.Record);
        var unknown = Assert.Single(outcome.Events);
        Assert.Equal(IssuerEventKind.AdviceUnknownOriginal, unknown.Kind);
        Assert.Contains("nothing to undo", unknown.Message, StringComparison.Ordinal);
        Assert.Equal(100_000, (await _harness.AccountAsync(card)).Available);
    }

    [Fact]
    public async Task The_original_is_found_by_terminal_and_stan_when_its_chip_data_is_unreadable()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(4_000);
        await _harness.AuthorizeAsync(transaction);
        var reversal = new TransactionAdvice(AdviceKind.Reversal, transaction.RequestWith(Hex.Parse("9F36")), Hex.Parse("DF3105"));

        var outcome = await _harness.Issuer.HandleAdviceAsync(reversal);

        Assert.Equal([IssuerEventKind.AdviceMalformed, IssuerEventKind.Reversed], outcome.Events.Select(e => e.Kind));
        Assert.Equal(100_000, (await _harness.AccountAsync(card)).Available);
    }

    [Fact]
    public async Task Reversal_of_a_declined_authorisation_has_nothing_to_undo()
    {
        var card = await _harness.AddCardAsync(balance: 10);
        var transaction = card.Transact(4_000);
        Assert.Equal("51", (await _harness.AuthorizeAsync(transaction)).Response.ResponseCode);
        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Reversal, transaction.Request, default));
        Assert.Contains("nothing had been held", Assert.Single(outcome.Events).Message, StringComparison.Ordinal);
        Assert.Equal(10, (await _harness.AccountAsync(card)).Balance);
    }

    [Fact]
    public async Task Script_results_mark_scripts_done_or_failed_and_keep_unperformed_ones_pending()
    {
        var card = await _harness.AddCardAsync();
        var id = CardId.Create(card.Pan);
        var ok = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.ApplicationBlock());
        var bad = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.PutData(new Tag(0x9F79), new byte[6]), ScriptCommand.PutData(new Tag(0x9F14), [0x03]));
        var skipped = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.PutData(new Tag(0x9F23), [0x05]));
        var silent = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.CardBlock());
        var transaction = card.Transact(100);
        Assert.Equal(4, (await _harness.AuthorizeAsync(transaction)).DeliveredScripts.Count);

        // One DF31 for two results, another DF31 for the third (terminals do both); nothing about the fourth.
        byte[] field55 = Tlv(
            (0x9F27, [0x40]),
            (0xDF31, [.. new ScriptResult(ScriptOutcome.Succeeded, 0, ok.Id).Encode(), .. new ScriptResult(ScriptOutcome.Failed, 2, bad.Id).Encode()]),
            (0xDF31, new ScriptResult(ScriptOutcome.NotPerformed, 0, skipped.Id).Encode()),
            (0xDF31, new ScriptResult(ScriptOutcome.Succeeded, 0, 0x00ABCDEF).Encode()));
        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Completion, transaction.Request, field55));

        Assert.Equal(ScriptState.Succeeded, (await _harness.Storage.Scripts.FindAsync(ok.Id))!.State);
        var failed = (await _harness.Storage.Scripts.FindAsync(bad.Id))!;
        Assert.Equal(ScriptState.Failed, failed.State);
        Assert.Equal(2, failed.Result!.Value.FailedCommand);
        Assert.Contains("PUT DATA 9F14", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(ScriptState.Pending, (await _harness.Storage.Scripts.FindAsync(skipped.Id))!.State);
        Assert.Equal(ScriptState.Pending, (await _harness.Storage.Scripts.FindAsync(silent.Id))!.State);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptSucceeded && e.ScriptId == ok.Id);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptFailed && e.ScriptId == bad.Id);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptNotPerformed && e.ScriptId == skipped.Id);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptNotPerformed && e.ScriptId == silent.Id);
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptResultUnknown && e.ScriptId == 0x00ABCDEF);

        // The pending ones go out again with the next transaction, under its own ATC.
        var next = card.Transact(100);
        var decision = await _harness.AuthorizeAsync(next);
        Assert.Equal([skipped.Id, silent.Id], decision.DeliveredScripts.Select(s => s.Id).Order());
        foreach (var template in ResponseChipData.Parse(decision.Response).Templates)
        {
            Assert.All(ResponseChipData.Commands(template), c => Assert.NotNull(card.VerifyScriptCommand(c, next)));
        }
    }

    [Fact]
    public async Task A_script_result_for_another_cards_script_is_ignored()
    {
        var card = await _harness.AddCardAsync();
        var other = await _harness.AddCardAsync(pan: "6225880000000019");
        var theirs = await _harness.Issuer.QueueScriptAsync(CardId.Create(other.Pan), ScriptCommand.CardBlock());
        var transaction = card.Transact(100);
        await _harness.AuthorizeAsync(transaction);
        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Completion, transaction.Request, Tlv((0xDF31, new ScriptResult(ScriptOutcome.Succeeded, 0, theirs.Id).Encode()))));
        Assert.Contains(outcome.Events, e => e.Kind == IssuerEventKind.ScriptResultUnknown);
        Assert.Equal(ScriptState.Pending, (await _harness.Storage.Scripts.FindAsync(theirs.Id))!.State);
    }

    [Theory]
    [InlineData("DF31 of 4 bytes", "DF3104 20000000")]
    [InlineData("DF31 outcome nibble 3", "DF3105 3000000001")]
    public async Task Malformed_script_results_are_reported_and_the_advice_still_applies(string description, string field55)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        await _harness.AuthorizeAsync(transaction);
        var outcome = await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Completion, transaction.Request, Hex.Parse(field55.Replace(" ", string.Empty, StringComparison.Ordinal))));
        Assert.Equal(IssuerEventKind.AdviceMalformed, outcome.Events[0].Kind);
        Assert.Equal(AuthorizationState.Completed, outcome.Record!.State);
    }

    [Fact]
    public async Task A_store_failure_during_an_advice_surfaces_as_an_online_exception()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        await _harness.AuthorizeAsync(transaction);
        var broken = new Issuer(_harness.Keys, _harness.Storage with { Accounts = new ThrowingAccounts() });
        await Assert.ThrowsAsync<OnlineException>(async () => await broken.AdviseAsync(new TransactionAdvice(AdviceKind.Reversal, transaction.Request, default)));
    }

    [Fact]
    public void Script_results_round_trip_through_their_encoding()
    {
        var result = new ScriptResult(ScriptOutcome.Failed, 3, 0x01020304);
        Assert.Equal("1301020304", Hex.Encode(result.Encode()));
        Assert.True(ScriptResult.TryParse(result.Encode(), out var back, out _));
        Assert.Equal(result, back);
        Assert.False(ScriptResult.TryParseAll([], out _, out string? error));
        Assert.Contains("multiple of 5", error, StringComparison.Ordinal);
    }

    private static TransactionAdvice Completion(ChipTransaction transaction, byte cid, byte[] cryptogram)
    {
        var card = transaction.Card;
        byte[] iad = [0x07, card.Dki, 0x01, .. (cid == 0x40 ? s_cvrTc : Hex.Parse("03240000")), card.Suite.AlgorithmIdentifier];
        return new TransactionAdvice(AdviceKind.Completion, transaction.Request, Tlv(
            (0x9F26, cryptogram), (0x9F27, [cid]), (0x95, s_tvrAfter), (0x9F36, SimulatedCard.AtcBytes(transaction.Atc)), (0x9F10, iad)));
    }

    private static byte[] Tlv(params (uint Tag, byte[] Value)[] elements)
    {
        using var writer = new TlvWriter();
        foreach (var (tag, value) in elements)
        {
            writer.WritePrimitive(new Tag(tag), value);
        }

        return writer.ToArray();
    }

    private sealed class ThrowingAccounts : IAccountStore
    {
        public ValueTask<Account> OpenAccountAsync(string accountId, string currency, long openingBalance, long creditLimit = 0, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<Account?> FindAsync(string accountId, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<LedgerResult> PlaceHoldAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<LedgerResult> CaptureHoldAsync(string reference, string description, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<LedgerResult> ReverseAsync(string reference, string description, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<LedgerResult> CreditAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default) => throw new IOException("ledger down");

        public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string accountId, CancellationToken cancellationToken = default) => throw new IOException("ledger down");
    }
}
