using System.Text.Json;
using Jinka.Crypto;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;
using Jinka.Host.Storage.Tests.Infrastructure;

namespace Jinka.Host.Storage.Tests;

/// <summary>What only a durable store promises: everything survives a reopen, commits are visible to another
/// connection as soon as a call returns, and the double-entry books balance.</summary>
public abstract class DurableStorageContractTests : StorageContractTests
{
    [ContractFact]
    public async Task Everything_is_there_after_close_and_reopen()
    {
        var card = new CardRecord(CardA, SuiteId.International, CardKeyLabels.ForCard(CardA), "A") { PinVerification = new("pvk", 0, "1234") };
        await Storage.Cards.RegisterAsync(card);
        await Storage.Accounts.OpenAccountAsync("A", "156", 5_000);
        await Storage.Accounts.PlaceHoldAsync("A", "000000000001", 1_200, "purchase");
        await Storage.Accounts.PlaceHoldAsync("A", "000000000002", 300, "purchase");
        await Storage.Accounts.CaptureHoldAsync("000000000002", "completion");
        long sequence = await Storage.Journal.NextSequenceAsync();
        var record = Authorization("000000000001", CardA, 7) with
        {
            State = AuthorizationState.Approved, ResponseCode = "00", ApprovalCode = "000001", HoldPlaced = true, ResponseIccData = new byte[] { 0x91, 0x02, 0x30, 0x30 },
        };
        Assert.True(await Storage.Journal.TryAddAsync(record with { State = AuthorizationState.Pending }));
        await Storage.Journal.UpdateAsync(record);
        await Storage.PinTries.RecordFailureAsync(CardA);
        var script = await Storage.Scripts.EnqueueAsync(CardA, ScriptTemplate.BeforeFinalGenerateAc, [ScriptCommand.CardBlock()], Time.Now);
        await Storage.Scripts.MarkDeliveredAsync(script.Id, "000000000001");

        await Target.CloseAsync();
        Storage = await Target.OpenAsync(Time);

        Assert.Equal(card, await Storage.Cards.FindAsync(CardA));
        Assert.Equal(new Account("A", "156", 4_700, 1_200, 0), await Storage.Accounts.FindAsync("A"));
        Assert.Equal(4, (await Storage.Accounts.GetEntriesAsync("A")).Count);
        AssertSame(record, (await Storage.Journal.FindByAtcAsync(CardA, 7))!);
        Assert.False(await Storage.Journal.TryAddAsync(Authorization("000000000005", CardA, 7)), "the ATC stays claimed");
        Assert.True(await Storage.Journal.NextSequenceAsync() > sequence, "sequence numbers go on past those given before");
        Assert.Equal(1, await Storage.PinTries.GetAsync(CardA));
        var reloaded = (await Storage.Scripts.FindAsync(script.Id))!;
        Assert.Equal((1, "CARD BLOCK"), (reloaded.Deliveries, reloaded.Commands.Single().Name));
        Assert.True((await Storage.Scripts.EnqueueAsync(CardA, ScriptTemplate.BeforeFinalGenerateAc, [ScriptCommand.CardBlock()], Time.Now)).Id > script.Id);

        // The open hold is still a hold: it can be released, once.
        Assert.Equal(LedgerStatus.Done, (await Storage.Accounts.ReverseAsync("000000000001", "reversal")).Status);
        Assert.Equal(LedgerStatus.AlreadyDone, (await Storage.Accounts.ReverseAsync("000000000001", "reversal")).Status);
        Assert.True((await Target.Store!.CheckBooksAsync()).Balanced);
    }

    [ContractFact]
    public async Task A_call_returns_only_once_its_change_is_committed()
    {
        await Storage.Accounts.OpenAccountAsync("A", "156", 5_000);
        await Storage.Accounts.PlaceHoldAsync("A", "000000000001", 1_200, "purchase");
        Assert.True(await Storage.Journal.TryAddAsync(Authorization("000000000001", CardA, 9)));

        // Another connection, outside the store, sees both at once.
        await using var raw = await Target.OpenRawAsync();
        Assert.Equal(1_200, await raw.ScalarAsync("SELECT held FROM accounts WHERE id = 'A'"));
        Assert.Equal(1, await raw.ScalarAsync("SELECT COUNT(*) FROM holds WHERE reference = '000000000001'"));
        Assert.Equal(9, await raw.ScalarAsync("SELECT atc FROM authorizations WHERE reference = '000000000001'"));
    }

    [ContractFact]
    public async Task The_books_balance_after_every_kind_of_movement_and_the_check_catches_tampering()
    {
        var accounts = Storage.Accounts;
        await accounts.OpenAccountAsync("A", "156", 10_000, creditLimit: 2_000);
        await accounts.OpenAccountAsync("B", "344", 500);
        await accounts.CreditAsync("A", "dep-1", 700, "deposit");
        for (int i = 0; i < 6; i++)
        {
            await accounts.PlaceHoldAsync("A", $"h{i}", 1_000 + i, "purchase");
        }

        await accounts.CaptureHoldAsync("h0", "completion");
        await accounts.CaptureHoldAsync("h1", "completion");
        await accounts.ReverseAsync("h1", "late reversal");
        await accounts.ReverseAsync("h2", "reversal");
        await accounts.PlaceHoldAsync("B", "hb", 500, "purchase");

        var books = await Target.Store!.CheckBooksAsync();
        Assert.True(books.Balanced, string.Join("; ", books.Problems));
        Assert.Equal(14, books.Movements);
        Assert.Contains(new LedgerBalance("~holds/156", "156", -(1_003 + 1_004 + 1_005)), books.InternalAccounts);
        Assert.Contains(new LedgerBalance("~clearing/156", "156", 1_000), books.InternalAccounts);
        Assert.Contains(new LedgerBalance("~equity/156", "156", -10_000), books.InternalAccounts);
        Assert.Contains(new LedgerBalance("~deposits/156", "156", -700), books.InternalAccounts);
        Assert.Contains(new LedgerBalance("~holds/344", "344", -500), books.InternalAccounts);

        await using (var raw = await Target.OpenRawAsync())
        {
            await raw.ExecuteAsync("UPDATE accounts SET balance = balance + 1 WHERE id = 'A'");
            await raw.ExecuteAsync("UPDATE postings SET amount = amount + 5 WHERE movement_seq = (SELECT MIN(seq) FROM movements WHERE account_id = 'B') AND line = 1");
        }

        var tampered = await Target.Store!.CheckBooksAsync();
        Assert.False(tampered.Balanced);
        Assert.Contains(tampered.Problems, p => p.StartsWith("account A: balance 9701", StringComparison.Ordinal));
        Assert.Contains(tampered.Problems, p => p.Contains("postings sum to 5, not 0", StringComparison.Ordinal));
        Assert.Contains(tampered.Problems, p => p.StartsWith("currency 344", StringComparison.Ordinal));
    }

    [ContractFact]
    public async Task The_ledger_report_lists_balances_and_approved_authorisations()
    {
        await Storage.Accounts.OpenAccountAsync("B", "156", 100);
        await Storage.Accounts.OpenAccountAsync("A", "156", 5_000);
        await Storage.Accounts.PlaceHoldAsync("A", "000000000001", 1_200, "purchase");
        var approved = Authorization("000000000001", CardA, 7, stan: 31, amount: 1_200) with { State = AuthorizationState.Approved, ResponseCode = "00", ApprovalCode = "000001" };
        await Storage.Journal.TryAddAsync(approved);
        await Storage.Journal.TryAddAsync(Authorization("000000000002", CardA, 8) with { State = AuthorizationState.Declined, ResponseCode = "51" });

        var report = await Target.Store!.ReadLedgerAsync();
        Assert.Equal(["A", "B"], report.Accounts.Select(a => a.Id));
        Assert.Equal(3_800, report.Accounts[0].Available);
        Assert.True(report.Books.Balanced);
        var listed = Assert.Single(report.Authorizations);
        Assert.Equal(new ApprovedAuthorization("000000000001", CardA, 7, "TERM0001", 31, 1_200, "156", "000001", AuthorizationState.Approved, approved.At), listed);
        Assert.Equal(Jinka.Host.Storage.Sql.SchemaMigrations.LatestVersion, report.SchemaVersion);

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            report.WriteJson(writer);
        }

        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.True(root.GetProperty("books").GetProperty("balanced").GetBoolean());
        var authorization = root.GetProperty("authorizations")[0];
        Assert.Equal(("622588******0001/01", 31, "000001", "Approved"), (authorization.GetProperty("card").GetString(), authorization.GetProperty("stan").GetInt32(),
            authorization.GetProperty("approvalCode").GetString(), authorization.GetProperty("state").GetString()));
        Assert.Equal(1_200, root.GetProperty("accounts")[0].GetProperty("held").GetInt64());
    }

    [ContractFact]
    public async Task The_decision_update_waits_for_a_flush_in_either_durability()
    {
        await Storage.Accounts.OpenAccountAsync("A", "156", 5_000);
        var before = Target.Store!.WriteStatistics;
        var pending = Authorization("000000000001", CardA, 1);
        Assert.True(await Storage.Journal.TryAddAsync(pending));
        await Storage.Accounts.PlaceHoldAsync("A", "000000000001", 100, "purchase");
        await Storage.Journal.UpdateAsync(pending with { State = AuthorizationState.Approved, ApprovalCode = "000001" });
        var after = Target.Store.WriteStatistics;

        Assert.Equal(3, after.Operations - before.Operations);
        if (Target.Durability == StoreDurability.EveryWrite)
        {
            Assert.Equal(0, after.Flushes);
        }
        else
        {
            Assert.True(after.Flushes > before.Flushes, "the update completed after a separate flush");
        }
    }

    [ContractFact]
    public async Task Internal_account_ids_are_refused_for_customers()
    {
        var ex = await Assert.ThrowsAsync<LedgerException>(async () => await Storage.Accounts.OpenAccountAsync("~holds/156", "156", 0));
        Assert.Contains("internal", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class SqliteStorageTests : DurableStorageContractTests
{
    protected override StoreTarget CreateTarget() => new SqliteTarget();
}

[RequiresPostgres]
public sealed class PostgresStorageTests : DurableStorageContractTests
{
    protected override StoreTarget CreateTarget() => new PostgresTarget();
}

/// <summary>The same contract with the claim and the hold flushed by the journal update that follows them.</summary>
public sealed class SqliteBeforeResponseStorageTests : DurableStorageContractTests
{
    protected override StoreTarget CreateTarget() => new SqliteTarget { Durability = StoreDurability.BeforeResponse };
}

[RequiresPostgres]
public sealed class PostgresBeforeResponseStorageTests : DurableStorageContractTests
{
    protected override StoreTarget CreateTarget() => new PostgresTarget { Durability = StoreDurability.BeforeResponse };
}
