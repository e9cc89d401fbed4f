using System.Data.Common;
using Jinka.Host.Issuing;
using Jinka.Host.Scripts;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// <see cref="IScriptStore"/> in the <c>scripts</c> table. Delivery and finishing are conditional UPDATEs
/// (<c>WHERE state = pending</c>), so only pending scripts change, each atomically. IDs count up from 1.
/// </summary>
internal sealed class SqlScriptStore(SqlStoreEngine engine) : IScriptStore
{
    private const string Columns = "id, pan, psn, template, commands, queued_at, state, deliveries, last_reference, result, reason, finished_at";

    /// <inheritdoc/>
    public async ValueTask<QueuedScript> EnqueueAsync(CardId card, ScriptTemplate template, IReadOnlyList<ScriptCommand> commands, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            throw new ArgumentException("A script needs at least one command.", nameof(commands));
        }

        byte[] encoded = ScriptCommandCodec.Encode(commands);
        return await engine.WriteAsync(async (session, ct) =>
        {
            long id = (await session.QuerySingleAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM scripts", r => (long?)r.GetInt64(0), ct).ConfigureAwait(false))!.Value;
            await session.ExecuteAsync(
                $"INSERT INTO scripts ({Columns}) VALUES (@id, @pan, @psn, @template, @commands, @at, @state, 0, NULL, NULL, NULL, NULL)",
                ct, ("@id", id), ("@pan", card.Pan), ("@psn", card.Psn), ("@template", (int)template), ("@commands", encoded), ("@at", at.UtcTicks),
                ("@state", (int)ScriptState.Pending)).ConfigureAwait(false);
            return new QueuedScript(checked((uint)id), card, template, [.. commands], at);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<QueuedScript>> GetPendingAsync(CardId card, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QueryAsync($"SELECT {Columns} FROM scripts WHERE pan = @pan AND psn = @psn AND state = @state ORDER BY id", Read, ct,
                ("@pan", card.Pan), ("@psn", card.Psn), ("@state", (int)ScriptState.Pending)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<QueuedScript>> GetAllAsync(CardId card, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QueryAsync($"SELECT {Columns} FROM scripts WHERE pan = @pan AND psn = @psn ORDER BY id", Read, ct, ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<QueuedScript?> FindAsync(uint scriptId, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync((session, ct) => FindAsync(session, scriptId, ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<ScriptUpdate> MarkDeliveredAsync(uint scriptId, string reference, CancellationToken cancellationToken = default) =>
        await ChangeAsync(scriptId, "deliveries = deliveries + 1, last_reference = @reference", [("@reference", reference)], beforeResponse: true, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<ScriptUpdate> FinishAsync(uint scriptId, ScriptState state, ScriptResult? result, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (state == ScriptState.Pending)
        {
            throw new ArgumentException("A script finishes as Succeeded, Failed or Cancelled.", nameof(state));
        }

        return await ChangeAsync(
            scriptId,
            "state = @new_state, result = COALESCE(@result, result), reason = @reason, finished_at = @at",
            [("@new_state", (int)state), ("@result", result?.Encode()), ("@reason", reason), ("@at", at.UtcTicks)],
            beforeResponse: false,
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<ScriptUpdate> ChangeAsync(uint scriptId, string assignments, (string, object?)[] values, bool beforeResponse, CancellationToken cancellationToken)
    {
        Func<SqlSession, CancellationToken, Task<ScriptUpdate>> change = async (session, ct) =>
        {
            var changed = await session.QuerySingleAsync<QueuedScript?>(
                $"UPDATE scripts SET {assignments} WHERE id = @id AND state = @pending RETURNING {Columns}",
                Read, ct, [.. values, ("@id", scriptId), ("@pending", (int)ScriptState.Pending)]).ConfigureAwait(false);
            return changed is not null
                ? new ScriptUpdate(changed, true)
                : new ScriptUpdate(await FindAsync(session, scriptId, ct).ConfigureAwait(false), false);
        };
        return beforeResponse
            ? await engine.WriteBeforeResponseAsync(change, cancellationToken).ConfigureAwait(false)
            : await engine.WriteAsync(change, cancellationToken).ConfigureAwait(false);
    }

    private static Task<QueuedScript?> FindAsync(SqlSession session, uint scriptId, CancellationToken ct) =>
        session.QuerySingleAsync<QueuedScript?>($"SELECT {Columns} FROM scripts WHERE id = @id", Read, ct, ("@id", scriptId));

    private static QueuedScript Read(DbDataReader r)
    {
        byte[]? result = r.NullableBytes(9);
        long? finished = r.NullableInt64(11);
        return new QueuedScript(checked((uint)r.GetInt64(0)), CardId.Create(r.GetString(1), r.GetString(2)), (ScriptTemplate)r.GetInt64(3),
            ScriptCommandCodec.Decode(r.Bytes(4)), r.Time(5))
        {
            State = (ScriptState)r.GetInt64(6),
            Deliveries = r.Int32(7),
            LastDeliveryReference = r.NullableString(8),
            Result = result is null ? null : ScriptResult.TryParse(result, out var parsed, out _) ? parsed : null,
            Reason = r.NullableString(10),
            FinishedAt = finished is { } ticks ? new DateTimeOffset(ticks, TimeSpan.Zero) : null,
        };
    }
}
