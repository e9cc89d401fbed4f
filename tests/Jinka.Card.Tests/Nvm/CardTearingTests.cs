using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.Card.Tests.Nvm;

/// <summary>
/// Power is cut at every NVM write of a multi-write command (CREDIT: ATC, balance, a cyclic log record and its
/// ring index, EF 0015), before the write and half-way through it; after power-on the card shows either the state
/// before the command or the state after it, never a mix (DESIGN "Card persistence is transactional").
/// </summary>
public class CardTearingTests
{
    private const string Credit20 = "801000000400000020";

    private static readonly Observed s_old = new(1, 0x10, "00000010", 1, "0001");
    private static readonly Observed s_new = new(2, 0x30, "00000030", 2, "0002");

    /// <summary>ATC and balance cells, EF 0015's balance mirror, how many log records, and the ATC in the newest one.</summary>
    private sealed record Observed(uint Atc, uint Balance, string Mirror, int LogRecords, string NewestLogAtc);

    private static VirtualCard Prepared()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        Assert.Equal("9000", card.Sw("801000000400000010"));
        return card;
    }

    /// <summary>Reads the state through APDUs, as a terminal would after the card comes back.</summary>
    private static Observed Observe(VirtualCard card)
    {
        card.Select(TestCards.App1);
        int records = 0;
        while (card.Send($"00B2{records + 1:X2}C400").StatusWord.IsSuccess)
        {
            records++;
        }

        string newest = Hex.Encode(card.Send("00B201C400").Data.Span[..2]);
        return new Observed(card.Atc(TestCards.App1), card.Balance(TestCards.App1), Hex.Encode(card.Send("00B0950004").Data.Span), records, newest);
    }

    private static IList<NvmWrite> WritesOfCredit()
    {
        var card = Prepared();
        var counter = TearController.Counting();
        card.Nvm.TearController = counter;
        Assert.Equal("9000", card.Sw(Credit20));
        return counter.Log;
    }

    public static TheoryData<int, bool> EveryWriteOfCredit()
    {
        var data = new TheoryData<int, bool>();
        for (int write = 1; write <= WritesOfCredit().Count; write++)
        {
            data.Add(write, false);
            data.Add(write, true);
        }

        return data;
    }

    [Fact]
    public void Credit_is_a_multi_write_command_with_one_flip()
    {
        var writes = WritesOfCredit();
        // Five journal appends, the flip, five copies home, the journal reset.
        Assert.Equal(12, writes.Count);
        Assert.Equal(5, writes.Count(w => w.Kind == NvmWriteKind.JournalAppend));
        Assert.Single(writes, w => w.Kind == NvmWriteKind.CommitFlag);
        Assert.Equal(NvmWriteKind.JournalReset, writes[^1].Kind);
        Assert.Equal(s_new, Observe(AfterCredit()));

        static VirtualCard AfterCredit()
        {
            var card = Prepared();
            card.Sw(Credit20);
            return card;
        }
    }

    [Theory]
    [MemberData(nameof(EveryWriteOfCredit))]
    public void A_tear_at_any_write_of_credit_leaves_the_old_or_the_new_state(int tearAt, bool duringWrite)
    {
        int flipAt = WritesOfCredit().Single(w => w.Kind == NvmWriteKind.CommitFlag).Number;
        var card = Prepared();
        Assert.Equal(s_old, Observe(card));
        card.Select(TestCards.App1);

        card.Nvm.TearController = TearController.AtWrite(tearAt, duringWrite);
        var torn = Assert.Throws<CardTornException>(() => card.Send(Credit20));
        Assert.Equal(tearAt, torn.Write!.Value.Number);
        Assert.False(card.IsPowered);

        card.Nvm.TearController = null;
        card.PowerOn();
        bool committed = tearAt > flipAt || (tearAt == flipAt && duringWrite);
        Assert.Equal(committed ? s_new : s_old, Observe(card));
        Assert.False(card.Nvm.NeedsRecovery);

        // The card works on: the next credit builds on whichever state survived.
        Assert.Equal("9000", card.Sw(Credit20));
        Assert.Equal((committed ? 3u : 2u), card.Atc(TestCards.App1));
    }

    [Fact]
    public void A_tear_during_power_on_recovery_is_recovered_at_the_next_power_on()
    {
        var card = Prepared();
        card.Nvm.TearController = TearController.AtWrite(8, duringWrite: true); // half-way through a copy home
        Assert.Throws<CardTornException>(() => card.Send(Credit20));

        card.Nvm.TearController = TearController.AtWrite(2, duringWrite: true);
        Assert.Throws<CardTornException>(() => card.PowerOn());
        Assert.False(card.IsPowered);

        card.Nvm.TearController = null;
        card.PowerOn();
        Assert.Equal(s_new, Observe(card));
    }

    [Fact]
    public void A_tear_at_any_write_of_an_install_leaves_the_application_absent_or_complete()
    {
        var reference = TestCards.Blank();
        var counter = TearController.Counting();
        reference.Nvm.TearController = counter;
        reference.Install(CounterApplication.Module, TestCards.App1);
        var complete = reference.Nvm.SnapshotCells().Select(c => (c.Key, Hex.Encode(c.Value))).ToList();
        Assert.True(counter.WritesSeen > 20);

        for (int tearAt = 1; tearAt <= counter.WritesSeen; tearAt++)
        {
            var card = TestCards.Blank();
            card.Nvm.TearController = TearController.AtWrite(tearAt, duringWrite: tearAt % 2 == 0);
            Assert.Throws<CardTornException>(() => card.Install(CounterApplication.Module, TestCards.App1));
            card.Nvm.TearController = null;
            card.PowerOn();

            var cells = card.Nvm.SnapshotCells().Select(c => (c.Key, Hex.Encode(c.Value))).ToList();
            Assert.True(cells.Count == 0 || cells.SequenceEqual(complete), $"tear at write {tearAt}: {cells.Count} cells");
            Assert.Equal(cells.Count == 0 ? "6A82" : "9000", card.Select(TestCards.App1).StatusWord.ToString());
        }
    }

    [Fact]
    public void Through_a_transport_a_tear_is_a_removed_card()
    {
        var card = Prepared();
        var transport = new VirtualCardTransport(card);
        card.Nvm.TearController = TearController.AtWrite(3);

        var removed = Assert.Throws<TransportException>(() => transport.TransmitAsync(CommandApdu.Parse(Hex.Parse(Credit20))).AsTask().GetAwaiter().GetResult());
        Assert.Equal(TransportFailure.CardRemoved, removed.Failure);
        Assert.IsType<CardTornException>(removed.InnerException);

        var off = Assert.Throws<TransportException>(() => transport.TransmitAsync(ApduCommands.SelectByName(TestCards.App1.Span)).AsTask().GetAwaiter().GetResult());
        Assert.Equal(TransportFailure.CardRemoved, off.Failure);
    }
}
