using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Storage.Tests.Infrastructure;

namespace Jinka.Host.Storage.Tests.Sqlite;

/// <summary>
/// What a killed process leaves: the database and WAL files as they are on disk while the store is still open
/// (copied, never closed, no checkpoint). Every write acknowledged before the copy must be in the copy.
/// </summary>
public class SqliteCrashTests
{
    [Theory]
    [InlineData(StoreDurability.EveryWrite)]
    [InlineData(StoreDurability.BeforeResponse)]
    public async Task Files_left_by_a_killed_process_hold_every_acknowledged_write(StoreDurability durability)
    {
        await using var live = new SqliteTarget { Durability = durability };
        var storage = await live.OpenAsync(TimeProvider.System);
        await storage.Accounts.OpenAccountAsync("A", "156", 1_000_000);
        var card = CardId.Create("6225880000000001", "01");
        var acknowledged = await Task.WhenAll(Enumerable.Range(1, 40).Select(i => Task.Run(async () =>
        {
            string reference = $"{i:D12}";
            var pending = new AuthorizationRecord(reference, card, (ushort)i, "TERM0001", i, "000000", 100, "156", DateTimeOffset.UtcNow);
            Assert.True(await storage.Journal.TryAddAsync(pending));
            Assert.Equal(LedgerStatus.Done, (await storage.Accounts.PlaceHoldAsync("A", reference, 100, "purchase")).Status);
            await storage.Journal.UpdateAsync(pending with { State = AuthorizationState.Approved, ResponseCode = "00", ApprovalCode = $"{i:D6}", HoldPlaced = true });
            return reference;
        })));

        // The files as a kill -9 would leave them: the store stays open (no checkpoint, no clean close).
        await using var crashed = new SqliteTarget();
        File.Copy(live.Path, crashed.Path);
        File.Copy(live.Path + "-wal", crashed.Path + "-wal");

        await using var recovered = await IssuerStorageFactory.OpenAsync(crashed.StoreString);
        var report = await recovered.ReadLedgerAsync();
        Assert.Equal(acknowledged.Order(StringComparer.Ordinal), report.Authorizations.Select(a => a.Reference));
        Assert.Equal(new Account("A", "156", 1_000_000, 4_000, 0), Assert.Single(report.Accounts));
        Assert.True(report.Books.Balanced, string.Join("; ", report.Books.Problems));
    }
}
