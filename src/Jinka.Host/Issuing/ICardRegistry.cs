using System.Collections.Concurrent;

namespace Jinka.Host.Issuing;

/// <summary>The issuer's cards by PAN and PSN. Implementations are safe for concurrent use.</summary>
public interface ICardRegistry
{
    /// <summary>The card, or null when the issuer does not know it.</summary>
    ValueTask<CardRecord?> FindAsync(CardId card, CancellationToken cancellationToken = default);

    /// <summary>Adds the card, or replaces the record of the same PAN and PSN; true when it was new.</summary>
    ValueTask<bool> RegisterAsync(CardRecord card, CancellationToken cancellationToken = default);

    /// <summary>Changes a card's status; false when the card is unknown.</summary>
    ValueTask<bool> SetStatusAsync(CardId card, CardStatus status, CancellationToken cancellationToken = default);
}

/// <summary><see cref="ICardRegistry"/> in process memory.</summary>
public sealed class InMemoryCardRegistry : ICardRegistry
{
    private readonly ConcurrentDictionary<CardId, CardRecord> _cards = new();

    /// <inheritdoc/>
    public ValueTask<CardRecord?> FindAsync(CardId card, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_cards.TryGetValue(card, out var record) ? record : null);

    /// <inheritdoc/>
    public ValueTask<bool> RegisterAsync(CardRecord card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        bool added = true;
        _cards.AddOrUpdate(card.Id, card, (_, _) =>
        {
            added = false;
            return card;
        });
        return ValueTask.FromResult(added);
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetStatusAsync(CardId card, CardStatus status, CancellationToken cancellationToken = default)
    {
        while (_cards.TryGetValue(card, out var record))
        {
            if (_cards.TryUpdate(card, record with { Status = status }, record))
            {
                return ValueTask.FromResult(true);
            }
        }

        return ValueTask.FromResult(false);
    }
}
