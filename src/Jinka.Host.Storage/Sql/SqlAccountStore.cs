using System.Data.Common;
using System.Globalization;
using Jinka.Host.Ledger;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// <see cref="IAccountStore"/> as a double-entry ledger. Every movement is one <c>movements</c> row (the
/// <see cref="LedgerEntry"/> the customer account shows) and a balanced set of <c>postings</c> that sum to zero:
/// the customer account's balance (bucket B) or held funds (bucket H) against the store's internal accounts
/// (<see cref="LedgerBook"/>). <c>accounts.balance</c> and <c>accounts.held</c> are kept equal to the sums of the
/// account's postings; <see cref="SqlLedgerReader.CheckAsync(CancellationToken)"/> proves it.
/// </summary>
/// <remarks>
/// Every change runs in the group-commit writer, so each check-and-change is atomic, and the hold's funds check is
/// also in the UPDATE's WHERE clause, so even a second writer on the same database cannot overdraw an account.
/// </remarks>
internal sealed class SqlAccountStore(SqlStoreEngine engine) : IAccountStore
{
    private const string AccountColumns = "id, currency, balance, held, credit_limit";

    /// <inheritdoc/>
    public async ValueTask<Account> OpenAccountAsync(string accountId, string currency, long openingBalance, long creditLimit = 0, CancellationToken cancellationToken = default)
    {
        ValidateId(accountId, "account id");
        if (accountId.StartsWith(LedgerBook.InternalPrefix, StringComparison.Ordinal))
        {
            throw new LedgerException($"Account ids starting with '{LedgerBook.InternalPrefix}' belong to the store's internal accounts; got '{accountId}'.");
        }

        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiDigit))
        {
            throw new LedgerException($"Currency '{currency}' is not an ISO 4217 numeric code of 3 digits.");
        }

        if (openingBalance < 0 || creditLimit < 0)
        {
            throw new LedgerException(Invariant($"Opening balance ({openingBalance}) and credit limit ({creditLimit}) cannot be negative."));
        }

        var opened = await engine.WriteAsync(async (session, ct) =>
        {
            int added = await session.ExecuteAsync(
                "INSERT INTO accounts (id, currency, balance, held, credit_limit, opened_at) VALUES (@id, @currency, @balance, 0, @limit, @at) ON CONFLICT (id) DO NOTHING",
                ct, ("@id", accountId), ("@currency", currency), ("@balance", openingBalance), ("@limit", creditLimit), ("@at", engine.NowTicks)).ConfigureAwait(false);
            if (added == 0)
            {
                return null;
            }

            var account = new Account(accountId, currency, openingBalance, 0, creditLimit);
            await BookAsync(session, account, LedgerEntryKind.Opening, openingBalance, "opening", "opening balance", ct).ConfigureAwait(false);
            return account;
        }, cancellationToken).ConfigureAwait(false);
        return opened ?? throw new LedgerException($"Account '{accountId}' already exists.");
    }

    /// <inheritdoc/>
    public async ValueTask<Account?> FindAsync(string accountId, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync((session, ct) => FindAsync(session, accountId, ct), cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<LedgerResult> PlaceHoldAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default)
    {
        ValidateId(reference, "reference");
        ValidateAmount(amount);
        if (engine.Dialect.WritesWithCommonTableExpressions)
        {
            return await engine.WriteBeforeResponseAsync(
                new SqlStatement<LedgerResult>(PlaceHoldSql, [("@amount", amount), ("@id", accountId), ("@reference", reference), ("@kind", (int)LedgerEntryKind.Hold),
                    ("@at", engine.NowTicks), ("@description", description)], ReadPlaceHoldAsync),
                cancellationToken).ConfigureAwait(false);
        }

        return await engine.WriteBeforeResponseAsync(async (session, ct) =>
        {
            var account = await session.QuerySingleAsync(
                $"""
                UPDATE accounts SET held = held + @amount
                WHERE id = @id AND balance + credit_limit - held >= @amount AND NOT EXISTS (SELECT 1 FROM holds WHERE reference = @reference)
                RETURNING {AccountColumns}
                """,
                ReadAccount, ct, ("@amount", amount), ("@id", accountId), ("@reference", reference)).ConfigureAwait(false);
            if (account is null)
            {
                var current = await FindAsync(session, accountId, ct).ConfigureAwait(false);
                if (current is null)
                {
                    return new LedgerResult(LedgerStatus.UnknownAccount, null);
                }

                var hold = await FindHoldAsync(session, reference, ct).ConfigureAwait(false);
                return hold is null
                    ? new LedgerResult(LedgerStatus.InsufficientFunds, current)
                    : new LedgerResult(LedgerStatus.AlreadyDone, await FindAsync(session, hold.AccountId, ct).ConfigureAwait(false));
            }

            await session.ExecuteAsync(
                "INSERT INTO holds (reference, account_id, amount, stage) VALUES (@reference, @id, @amount, @stage)",
                ct, ("@reference", reference), ("@id", accountId), ("@amount", amount), ("@stage", (int)HoldStage.Held)).ConfigureAwait(false);
            await BookAsync(session, account, LedgerEntryKind.Hold, amount, reference, description, ct).ConfigureAwait(false);
            return new LedgerResult(LedgerStatus.Done, account);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<LedgerResult> CaptureHoldAsync(string reference, string description, CancellationToken cancellationToken = default) =>
        await engine.WriteAsync(async (session, ct) =>
        {
            var hold = await FindHoldAsync(session, reference, ct).ConfigureAwait(false);
            if (hold is null)
            {
                return new LedgerResult(LedgerStatus.UnknownReference, null);
            }

            switch (hold.Stage)
            {
                case HoldStage.Captured:
                    return new LedgerResult(LedgerStatus.AlreadyDone, await FindAsync(session, hold.AccountId, ct).ConfigureAwait(false));
                case HoldStage.Released or HoldStage.DebitReversed:
                    return new LedgerResult(LedgerStatus.Reversed, await FindAsync(session, hold.AccountId, ct).ConfigureAwait(false));
            }

            var account = await MoveAsync(session, hold, HoldStage.Captured, balanceChange: -hold.Amount, heldChange: -hold.Amount, ct).ConfigureAwait(false);
            await BookAsync(session, account, LedgerEntryKind.Debit, hold.Amount, reference, description, ct).ConfigureAwait(false);
            return new LedgerResult(LedgerStatus.Done, account);
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<LedgerResult> ReverseAsync(string reference, string description, CancellationToken cancellationToken = default) =>
        await engine.WriteAsync(async (session, ct) =>
        {
            var hold = await FindHoldAsync(session, reference, ct).ConfigureAwait(false);
            if (hold is null)
            {
                return new LedgerResult(LedgerStatus.UnknownReference, null);
            }

            Account account;
            switch (hold.Stage)
            {
                case HoldStage.Held:
                    account = await MoveAsync(session, hold, HoldStage.Released, balanceChange: 0, heldChange: -hold.Amount, ct).ConfigureAwait(false);
                    await BookAsync(session, account, LedgerEntryKind.HoldReleased, hold.Amount, reference, description, ct).ConfigureAwait(false);
                    return new LedgerResult(LedgerStatus.Done, account);
                case HoldStage.Captured:
                    account = await MoveAsync(session, hold, HoldStage.DebitReversed, balanceChange: hold.Amount, heldChange: 0, ct).ConfigureAwait(false);
                    await BookAsync(session, account, LedgerEntryKind.DebitReversed, hold.Amount, reference, description, ct).ConfigureAwait(false);
                    return new LedgerResult(LedgerStatus.Done, account);
                default:
                    return new LedgerResult(LedgerStatus.AlreadyDone, await FindAsync(session, hold.AccountId, ct).ConfigureAwait(false));
            }
        }, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc/>
    public async ValueTask<LedgerResult> CreditAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default)
    {
        ValidateId(reference, "reference");
        ValidateAmount(amount);
        return await engine.WriteAsync(async (session, ct) =>
        {
            var current = await FindAsync(session, accountId, ct).ConfigureAwait(false);
            if (current is null)
            {
                return new LedgerResult(LedgerStatus.UnknownAccount, null);
            }

            int added = await session.ExecuteAsync(
                "INSERT INTO credits (reference, account_id, amount) VALUES (@reference, @id, @amount) ON CONFLICT (reference) DO NOTHING",
                ct, ("@reference", reference), ("@id", accountId), ("@amount", amount)).ConfigureAwait(false);
            if (added == 0)
            {
                return new LedgerResult(LedgerStatus.AlreadyDone, current);
            }

            var account = (await session.QuerySingleAsync(
                $"UPDATE accounts SET balance = balance + @amount WHERE id = @id RETURNING {AccountColumns}",
                ReadAccount, ct, ("@amount", amount), ("@id", accountId)).ConfigureAwait(false))!;
            await BookAsync(session, account, LedgerEntryKind.Credit, amount, reference, description, ct).ConfigureAwait(false);
            return new LedgerResult(LedgerStatus.Done, account);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string accountId, CancellationToken cancellationToken = default) =>
        await engine.ReadAsync(
            (session, ct) => session.QueryAsync(
                "SELECT seq, account_id, kind, amount, reference, at, description FROM movements WHERE account_id = @id ORDER BY seq",
                r => new LedgerEntry(r.GetInt64(0), r.GetString(1), (LedgerEntryKind)r.GetInt64(2), r.GetInt64(3), r.GetString(4), r.Time(5), r.GetString(6)),
                ct, ("@id", accountId)),
            cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// The whole hold in one statement (PostgreSQL): the conditional reservation, the hold, the movement and its
    /// postings (<see cref="LedgerBook"/>'s Hold rule: the customer's H bucket against "~holds/CUR"), and a row saying
    /// what happened: 0 done (the account after), 1 already placed (the hold's account), 2 insufficient funds; no row
    /// when the account is unknown.
    /// </summary>
    private const string PlaceHoldSql = """
        WITH acc AS (
            UPDATE accounts SET held = held + @amount
            WHERE id = @id AND balance + credit_limit - held >= @amount AND NOT EXISTS (SELECT 1 FROM holds WHERE reference = @reference)
            RETURNING id, currency, balance, held, credit_limit),
        hold AS (
            INSERT INTO holds (reference, account_id, amount, stage) SELECT @reference, id, @amount, 0 FROM acc RETURNING reference),
        movement AS (
            INSERT INTO movements (account_id, kind, amount, reference, at, description)
            SELECT id, @kind, @amount, @reference, @at, @description FROM acc RETURNING seq),
        posted AS (
            INSERT INTO postings (movement_seq, line, account_id, bucket, currency, amount)
            SELECT movement.seq, 1, acc.id, 'H', acc.currency, @amount FROM movement CROSS JOIN acc
            UNION ALL
            SELECT movement.seq, 2, '~holds/' || acc.currency, 'B', acc.currency, -@amount FROM movement CROSS JOIN acc)
        SELECT 0, id, currency, balance, held, credit_limit FROM acc
        UNION ALL
        SELECT 1, a.id, a.currency, a.balance, a.held, a.credit_limit FROM holds h JOIN accounts a ON a.id = h.account_id
        WHERE h.reference = @reference AND NOT EXISTS (SELECT 1 FROM acc) AND EXISTS (SELECT 1 FROM accounts WHERE id = @id)
        UNION ALL
        SELECT 2, a.id, a.currency, a.balance, a.held, a.credit_limit FROM accounts a
        WHERE a.id = @id AND NOT EXISTS (SELECT 1 FROM acc) AND NOT EXISTS (SELECT 1 FROM holds WHERE reference = @reference)
        """;

    private static async Task<LedgerResult> ReadPlaceHoldAsync(DbDataReader reader, CancellationToken ct)
    {
        if (!await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            return new LedgerResult(LedgerStatus.UnknownAccount, null);
        }

        var account = new Account(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5));
        var status = reader.GetInt64(0) switch
        {
            0 => LedgerStatus.Done,
            1 => LedgerStatus.AlreadyDone,
            _ => LedgerStatus.InsufficientFunds,
        };
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
        }

        return new LedgerResult(status, account);
    }

    internal static Account ReadAccount(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4));

    internal static Task<Account?> FindAsync(SqlSession session, string accountId, CancellationToken ct) =>
        session.QuerySingleAsync<Account?>($"SELECT {AccountColumns} FROM accounts WHERE id = @id", ReadAccount, ct, ("@id", accountId));

    private static Task<HoldRow?> FindHoldAsync(SqlSession session, string reference, CancellationToken ct) =>
        session.QuerySingleAsync<HoldRow?>(
            "SELECT reference, account_id, amount, stage FROM holds WHERE reference = @reference",
            r => new HoldRow(r.GetString(0), r.GetString(1), r.GetInt64(2), (HoldStage)r.GetInt64(3)), ct, ("@reference", reference));

    /// <summary>Moves the hold to <paramref name="stage"/> and the account's balance and held amount with it.</summary>
    private static async Task<Account> MoveAsync(SqlSession session, HoldRow hold, HoldStage stage, long balanceChange, long heldChange, CancellationToken ct)
    {
        await session.ExecuteAsync("UPDATE holds SET stage = @stage WHERE reference = @reference", ct, ("@stage", (int)stage), ("@reference", hold.Reference)).ConfigureAwait(false);
        return (await session.QuerySingleAsync(
            $"UPDATE accounts SET balance = balance + @balance, held = held + @held WHERE id = @id RETURNING {AccountColumns}",
            ReadAccount, ct, ("@balance", balanceChange), ("@held", heldChange), ("@id", hold.AccountId)).ConfigureAwait(false))!;
    }

    /// <summary>Writes the movement and its balanced postings.</summary>
    private async Task BookAsync(SqlSession session, Account account, LedgerEntryKind kind, long amount, string reference, string description, CancellationToken ct)
    {
        var postings = LedgerBook.Postings(kind, account.Id, account.Currency, amount);
        var parameters = new List<(string, object?)>(6 + (3 * postings.Count))
        {
            ("@account", account.Id), ("@kind", (int)kind), ("@amount", amount), ("@reference", reference),
            ("@at", engine.NowTicks), ("@description", description), ("@currency", account.Currency),
        };
        for (int i = 0; i < postings.Count; i++)
        {
            parameters.Add((PostingParameter("a", i), postings[i].AccountId));
            parameters.Add((PostingParameter("b", i), postings[i].Bucket));
            parameters.Add((PostingParameter("x", i), postings[i].Amount));
        }

        if (engine.Dialect.WritesWithCommonTableExpressions)
        {
            await session.ExecuteAsync(MovementWithPostingsSql(postings.Count), ct, [.. parameters]).ConfigureAwait(false);
            return;
        }

        long seq = (await session.QuerySingleAsync(InsertMovementSql, r => (long?)r.GetInt64(0), ct, [.. parameters[..6]]).ConfigureAwait(false))!.Value;
        parameters.Add(("@seq", seq));
        await session.ExecuteAsync(InsertPostingsSql(postings.Count), ct, [.. parameters[6..]]).ConfigureAwait(false);
    }

    private const string InsertMovementSql =
        "INSERT INTO movements (account_id, kind, amount, reference, at, description) VALUES (@account, @kind, @amount, @reference, @at, @description) RETURNING seq";

    private static readonly string[] s_postingsSql = [.. Enumerable.Range(0, 5).Select(n =>
        "INSERT INTO postings (movement_seq, line, account_id, bucket, currency, amount) VALUES " +
        string.Join(", ", Enumerable.Range(0, n).Select(i => Invariant($"(@seq, {i + 1}, {PostingParameter("a", i)}, {PostingParameter("b", i)}, @currency, {PostingParameter("x", i)})"))))];

    private static readonly string[] s_movementWithPostingsSql = [.. Enumerable.Range(0, 5).Select(n =>
        $"WITH m AS ({InsertMovementSql}) INSERT INTO postings (movement_seq, line, account_id, bucket, currency, amount) " +
        "SELECT m.seq, p.line, p.account_id, p.bucket, @currency, p.amount FROM m CROSS JOIN (VALUES " +
        string.Join(", ", Enumerable.Range(0, n).Select(i => Invariant($"({i + 1}, {PostingParameter("a", i)}, {PostingParameter("b", i)}, {PostingParameter("x", i)})"))) +
        ") AS p (line, account_id, bucket, amount)")];

    private static string InsertPostingsSql(int count) => s_postingsSql[count];

    private static string MovementWithPostingsSql(int count) => s_movementWithPostingsSql[count];

    private static string PostingParameter(string what, int index) => Invariant($"@{what}{index}");

    private static void ValidateId(string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            throw new LedgerException($"The {what} must be 1 to 64 characters; got '{id}'.");
        }
    }

    private static void ValidateAmount(long amount)
    {
        if (amount < 0)
        {
            throw new LedgerException(Invariant($"Amounts are positive minor units; got {amount}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record HoldRow(string Reference, string AccountId, long Amount, HoldStage Stage);
}

/// <summary>Where a hold stands (holds.stage).</summary>
internal enum HoldStage
{
    Held = 0,
    Captured = 1,
    Released = 2,
    DebitReversed = 3,
}
