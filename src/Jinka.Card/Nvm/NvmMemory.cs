namespace Jinka.Card.Nvm;

/// <summary>One record of the write-ahead journal: the new value of a cell, or its erasure (<see cref="Value"/> null).
/// <see cref="Intact"/> is false for a record a tear left half written (a real card sees a bad checksum).</summary>
public sealed record NvmJournalRecord(string Key, byte[]? Value, bool Intact = true);

/// <summary>
/// The card's non-volatile memory as a physical model: home cells (key → bytes), a write-ahead journal and its
/// commit flag. Everything persistent on the card lives here; nothing else survives a power loss.
/// </summary>
/// <remarks>
/// <para>Atomic commit is a redo log (DESIGN "Card persistence is transactional"): during a command every change
/// is appended to the journal (the write-ahead image) and mirrored in RAM; commit sets the commit flag with one
/// atomic write (the flip), copies the journal to the home cells, then resets the journal. Power-on recovery redoes
/// a flagged journal and discards an unflagged one. A tear before the flip therefore leaves the old state, a tear
/// after it the new state, at every write, including those of recovery itself.</para>
/// <para>Every physical write passes through <see cref="TearController"/>, which may cut the power before or in
/// the middle of it; a half-done non-atomic write leaves garbage exactly where a real one would.</para>
/// <para>Not thread-safe: one card, one command at a time.</para>
/// </remarks>
public sealed class NvmMemory
{
    private readonly SortedDictionary<string, byte[]> _cells = new(StringComparer.Ordinal);
    private readonly List<NvmJournalRecord> _journal = [];
    private ITearController? _tearController;
    private int _writesSinceAttach;

    public NvmMemory()
    {
    }

    /// <summary>Rebuilds memory from a saved image (see <see cref="CardImage"/>); values are copied.</summary>
    public NvmMemory(IEnumerable<KeyValuePair<string, byte[]>> cells, IEnumerable<NvmJournalRecord>? journal = null, bool journalCommitted = false)
    {
        ArgumentNullException.ThrowIfNull(cells);
        foreach (var (key, value) in cells)
        {
            NvmKey.Validate(key);
            _cells[key] = (byte[])value.Clone();
        }

        foreach (var record in journal ?? [])
        {
            NvmKey.Validate(record.Key);
            _journal.Add(record with { Value = (byte[]?)record.Value?.Clone() });
        }

        JournalCommitted = journalCommitted;
    }

    /// <summary>Cuts the power at chosen writes (tests); attaching one restarts the write numbering at 1.</summary>
    public ITearController? TearController
    {
        get => _tearController;
        set
        {
            _tearController = value;
            _writesSinceAttach = 0;
        }
    }

    /// <summary>Physical writes since this object was created (a wear figure; also handy in tests).</summary>
    public long TotalWrites { get; private set; }

    /// <summary>True after the flip and until the journal is reset.</summary>
    public bool JournalCommitted { get; private set; }

    /// <summary>The journal as it is in NVM (normally empty between commands).</summary>
    public IReadOnlyList<NvmJournalRecord> Journal => _journal.AsReadOnly();

    /// <summary>True when a journal is left over from a torn command: run <see cref="Recover"/> (power-on does).</summary>
    public bool NeedsRecovery => _journal.Count > 0 || JournalCommitted;

    internal bool InTransaction { get; set; }

    /// <summary>A copy of the home cells, sorted by key.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> SnapshotCells()
        => _cells.Select(c => new KeyValuePair<string, byte[]>(c.Key, (byte[])c.Value.Clone())).ToList();

    /// <summary>The home cell's value; journalled changes are not visible here.</summary>
    public bool TryReadCell(string key, out ReadOnlyMemory<byte> value)
    {
        if (_cells.TryGetValue(key, out var bytes))
        {
            value = bytes;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Keys of home cells that start with <paramref name="prefix"/>, in ordinal order.</summary>
    public IEnumerable<string> CellKeys(string prefix = "")
    {
        foreach (string key in _cells.Keys)
        {
            if (key.StartsWith(prefix, StringComparison.Ordinal))
            {
                yield return key;
            }
        }
    }

    /// <summary>Starts the one transaction a command may have.</summary>
    /// <exception cref="InvalidOperationException">A transaction is already open, or a torn journal awaits recovery.</exception>
    public NvmTransaction BeginTransaction()
    {
        if (InTransaction)
        {
            throw new InvalidOperationException("an NVM transaction is already open");
        }

        if (NeedsRecovery)
        {
            throw new InvalidOperationException("NVM holds a journal from a torn command: power the card on (recovery) first");
        }

        InTransaction = true;
        return new NvmTransaction(this);
    }

    /// <summary>
    /// Power-on recovery: redoes a committed journal into the home cells, or discards an uncommitted one.
    /// Idempotent, and itself tearing-safe (a tear here leaves a journal that the next recovery handles the same way).
    /// </summary>
    /// <returns>True when a committed journal was redone (the torn command's changes survived).</returns>
    public bool Recover()
    {
        if (!NeedsRecovery)
        {
            return false;
        }

        bool redo = JournalCommitted;
        if (redo)
        {
            ApplyJournal();
        }

        ResetJournal();
        return redo;
    }

    internal void AppendJournal(string key, byte[]? value)
    {
        var decision = Decide(NvmWriteKind.JournalAppend, key, out var write);
        if (decision == TearDecision.TearDuring)
        {
            // Half a record: the length and key made it, the value and checksum did not.
            _journal.Add(new NvmJournalRecord(key, value?[..(value.Length / 2)], Intact: false));
        }

        ThrowIfTorn(decision, write);
        _journal.Add(new NvmJournalRecord(key, value));
    }

    internal void Flip()
    {
        var decision = Decide(NvmWriteKind.CommitFlag, null, out var write);
        if (decision == TearDecision.TearDuring)
        {
            JournalCommitted = true;
        }

        ThrowIfTorn(decision, write);
        JournalCommitted = true;
    }

    internal void ApplyJournal()
    {
        foreach (var record in _journal)
        {
            if (!record.Intact)
            {
                // The flip is written only after every append completed, so a committed journal cannot hold one.
                throw new InvalidOperationException($"committed NVM journal holds a torn record for '{record.Key}': the memory image is corrupt");
            }

            if (record.Value is null)
            {
                EraseCell(record.Key);
            }
            else
            {
                WriteCell(record.Key, record.Value);
            }
        }
    }

    internal void ResetJournal()
    {
        var decision = Decide(NvmWriteKind.JournalReset, null, out var write);
        if (decision == TearDecision.TearDuring)
        {
            ClearJournalState();
        }

        ThrowIfTorn(decision, write);
        ClearJournalState();
    }

    private void WriteCell(string key, byte[] value)
    {
        var decision = Decide(NvmWriteKind.CellWrite, key, out var write);
        if (decision == TearDecision.TearDuring)
        {
            // The first half of the page is programmed, the rest still holds the old bytes (or nothing).
            byte[] old = _cells.TryGetValue(key, out var previous) ? previous : [];
            int half = value.Length / 2;
            var torn = new byte[Math.Max(half, old.Length)];
            old.CopyTo(torn, 0);
            value.AsSpan(0, half).CopyTo(torn);
            _cells[key] = torn;
        }

        ThrowIfTorn(decision, write);
        _cells[key] = value;
    }

    private void EraseCell(string key)
    {
        var decision = Decide(NvmWriteKind.CellErase, key, out var write);
        if (decision == TearDecision.TearDuring)
        {
            _cells.Remove(key);
        }

        ThrowIfTorn(decision, write);
        _cells.Remove(key);
    }

    private void ClearJournalState()
    {
        _journal.Clear();
        JournalCommitted = false;
    }

    private TearDecision Decide(NvmWriteKind kind, string? key, out NvmWrite write)
    {
        TotalWrites++;
        write = new NvmWrite(++_writesSinceAttach, kind, key);
        return _tearController?.OnWrite(write) ?? TearDecision.Proceed;
    }

    private void ThrowIfTorn(TearDecision decision, NvmWrite write)
    {
        if (decision != TearDecision.Proceed)
        {
            InTransaction = false;
            throw new CardTornException(write);
        }
    }
}
