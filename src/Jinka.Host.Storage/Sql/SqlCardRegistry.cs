using System.Data.Common;
using Jinka.Crypto;
using Jinka.Crypto.Emv;
using Jinka.Host.Issuing;

namespace Jinka.Host.Storage.Sql;

/// <summary><see cref="ICardRegistry"/> in the <c>cards</c> table.</summary>
internal sealed class SqlCardRegistry(SqlStoreEngine engine) : ICardRegistry
{
    private const string Columns = "pan, psn, suite, key_ac, key_mac, key_enc, account_id, status, udk_option, session_key_method, pvk_label, pvki, pvv";

    /// <inheritdoc/>
    public async ValueTask<CardRecord?> FindAsync(CardId card, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QuerySingleAsync<CardRecord?>($"SELECT {Columns} FROM cards WHERE pan = @pan AND psn = @psn", Read, ct, ("@pan", card.Pan), ("@psn", card.Psn)),
            cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<bool> RegisterAsync(CardRecord card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        return await engine.WriteAsync(async (session, ct) =>
        {
            int updated = await session.ExecuteAsync(
                """
                UPDATE cards SET suite = @suite, key_ac = @key_ac, key_mac = @key_mac, key_enc = @key_enc, account_id = @account_id, status = @status,
                    udk_option = @udk_option, session_key_method = @session_key_method, pvk_label = @pvk_label, pvki = @pvki, pvv = @pvv
                WHERE pan = @pan AND psn = @psn
                """,
                ct, Parameters(card)).ConfigureAwait(false);
            if (updated == 1)
            {
                return false;
            }

            await session.ExecuteAsync(
                $"INSERT INTO cards ({Columns}) VALUES (@pan, @psn, @suite, @key_ac, @key_mac, @key_enc, @account_id, @status, @udk_option, @session_key_method, @pvk_label, @pvki, @pvv)",
                ct, Parameters(card)).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<bool> SetStatusAsync(CardId card, CardStatus status, CancellationToken cancellationToken = default) =>
        await engine.WriteAsync(
            async (session, ct) => await session.ExecuteAsync(
                "UPDATE cards SET status = @status WHERE pan = @pan AND psn = @psn",
                ct, ("@status", (int)status), ("@pan", card.Pan), ("@psn", card.Psn)).ConfigureAwait(false) == 1,
            cancellationToken).ConfigureAwait(false);

    private static CardRecord Read(DbDataReader r)
    {
        var id = CardId.Create(r.GetString(0), r.GetString(1));
        string? pvkLabel = r.NullableString(10);
        return new CardRecord(id, (SuiteId)r.GetInt64(2), new CardKeyLabels(r.GetString(3), r.GetString(4), r.GetString(5)), r.GetString(6))
        {
            Status = (CardStatus)r.GetInt64(7),
            KeyScheme = new EmvKeyScheme((UdkOption)r.GetInt64(8), (SessionKeyMethod)r.GetInt64(9)),
            PinVerification = pvkLabel is null ? null : new PinVerificationReference(pvkLabel, r.Int32(11), r.GetString(12)),
        };
    }

    private static (string, object?)[] Parameters(CardRecord card) =>
    [
        ("@pan", card.Id.Pan), ("@psn", card.Id.Psn), ("@suite", (int)card.Suite), ("@key_ac", card.Keys.Ac), ("@key_mac", card.Keys.Mac),
        ("@key_enc", card.Keys.Enc), ("@account_id", card.AccountId), ("@status", (int)card.Status),
        ("@udk_option", (int)card.KeyScheme.UdkOption), ("@session_key_method", (int)card.KeyScheme.SessionKeyMethod),
        ("@pvk_label", card.PinVerification?.PvkLabel), ("@pvki", card.PinVerification?.Pvki), ("@pvv", card.PinVerification?.Pvv),
    ];
}
