namespace Jinka.Card.Nvm;

/// <summary>
/// The changes one command makes to NVM. Writes go to the journal at once (each is a physical write, so a tear can
/// strike mid-command) and to a RAM index, so reads inside the transaction see them. <see cref="Commit"/> makes them
/// all durable at the flip; <see cref="Rollback"/> (or a tear before the flip) drops them all.
/// </summary>
public sealed class NvmTransaction : IDisposable
{
    private readonly NvmMemory _memory;
    private readonly Dictionary<string, byte[]?> _staged = new(StringComparer.Ordinal);
    private bool _journalled;

    internal NvmTransaction(NvmMemory memory) => _memory = memory;

    /// <summary>False once committed, rolled back or torn.</summary>
    public bool IsActive { get; private set; } = true;

    /// <summary>True when this transaction has changed anything.</summary>
    public bool HasChanges => _staged.Count > 0;

    /// <summary>The value as this transaction sees it (its own writes first, then the home cells).</summary>
    public bool TryRead(string key, out ReadOnlyMemory<byte> value)
    {
        ThrowIfInactive();
        if (_staged.TryGetValue(key, out var staged))
        {
            value = staged;
            return staged is not null;
        }

        return _memory.TryReadCell(key, out value);
    }

    /// <summary>Writes a cell (one journal append).</summary>
    /// <exception cref="CardTornException">Power was lost (tear injection).</exception>
    public void Write(string key, ReadOnlySpan<byte> value)
    {
        NvmKey.Validate(key);
        ThrowIfInactive();
        var copy = value.ToArray();
        Journal(key, copy);
        _staged[key] = copy;
    }

    /// <summary>Erases a cell if it exists (one journal append); false when there was nothing to erase.</summary>
    public bool Delete(string key)
    {
        ThrowIfInactive();
        if (!TryRead(key, out _))
        {
            return false;
        }

        Journal(key, null);
        _staged[key] = null;
        return true;
    }

    /// <summary>Keys visible to this transaction that start with <paramref name="prefix"/>, in ordinal order.</summary>
    public IReadOnlyList<string> Keys(string prefix)
    {
        ThrowIfInactive();
        var keys = new SortedSet<string>(_memory.CellKeys(prefix), StringComparer.Ordinal);
        foreach (var (key, value) in _staged)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            if (value is null)
            {
                keys.Remove(key);
            }
            else
            {
                keys.Add(key);
            }
        }

        return [.. keys];
    }

    /// <summary>Makes every change durable: the flip, the copy to home cells, the journal reset. Nothing is written when nothing changed.</summary>
    /// <exception cref="CardTornException">Power was lost; recovery at the next power-on finishes or drops the commit.</exception>
    public void Commit()
    {
        ThrowIfInactive();
        IsActive = false;
        if (_journalled)
        {
            _memory.Flip();
            _memory.ApplyJournal();
            _memory.ResetJournal();
        }

        _memory.InTransaction = false;
    }

    /// <summary>Drops every change (one journal reset when anything was journalled).</summary>
    public void Rollback()
    {
        if (!IsActive)
        {
            return;
        }

        IsActive = false;
        _staged.Clear();
        if (_journalled)
        {
            _memory.ResetJournal();
        }

        _memory.InTransaction = false;
    }

    /// <summary>Rolls back if neither committed nor rolled back.</summary>
    public void Dispose()
    {
        if (IsActive && _memory.InTransaction)
        {
            Rollback();
        }
    }

    private void Journal(string key, byte[]? value)
    {
        _journalled = true;
        try
        {
            _memory.AppendJournal(key, value);
        }
        catch (CardTornException)
        {
            IsActive = false;
            throw;
        }
    }

    private void ThrowIfInactive()
    {
        if (!IsActive || !_memory.InTransaction)
        {
            IsActive = false;
            throw new InvalidOperationException("the NVM transaction is no longer active (committed, rolled back or torn)");
        }
    }
}
