using System.Collections.Concurrent;

namespace Jinka.Host.Issuing;

/// <summary>
/// Consecutive wrong online PINs per card (choice P53), apart from the card record so a host can keep them durable.
/// Implementations are safe for concurrent use.
/// </summary>
public interface IPinTryCounter
{
    /// <summary>The card's consecutive wrong online PINs so far (0 when none).</summary>
    ValueTask<int> GetAsync(CardId card, CancellationToken cancellationToken = default);

    /// <summary>Counts one more wrong PIN; returns the new count.</summary>
    ValueTask<int> RecordFailureAsync(CardId card, CancellationToken cancellationToken = default);

    /// <summary>Back to 0 after a correct PIN.</summary>
    ValueTask ResetAsync(CardId card, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IPinTryCounter"/> in process memory.</summary>
public sealed class InMemoryPinTryCounter : IPinTryCounter
{
    private readonly ConcurrentDictionary<CardId, int> _failures = new();

    /// <inheritdoc/>
    public ValueTask<int> GetAsync(CardId card, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_failures.TryGetValue(card, out int count) ? count : 0);

    /// <inheritdoc/>
    public ValueTask<int> RecordFailureAsync(CardId card, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_failures.AddOrUpdate(card, 1, (_, count) => count + 1));

    /// <inheritdoc/>
    public ValueTask ResetAsync(CardId card, CancellationToken cancellationToken = default)
    {
        _failures.TryRemove(card, out _);
        return ValueTask.CompletedTask;
    }
}
