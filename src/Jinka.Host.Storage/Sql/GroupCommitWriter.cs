using System.Threading.Channels;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// The store's only writer: one connection and one loop that takes every queued operation, runs them in order in
/// one transaction and commits once (group commit), then completes each caller. A caller therefore learns its
/// result only after the commit that made it durable (SQLite WAL with synchronous=FULL fsyncs on commit; PostgreSQL
/// with synchronous_commit on). Each operation does its own checks inside that transaction, and operations run one
/// after another, so a check and the change it allows are atomic.
/// </summary>
/// <remarks>
/// Operations must keep all their effects in the database (they may be run twice: when a batch fails, it is rolled
/// back and every operation is run again alone, so one failing operation fails only its own caller).
/// Nothing depends on a clean shutdown: whatever was acknowledged is committed, whatever was not is not.
/// <para>With a <see cref="SqlFlusher"/> (<see cref="StoreDurability.BeforeResponse"/>) the writer commits without
/// waiting for the disk and goes on with the next batch; operations that need no flush complete at once, the others
/// go to the flusher, which makes everything committed so far durable with one flush and then completes them. The
/// disk's latency then overlaps the next batches instead of stopping the writer.</para>
/// </remarks>
internal sealed class GroupCommitWriter : IAsyncDisposable
{
    private readonly SqlDialect _dialect;
    private readonly int _maxBatch;
    private readonly Channel<WriteOperation> _queue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly SqlFlusher? _flusher;
    private readonly Channel<WriteOperation> _flushQueue = Channel.CreateUnbounded<WriteOperation>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Task _flushLoop = Task.CompletedTask;
    private SqlSession? _session;
    private long _flushes;
    private long _batches;
    private long _operations;
    private long _executeTicks;
    private long _commitTicks;

    private GroupCommitWriter(SqlDialect dialect, SqlSession session, int maxBatch, SqlFlusher? flusher)
    {
        _dialect = dialect;
        _session = session;
        _maxBatch = maxBatch;
        _flusher = flusher;
        _loop = Task.Run(RunAsync);
        if (flusher is not null)
        {
            _flushLoop = Task.Run(FlushLoopAsync);
        }
    }

    /// <summary>Commits so far, operations in them, and the writer's time running them and committing.</summary>
    public WriterStatistics Statistics => new(
        Interlocked.Read(ref _batches), Interlocked.Read(ref _operations),
        TimeSpan.FromTicks(Interlocked.Read(ref _executeTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks)),
        Interlocked.Read(ref _flushes));

    /// <summary>Opens the writer connection; with <paramref name="separateFlush"/>, commits do not wait for the disk and a flusher does.</summary>
    public static async Task<GroupCommitWriter> StartAsync(SqlDialect dialect, int maxBatch, bool separateFlush, CancellationToken cancellationToken)
    {
        var session = await SqlSession.OpenAsync(dialect, writer: true, cancellationToken).ConfigureAwait(false);
        SqlFlusher? flusher = null;
        try
        {
            if (separateFlush)
            {
                await dialect.DeferFlushAsync(session, cancellationToken).ConfigureAwait(false);
                flusher = await dialect.CreateFlusherAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new GroupCommitWriter(dialect, session, Math.Max(1, maxBatch), flusher);
    }

    /// <summary>Queues <paramref name="work"/>; completes with its result once the transaction that ran it has committed.</summary>
    /// <exception cref="ObjectDisposedException">The store is closed.</exception>
    public Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteOperation<T>(work, null, flush: true, cancellationToken));

    /// <summary>
    /// Queues a one-statement write. Where the engine pipelines (PostgreSQL), consecutive statements of a batch go to
    /// the server in one round trip.
    /// </summary>
    public Task<T> WriteAsync<T>(SqlStatement<T> statement, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteOperation<T>((session, ct) => session.RunAsync(statement, ct), statement, flush: true, cancellationToken));

    /// <summary>
    /// Like <see cref="WriteAsync{T}(Func{SqlSession, CancellationToken, Task{T}}, CancellationToken)"/>, but when
    /// <paramref name="flush"/> is false the caller is completed once the transaction committed, before the commit
    /// is flushed to disk. Commits are flushed in order, so the next flushed commit makes it durable too.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<SqlSession, CancellationToken, Task<T>> work, bool flush, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteOperation<T>(work, null, flush, cancellationToken));

    /// <inheritdoc cref="WriteAsync{T}(Func{SqlSession, CancellationToken, Task{T}}, bool, CancellationToken)"/>
    public Task<T> WriteAsync<T>(SqlStatement<T> statement, bool flush, CancellationToken cancellationToken = default) =>
        Enqueue(new WriteOperation<T>((session, ct) => session.RunAsync(statement, ct), statement, flush, cancellationToken));

    private Task<T> Enqueue<T>(WriteOperation<T> operation)
    {
        if (!_queue.Writer.TryWrite(operation))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter), "The store is closed.");
        }

        return operation.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _flushQueue.Writer.TryComplete();
        await _flushLoop.ConfigureAwait(false);
        if (_flusher is not null)
        {
            await _flusher.DisposeAsync().ConfigureAwait(false);
        }

        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteOperation>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _maxBatch && reader.TryRead(out var operation))
            {
                if (!operation.CancelIfRequested())
                {
                    batch.Add(operation);
                }
            }

            if (batch.Count == 0)
            {
                continue;
            }

            if (!await TryCommitAsync(batch).ConfigureAwait(false))
            {
                // One of them failed (or the commit did): run each alone so only the failing one fails.
                foreach (var operation in batch)
                {
                    await TryCommitAsync([operation]).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Runs <paramref name="batch"/> in one transaction; true when committed (callers completed).</summary>
    private async Task<bool> TryCommitAsync(IReadOnlyList<WriteOperation> batch)
    {
        try
        {
            var session = _session is { IsUsable: true } ? _session : await ReopenAsync().ConfigureAwait(false);
            var transaction = await session.Connection.BeginTransactionAsync().ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                session.Transaction = transaction;
                try
                {
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    await RunAllAsync(session, batch).ConfigureAwait(false);
                    long executed = System.Diagnostics.Stopwatch.GetTimestamp();
                    await transaction.CommitAsync().ConfigureAwait(false);
                    Interlocked.Add(ref _executeTicks, System.Diagnostics.Stopwatch.GetElapsedTime(started, executed).Ticks);
                    Interlocked.Add(ref _commitTicks, System.Diagnostics.Stopwatch.GetElapsedTime(executed).Ticks);
                }
                finally
                {
                    session.Transaction = null;
                }
            }
        }
#pragma warning disable CA1031 // Any failure goes back to the callers; the loop must outlive it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (batch.Count == 1)
            {
                batch[0].Fail(ex);
            }

            return false;
        }

        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _operations, batch.Count);
        foreach (var operation in batch)
        {
            if (_flusher is null || !operation.Flush)
            {
                operation.Complete();
            }
            else
            {
                _flushQueue.Writer.TryWrite(operation);
            }
        }

        return true;
    }

    /// <summary>Flushes whatever was committed before it started, then completes the operations waiting for that.</summary>
    private async Task FlushLoopAsync()
    {
        var waiting = new List<WriteOperation>();
        var reader = _flushQueue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            waiting.Clear();
            while (reader.TryRead(out var operation))
            {
                waiting.Add(operation);
            }

            try
            {
                await _flusher!.FlushAsync().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // The callers learn of the failure; the loop goes on.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                foreach (var operation in waiting)
                {
                    operation.Fail(new StoreException($"Committed but not flushed to disk: {ex.Message}", ex));
                }

                continue;
            }

            Interlocked.Increment(ref _flushes);
            foreach (var operation in waiting)
            {
                operation.Complete();
            }
        }
    }

    private async Task RunAllAsync(SqlSession session, IReadOnlyList<WriteOperation> batch)
    {
        int next = 0;
        while (next < batch.Count)
        {
            int end = next;
            while (_dialect.PipelinesStatements && end < batch.Count && batch[end].Statement is not null)
            {
                end++;
            }

            if (end - next < 2)
            {
                await batch[next++].RunAsync(session).ConfigureAwait(false);
                continue;
            }

            var pipelined = new List<WriteOperation>(end - next);
            for (int i = next; i < end; i++)
            {
                pipelined.Add(batch[i]);
            }

            await _dialect.ExecutePipelineAsync(
                session,
                [.. pipelined.Select(o => o.Statement!.Value)],
                (index, reader) => pipelined[index].ReadAsync(reader),
                CancellationToken.None).ConfigureAwait(false);
            next = end;
        }
    }

    private async Task<SqlSession> ReopenAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
        }

        _session = await SqlSession.OpenAsync(_dialect, writer: true, CancellationToken.None).ConfigureAwait(false);
        if (_flusher is not null)
        {
            await _dialect.DeferFlushAsync(_session, CancellationToken.None).ConfigureAwait(false);
        }

        return _session;
    }

    private abstract class WriteOperation
    {
        /// <summary>Fails the caller with a cancellation when it gave up before the operation ran; true then.</summary>
        public abstract bool CancelIfRequested();

        /// <summary>False when the caller may be completed before the commit is flushed.</summary>
        public abstract bool Flush { get; }

        /// <summary>The statement, when the operation is one.</summary>
        public abstract (string Sql, (string Name, object? Value)[] Parameters)? Statement { get; }

        public abstract Task RunAsync(SqlSession session);

        /// <summary>Reads the statement's result set from a pipeline.</summary>
        public abstract Task ReadAsync(System.Data.Common.DbDataReader reader);

        public abstract void Complete();

        public abstract void Fail(Exception exception);
    }

    private sealed class WriteOperation<T>(Func<SqlSession, CancellationToken, Task<T>> work, SqlStatement<T>? statement, bool flush, CancellationToken cancellationToken) : WriteOperation
    {
        public override bool Flush => flush;

        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;

        public Task<T> Task => _completion.Task;

        public override bool CancelIfRequested()
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }

            _completion.TrySetCanceled(cancellationToken);
            return true;
        }

        // Once running, the operation is not cancelled: it commits or fails with its batch.
        public override async Task RunAsync(SqlSession session) => _result = await work(session, CancellationToken.None).ConfigureAwait(false);

        public override (string Sql, (string Name, object? Value)[] Parameters)? Statement => statement is null ? null : (statement.Sql, statement.Parameters);

        public override async Task ReadAsync(System.Data.Common.DbDataReader reader) => _result = await statement!.Read(reader, CancellationToken.None).ConfigureAwait(false);

        public override void Complete() => _completion.TrySetResult(_result!);

        public override void Fail(Exception exception) => _completion.TrySetException(exception);
    }
}

