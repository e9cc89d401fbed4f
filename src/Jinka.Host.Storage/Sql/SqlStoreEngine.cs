using System.Data.Common;

namespace Jinka.Host.Storage.Sql;

/// <summary>What the SQL stores share: the dialect, the group-commit writer, the reader sessions and the clock.</summary>
internal sealed class SqlStoreEngine : IAsyncDisposable
{
    private SqlStoreEngine(SqlDialect dialect, GroupCommitWriter writer, SqlSessionPool readers, IssuerStoreOptions options, int schemaVersion)
    {
        Dialect = dialect;
        Writer = writer;
        Readers = readers;
        Options = options;
        SchemaVersion = schemaVersion;
    }

    public SqlDialect Dialect { get; }

    public GroupCommitWriter Writer { get; }

    public SqlSessionPool Readers { get; }

    public IssuerStoreOptions Options { get; }

    public int SchemaVersion { get; }

    public long NowTicks => Options.Time.GetUtcNow().UtcTicks;

    /// <summary>Migrates the database to the latest schema, then starts the writer. Takes ownership of <paramref name="dialect"/>.</summary>
    public static async Task<SqlStoreEngine> OpenAsync(SqlDialect dialect, IssuerStoreOptions options, CancellationToken cancellationToken)
    {
        GroupCommitWriter? writer = null;
        try
        {
            int version;
            var session = await SqlSession.OpenAsync(dialect, writer: true, cancellationToken).ConfigureAwait(false);
            await using (session.ConfigureAwait(false))
            {
                version = await SchemaMigrations.MigrateAsync(session, dialect, SchemaMigrations.Steps, null, cancellationToken).ConfigureAwait(false);
            }

            writer = await GroupCommitWriter.StartAsync(dialect, options.MaxBatch, separateFlush: options.Durability == StoreDurability.BeforeResponse, cancellationToken).ConfigureAwait(false);
            return new SqlStoreEngine(dialect, writer, new SqlSessionPool(dialect, options.IdleReaders), options, version);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException or ArgumentException or IOException)
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            await dialect.DisposeAsync().ConfigureAwait(false);
            throw new StoreException($"Cannot open the {dialect.Name} store at {dialect.Describe}: {ex.Message}", ex);
        }
        catch
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            await dialect.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        Writer.WriteAsync(work, cancellationToken);

    public Task<T> WriteAsync<T>(SqlStatement<T> statement, CancellationToken cancellationToken) =>
        Writer.WriteAsync(statement, cancellationToken);

    /// <summary>
    /// A write the issuer always follows with a flushed journal update before it answers (the ATC claim, the hold,
    /// sequence blocks, script deliveries): flushed at once under <see cref="StoreDurability.EveryWrite"/>, by that
    /// later commit under <see cref="StoreDurability.BeforeResponse"/>.
    /// </summary>
    public Task<T> WriteBeforeResponseAsync<T>(SqlStatement<T> statement, CancellationToken cancellationToken) =>
        Writer.WriteAsync(statement, flush: Options.Durability == StoreDurability.EveryWrite, cancellationToken);

    /// <inheritdoc cref="WriteBeforeResponseAsync{T}(SqlStatement{T}, CancellationToken)"/>
    public Task<T> WriteBeforeResponseAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        Writer.WriteAsync(work, flush: Options.Durability == StoreDurability.EveryWrite, cancellationToken);

    public Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        Readers.ReadAsync(read, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Writer.DisposeAsync().ConfigureAwait(false);
        await Readers.DisposeAsync().ConfigureAwait(false);
        await Dialect.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Reading columns the way the schema stores them (integers as 64-bit, times as UTC ticks, booleans 0/1).</summary>
internal static class Columns
{
    public static string? NullableString(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableInt64(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static byte[] Bytes(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? [] : reader.GetFieldValue<byte[]>(ordinal);

    public static byte[]? NullableBytes(this DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<byte[]>(ordinal);

    public static DateTimeOffset Time(this DbDataReader reader, int ordinal) => new(reader.GetInt64(ordinal), TimeSpan.Zero);

    public static int Int32(this DbDataReader reader, int ordinal) => checked((int)reader.GetInt64(ordinal));
}
