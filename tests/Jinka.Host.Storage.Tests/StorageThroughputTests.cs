using System.Diagnostics;
using System.Globalization;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Host.Storage.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Jinka.Host.Storage.Tests;

/// <summary>Runs only when JINKA_STORAGE_BENCH=1: a timed measurement, not part of the fast suite.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ThroughputFactAttribute() : OptInFactAttribute("JINKA_STORAGE_BENCH", "Storage throughput runs with JINKA_STORAGE_BENCH=1 (JINKA_STORAGE_BENCH_COUNT authorisations, default 20000; JINKA_POSTGRES for PostgreSQL).");

/// <summary>
/// Durable authorisations per second as the issuer makes them: 16 concurrent workers, each authorisation a sequence
/// number, an ATC claim (journal insert), a hold, and the journal update to Approved with the response's field 55,
/// every call waiting for its commit. Prints throughput, p50/p99 latency and the group size reached.
/// </summary>
public sealed class StorageThroughputTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int Accounts = 1_000;

    [ThroughputFact]
    public async Task Sqlite_durable_authorisations_per_second()
    {
        foreach (var durability in Enum.GetValues<StoreDurability>())
        {
            await using var target = new SqliteTarget { Durability = durability };
            await MeasureAsync(target, $"sqlite, {durability}");
        }
    }

    [ThroughputFact]
    public async Task Postgres_durable_authorisations_per_second()
    {
        if (Services.PostgresConnectionString is null)
        {
            output.WriteLine("JINKA_POSTGRES is not set: PostgreSQL not measured.");
            Assert.False(Services.Required, "JINKA_REQUIRE_SERVICES=1 but JINKA_POSTGRES is not set");
            return;
        }

        foreach (var durability in Enum.GetValues<StoreDurability>())
        {
            await using var target = new PostgresTarget { Durability = durability };
            await MeasureAsync(target, $"postgres, {durability}");
        }
    }

    private async Task MeasureAsync(StoreTarget target, string name)
    {
        int count = int.TryParse(Environment.GetEnvironmentVariable("JINKA_STORAGE_BENCH_COUNT"), CultureInfo.InvariantCulture, out int n) ? n : 20_000;
        var storage = await target.OpenAsync(TimeProvider.System);
        for (int i = 0; i < Accounts; i++)
        {
            await storage.Accounts.OpenAccountAsync(AccountId(i), "156", 1_000_000_000);
        }

        byte[] iccData = Convert.FromHexString("910A0102030405060708303072099F180400000001860412345678");
        var latencies = new double[count];
        int next = -1;
        var before = target.Store!.WriteStatistics;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                long start = Stopwatch.GetTimestamp();
                await AuthorizeAsync(storage, i, iccData);
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        })));
        clock.Stop();
        var after = target.Store.WriteStatistics;
        long commits = after.Commits - before.Commits, operations = after.Operations - before.Operations;

        Array.Sort(latencies);
        double perSecond = count / clock.Elapsed.TotalSeconds;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {count} durable authorisations, {Workers} workers, {clock.Elapsed.TotalSeconds:F2} s = {perSecond:F0}/s; latency p50 {latencies[count / 2]:F2} ms, p99 {latencies[(int)(count * 0.99)]:F2} ms; " +
            $"{commits} commits for {operations} writes ({operations / (double)Math.Max(1, commits):F1} per commit); writer busy {(after.Executing - before.Executing).TotalSeconds:F2} s running, " +
            $"{(after.Committing - before.Committing).TotalSeconds:F2} s committing, {after.Flushes - before.Flushes} separate flushes"));

        var report = await target.Store.ReadLedgerAsync();
        Assert.Equal(count, report.Authorizations.Count);
        Assert.True(report.Books.Balanced, string.Join("; ", report.Books.Problems));
        Assert.Equal(count * 100L, report.Accounts.Sum(a => a.Held));
    }

    private static async Task AuthorizeAsync(IssuerStorage storage, int i, byte[] iccData)
    {
        long sequence = await storage.Journal.NextSequenceAsync();
        string reference = sequence.ToString("D12", CultureInfo.InvariantCulture);
        var card = CardId.Create(string.Create(CultureInfo.InvariantCulture, $"62258800{i % Accounts:D8}"), "00");
        var pending = new AuthorizationRecord(reference, card, (ushort)(i / Accounts), "TERM0001", i % 1_000_000, "000000", 100, "156", DateTimeOffset.UtcNow)
        {
            Arqc = iccData.AsMemory(2, 8),
            AccountId = AccountId(i % Accounts),
        };
        Assert.True(await storage.Journal.TryAddAsync(pending));
        var hold = await storage.Accounts.PlaceHoldAsync(AccountId(i % Accounts), reference, 100, "bench");
        Assert.Equal(LedgerStatus.Done, hold.Status);
        await storage.Journal.UpdateAsync(pending with
        {
            State = AuthorizationState.Approved,
            ResponseCode = "00",
            ApprovalCode = (sequence % 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
            HoldPlaced = true,
            ResponseIccData = iccData,
        });
    }

    private static string AccountId(int i) => string.Create(CultureInfo.InvariantCulture, $"ACC{i:D6}");
}
