using System.Globalization;
using Jinka.Host.Issuing;

namespace Jinka.Host.Storage.Sql;

/// <summary>The read model behind <c>jinka host ledger</c>: balances, the books check, the approved authorisations.</summary>
internal sealed class SqlLedgerReader(SqlStoreEngine engine)
{
    public Task<LedgerReport> ReadAsync(CancellationToken cancellationToken) =>
        engine.ReadAsync(async (session, ct) =>
        {
            var accounts = await session.QueryAsync(
                "SELECT id, currency, balance, held, credit_limit FROM accounts ORDER BY id", SqlAccountStore.ReadAccount, ct).ConfigureAwait(false);
            var books = await CheckAsync(session, ct).ConfigureAwait(false);
            var authorizations = await session.QueryAsync(
                "SELECT reference, pan, psn, atc, terminal_id, stan, amount, currency, approval_code, state, at FROM authorizations WHERE approval_code IS NOT NULL ORDER BY reference",
                r => new ApprovedAuthorization(r.GetString(0), CardId.Create(r.GetString(1), r.GetString(2)), checked((ushort)r.GetInt64(3)), r.GetString(4), r.Int32(5),
                    r.GetInt64(6), r.GetString(7), r.GetString(8), (AuthorizationState)r.GetInt64(9), r.Time(10)),
                ct).ConfigureAwait(false);
            return new LedgerReport(engine.Dialect.Describe, engine.SchemaVersion, accounts, books, authorizations);
        }, cancellationToken);

    public Task<BooksCheck> CheckAsync(CancellationToken cancellationToken) => engine.ReadAsync(CheckAsync, cancellationToken);

    private static async Task<BooksCheck> CheckAsync(SqlSession session, CancellationToken ct)
    {
        var problems = new List<string>();
        var counts = (await session.QuerySingleAsync(
            "SELECT (SELECT COUNT(*) FROM movements), (SELECT COUNT(*) FROM postings)", r => ((long, long)?)(r.GetInt64(0), r.GetInt64(1)), ct).ConfigureAwait(false))!.Value;

        problems.AddRange(await session.QueryAsync(
            "SELECT movement_seq, SUM(amount) FROM postings GROUP BY movement_seq HAVING SUM(amount) <> 0 ORDER BY movement_seq",
            r => Invariant($"movement {r.GetInt64(0)}: its postings sum to {r.GetInt64(1)}, not 0"), ct).ConfigureAwait(false));

        problems.AddRange(await session.QueryAsync(
            "SELECT seq FROM movements m WHERE NOT EXISTS (SELECT 1 FROM postings p WHERE p.movement_seq = m.seq) ORDER BY seq",
            r => Invariant($"movement {r.GetInt64(0)} has no postings"), ct).ConfigureAwait(false));

        problems.AddRange(await session.QueryAsync(
            """
            SELECT a.id, a.balance, a.held, COALESCE(p.balance, 0), COALESCE(p.held, 0)
            FROM accounts a LEFT JOIN (
                SELECT account_id,
                       SUM(CASE WHEN bucket = 'B' THEN amount ELSE 0 END) AS balance,
                       SUM(CASE WHEN bucket = 'H' THEN amount ELSE 0 END) AS held
                FROM postings GROUP BY account_id) p ON p.account_id = a.id
            WHERE a.balance <> COALESCE(p.balance, 0) OR a.held <> COALESCE(p.held, 0)
            ORDER BY a.id
            """,
            r => Invariant($"account {r.GetString(0)}: balance {r.GetInt64(1)} and held {r.GetInt64(2)}, but its postings sum to {r.GetInt64(3)} and {r.GetInt64(4)}"),
            ct).ConfigureAwait(false));

        problems.AddRange(await session.QueryAsync(
            """
            SELECT a.id, a.held, COALESCE(h.open, 0)
            FROM accounts a LEFT JOIN (SELECT account_id, SUM(amount) AS open FROM holds WHERE stage = 0 GROUP BY account_id) h ON h.account_id = a.id
            WHERE a.held <> COALESCE(h.open, 0)
            ORDER BY a.id
            """,
            r => Invariant($"account {r.GetString(0)}: held {r.GetInt64(1)}, but its open holds sum to {r.GetInt64(2)}"), ct).ConfigureAwait(false));

        problems.AddRange(await session.QueryAsync(
            "SELECT currency, SUM(amount) FROM postings GROUP BY currency HAVING SUM(amount) <> 0 ORDER BY currency",
            r => Invariant($"currency {r.GetString(0)}: all postings sum to {r.GetInt64(1)}, not 0"), ct).ConfigureAwait(false));

        var internals = await session.QueryAsync(
            "SELECT account_id, currency, SUM(amount) FROM postings WHERE account_id LIKE '~%' GROUP BY account_id, currency ORDER BY account_id",
            r => new LedgerBalance(r.GetString(0), r.GetString(1), r.GetInt64(2)), ct).ConfigureAwait(false);
        return new BooksCheck(counts.Item1, counts.Item2, internals, problems);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
