using System.Data.Common;
using Jinka.Host.Issuing;
using Jinka.Host.Storage.Postgres;
using Jinka.Host.Storage.Sql;
using Jinka.Host.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Jinka.Host.Storage.Tests.Infrastructure;

/// <summary>A store the contract tests run against: opened, closed and opened again at the same place.</summary>
public abstract class StoreTarget : IAsyncDisposable
{
    /// <summary>How the durable store flushes (<see cref="StoreDurability.EveryWrite"/> unless a test says otherwise).</summary>
    public StoreDurability Durability { get; init; } = StoreDurability.EveryWrite;

    /// <summary>The open durable store, when this target has one.</summary>
    public IssuerStore? Store { get; protected set; }

    public abstract bool Durable { get; }

    /// <summary>The store string for <see cref="IssuerStorageFactory"/>.</summary>
    public abstract string StoreString { get; }

    public abstract Task<IssuerStorage> OpenAsync(TimeProvider time);

    public async Task CloseAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
            Store = null;
        }
    }

    /// <summary>A connection of its own to the same database (for tampering and raw checks).</summary>
    public abstract Task<DbConnection> OpenRawAsync();

    /// <summary>The dialect, for driving the migrator directly.</summary>
    internal abstract SqlDialect CreateDialect();

    public virtual async ValueTask DisposeAsync()
    {
        await CloseAsync();
        GC.SuppressFinalize(this);
    }

    protected async Task<IssuerStorage> OpenDurableAsync(TimeProvider time)
    {
        Store = await IssuerStorageFactory.OpenAsync(StoreString, new IssuerStoreOptions { Time = time, SequenceBlock = 100, Durability = Durability });
        return Store.Storage;
    }
}

public sealed class InMemoryTarget : StoreTarget
{
    private IssuerStorage? _storage;

    public override bool Durable => false;

    public override string StoreString => throw new NotSupportedException("In process memory has no store string.");

    public override Task<IssuerStorage> OpenAsync(TimeProvider time) => Task.FromResult(_storage ??= IssuerStorage.InMemory(time));

    public override Task<DbConnection> OpenRawAsync() => throw new NotSupportedException();

    internal override SqlDialect CreateDialect() => throw new NotSupportedException();
}

/// <summary>An SQLite file in a directory of its own under the temp folder, deleted afterwards.</summary>
public sealed class SqliteTarget : StoreTarget
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jinka-store-").FullName;

    public string Path => System.IO.Path.Combine(_directory, "issuer.db");

    public override bool Durable => true;

    public override string StoreString => $"sqlite:{Path}";

    public override Task<IssuerStorage> OpenAsync(TimeProvider time) => OpenDurableAsync(time);

    public override async Task<DbConnection> OpenRawAsync()
    {
        var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    internal override SqlDialect CreateDialect() => new SqliteDialect(Path);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>A schema of its own in the JINKA_POSTGRES database (search path set to it), dropped afterwards.</summary>
public sealed class PostgresTarget : StoreTarget
{
    private readonly string _schema = $"t_{Guid.NewGuid():N}";
    private readonly string _baseConnectionString = Services.RequirePostgres();
    private bool _created;

    public string ConnectionString => new NpgsqlConnectionStringBuilder(_baseConnectionString) { SearchPath = _schema }.ToString();

    public override bool Durable => true;

    public override string StoreString => $"postgres:{ConnectionString}";

    public override async Task<IssuerStorage> OpenAsync(TimeProvider time)
    {
        await EnsureSchemaAsync();
        return await OpenDurableAsync(time);
    }

    public async Task EnsureSchemaAsync()
    {
        if (_created)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(_baseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
        await command.ExecuteNonQueryAsync();
        _created = true;
    }

    public override async Task<DbConnection> OpenRawAsync()
    {
        await EnsureSchemaAsync();
        var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    internal override SqlDialect CreateDialect() => new PostgresDialect(ConnectionString);

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_created)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_baseConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP SCHEMA {_schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

internal static class Raw
{
    public static async Task<long> ScalarAsync(this DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(this DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>A clock that stands still unless moved.</summary>
public sealed class FixedTime : TimeProvider
{
    public DateTimeOffset Now { get; set; } = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => Now;
}
