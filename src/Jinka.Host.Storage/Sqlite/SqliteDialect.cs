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

    public override bool IsUniqueViolation(Exception exception) =>
        exception is SqliteException { SqliteErrorCode: SqliteConstraint, SqliteExtendedErrorCode: SqliteConstraintUnique or SqliteConstraintPrimaryKey };
}
