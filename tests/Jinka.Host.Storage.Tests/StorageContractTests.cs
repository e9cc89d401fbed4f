using Jinka.Crypto;
using Jinka.Crypto.Emv;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;
using Jinka.Host.Storage.Tests.Infrastructure;

namespace Jinka.Host.Storage.Tests;

/// <summary>
/// The contract of the five issuer stores (the doc comments of ICardRegistry, IAccountStore, IAuthorizationJournal,
/// IPinTryCounter, IScriptStore), run against every implementation: in process memory, SQLite, PostgreSQL.
/// </summary>
public abstract class StorageContractTests : IAsyncLifetime
{
    protected static readonly CardId CardA = CardId.Create("6225880000000001", "01");
    protected static readonly CardId CardB = CardId.Create("6225880000000019", "00");

    protected FixedTime Time { get; } = new();

    protected StoreTarget Target { get; private set; } = null!;

    protected IssuerStorage Storage { get; set; } = null!;

    protected abstract StoreTarget CreateTarget();

    public async Task InitializeAsync()
    {
        Target = CreateTarget();
        Storage = await Target.OpenAsync(Time);
    }

    public async Task DisposeAsync() => await Target.DisposeAsync();

    protected static AuthorizationRecord Authorization(string reference, CardId card, ushort atc, int stan = 1, long amount = 1_000) =>
        new(reference, card, atc, "TERM0001", stan, "000000", amount, "156", new DateTimeOffset(2026, 3, 14, 9, 0, 0, TimeSpan.Zero))
        {
            Arqc = new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 },
            AccountId = "ACC-1",
        };

    // ---- ledger ----

    [ContractFact]
    public async Task Hold_capture_and_reverse_move_balance_and_holds_as_documented()
    {
        var accounts = Storage.Accounts;
        var opened = await accounts.OpenAccountAsync("A", "156", 10_000);
        Assert.Equal(new Account("A", "156", 10_000, 0, 0), opened);

        Assert.Equal(LedgerStatus.Done, (await accounts.PlaceHoldAsync("A", "r1", 3_000, "purchase")).Status);
        var afterHold = (await accounts.FindAsync("A"))!;
        Assert.Equal((10_000L, 3_000L, 7_000L), (afterHold.Balance, afterHold.Held, afterHold.Available));

        var captured = await accounts.CaptureHoldAsync("r1", "completion");
        Assert.Equal(LedgerStatus.Done, captured.Status);
        Assert.Equal((7_000L, 0L), (captured.Account!.Balance, captured.Account.Held));

        var reversed = await accounts.ReverseAsync("r1", "late reversal");
        Assert.Equal(LedgerStatus.Done, reversed.Status);
        Assert.Equal((10_000L, 0L), (reversed.Account!.Balance, reversed.Account.Held));

        var entries = await accounts.GetEntriesAsync("A");
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.Debit, LedgerEntryKind.DebitReversed], entries.Select(e => e.Kind));
        Assert.Equal([10_000L, 3_000L, 3_000L, 3_000L], entries.Select(e => e.Amount));
        Assert.True(entries.Zip(entries.Skip(1)).All(p => p.First.Sequence < p.Second.Sequence), "entries are in store order");
        Assert.All(entries.Skip(1), e => Assert.Equal("r1", e.Reference));
        Assert.All(entries, e => Assert.Equal(Time.Now, e.At));
        Assert.Equal("late reversal", entries[^1].Description);
    }

    [ContractFact]
    public async Task A_released_hold_frees_the_funds_and_cannot_be_captured()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 1_000);
        await accounts.PlaceHoldAsync("A", "r1", 600, "purchase");
        Assert.Equal(LedgerStatus.InsufficientFunds, (await accounts.PlaceHoldAsync("A", "r2", 600, "second")).Status);
        var released = await accounts.ReverseAsync("r1", "reversal");
        Assert.Equal((LedgerStatus.Done, 1_000L, 0L), (released.Status, released.Account!.Balance, released.Account.Held));
        Assert.Equal(LedgerStatus.Reversed, (await accounts.CaptureHoldAsync("r1", "completion")).Status);
        Assert.Equal(LedgerStatus.Done, (await accounts.PlaceHoldAsync("A", "r2", 600, "second")).Status);
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.HoldReleased, LedgerEntryKind.Hold], (await accounts.GetEntriesAsync("A")).Select(e => e.Kind));
    }

    [ContractFact]
    public async Task Every_operation_is_idempotent_per_reference()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 10_000);
        await accounts.PlaceHoldAsync("A", "r1", 3_000, "purchase");
        var again = await accounts.PlaceHoldAsync("A", "r1", 3_000, "purchase");
        Assert.Equal((LedgerStatus.AlreadyDone, 3_000L), (again.Status, again.Account!.Held));
        Assert.Equal(LedgerStatus.Done, (await accounts.ReverseAsync("r1", "reversal")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await accounts.ReverseAsync("r1", "reversal")).Status);
        Assert.Equal(LedgerStatus.Reversed, (await accounts.CaptureHoldAsync("r1", "completion")).Status);
        Assert.Equal(LedgerStatus.Done, (await accounts.CreditAsync("A", "dep-1", 500, "deposit")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await accounts.CreditAsync("A", "dep-1", 500, "deposit")).Status);

        await accounts.PlaceHoldAsync("A", "r2", 100, "purchase");
        Assert.Equal(LedgerStatus.Done, (await accounts.CaptureHoldAsync("r2", "completion")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await accounts.CaptureHoldAsync("r2", "completion")).Status);

        var account = (await accounts.FindAsync("A"))!;
        Assert.Equal((10_400L, 0L), (account.Balance, account.Held));
        Assert.Equal(6, (await accounts.GetEntriesAsync("A")).Count);
    }

    [ContractFact]
    public async Task Insufficient_funds_and_unknown_references_change_nothing()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 1_000, creditLimit: 500);
        var refused = await accounts.PlaceHoldAsync("A", "r1", 1_501, "too much");
        Assert.Equal((LedgerStatus.InsufficientFunds, 1_500L), (refused.Status, refused.Account!.Available));
        Assert.Equal(LedgerStatus.Done, (await accounts.PlaceHoldAsync("A", "r2", 1_500, "all of it")).Status);
        Assert.Equal(-500, (await accounts.FindAsync("A"))!.Balance - (await accounts.FindAsync("A"))!.Held);
        Assert.Equal(LedgerStatus.UnknownAccount, (await accounts.PlaceHoldAsync("B", "r3", 1, "no account")).Status);
        Assert.Equal(LedgerStatus.UnknownReference, (await accounts.ReverseAsync("nope", "x")).Status);
        Assert.Equal(LedgerStatus.UnknownReference, (await accounts.CaptureHoldAsync("nope", "x")).Status);
        Assert.Equal(LedgerStatus.UnknownAccount, (await accounts.CreditAsync("B", "c", 1, "x")).Status);
        Assert.Empty(await accounts.GetEntriesAsync("B"));
        Assert.Null(await accounts.FindAsync("B"));
        Assert.Equal(2, (await accounts.GetEntriesAsync("A")).Count);
    }

    [ContractFact]
    public async Task Bad_account_definitions_and_amounts_are_refused()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 0);
        (string Description, string Id, string Currency, long Opening, long Limit)[] bad =
        [
            ("duplicate account", "A", "156", 0, 0),
            ("empty id", "", "156", 0, 0),
            ("id of 65 characters", new string('x', 65), "156", 0, 0),
            ("currency of letters", "C", "CNY", 0, 0),
            ("currency of 4 digits", "C", "0156", 0, 0),
            ("negative opening balance", "C", "156", -1, 0),
            ("negative credit limit", "C", "156", 0, -1),
        ];
        foreach (var (description, id, currency, opening, limit) in bad)
        {
            var ex = await Assert.ThrowsAsync<LedgerException>(async () => await accounts.OpenAccountAsync(id, currency, opening, limit));
            Assert.False(string.IsNullOrEmpty(ex.Message), description);
        }

        await Assert.ThrowsAsync<LedgerException>(async () => await accounts.PlaceHoldAsync("A", "r", -1, "negative"));
        await Assert.ThrowsAsync<LedgerException>(async () => await accounts.CreditAsync("A", "c", -1, "negative"));
        await Assert.ThrowsAsync<LedgerException>(async () => await accounts.PlaceHoldAsync("A", "", 1, "no reference"));
        Assert.Null(await accounts.FindAsync("C"));
        Assert.Single(await accounts.GetEntriesAsync("A"));
    }

    [ContractFact]
    public async Task Parallel_holds_never_take_an_account_below_its_floor()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 10_000, creditLimit: 1_000);
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(async () => await accounts.PlaceHoldAsync("A", $"h{i}", 300, "parallel"))));

        Assert.Equal(36, results.Count(r => r.Status == LedgerStatus.Done));
        Assert.Equal(28, results.Count(r => r.Status == LedgerStatus.InsufficientFunds));
        var account = (await accounts.FindAsync("A"))!;
        Assert.Equal((10_000L, 10_800L, 200L), (account.Balance, account.Held, account.Available));
        Assert.Equal(37, (await accounts.GetEntriesAsync("A")).Count);
    }

    [ContractFact]
    public async Task Parallel_calls_with_one_reference_take_effect_once()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 10_000);
        var holds = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(async () => await accounts.PlaceHoldAsync("A", "same", 1_000, "parallel"))));
        Assert.Equal(1, holds.Count(r => r.Status == LedgerStatus.Done));
        Assert.Equal(23, holds.Count(r => r.Status == LedgerStatus.AlreadyDone));

        var reversals = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(async () => await accounts.ReverseAsync("same", "parallel"))));
        Assert.Equal(1, reversals.Count(r => r.Status == LedgerStatus.Done));
        var credits = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ => Task.Run(async () => await accounts.CreditAsync("A", "dep", 5, "parallel"))));
        Assert.Equal(1, credits.Count(r => r.Status == LedgerStatus.Done));

        var account = (await accounts.FindAsync("A"))!;
        Assert.Equal((10_005L, 0L), (account.Balance, account.Held));
    }

    // ---- journal ----

    [ContractFact]
    public async Task The_journal_keeps_every_field_and_finds_by_atc_and_trace()
    {
        var journal = Storage.Journal;
        var pending = Authorization("000000000101", CardA, 0x0042, stan: 77);
        Assert.True(await journal.TryAddAsync(pending));
        var approved = pending with
        {
            State = AuthorizationState.Approved,
            ResponseCode = "00",
            ApprovalCode = "000101",
            Reason = "approved: 1000 held",
            HoldPlaced = true,
            ResponseIccData = new byte[] { 0x91, 0x0A, 1, 2, 3, 4, 5, 6, 7, 8, 0x30, 0x30 },
            DeliveredScripts = [0x00000001u, 0xFFFFFFFEu],
            FinalCryptogram = "TC",
        };
        await journal.UpdateAsync(approved);

        var found = (await journal.FindByAtcAsync(CardA, 0x0042))!;
        AssertSame(approved, found);
        AssertSame(approved, (await journal.FindByTraceAsync("TERM0001", 77, CardA))!);
        Assert.Null(await journal.FindByAtcAsync(CardA, 0x0043));
        Assert.Null(await journal.FindByAtcAsync(CardB, 0x0042));
        Assert.Null(await journal.FindByTraceAsync("TERM0002", 77, CardA));
        Assert.Null(await journal.FindByTraceAsync("TERM0001", 77, CardB));
    }

    [ContractFact]
    public async Task Find_by_trace_gives_the_latest_reference()
    {
        var journal = Storage.Journal;
        Assert.True(await journal.TryAddAsync(Authorization("000000000001", CardA, 1, stan: 5)));
        Assert.True(await journal.TryAddAsync(Authorization("000000000003", CardA, 3, stan: 5)));
        Assert.True(await journal.TryAddAsync(Authorization("000000000002", CardA, 2, stan: 5)));
        Assert.Equal("000000000003", (await journal.FindByTraceAsync("TERM0001", 5, CardA))!.Reference);
    }

    [ContractFact]
    public async Task Two_claims_of_one_atc_exactly_one_wins()
    {
        var journal = Storage.Journal;
        var claims = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            Task.Run(async () => (Reference: $"{i:D12}", Won: await journal.TryAddAsync(Authorization($"{i:D12}", CardA, 0x0100, stan: i))))));
        var winner = Assert.Single(claims, c => c.Won);
        Assert.Equal(winner.Reference, (await journal.FindByAtcAsync(CardA, 0x0100))!.Reference);
        Assert.True(await journal.TryAddAsync(Authorization("000000000999", CardB, 0x0100)), "the same ATC on another card is a claim of its own");
    }

    [ContractFact]
    public async Task Pending_authorisations_are_listed_by_reference_and_only_while_pending()
    {
        var journal = Storage.Journal;
        Assert.Empty(await journal.FindPendingAsync());
        var second = Authorization("000000000012", CardB, 7, stan: 12);
        var first = Authorization("000000000011", CardA, 9, stan: 11) with { HoldPlaced = true };
        Assert.True(await journal.TryAddAsync(second));
        Assert.True(await journal.TryAddAsync(first));
        Assert.True(await journal.TryAddAsync(Authorization("000000000013", CardA, 10)));
        await journal.UpdateAsync(Authorization("000000000013", CardA, 10) with { State = AuthorizationState.Approved, ResponseCode = "00" });

        var pending = await journal.FindPendingAsync();
        Assert.Equal(["000000000011", "000000000012"], pending.Select(r => r.Reference));
        AssertSame(first, pending[0]);
        AssertSame(second, pending[1]);
    }

    [ContractFact]
    public async Task Recovery_declines_what_a_stopped_host_left_pending_and_releases_its_holds()
    {
        await Storage.Accounts.OpenAccountAsync("ACC-1", "156", 10_000);
        var journal = Storage.Journal;
        // Stopped after the hold: claimed, held, never decided.
        Assert.True(await journal.TryAddAsync(Authorization("000000000021", CardA, 1, amount: 1_000)));
        Assert.Equal(LedgerStatus.Done, (await Storage.Accounts.PlaceHoldAsync("ACC-1", "000000000021", 1_000, "purchase")).Status);
        // Stopped before the hold.
        Assert.True(await journal.TryAddAsync(Authorization("000000000022", CardB, 1, amount: 2_000)));
        // Finished: approved with its hold, which recovery must leave alone.
        Assert.True(await journal.TryAddAsync(Authorization("000000000023", CardA, 2, amount: 3_000)));
        Assert.Equal(LedgerStatus.Done, (await Storage.Accounts.PlaceHoldAsync("ACC-1", "000000000023", 3_000, "purchase")).Status);
        var approved = Authorization("000000000023", CardA, 2, amount: 3_000) with { State = AuthorizationState.Approved, ResponseCode = "00", HoldPlaced = true };
        await journal.UpdateAsync(approved);

        using var keys = new Jinka.Crypto.Keys.SoftwareKeyStore();
        var issuer = new Issuer(keys, Storage);
        var recovered = await issuer.RecoverAsync();

        Assert.Equal(
            [new RecoveredAuthorization("000000000021", CardA, 1, 1_000, HoldReleased: true), new RecoveredAuthorization("000000000022", CardB, 1, 2_000, HoldReleased: false)],
            recovered);
        foreach (var (card, atc) in new[] { (CardA, (ushort)1), (CardB, (ushort)1) })
        {
            var record = (await journal.FindByAtcAsync(card, atc))!;
            Assert.Equal(AuthorizationState.Declined, record.State);
            Assert.Equal(IssuerResponseCodes.SystemError, record.ResponseCode);
            Assert.Equal(Issuer.HostStoppedReason, record.Reason);
            Assert.False(record.HoldPlaced);
        }

        AssertSame(approved, (await journal.FindByAtcAsync(CardA, 2))!);
        var account = (await Storage.Accounts.FindAsync("ACC-1"))!;
        Assert.Equal((10_000L, 3_000L), (account.Balance, account.Held));
        var entries = await Storage.Accounts.GetEntriesAsync("ACC-1");
        var released = Assert.Single(entries, e => e.Kind == LedgerEntryKind.HoldReleased);
        Assert.Equal(("000000000021", 1_000L, Issuer.HostStoppedReason), (released.Reference, released.Amount, released.Description));
        Assert.Empty(await journal.FindPendingAsync());
        Assert.Empty(await issuer.RecoverAsync());
        Assert.False(await journal.TryAddAsync(Authorization("000000000024", CardA, 1)), "the ATC of a recovered authorisation stays claimed");
    }

    [ContractFact]
    public async Task Updating_an_unknown_authorisation_throws()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(async () => await Storage.Journal.UpdateAsync(Authorization("000000000404", CardA, 1)));
        Assert.Null(await Storage.Journal.FindByAtcAsync(CardA, 1));
    }

    [ContractFact]
    public async Task Sequence_numbers_never_repeat_under_concurrency()
    {
        var numbers = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(async () => await Storage.Journal.NextSequenceAsync())));
        Assert.Equal(500, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.True(n > 0));
        long next = await Storage.Journal.NextSequenceAsync();
        Assert.True(next > numbers.Max(), "numbers given after the others are larger");
    }

    // ---- cards ----

    [ContractFact]
    public async Task Cards_register_replace_and_change_status()
    {
        var cards = Storage.Cards;
        var record = new CardRecord(CardA, SuiteId.Sm, CardKeyLabels.ForCard(CardA), "ACC-1")
        {
            KeyScheme = EmvKeyScheme.EmvCommon,
            PinVerification = new PinVerificationReference("pvk-1", 1, "4321"),
        };
        Assert.True(await cards.RegisterAsync(record));
        Assert.Equal(record, await cards.FindAsync(CardA));
        Assert.Null(await cards.FindAsync(CardB));

        var replaced = record with { AccountId = "ACC-2", PinVerification = null, Suite = SuiteId.International, KeyScheme = EmvKeyScheme.Pboc };
        Assert.False(await cards.RegisterAsync(replaced));
        Assert.Equal(replaced, await cards.FindAsync(CardA));

        Assert.True(await cards.SetStatusAsync(CardA, CardStatus.ApplicationBlocked));
        Assert.Equal(CardStatus.ApplicationBlocked, (await cards.FindAsync(CardA))!.Status);
        Assert.False(await cards.SetStatusAsync(CardB, CardStatus.Blocked));
    }

    // ---- PIN tries ----

    [ContractFact]
    public async Task Pin_tries_count_per_card_and_reset()
    {
        var tries = Storage.PinTries;
        Assert.Equal(0, await tries.GetAsync(CardA));
        Assert.Equal(1, await tries.RecordFailureAsync(CardA));
        Assert.Equal(2, await tries.RecordFailureAsync(CardA));
        Assert.Equal(1, await tries.RecordFailureAsync(CardB));
        Assert.Equal(2, await tries.GetAsync(CardA));
        await tries.ResetAsync(CardA);
        Assert.Equal(0, await tries.GetAsync(CardA));
        Assert.Equal(1, await tries.GetAsync(CardB));

        var counts = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => Task.Run(async () => await tries.RecordFailureAsync(CardA))));
        Assert.Equal(Enumerable.Range(1, 40), counts.Order());
    }

    // ---- scripts ----

    [ContractFact]
    public async Task Scripts_keep_their_commands_and_change_only_while_pending()
    {
        var scripts = Storage.Scripts;
        var pin = new EncryptedPin("pek-1", new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
        var first = await scripts.EnqueueAsync(CardA, ScriptTemplate.BeforeFinalGenerateAc, [ScriptCommand.ApplicationBlock(), ScriptCommand.PinChange(pin)], Time.Now);
        var second = await scripts.EnqueueAsync(CardA, ScriptTemplate.AfterFinalGenerateAc, [ScriptCommand.PutData(new Core.Tlv.Tag(0x9F79), [0, 0, 0, 1, 0, 0])], Time.Now);
        var other = await scripts.EnqueueAsync(CardB, ScriptTemplate.BeforeFinalGenerateAc, [ScriptCommand.CardBlock()], Time.Now);
        Assert.True(first.Id < second.Id && second.Id < other.Id);

        var stored = (await scripts.FindAsync(first.Id))!;
        Assert.Equal((ScriptState.Pending, 0, CardA, ScriptTemplate.BeforeFinalGenerateAc, Time.Now), (stored.State, stored.Deliveries, stored.Card, stored.Template, stored.QueuedAt));
        Assert.Equal(["APPLICATION BLOCK", "PIN CHANGE"], stored.Commands.Select(c => c.Name));
        Assert.Equal([0x84, 0x1E, 0x00, 0x00], new[] { stored.Commands[0].Cla, stored.Commands[0].Ins, stored.Commands[0].P1, stored.Commands[0].P2 });
        Assert.Equal("pek-1", stored.Commands[1].NewPin!.PinKeyLabel);
        Assert.Equal(pin.PinBlock.ToArray(), stored.Commands[1].NewPin!.PinBlock.ToArray());
        var putData = (await scripts.FindAsync(second.Id))!.Commands[0];
        Assert.Equal(("PUT DATA 9F79", (byte)0x9F, (byte)0x79, ScriptTemplate.AfterFinalGenerateAc), (putData.Name, putData.P1, putData.P2, putData.PreferredTemplate));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0, 0 }, putData.Data.ToArray());

        Assert.Equal([first.Id, second.Id], (await scripts.GetPendingAsync(CardA)).Select(s => s.Id));
        var delivered = await scripts.MarkDeliveredAsync(first.Id, "000000000007");
        Assert.True(delivered.Changed);
        Assert.Equal((1, "000000000007", ScriptState.Pending), (delivered.Script!.Deliveries, delivered.Script.LastDeliveryReference, delivered.Script.State));

        var result = new ScriptResult(ScriptOutcome.Succeeded, 0, first.Id);
        var later = Time.Now.AddMinutes(1);
        var finished = await scripts.FinishAsync(first.Id, ScriptState.Succeeded, result, "the terminal reported success", later);
        Assert.True(finished.Changed);
        Assert.Equal((ScriptState.Succeeded, result, "the terminal reported success", (DateTimeOffset?)later), (finished.Script!.State, finished.Script.Result, finished.Script.Reason, finished.Script.FinishedAt));

        var afterEnd = await scripts.MarkDeliveredAsync(first.Id, "000000000008");
        Assert.False(afterEnd.Changed);
        Assert.Equal(1, afterEnd.Script!.Deliveries);
        Assert.False((await scripts.FinishAsync(first.Id, ScriptState.Cancelled, null, "too late", later)).Changed);
        Assert.Equal(ScriptState.Succeeded, (await scripts.FindAsync(first.Id))!.State);

        Assert.Equal([second.Id], (await scripts.GetPendingAsync(CardA)).Select(s => s.Id));
        Assert.Equal([first.Id, second.Id], (await scripts.GetAllAsync(CardA)).Select(s => s.Id));
        Assert.Equal(new ScriptUpdate(null, false), await scripts.MarkDeliveredAsync(9_999, "x"));
        Assert.Null(await scripts.FindAsync(9_999));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scripts.FinishAsync(second.Id, ScriptState.Pending, null, "no", later));
        await Assert.ThrowsAsync<ArgumentException>(async () => await scripts.EnqueueAsync(CardA, ScriptTemplate.AfterFinalGenerateAc, [], Time.Now));
    }

    [ContractFact]
    public async Task Parallel_finishes_of_one_script_change_it_once()
    {
        var script = await Storage.Scripts.EnqueueAsync(CardA, ScriptTemplate.BeforeFinalGenerateAc, [ScriptCommand.ApplicationUnblock()], Time.Now);
        var updates = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
            await Storage.Scripts.FinishAsync(script.Id, i % 2 == 0 ? ScriptState.Failed : ScriptState.Cancelled, null, $"finisher {i}", Time.Now))));
        var winner = Assert.Single(updates, u => u.Changed);
        Assert.Equal(winner.Script!.Reason, (await Storage.Scripts.FindAsync(script.Id))!.Reason);
    }

    protected static void AssertSame(AuthorizationRecord expected, AuthorizationRecord actual)
    {
        Assert.Equal(
            (expected.Reference, expected.Card, expected.Atc, expected.TerminalId, expected.Stan, expected.ProcessingCode, expected.Amount, expected.Currency, expected.At),
            (actual.Reference, actual.Card, actual.Atc, actual.TerminalId, actual.Stan, actual.ProcessingCode, actual.Amount, actual.Currency, actual.At));
        Assert.Equal(
            (expected.State, expected.ResponseCode, expected.ApprovalCode, expected.Reason, expected.AccountId, expected.HoldPlaced, expected.FinalCryptogram),
            (actual.State, actual.ResponseCode, actual.ApprovalCode, actual.Reason, actual.AccountId, actual.HoldPlaced, actual.FinalCryptogram));
        Assert.Equal(expected.Arqc.ToArray(), actual.Arqc.ToArray());
        Assert.Equal(expected.ResponseIccData.ToArray(), actual.ResponseIccData.ToArray());
        Assert.Equal(expected.DeliveredScripts, actual.DeliveredScripts);
    }
}

public sealed class InMemoryStorageTests : StorageContractTests
{
    protected override StoreTarget CreateTarget() => new InMemoryTarget();
}
