namespace Jinka.Host.Storage;

/// <summary>Settings of a durable issuer store.</summary>
public sealed record IssuerStoreOptions
{
    /// <summary>The clock for ledger entries and the schema log.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Most operations committed together by the writer (group commit).</summary>
    public int MaxBatch { get; init; } = 512;

    /// <summary>Reader connections kept open between reads.</summary>
    public int IdleReaders { get; init; } = 32;

    /// <summary>
    /// Authorisation sequence numbers reserved per durable write. Numbers reserved but not used before a restart are
    /// skipped (references stay unique and increasing, with gaps).
    /// </summary>
    public int SequenceBlock { get; init; } = 1000;

    /// <summary>When a write's commit is flushed to disk before its caller goes on; see <see cref="StoreDurability"/>.</summary>
    public StoreDurability Durability { get; init; } = StoreDurability.EveryWrite;
}

/// <summary>How long a caller waits for durability.</summary>
public enum StoreDurability
{
    /// <summary>Every mutating call returns after its commit was flushed (SQLite synchronous=FULL, PostgreSQL synchronous_commit=on).</summary>
    EveryWrite,

    /// <summary>
    /// The writes the issuer makes on the way to an answer (the ATC claim, the hold, sequence blocks, script
    /// deliveries) return once committed, before the flush; the journal update that records the decision, and every
    /// other write, waits for its flush. Commits are flushed in order, so when the issuer answers, everything the
    /// answer rests on is on disk; a crash before then loses only writes of requests not yet answered. A killed
    /// process loses nothing committed in either mode (SQLite's WAL and PostgreSQL hold it); the difference is a
    /// power cut. Fewer flushes per authorisation: one instead of three.
    /// </summary>
    BeforeResponse,
}
