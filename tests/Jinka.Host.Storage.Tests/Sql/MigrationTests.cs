using Jinka.Host.Ledger;
using Jinka.Host.Storage.Sql;
using Jinka.Host.Storage.Tests.Infrastructure;

namespace Jinka.Host.Storage.Tests.Sql;

/// <summary>Schema migrations on both engines: from an empty database, from the version before the latest, twice, and refusing a newer schema.</summary>
public abstract class MigrationTests : IAsyncLifetime
{
    protected StoreTarget Target { get; private set; } = null!;

    protected abstract StoreTarget CreateTarget();

    public Task InitializeAsync()
    {
        Target = CreateTarget();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Target.DisposeAsync();

    [ContractFact]
    public async Task An_empty_database_gets_every_step_once()
    {
        await Target.OpenAsync(TimeProvider.System);
        Assert.Equal(SchemaMigrations.LatestVersion, Target.Store!.SchemaVersion);
        await Target.CloseAsync();
        await Target.OpenAsync(TimeProvider.System);
        await Target.CloseAsync();

        await using var raw = await Target.OpenRawAsync();
        Assert.Equal(SchemaMigrations.Steps.Count, await raw.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
        Assert.Equal(SchemaMigrations.LatestVersion, await raw.ScalarAsync("SELECT MAX(version) FROM schema_version"));
        Assert.Equal(0, await raw.ScalarAsync("SELECT COUNT(*) FROM authorizations"));
    }

    [ContractFact]
    public async Task A_database_at_the_previous_version_is_brought_up_to_date_with_its_data()
    {
        int previous = SchemaMigrations.LatestVersion - 1;
        await (await Target.OpenRawAsync()).DisposeAsync();
        await using (var dialect = Target.CreateDialect())
        {
            await using var session = await SqlSession.OpenAsync(dialect, writer: true, CancellationToken.None);
            Assert.Equal(previous, await SchemaMigrations.MigrateAsync(session, dialect, SchemaMigrations.Steps, previous, CancellationToken.None));
        }

        await using (var raw = await Target.OpenRawAsync())
        {
            await raw.ExecuteAsync("INSERT INTO accounts (id, currency, balance, held, credit_limit, opened_at) VALUES ('OLD', '156', 700, 0, 0, 0)");
            await raw.ExecuteAsync("INSERT INTO movements (account_id, kind, amount, reference, at, description) VALUES ('OLD', 0, 700, 'opening', 0, 'opening balance')");
            await raw.ExecuteAsync("INSERT INTO postings (movement_seq, line, account_id, bucket, currency, amount) VALUES (1, 1, 'OLD', 'B', '156', 700), (1, 2, '~equity/156', 'B', '156', -700)");
            Assert.Equal(previous, await raw.ScalarAsync("SELECT MAX(version) FROM schema_version"));
        }

        var storage = await Target.OpenAsync(TimeProvider.System);
        Assert.Equal(SchemaMigrations.LatestVersion, Target.Store!.SchemaVersion);
        Assert.Equal(new Account("OLD", "156", 700, 0, 0), await storage.Accounts.FindAsync("OLD"));
        Assert.Equal(LedgerStatus.Done, (await storage.Accounts.PlaceHoldAsync("OLD", "r1", 500, "after the migration")).Status);
        Assert.True((await Target.Store.CheckBooksAsync()).Balanced);
    }

    [ContractFact]
    public async Task A_schema_newer_than_the_program_is_refused()
    {
        await Target.OpenAsync(TimeProvider.System);
        await Target.CloseAsync();
        await using (var raw = await Target.OpenRawAsync())
        {
            await raw.ExecuteAsync("INSERT INTO schema_version (version, description, applied_at) VALUES (99, 'from the future', 0)");
        }

        var ex = await Assert.ThrowsAsync<StoreException>(() => Target.OpenAsync(TimeProvider.System));
        Assert.Contains("schema version 99", ex.Message, StringComparison.Ordinal);
    }

    [ContractFact]
    public async Task Migrating_twice_at_once_applies_each_step_once()
    {
        // Opening a raw connection first creates the PostgreSQL test schema; the database itself is empty.
        await (await Target.OpenRawAsync()).DisposeAsync();
        await using var first = Target.CreateDialect();
        await using var second = Target.CreateDialect();
        await using var one = await SqlSession.OpenAsync(first, writer: true, CancellationToken.None);
        await using var two = await SqlSession.OpenAsync(second, writer: true, CancellationToken.None);
        var versions = await Task.WhenAll(
            Task.Run(() => SchemaMigrations.MigrateAsync(one, first, SchemaMigrations.Steps, null, CancellationToken.None)),
            Task.Run(() => SchemaMigrations.MigrateAsync(two, second, SchemaMigrations.Steps, null, CancellationToken.None)));
        Assert.All(versions, v => Assert.Equal(SchemaMigrations.LatestVersion, v));
        await using var check = await Target.OpenRawAsync();
        Assert.Equal(SchemaMigrations.Steps.Count, await check.ScalarAsync("SELECT COUNT(*) FROM schema_version"));
    }
}

public sealed class SqliteMigrationTests : MigrationTests
{
    protected override StoreTarget CreateTarget() => new SqliteTarget();
}

[RequiresPostgres]
public sealed class PostgresMigrationTests : MigrationTests
{
    protected override StoreTarget CreateTarget() => new PostgresTarget();
}
