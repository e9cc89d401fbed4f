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
}
