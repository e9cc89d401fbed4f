using System.Data.Common;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// What differs between the SQL stores: connections and their settings, column types in the schema, the few
/// statements that one engine can fold into a single round trip, and how a unique-key violation looks. Everything
/// else (the statements, the ledger rules, the group commit) is shared.
/// </summary>
internal abstract class SqlDialect : IAsyncDisposable
{
    /// <summary>"sqlite" or "postgres", as in the store string.</summary>
    public abstract string Name { get; }

    /// <summary>Where the store is, for messages (no password).</summary>
    public abstract string Describe { get; }

    /// <summary>A new, unopened connection: the writer's (<paramref name="writer"/>) or a reader's.</summary>
    public abstract DbConnection CreateConnection(bool writer);

    /// <summary>Per-connection settings after opening (SQLite pragmas; nothing for PostgreSQL).</summary>
    public virtual ValueTask ConfigureAsync(DbConnection connection, bool writer, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Column types for a migration statement: {int} {text} {bytes} {serial_pk}.</summary>
    public string Ddl(string template) => template
        .Replace("{int}", IntegerType, StringComparison.Ordinal)
        .Replace("{text}", "TEXT", StringComparison.Ordinal)
        .Replace("{bytes}", BytesType, StringComparison.Ordinal)
        .Replace("{serial_pk}", SerialPrimaryKey, StringComparison.Ordinal);

    protected abstract string IntegerType { get; }

    protected abstract string BytesType { get; }

    protected abstract string SerialPrimaryKey { get; }

    /// <summary>
    /// Statements that take and give back a lock serialising migrators of the same database across processes, or
    /// null when the engine's own write lock does (SQLite).
    /// </summary>
    public abstract (string Take, string Release)? MigrationLock { get; }

    /// <summary>
    /// True when one statement can change several tables (PostgreSQL's data-modifying WITH): a movement with its
    /// postings, a whole hold. Such statements save round trips; SQLite runs the same steps as several statements.
    /// </summary>
    public abstract bool WritesWithCommonTableExpressions { get; }

    /// <summary>True when <see cref="ExecutePipelineAsync"/> sends several statements in one round trip.</summary>
    public virtual bool PipelinesStatements => false;

    /// <summary>
    /// Runs <paramref name="statements"/> in order in one round trip, in the session's transaction, calling
    /// <paramref name="read"/> with each statement's index and its result set.
    /// </summary>
    public virtual Task ExecutePipelineAsync(SqlSession session, IReadOnlyList<(string Sql, (string Name, object? Value)[] Parameters)> statements, Func<int, DbDataReader, Task> read, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"The {Name} store runs statements one at a time.");

    /// <summary>True when <paramref name="exception"/> is a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Makes the writer's commits return without waiting for the disk (a <see cref="SqlFlusher"/> waits instead).</summary>
    public abstract Task DeferFlushAsync(SqlSession writer, CancellationToken cancellationToken);

    /// <summary>A flusher that makes every commit so far durable.</summary>
    public abstract Task<SqlFlusher> CreateFlusherAsync(CancellationToken cancellationToken);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Makes everything the writer committed before the call durable (one flush for many commits).</summary>
internal abstract class SqlFlusher : IAsyncDisposable
{
    public abstract Task FlushAsync();

    public abstract ValueTask DisposeAsync();
}
