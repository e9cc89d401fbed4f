using System.Data.Common;
using Jinka.Host.Storage.Sql;
using Microsoft.Data.Sqlite;

namespace Jinka.Host.Storage.Sqlite;

/// <summary>
/// SQLite in one file, WAL journal: the writer commits with synchronous=FULL (the WAL is fsynced at every commit,
/// so an acknowledged write survives a power cut, not only a killed process); readers run beside it on their own
/// connections and see the last commit.
/// </summary>
internal sealed class SqliteDialect(string path) : SqlDialect
{
    private const int SqliteConstraint = 19;
    private const int SqliteConstraintPrimaryKey = 1555;
    private const int SqliteConstraintUnique = 2067;

    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    public override string Name => "sqlite";

    public override string Describe => path;

    protected override string IntegerType => "INTEGER";

    protected override string BytesType => "BLOB";

    protected override string SerialPrimaryKey => "INTEGER PRIMARY KEY";

    public override (string Take, string Release)? MigrationLock => null;

    public override bool WritesWithCommonTableExpressions => false;

    public override DbConnection CreateConnection(bool writer) => new SqliteConnection(_connectionString);

    public override async ValueTask ConfigureAsync(DbConnection connection, bool writer, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = writer
            ? "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;"
            : "PRAGMA busy_timeout = 10000; PRAGMA query_only = 1;";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// NORMAL: a commit is written to the WAL (safe from a killed process) but not fsynced; the flusher fsyncs the WAL
    /// file afterwards. The WAL is one file written in order, so one fsync covers every commit before it.
    /// </summary>
    public override async Task DeferFlushAsync(SqlSession writer, CancellationToken cancellationToken) =>
        await writer.ExecuteAsync("PRAGMA synchronous = NORMAL", cancellationToken).ConfigureAwait(false);

    public override Task<SqlFlusher> CreateFlusherAsync(CancellationToken cancellationToken) => Task.FromResult<SqlFlusher>(new WalFlusher(path));

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };
}

/// <summary>
/// fsync of the WAL file through a handle of its own (on Linux fsync flushes the file, whichever descriptor asks).
/// The database file needs none: with synchronous=NORMAL SQLite fsyncs the WAL before a checkpoint and the database
/// after it, before the WAL is reused (SQLite, PRAGMA synchronous).
/// </summary>
internal sealed class WalFlusher(string path) : SqlFlusher
{
    private FileStream? _wal;

    public override Task FlushAsync()
    {
        _wal ??= new FileStream(path + "-wal", FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _wal.Flush(flushToDisk: true);
        return Task.CompletedTask;
    }

    public override async ValueTask DisposeAsync()
    {
        if (_wal is not null)
        {
            await _wal.DisposeAsync().ConfigureAwait(false);
        }
    }
}
