using System.Collections.Concurrent;
using Jinka.Iso8583.Messages;

namespace Jinka.Host.Network;

/// <summary>
/// What the host approved per terminal and batch, for the 0500 comparison: debits by reference (an approval or a booked
/// offline upload), removed again by a reversal. Process memory: after a restart the host's totals start empty, the
/// 0510 says "not balanced" and the terminal uploads its batch, as CUP terminals do.
/// </summary>
internal sealed class BatchTotals
{
    private readonly ConcurrentDictionary<(string Terminal, string Batch), ConcurrentDictionary<string, long>> _debits = new();
    private readonly ConcurrentDictionary<string, (string Terminal, string Batch)> _batchOf = new(StringComparer.Ordinal);

    public void AddDebit(string terminal, string batch, string reference, long amount)
    {
        _debits.GetOrAdd((terminal, batch), _ => new ConcurrentDictionary<string, long>(StringComparer.Ordinal))[reference] = amount;
        _batchOf[reference] = (terminal, batch);
    }

    public void Remove(string reference)
    {
        if (_batchOf.TryRemove(reference, out var key) && _debits.TryGetValue(key, out var debits))
        {
            debits.TryRemove(reference, out _);
        }
    }

    public SettlementTotals Of(string terminal, string batch) =>
        _debits.TryGetValue((terminal, batch), out var debits)
            ? new SettlementTotals(debits.Count, debits.Values.Sum(), 0, 0)
            : SettlementTotals.Zero;
}
