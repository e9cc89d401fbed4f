using System.Globalization;
using BenchmarkDotNet.Attributes;
using Jinka.Host.Issuing;
using Jinka.Host.Storage;

namespace Jinka.Benchmarks;

/// <summary>
/// Durable authorisations against a store as the issuer writes them: 16 concurrent workers, each authorisation a
/// sequence number, the ATC claim, the hold and the journal update, every call waiting for its commit. One
/// operation = one authorisation. SQLite in a temp file; PostgreSQL when JINKA_POSTGRES names a database (its
/// tables are created in a schema of their own and dropped). The timed test
/// <c>JINKA_STORAGE_BENCH=1 dotnet test tests/Jinka.Host.Storage.Tests --filter Throughput</c> adds p50/p99.
/// </summary>
[MemoryDiagnoser]
public class StorageBenchmarks
{
    private const int Workers = 16;
    private const int PerWorker = 64;
    private const int Accounts = 256;

    private readonly byte[] _iccData = Convert.FromHexString("910A0102030405060708303072099F180400000001860412345678");
    private IssuerStore _store = null!;
    private string? _directory;
    private string? _schema;
    private int _next;

    public static IEnumerable<string> Stores =>
        Environment.GetEnvironmentVariable("JINKA_POSTGRES") is { Length: > 0 } ? ["sqlite", "postgres"] : ["sqlite"];

    [ParamsSource(nameof(Stores))]
    public string Store { get; set; } = "sqlite";

    [Params(StoreDurability.EveryWrite, StoreDurability.BeforeResponse)]
    public StoreDurability Durability { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup() => CleanupAsync().GetAwaiter().GetResult();

    [Benchmark(OperationsPerInvoke = Workers * PerWorker)]
    public Task Authorisations() =>
        Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(async () =>
        {
            for (int i = 0; i < PerWorker; i++)
            {
                await AuthorizeAsync(Interlocked.Increment(ref _next)).ConfigureAwait(false);
            }
        })));

    private async Task AuthorizeAsync(int i)
    {
        var storage = _store.Storage;
        long sequence = await storage.Journal.NextSequenceAsync().ConfigureAwait(false);
        string reference = sequence.ToString("D12", CultureInfo.InvariantCulture);
        string account = AccountId(i % Accounts);
        var card = CardId.Create(string.Create(CultureInfo.InvariantCulture, $"62258800{i % Accounts:D8}"), "00");
        var pending = new AuthorizationRecord(reference, card, (ushort)(i / Accounts), "TERM0001", i % 1_000_000, "000000", 1, "156", DateTimeOffset.UtcNow)
        {
            Arqc = _iccData.AsMemory(2, 8),
            AccountId = account,
        };
        if (!await storage.Journal.TryAddAsync(pending).ConfigureAwait(false))
        {
            throw new InvalidOperationException($"ATC {pending.Atc} of {card} claimed twice.");
        }

        await storage.Accounts.PlaceHoldAsync(account, reference, 1, "bench").ConfigureAwait(false);
        await storage.Journal.UpdateAsync(pending with
        {
            State = AuthorizationState.Approved,
            ResponseCode = "00",
            ApprovalCode = (sequence % 1_000_000).ToString("D6", CultureInfo.InvariantCulture),
            HoldPlaced = true,
            ResponseIccData = _iccData,
        }).ConfigureAwait(false);
    }

    private async Task SetupAsync()
    {
        string storeString;
        if (Store == "postgres")
        {
            string connectionString = Environment.GetEnvironmentVariable("JINKA_POSTGRES")!;
            _schema = $"bench_{Guid.NewGuid():N}";
            await ExecutePostgresAsync(connectionString, $"CREATE SCHEMA {_schema}").ConfigureAwait(false);
            storeString = $"postgres:{new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { SearchPath = _schema }}";
        }
        else
        {
            _directory = Directory.CreateTempSubdirectory("jinka-bench-").FullName;
            storeString = $"sqlite:{Path.Combine(_directory, "issuer.db")}";
        }

        _store = await IssuerStorageFactory.OpenAsync(storeString, new IssuerStoreOptions { Durability = Durability }).ConfigureAwait(false);
        for (int i = 0; i < Accounts; i++)
        {
            await _store.Storage.Accounts.OpenAccountAsync(AccountId(i), "156", long.MaxValue / 2).ConfigureAwait(false);
        }
    }

    private async Task CleanupAsync()
    {
        await _store.DisposeAsync().ConfigureAwait(false);
        if (_schema is not null)
        {
            await ExecutePostgresAsync(Environment.GetEnvironmentVariable("JINKA_POSTGRES")!, $"DROP SCHEMA {_schema} CASCADE").ConfigureAwait(false);
        }

        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static async Task ExecutePostgresAsync(string connectionString, string sql)
    {
        var connection = new Npgsql.NpgsqlConnection(connectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync().ConfigureAwait(false);
#pragma warning disable CA2100 // The schema name is made here from a GUID.
            var command = new Npgsql.NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync().ConfigureAwait(false);
            }
        }
    }

    private static string AccountId(int i) => string.Create(CultureInfo.InvariantCulture, $"ACC{i:D6}");
}
