using Jinka.Card.Nvm;

namespace Jinka.Card.Tests.Nvm;

public class NvmMemoryTests
{
    private static NvmMemory WithCells(params (string Key, byte[] Value)[] cells)
        => new(cells.Select(c => new KeyValuePair<string, byte[]>(c.Key, c.Value)));

    private static Dictionary<string, string> State(NvmMemory memory)
        => memory.SnapshotCells().ToDictionary(c => c.Key, c => Convert.ToHexString(c.Value));

    [Fact]
    public void Committed_writes_reach_the_home_cells_and_the_journal_is_empty_again()
    {
        var memory = WithCells(("a", [1]));
        var tx = memory.BeginTransaction();
        tx.Write("a", [2]);
        tx.Write("b", [3, 4]);
        Assert.True(memory.TryReadCell("a", out var before));
        Assert.Equal([1], before.ToArray());

        tx.Commit();

        Assert.Equal(new Dictionary<string, string> { ["a"] = "02", ["b"] = "0304" }, State(memory));
        Assert.False(memory.NeedsRecovery);
        Assert.Empty(memory.Journal);
    }

    [Fact]
    public void Rollback_drops_every_write_and_delete()
    {
        var memory = WithCells(("a", [1]), ("c", [9]));
        var tx = memory.BeginTransaction();
        tx.Write("a", [2]);
        Assert.True(tx.Delete("c"));
        tx.Rollback();

        Assert.Equal(new Dictionary<string, string> { ["a"] = "01", ["c"] = "09" }, State(memory));
        Assert.False(memory.NeedsRecovery);
    }

    [Fact]
    public void Reads_inside_a_transaction_see_its_own_writes_and_deletes()
    {
        var memory = WithCells(("x/1", [1]), ("x/2", [2]), ("y", [3]));
        using var tx = memory.BeginTransaction();
        tx.Write("x/3", [3]);
        tx.Delete("x/1");
        tx.Write("x/2", [0x22]);

        Assert.Equal(["x/2", "x/3"], tx.Keys("x/"));
        Assert.True(tx.TryRead("x/2", out var two));
        Assert.Equal([0x22], two.ToArray());
        Assert.False(tx.TryRead("x/1", out _));
        Assert.False(tx.Delete("x/1"));
    }

    [Fact]
    public void A_transaction_that_changes_nothing_writes_nothing()
    {
        var memory = WithCells(("a", [1]));
        var counter = TearController.Counting();
        memory.TearController = counter;
        var tx = memory.BeginTransaction();
        tx.TryRead("a", out _);
        tx.Commit();

        Assert.Equal(0, counter.WritesSeen);
    }

    [Fact]
    public void Only_one_transaction_at_a_time()
    {
        var memory = new NvmMemory();
        using var tx = memory.BeginTransaction();
        Assert.Throws<InvalidOperationException>(() => memory.BeginTransaction());
    }

    [Fact]
    public void A_finished_transaction_refuses_further_use()
    {
        var memory = new NvmMemory();
        var tx = memory.BeginTransaction();
        tx.Commit();
        Assert.Throws<InvalidOperationException>(() => tx.Write("a", [1]));
        Assert.False(tx.IsActive);
    }

    /// <summary>Write numbers of a 3-change commit: 1–3 journal appends, 4 the flip, 5–7 home-cell copies, 8 the journal reset.</summary>
    public static TheoryData<int, bool> EveryWritePoint()
    {
        var data = new TheoryData<int, bool>();
        for (int write = 1; write <= 8; write++)
        {
            data.Add(write, false);
            data.Add(write, true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryWritePoint))]
    public void A_tear_at_any_write_leaves_the_old_or_the_new_state_after_recovery(int tearAt, bool duringWrite)
    {
        var old = new Dictionary<string, string> { ["a"] = "0101", ["b"] = "02", ["c"] = "03" };
        var @new = new Dictionary<string, string> { ["a"] = "1111", ["b"] = "02", ["d"] = "44444444" };
        var memory = WithCells(("a", [1, 1]), ("b", [2]), ("c", [3]));
        var tear = TearController.AtWrite(tearAt, duringWrite);
        memory.TearController = tear;

        var thrown = Assert.Throws<CardTornException>(() =>
        {
            var tx = memory.BeginTransaction();
            tx.Write("a", [0x11, 0x11]);
            tx.Write("d", [0x44, 0x44, 0x44, 0x44]);
            tx.Delete("c");
            tx.Commit();
        });
        Assert.Equal(tearAt, thrown.Write!.Value.Number);

        memory.TearController = null;
        memory.Recover();

        // Before the flip the old state stands; a flip that completed (even as power was lost) commits.
        bool committed = tearAt > 4 || (tearAt == 4 && duringWrite);
        Assert.Equal(committed ? @new : old, State(memory));
        Assert.False(memory.NeedsRecovery);
    }

    [Fact]
    public void Recovery_torn_itself_is_finished_by_the_next_recovery()
    {
        var memory = WithCells(("a", [1]));
        memory.TearController = TearController.AtWrite(3, duringWrite: true);
        Assert.Throws<CardTornException>(() =>
        {
            var tx = memory.BeginTransaction();
            tx.Write("a", [2, 2, 2, 2]);
            tx.Commit(); // writes: 1 append, 2 flip, 3 copy (torn half-way)
        });
        Assert.True(memory.JournalCommitted);
        Assert.True(memory.TryReadCell("a", out var torn));
        Assert.NotEqual([2, 2, 2, 2], torn.ToArray());

        memory.TearController = TearController.AtWrite(1, duringWrite: true);
        Assert.Throws<CardTornException>(() => memory.Recover());
        memory.TearController = null;

        Assert.True(memory.Recover());
        Assert.Equal(new Dictionary<string, string> { ["a"] = "02020202" }, State(memory));
    }

    [Fact]
    public void A_torn_journal_blocks_new_transactions_until_recovery()
    {
        var memory = WithCells(("a", [1]));
        memory.TearController = TearController.AtWrite(2);
        Assert.Throws<CardTornException>(() =>
        {
            var tx = memory.BeginTransaction();
            tx.Write("a", [2]);
            tx.Write("b", [3]);
        });
        memory.TearController = null;

        Assert.True(memory.NeedsRecovery);
        Assert.Throws<InvalidOperationException>(() => memory.BeginTransaction());
        memory.Recover();
        using var after = memory.BeginTransaction();
        Assert.True(after.TryRead("a", out var value));
        Assert.Equal([1], value.ToArray());
        Assert.False(after.TryRead("b", out _));
    }

    [Fact]
    public void An_uncommitted_journal_is_discarded_with_one_write()
    {
        var memory = WithCells(("a", [1]));
        memory.TearController = TearController.AtWrite(2);
        Assert.Throws<CardTornException>(() =>
        {
            var tx = memory.BeginTransaction();
            tx.Write("a", [2]);
            tx.Write("b", [3]);
        });
        Assert.True(memory.NeedsRecovery);

        var counter = TearController.Counting();
        memory.TearController = counter;
        Assert.False(memory.Recover());
        Assert.Equal(1, counter.WritesSeen);
        Assert.Equal(NvmWriteKind.JournalReset, counter.Log[0].Kind);
    }
}
