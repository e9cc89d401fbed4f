using System.Collections.Concurrent;
using System.Data.Common;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// One open connection with its prepared commands, kept for the life of the connection (SQLite keeps a command's
/// compiled statements; PostgreSQL auto-prepares). Used by one caller at a time.
/// </summary>
internal sealed class SqlSession : IAsyncDisposable
{
    private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

    private SqlSession(DbConnection connection)
    {
        Connection = connection;
    }

    public DbConnection Connection { get; }

    /// <summary>The open transaction, which every command joins (Microsoft.Data.Sqlite demands it).</summary>
    public DbTransaction? Transaction { get; set; }

    public bool IsUsable => Connection.State == System.Data.ConnectionState.Open;

    public static async Task<SqlSession> OpenAsync(SqlDialect dialect, bool writer, CancellationToken cancellationToken)
    {
        var connection = dialect.CreateConnection(writer);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await dialect.ConfigureAsync(connection, writer, cancellationToken).ConfigureAwait(false);
            return new SqlSession(connection);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The cached command for <paramref name="sql"/>, in the current transaction.</summary>
    public DbCommand Command(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
#pragma warning disable CA2100 // Every statement text is a constant of this assembly; values go in parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            _commands.Add(sql, command);
        }

        command.Transaction = Transaction;
        return command;
    }

    public Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        Bind(sql, parameters).ExecuteNonQueryAsync(cancellationToken);

    /// <summary>The first row mapped by <paramref name="map"/>, or default when there is none.</summary>
    public Task<T?> QuerySingleAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        SingleAsync(Bind(sql, parameters), map, cancellationToken);

    public Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> map, CancellationToken cancellationToken, params ReadOnlySpan<(string Name, object? Value)> parameters) =>
        ListAsync(Bind(sql, parameters), map, cancellationToken);

    /// <summary>Runs a one-statement write and reads its result set.</summary>
    public async Task<T> RunAsync<T>(SqlStatement<T> statement, CancellationToken cancellationToken)
    {
        var command = Bind(statement.Sql, statement.Parameters);
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            return await statement.Read(reader, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<T?> SingleAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? map(reader) : default;
            // Drain so statements after a RETURNING row run to completion before the next command.
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
            }

            return result;
        }
    }

    private static async Task<List<T>> ListAsync<T>(DbCommand command, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows.Add(map(reader));
            }
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync().ConfigureAwait(false);
        }

        _commands.Clear();
        if (Transaction is not null)
        {
            await Transaction.DisposeAsync().ConfigureAwait(false);
        }

        await Connection.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Binds the values to the command's parameters, made on first use and reused afterwards (Npgsql keeps a
    /// prepared command bound to its parameter objects, so they are updated in place rather than replaced).
    /// </summary>
    private DbCommand Bind(string sql, ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = Command(sql);
        var bound = command.Parameters;
        bool reuse = bound.Count == parameters.Length;
        for (int i = 0; reuse && i < parameters.Length; i++)
        {
            reuse = string.Equals(bound[i].ParameterName, parameters[i].Name, StringComparison.Ordinal);
        }

        if (!reuse)
        {
            bound.Clear();
            foreach (var (name, _) in parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                bound.Add(parameter);
            }
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            bound[i].Value = ToDatabase(parameters[i].Value);
        }

        return command;
    }

    public static object ToDatabase(object? value) => value switch
    {
        null => DBNull.Value,
        int i => (long)i,
        uint u => (long)u,
        ushort s => (long)s,
        bool b => b ? 1L : 0L,
        ReadOnlyMemory<byte> m => m.ToArray(),
        _ => value,
    };
}

/// <summary>
/// A write that is one statement: its text, its parameters, and how to read its result set (every such statement
/// returns rows, e.g. with RETURNING, so it can be read the same way alone or in a pipeline).
/// </summary>
internal sealed record SqlStatement<T>(string Sql, (string Name, object? Value)[] Parameters, Func<DbDataReader, CancellationToken, Task<T>> Read)
{
    /// <summary>Reads the number of rows returned.</summary>
    public static async Task<int> CountRows(DbDataReader reader, CancellationToken cancellationToken)
    {
        int rows = 0;
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            rows++;
        }

        return rows;
    }
}

/// <summary>Reader sessions, opened on demand and kept for reuse (WAL readers never wait for the writer).</summary>
internal sealed class SqlSessionPool(SqlDialect dialect, int keep) : IAsyncDisposable
{
    private readonly ConcurrentBag<SqlSession> _idle = [];
    private int _disposed;

    public async Task<T> ReadAsync<T>(Func<SqlSession, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_idle.TryTake(out var session))
        {
            session = await SqlSession.OpenAsync(dialect, writer: false, cancellationToken).ConfigureAwait(false);
        }

        bool healthy = false;
        try
        {
            var result = await read(session, cancellationToken).ConfigureAwait(false);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy && session.IsUsable && _idle.Count < keep && Volatile.Read(ref _disposed) == 0)
            {
                _idle.Add(session);
            }
            else
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Interlocked.Exchange(ref _disposed, 1);
        while (_idle.TryTake(out var session))
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }
}
