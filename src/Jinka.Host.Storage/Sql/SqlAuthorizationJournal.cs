using System.Buffers.Binary;
using System.Data.Common;
using Jinka.Host.Issuing;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// <see cref="IAuthorizationJournal"/> in the <c>authorizations</c> table. The unique key on (PAN, PSN, ATC) makes
/// <see cref="TryAddAsync"/> the atomic claim of an ATC; the record keeps the response's field 55 so a duplicate can
/// be answered with the original. Sequence numbers are reserved in blocks (<see cref="IssuerStoreOptions.SequenceBlock"/>)
/// with one durable write per block.
/// </summary>
internal sealed class SqlAuthorizationJournal(SqlStoreEngine engine) : IAuthorizationJournal
{
    internal const string Columns =
        "reference, pan, psn, atc, terminal_id, stan, processing_code, amount, currency, at, state, response_code, approval_code, reason, " +
        "account_id, hold_placed, arqc, response_icc, delivered_scripts, final_cryptogram";

    private const string SequenceName = "authorization";

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _refill = new(1, 1);
    private long _next = 1;
    private long _last;

    /// <inheritdoc/>
    public async ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTake(out long number))
            {
                return number;
            }

            await _refill.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (TryTake(out number))
                {
                    return number;
                }

                long block = Math.Max(1, engine.Options.SequenceBlock);
                long last = await engine.WriteBeforeResponseAsync(
                    new SqlStatement<long>(
                        "INSERT INTO counters (name, value) VALUES (@name, @block) ON CONFLICT (name) DO UPDATE SET value = counters.value + @block RETURNING value",
                        [("@name", SequenceName), ("@block", block)],
                        async (reader, ct) => await reader.ReadAsync(ct).ConfigureAwait(false) ? reader.GetInt64(0) : throw new InvalidOperationException("The counter upsert returned no row.")),
                    cancellationToken).ConfigureAwait(false);
                lock (_lock)
                {
                    _next = last - block + 1;
                    _last = last;
                }
            }
            finally
            {
                _refill.Release();
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryAddAsync(AuthorizationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return await engine.WriteBeforeResponseAsync(
            new SqlStatement<int>(InsertSql, Parameters(record), SqlStatement<int>.CountRows),
            cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc/>
    public async ValueTask UpdateAsync(AuthorizationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        int updated = await engine.WriteAsync(new SqlStatement<int>(UpdateSql, Parameters(record), SqlStatement<int>.CountRows), cancellationToken).ConfigureAwait(false);
        if (updated == 0)
        {
            throw new KeyNotFoundException($"No authorisation with reference {record.Reference} to update.");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<AuthorizationRecord?> FindByAtcAsync(CardId card, ushort atc, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QuerySingleAsync<AuthorizationRecord?>(
                $"SELECT {Columns} FROM authorizations WHERE pan = @pan AND psn = @psn AND atc = @atc",
                Read, ct, ("@pan", card.Pan), ("@psn", card.Psn), ("@atc", atc)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<AuthorizationRecord?> FindByTraceAsync(string terminalId, int stan, CardId card, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QuerySingleAsync<AuthorizationRecord?>(
                $"SELECT {Columns} FROM authorizations WHERE terminal_id = @terminal AND stan = @stan AND pan = @pan AND psn = @psn ORDER BY reference DESC LIMIT 1",
                Read, ct, ("@terminal", terminalId), ("@stan", stan), ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<AuthorizationRecord>> FindPendingAsync(CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QueryAsync(
                $"SELECT {Columns} FROM authorizations WHERE state = @pending ORDER BY reference",
                Read, ct, ("@pending", (int)AuthorizationState.Pending)),
            cancellationToken).ConfigureAwait(false);

    internal static AuthorizationRecord Read(DbDataReader r) =>
        new(r.GetString(0), CardId.Create(r.GetString(1), r.GetString(2)), checked((ushort)r.GetInt64(3)), r.GetString(4), r.Int32(5), r.GetString(6),
            r.GetInt64(7), r.GetString(8), r.Time(9))
        {
            State = (AuthorizationState)r.GetInt64(10),
            ResponseCode = r.GetString(11),
            ApprovalCode = r.NullableString(12),
            Reason = r.GetString(13),
            AccountId = r.NullableString(14),
            HoldPlaced = r.GetInt64(15) != 0,
            Arqc = r.Bytes(16),
            ResponseIccData = r.Bytes(17),
            DeliveredScripts = DecodeScriptIds(r.Bytes(18)),
            FinalCryptogram = r.NullableString(19),
        };

    private static readonly string[] ColumnNames = Columns.Split(", ");

    private static readonly string InsertSql =
        $"INSERT INTO authorizations ({Columns}) VALUES ({string.Join(", ", ColumnNames.Select(c => "@" + c))}) ON CONFLICT (pan, psn, atc) DO NOTHING RETURNING reference";

    private static readonly string UpdateSql =
        $"UPDATE authorizations SET {string.Join(", ", ColumnNames.Skip(1).Select(c => $"{c} = @{c}"))} WHERE reference = @reference RETURNING reference";

    private bool TryTake(out long number)
    {
        lock (_lock)
        {
            if (_next <= _last)
            {
                number = _next++;
                return true;
            }
        }

        number = 0;
        return false;
    }

    private static (string, object?)[] Parameters(AuthorizationRecord record) =>
    [
        ("@reference", record.Reference), ("@pan", record.Card.Pan), ("@psn", record.Card.Psn), ("@atc", record.Atc),
        ("@terminal_id", record.TerminalId), ("@stan", record.Stan), ("@processing_code", record.ProcessingCode),
        ("@amount", record.Amount), ("@currency", record.Currency), ("@at", record.At.UtcTicks), ("@state", (int)record.State),
        ("@response_code", record.ResponseCode), ("@approval_code", record.ApprovalCode), ("@reason", record.Reason),
        ("@account_id", record.AccountId), ("@hold_placed", record.HoldPlaced), ("@arqc", record.Arqc.ToArray()),
        ("@response_icc", record.ResponseIccData.ToArray()), ("@delivered_scripts", EncodeScriptIds(record.DeliveredScripts)),
        ("@final_cryptogram", record.FinalCryptogram),
    ];

    private static byte[] EncodeScriptIds(IReadOnlyList<uint> ids)
    {
        byte[] bytes = new byte[ids.Count * 4];
        for (int i = 0; i < ids.Count; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(i * 4), ids[i]);
        }

        return bytes;
    }

    private static uint[] DecodeScriptIds(byte[] bytes)
    {
        uint[] ids = new uint[bytes.Length / 4];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(i * 4));
        }

        return ids;
    }
}
