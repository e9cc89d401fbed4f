using System.Collections.Concurrent;

namespace Jinka.Host.Issuing;

/// <summary>
/// Every authorisation whose ARQC verified, keyed by card and ATC (the replay check) and by reference. Adding a
/// record is the atomic claim of that ATC: of two requests carrying the same ATC, exactly one is added.
/// </summary>
/// <remarks>A durable implementation (issue 5) commits in <see cref="TryAddAsync"/> and <see cref="UpdateAsync"/>
/// before returning, and keeps <see cref="AuthorizationRecord.ResponseIccData"/> so a duplicate can be answered with
/// the original response.</remarks>
public interface IAuthorizationJournal
{
    /// <summary>A new number for references (retrieval reference numbers) and approval codes; never repeats.</summary>
    ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds <paramref name="record"/>; false (and nothing added) when its card and ATC are already recorded.</summary>
    ValueTask<bool> TryAddAsync(AuthorizationRecord record, CancellationToken cancellationToken = default);

    /// <summary>Replaces the record with the same <see cref="AuthorizationRecord.Reference"/>.</summary>
    /// <exception cref="KeyNotFoundException">There is no such record.</exception>
    ValueTask UpdateAsync(AuthorizationRecord record, CancellationToken cancellationToken = default);

    /// <summary>The authorisation of <paramref name="card"/> with ATC <paramref name="atc"/>, if any.</summary>
    ValueTask<AuthorizationRecord?> FindByAtcAsync(CardId card, ushort atc, CancellationToken cancellationToken = default);

    /// <summary>The latest authorisation of <paramref name="card"/> from terminal <paramref name="terminalId"/> with STAN <paramref name="stan"/>.</summary>
    ValueTask<AuthorizationRecord?> FindByTraceAsync(string terminalId, int stan, CardId card, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every record still <see cref="AuthorizationState.Pending"/>, by reference: decisions a stopped host never
    /// finished (see <see cref="Issuer.RecoverAsync"/>).
    /// </summary>
    ValueTask<IReadOnlyList<AuthorizationRecord>> FindPendingAsync(CancellationToken cancellationToken = default);
}

/// <summary>Where an authorisation stands.</summary>
public enum AuthorizationState
{
    /// <summary>ATC claimed, decision in progress.</summary>
    Pending,

    /// <summary>Approved ("00"); a hold may be open.</summary>
    Approved,

    /// <summary>Declined by the issuer after the ARQC verified (51, 57, 62 …).</summary>
    Declined,

    /// <summary>The completion advice came with a TC (or without a cryptogram); the hold was captured.</summary>
    Completed,

    /// <summary>The card declined (AAC) at the 2nd GENERATE AC after the issuer approved; the hold was released.</summary>
    DeclinedByCard,

    /// <summary>Reversed; the hold was released or the debit credited back.</summary>
    Reversed,
}

/// <summary>One authorisation in the journal.</summary>
/// <param name="Reference">The retrieval reference number (field 37), 12 digits; also the ledger hold's reference.</param>
/// <param name="Card">PAN and PSN.</param>
/// <param name="Atc">The ATC (9F36) of the ARQC.</param>
/// <param name="TerminalId">Field 41.</param>
/// <param name="Stan">Field 11.</param>
/// <param name="ProcessingCode">Field 3.</param>
/// <param name="Amount">Field 4, minor units.</param>
/// <param name="Currency">Field 49.</param>
/// <param name="At">When the issuer received it.</param>
public sealed record AuthorizationRecord(
    string Reference,
    CardId Card,
    ushort Atc,
    string TerminalId,
    int Stan,
    string ProcessingCode,
    long Amount,
    string Currency,
    DateTimeOffset At)
{
    public AuthorizationState State { get; init; } = AuthorizationState.Pending;

    /// <summary>Field 39 as answered; empty while pending.</summary>
    public string ResponseCode { get; init; } = string.Empty;

    public string? ApprovalCode { get; init; }

    /// <summary>Why the issuer answered as it did.</summary>
    public string Reason { get; init; } = string.Empty;

    /// <summary>The account debited, when a hold was placed.</summary>
    public string? AccountId { get; init; }

    /// <summary>True when the approval placed a ledger hold under <see cref="Reference"/>.</summary>
    public bool HoldPlaced { get; init; }

    /// <summary>The ARQC (9F26) of the request, for the completion's checks.</summary>
    public ReadOnlyMemory<byte> Arqc { get; init; }

    /// <summary>Field 55 of the response (91 and scripts), to answer a duplicate with the original.</summary>
    public ReadOnlyMemory<byte> ResponseIccData { get; init; }

    /// <summary>9F18 IDs of the scripts sent with the response.</summary>
    public IReadOnlyList<uint> DeliveredScripts { get; init; } = [];

    /// <summary>"TC" or "AAC" from the completion advice, once it came.</summary>
    public string? FinalCryptogram { get; init; }
}

/// <summary><see cref="IAuthorizationJournal"/> in process memory.</summary>
public sealed class InMemoryAuthorizationJournal : IAuthorizationJournal
{
    private readonly ConcurrentDictionary<(CardId Card, ushort Atc), string> _byAtc = new();
    private readonly ConcurrentDictionary<string, AuthorizationRecord> _byReference = new(StringComparer.Ordinal);
    private long _sequence;

    /// <param name="firstSequence">The first number <see cref="NextSequenceAsync"/> gives (to keep references apart across runs).</param>
    public InMemoryAuthorizationJournal(long firstSequence = 1)
    {
        _sequence = firstSequence - 1;
    }

    /// <summary>All records, for tests and tools.</summary>
    public IReadOnlyList<AuthorizationRecord> Records => [.. _byReference.Values.OrderBy(r => r.Reference, StringComparer.Ordinal)];

    /// <inheritdoc/>
    public ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Interlocked.Increment(ref _sequence));

    /// <inheritdoc/>
    public ValueTask<bool> TryAddAsync(AuthorizationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_byAtc.TryAdd((record.Card, record.Atc), record.Reference))
        {
            return ValueTask.FromResult(false);
        }

        _byReference[record.Reference] = record;
        return ValueTask.FromResult(true);
    }

    /// <inheritdoc/>
    public ValueTask UpdateAsync(AuthorizationRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_byReference.ContainsKey(record.Reference))
        {
            throw new KeyNotFoundException($"No authorisation with reference {record.Reference} to update.");
        }

        _byReference[record.Reference] = record;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<AuthorizationRecord?> FindByAtcAsync(CardId card, ushort atc, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byAtc.TryGetValue((card, atc), out string? reference) && _byReference.TryGetValue(reference, out var record) ? record : null);

    /// <inheritdoc/>
    public ValueTask<AuthorizationRecord?> FindByTraceAsync(string terminalId, int stan, CardId card, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_byReference.Values
            .Where(r => r.Card == card && r.Stan == stan && string.Equals(r.TerminalId, terminalId, StringComparison.Ordinal))
            .OrderByDescending(r => r.Reference, StringComparer.Ordinal)
            .FirstOrDefault());

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AuthorizationRecord>> FindPendingAsync(CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<AuthorizationRecord>>([.. _byReference.Values
            .Where(r => r.State == AuthorizationState.Pending)
            .OrderBy(r => r.Reference, StringComparer.Ordinal)]);
}
