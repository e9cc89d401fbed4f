using System.Globalization;

namespace Jinka.Host.Storage.Sql;

/// <summary>One step of the schema: applied once, in order, in its own transaction, and recorded in schema_version.</summary>
/// <param name="Version">1, 2, 3 …: the schema version once the step is applied.</param>
/// <param name="Description">What it changes.</param>
/// <param name="Statements">DDL with the dialect's type placeholders ({int} {text} {bytes} {serial_pk}).</param>
internal sealed record MigrationStep(int Version, string Description, IReadOnlyList<string> Statements);

/// <summary>
/// The issuer schema, as a versioned list of steps, and the migrator that brings a database up to date when a
/// store opens. Never edit a released step: add a new one. Amounts are minor units, times UTC ticks, booleans 0/1.
/// </summary>
internal static class SchemaMigrations
{
    public static IReadOnlyList<MigrationStep> Steps { get; } =
    [
        new(1, "cards, double-entry ledger (accounts, movements, postings, holds, credits), authorisation journal, PIN tries, scripts, counters",
        [
            """
            CREATE TABLE cards (
                pan {text} NOT NULL, psn {text} NOT NULL, suite {int} NOT NULL,
                key_ac {text} NOT NULL, key_mac {text} NOT NULL, key_enc {text} NOT NULL,
                account_id {text} NOT NULL, status {int} NOT NULL, udk_option {int} NOT NULL, session_key_method {int} NOT NULL,
                pvk_label {text}, pvki {int}, pvv {text},
                PRIMARY KEY (pan, psn))
            """,
            """
            CREATE TABLE accounts (
                id {text} PRIMARY KEY, currency {text} NOT NULL,
                balance {int} NOT NULL, held {int} NOT NULL, credit_limit {int} NOT NULL, opened_at {int} NOT NULL)
            """,
            """
            CREATE TABLE movements (
                seq {serial_pk}, account_id {text} NOT NULL REFERENCES accounts (id), kind {int} NOT NULL,
                amount {int} NOT NULL, reference {text} NOT NULL, at {int} NOT NULL, description {text} NOT NULL)
            """,
            "CREATE INDEX movements_by_account ON movements (account_id, seq)",
            """
            CREATE TABLE postings (
                movement_seq {int} NOT NULL REFERENCES movements (seq), line {int} NOT NULL,
                account_id {text} NOT NULL, bucket {text} NOT NULL, currency {text} NOT NULL, amount {int} NOT NULL,
                PRIMARY KEY (movement_seq, line))
            """,
            """
            CREATE TABLE holds (
                reference {text} PRIMARY KEY, account_id {text} NOT NULL REFERENCES accounts (id),
                amount {int} NOT NULL, stage {int} NOT NULL)
            """,
            """
            CREATE TABLE credits (
                reference {text} PRIMARY KEY, account_id {text} NOT NULL REFERENCES accounts (id), amount {int} NOT NULL)
            """,
            """
            CREATE TABLE authorizations (
                reference {text} PRIMARY KEY, pan {text} NOT NULL, psn {text} NOT NULL, atc {int} NOT NULL,
                terminal_id {text} NOT NULL, stan {int} NOT NULL, processing_code {text} NOT NULL,
                amount {int} NOT NULL, currency {text} NOT NULL, at {int} NOT NULL,
                state {int} NOT NULL, response_code {text} NOT NULL, approval_code {text}, reason {text} NOT NULL,
                account_id {text}, hold_placed {int} NOT NULL, arqc {bytes}, response_icc {bytes},
                delivered_scripts {bytes}, final_cryptogram {text},
                UNIQUE (pan, psn, atc))
            """,
            "CREATE TABLE pin_tries (pan {text} NOT NULL, psn {text} NOT NULL, failures {int} NOT NULL, PRIMARY KEY (pan, psn))",
            """
            CREATE TABLE scripts (
                id {int} PRIMARY KEY, pan {text} NOT NULL, psn {text} NOT NULL, template {int} NOT NULL,
                commands {bytes} NOT NULL, queued_at {int} NOT NULL, state {int} NOT NULL, deliveries {int} NOT NULL,
                last_reference {text}, result {bytes}, reason {text}, finished_at {int})
            """,
            "CREATE INDEX scripts_by_card ON scripts (pan, psn, id)",
            "CREATE TABLE counters (name {text} PRIMARY KEY, value {int} NOT NULL)",
        ]),
        new(2, "lookups of authorisations by terminal and STAN (duplicates, advices) and by approval (the ledger report)",
        [
            "CREATE INDEX authorizations_by_trace ON authorizations (terminal_id, stan)",
            "CREATE INDEX authorizations_by_approval ON authorizations (approval_code)",
        ]),
        new(3, "pending authorisations (the start-up recovery), a partial index that stays as small as the decisions in flight",
        [
            "CREATE INDEX authorizations_pending ON authorizations (reference) WHERE state = 0",
        ]),
    ];

    public static int LatestVersion => Steps[^1].Version;

    /// <summary>Applies the steps after the database's version, up to <paramref name="targetVersion"/> (default: all); returns the version reached.</summary>
    /// <exception cref="StoreException">The database is newer than this code, or a step fails.</exception>
    public static async Task<int> MigrateAsync(SqlSession session, SqlDialect dialect, IReadOnlyList<MigrationStep> steps, int? targetVersion, CancellationToken cancellationToken)
    {
        if (dialect.MigrationLock is not { } migrationLock)
        {
            return await MigrateLockedAsync(session, dialect, steps, targetVersion, cancellationToken).ConfigureAwait(false);
        }

        await session.QuerySingleAsync(migrationLock.Take, _ => 0, cancellationToken).ConfigureAwait(false);
        try
        {
            return await MigrateLockedAsync(session, dialect, steps, targetVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.QuerySingleAsync(migrationLock.Release, _ => 0, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task<int> MigrateLockedAsync(SqlSession session, SqlDialect dialect, IReadOnlyList<MigrationStep> steps, int? targetVersion, CancellationToken cancellationToken)
    {
        int target = targetVersion ?? steps[^1].Version;
        await session.ExecuteAsync(
            dialect.Ddl("CREATE TABLE IF NOT EXISTS schema_version (version {int} PRIMARY KEY, description {text} NOT NULL, applied_at {int} NOT NULL)"),
            cancellationToken).ConfigureAwait(false);

        int current = await ReadVersionAsync(session, cancellationToken).ConfigureAwait(false);
        if (current > steps[^1].Version)
        {
            throw new StoreException(string.Create(CultureInfo.InvariantCulture,
                $"The {dialect.Name} store at {dialect.Describe} has schema version {current}; this program knows versions up to {steps[^1].Version}. Use a newer program."));
        }

        foreach (var step in steps.Where(s => s.Version > current && s.Version <= target))
        {
            // BEGIN IMMEDIATE on SQLite: the write lock is taken before the version is read again.
            var transaction = await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                session.Transaction = transaction;
                try
                {
                    // Another process may have applied it while this one waited for the lock.
                    if (await ReadVersionAsync(session, cancellationToken).ConfigureAwait(false) >= step.Version)
                    {
                        continue;
                    }

                    foreach (string statement in step.Statements)
                    {
                        await session.ExecuteAsync(dialect.Ddl(statement), cancellationToken).ConfigureAwait(false);
                    }

                    await session.ExecuteAsync(
                        "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @at)",
                        cancellationToken, ("@version", step.Version), ("@description", step.Description), ("@at", DateTime.UtcNow.Ticks)).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not StoreException and not OperationCanceledException)
                {
                    throw new StoreException(string.Create(CultureInfo.InvariantCulture,
                        $"Migrating the {dialect.Name} store at {dialect.Describe} to schema version {step.Version} ({step.Description}) failed: {ex.Message}"), ex);
                }
                finally
                {
                    session.Transaction = null;
                }
            }
        }

        return await ReadVersionAsync(session, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ReadVersionAsync(SqlSession session, CancellationToken cancellationToken) =>
        (int)(await session.QuerySingleAsync("SELECT MAX(version) FROM schema_version", r => r.IsDBNull(0) ? 0L : r.GetInt64(0), cancellationToken).ConfigureAwait(false));
}
