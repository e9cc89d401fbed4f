namespace Jinka.Card.Nvm;

/// <summary>What a physical NVM write does. Journal appends and cell writes are page programs that a power loss can
/// leave half done; the commit flag and the journal reset are single-word writes the chip guarantees atomic.</summary>
public enum NvmWriteKind
{
    /// <summary>A record appended to the write-ahead journal (not atomic).</summary>
    JournalAppend,

    /// <summary>The flip: the journal is marked committed (atomic).</summary>
    CommitFlag,

    /// <summary>A journalled value copied to its home cell (not atomic).</summary>
    CellWrite,

    /// <summary>A home cell erased (atomic).</summary>
    CellErase,

    /// <summary>The journal emptied and its flag cleared (atomic).</summary>
    JournalReset,
}

/// <summary>One physical NVM write about to happen: its 1-based number since the controller was attached, what it does and to which cell.</summary>
public readonly record struct NvmWrite(int Number, NvmWriteKind Kind, string? Key)
{
    public bool IsAtomic => Kind is NvmWriteKind.CommitFlag or NvmWriteKind.CellErase or NvmWriteKind.JournalReset;

    public override string ToString() => Key is null ? $"write {Number} ({Kind})" : $"write {Number} ({Kind} {Key})";
}

/// <summary>What the power does at a write.</summary>
public enum TearDecision
{
    /// <summary>No tear: the write completes.</summary>
    Proceed,

    /// <summary>Power is lost before the write starts: nothing of it reaches NVM.</summary>
    TearBefore,

    /// <summary>Power is lost while writing: a non-atomic write leaves a half-written cell or journal record; an atomic one completes and power is lost just after.</summary>
    TearDuring,
}

/// <summary>Decides, write by write, whether the card loses power (tests only; a real card has no such hook).</summary>
public interface ITearController
{
    TearDecision OnWrite(NvmWrite write);
}

/// <summary>Counts NVM writes and tears at the <see cref="TearAt"/>-th one (or never). Used to find every write point of a command, then to tear at each.</summary>
public sealed class TearController : ITearController
{
    private TearController(int? tearAt, TearDecision how)
    {
        TearAt = tearAt;
        How = how;
    }

    /// <summary>Counts writes, never tears.</summary>
    public static TearController Counting() => new(null, TearDecision.Proceed);

    /// <summary>Tears at write <paramref name="writeNumber"/> (1-based), before it or during it.</summary>
    public static TearController AtWrite(int writeNumber, bool duringWrite = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(writeNumber, 1);
        return new(writeNumber, duringWrite ? TearDecision.TearDuring : TearDecision.TearBefore);
    }

    public int? TearAt { get; }

    public TearDecision How { get; }

    /// <summary>Writes seen so far (including the torn one).</summary>
    public int WritesSeen { get; private set; }

    /// <summary>The write at which power was lost, once it has been.</summary>
    public NvmWrite? TornAt { get; private set; }

    /// <summary>Every write seen, in order (for diagnostics in failing tests).</summary>
    public IList<NvmWrite> Log { get; } = [];

    public TearDecision OnWrite(NvmWrite write)
    {
        WritesSeen++;
        Log.Add(write);
        if (TornAt is null && TearAt == WritesSeen)
        {
            TornAt = write;
            return How;
        }

        return TearDecision.Proceed;
    }
}

/// <summary>
/// The card lost power during an NVM write (tear injection). Deliberately not a card error: the OS never turns it
/// into a status word; it ends the command, the session and the power, and the next power-on recovers NVM.
/// </summary>
public sealed class CardTornException : Exception
{
    public CardTornException()
        : base("the card lost power")
    {
    }

    public CardTornException(string message)
        : base(message)
    {
    }

    public CardTornException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CardTornException(NvmWrite write)
        : base($"the card lost power at NVM {write}")
    {
        Write = write;
    }

    /// <summary>The write during or before which power was lost.</summary>
    public NvmWrite? Write { get; }
}
