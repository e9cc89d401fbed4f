using System.Globalization;
using System.Net;
using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Host.Issuing;
using Jinka.Host.Network;
using Jinka.Host.Storage.Tests.Infrastructure;
using Jinka.Iso8583.Load;
using Xunit.Abstractions;

namespace Jinka.Host.Storage.Tests;

/// <summary>Runs only when JINKA_HOST_BENCH=1: a timed end-to-end measurement, not part of the fast suite.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HostBenchFactAttribute() : OptInFactAttribute("JINKA_HOST_BENCH", "Host throughput runs with JINKA_HOST_BENCH=1 (JINKA_HOST_BENCH_COUNT authorisations, default 20000; JINKA_HOST_BENCH_RUNS runs, default 3; JINKA_HOST_BENCH_CACHE=0 disables the card key cache; JINKA_HOST_BENCH_STORE=memory measures without storage; JINKA_HOST_BENCH_INFLIGHT requests in flight per connection, default 1).");

/// <summary>
/// The whole host in process: <see cref="IssuerHostService"/> on loopback, the issuer with ARQC verification and ARPC
/// through a <see cref="SoftwareKeyStore"/>, an SQLite store with <see cref="StoreDurability.BeforeResponse"/>, and the
/// load generator with 16 terminals (one connection each, one request in flight each). Prints TPS and p50/p99 of
/// each run and their medians.
/// </summary>
public sealed class HostThroughputTests(ITestOutputHelper output)
{
    private const int Connections = 16;
    private const int Cards = 1_000;
    private static readonly byte[] s_mdkAc = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_mdkMac = Hex.Parse("1032547698BADCFEEFCDAB8967452301");
    private static readonly byte[] s_mdkEnc = Hex.Parse("F0E1D2C3B4A5968778695A4B3C2D1E0F");

    [HostBenchFact]
    public async Task Sqlite_host_authorisations_per_second()
    {
        int count = EnvInt("JINKA_HOST_BENCH_COUNT", 20_000);
        int runs = EnvInt("JINKA_HOST_BENCH_RUNS", 3);
        int cache = EnvInt("JINKA_HOST_BENCH_CACHE", SoftwareKeyStoreOptions.DefaultCardKeyCacheCapacity);
        var reports = new List<LoadReport>();
        for (int run = 0; run < runs; run++)
        {
            reports.Add(await RunAsync(count, cache));
            var r = reports[^1];
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run + 1}: {r.Tps:F0}/s, p50 {r.P50.TotalMilliseconds:F2} ms, p99 {r.P99.TotalMilliseconds:F2} ms, max {r.Max.TotalMilliseconds:F1} ms, approved {r.Approved}, declined {r.Declined}, failed {r.Failed}"));
            Assert.Equal(count, r.Approved);
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"median of {runs} ({Environment.GetEnvironmentVariable("JINKA_HOST_BENCH_STORE") ?? "sqlite BeforeResponse"}, {Connections} connections × {EnvInt("JINKA_HOST_BENCH_INFLIGHT", 1)} in flight, {count} authorisations, card key cache {cache}): {Median(reports, r => r.Tps):F0}/s, p50 {Median(reports, r => r.P50.TotalMilliseconds):F2} ms, p99 {Median(reports, r => r.P99.TotalMilliseconds):F2} ms"));
    }

    /// <summary>
    /// The same issuer and store without the network: the cost of building requests (the client's ARQC), of one
    /// decision on one thread in memory, and decisions by 16 concurrent workers on SQLite BeforeResponse.
    /// </summary>
    [HostBenchFact]
    public async Task Decision_path_without_the_network()
    {
        int count = EnvInt("JINKA_HOST_BENCH_COUNT", 20_000);
        int cache = EnvInt("JINKA_HOST_BENCH_CACHE", SoftwareKeyStoreOptions.DefaultCardKeyCacheCapacity);
        bool[] stores = Environment.GetEnvironmentVariable("JINKA_HOST_BENCH_STORE") == "memory" ? [false] : [false, true];
        foreach (bool sqlite in stores)
        {
            await using StoreTarget target = sqlite ? new SqliteTarget { Durability = StoreDurability.BeforeResponse } : new InMemoryTarget();
            var storage = await target.OpenAsync(TimeProvider.System);
            using var keys = new SoftwareKeyStore(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = cache });
            var cards = await SetUpAsync(storage, keys);
            var issuer = new Issuer(keys, storage);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var requests = new Jinka.Core.Online.AuthorizationRequest[count];
            for (int i = 0; i < count; i++)
            {
                requests[i] = cards[i % cards.Count].NextRequest(1, (i % 999_999) + 1, DateTime.Now, $"T{i % Connections:D7}", "898310048990001");
            }

            double buildMicros = clock.Elapsed.TotalMicroseconds / count;
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            clock.Restart();
            int workers = sqlite ? Connections : 1;
            int next = -1;
            await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    var decision = await issuer.DecideAsync(requests[i]);
                    Assert.Equal("00", decision.Response.ResponseCode);
                }
            })));
            var elapsed = clock.Elapsed;
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(sqlite ? "sqlite BeforeResponse, 16 workers" : "in memory, 1 thread")}: request build {buildMicros:F1} µs; {count / elapsed.TotalSeconds:F0} decisions/s ({elapsed.TotalMicroseconds / count:F1} µs each), {allocated / count} B allocated per decision"));
        }
    }

    private static async Task<List<LoadCard>> SetUpAsync(IssuerStorage storage, SoftwareKeyStore keys)
    {
        keys.ImportClearKey("mdk-ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdkAc);
        keys.ImportClearKey("mdk-mac", KeyUsage.MdkMac, CipherAlgorithm.TripleDes, s_mdkMac);
        keys.ImportClearKey("mdk-enc", KeyUsage.MdkEnc, CipherAlgorithm.TripleDes, s_mdkEnc);
        var labels = new CardKeyLabels("mdk-ac", "mdk-mac", "mdk-enc");
        var cards = new List<LoadCard>();
        for (int i = 0; i < Cards; i++)
        {
            string pan = $"62258800{i:D8}";
            string account = $"ACC-{pan}";
            await storage.Accounts.OpenAccountAsync(account, "156", 1_000_000_000);
            await storage.Cards.RegisterAsync(new CardRecord(CardId.Create(pan, "00"), SuiteId.International, labels, account));
            cards.Add(new LoadCard(SuiteId.International, pan, "00", s_mdkAc));
        }

        return cards;
    }

    private static async Task<LoadReport> RunAsync(int count, int cacheCapacity)
    {
        await using StoreTarget target = Environment.GetEnvironmentVariable("JINKA_HOST_BENCH_STORE") == "memory"
            ? new InMemoryTarget()
            : new SqliteTarget { Durability = StoreDurability.BeforeResponse };
        var storage = await target.OpenAsync(TimeProvider.System);
        using var keys = new SoftwareKeyStore(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = cacheCapacity });
        var cards = await SetUpAsync(storage, keys);

        var issuer = new Issuer(keys, storage);
        await using var service = new IssuerHostService(issuer, keys, new IssuerHostOptions { TestTerminalMasterKeys = true });
        service.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return await LoadGenerator.RunAsync(cards, new LoadOptions { Host = "127.0.0.1", Port = service.LocalEndPoint.Port, Connections = Connections, Count = count, InFlightPerConnection = EnvInt("JINKA_HOST_BENCH_INFLIGHT", 1) });
    }

    private static int EnvInt(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), CultureInfo.InvariantCulture, out int value) ? value : fallback;

    private static double Median(List<LoadReport> reports, Func<LoadReport, double> selector)
    {
        var values = reports.Select(selector).Order().ToArray();
        return values[values.Length / 2];
    }
}
