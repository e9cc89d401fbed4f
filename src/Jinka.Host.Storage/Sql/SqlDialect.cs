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

    /// <summary>True when one statement can insert a movement and its postings (PostgreSQL's data-modifying WITH).</summary>
    public abstract bool InsertsMovementWithPostings { get; }

    /// <summary>True when <paramref name="exception"/> is a unique or primary key violation.</summary>
    public abstract bool IsUniqueViolation(Exception exception);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
