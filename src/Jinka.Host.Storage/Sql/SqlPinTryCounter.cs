using Jinka.Host.Issuing;

namespace Jinka.Host.Storage.Sql;

/// <summary><see cref="IPinTryCounter"/> in the <c>pin_tries</c> table; counting a failure is one atomic upsert.</summary>
internal sealed class SqlPinTryCounter(SqlStoreEngine engine) : IPinTryCounter
{
    /// <inheritdoc/>
    public async ValueTask<int> GetAsync(CardId card, CancellationToken cancellationToken = default) =>
        (int)((await engine.ReadAsync(
            (session, ct) => session.QuerySingleAsync("SELECT failures FROM pin_tries WHERE pan = @pan AND psn = @psn", r => (long?)r.GetInt64(0), ct, ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false)) ?? 0);

    /// <inheritdoc/>
    public async ValueTask<int> RecordFailureAsync(CardId card, CancellationToken cancellationToken = default) =>
        (int)(await engine.WriteAsync(
            (session, ct) => session.QuerySingleAsync(
                "INSERT INTO pin_tries (pan, psn, failures) VALUES (@pan, @psn, 1) ON CONFLICT (pan, psn) DO UPDATE SET failures = pin_tries.failures + 1 RETURNING failures",
                r => (long?)r.GetInt64(0), ct, ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false))!.Value;

    /// <inheritdoc/>
    public async ValueTask ResetAsync(CardId card, CancellationToken cancellationToken = default) =>
        await engine.WriteAsync(
            (session, ct) => session.ExecuteAsync("DELETE FROM pin_tries WHERE pan = @pan AND psn = @psn", ct, ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false);
}
