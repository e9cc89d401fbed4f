using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Tests.Dispatch;

public class DispatchTests
{
    private static VirtualCard Card()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        return card;
    }

    [Theory]
    [InlineData("CLA the application does not use (MF context)", false, "80CA9F3600", "6E00")]
    [InlineData("CLA FF", true, "FFCA9F3600", "6E00")]
    [InlineData("RFU CLA 2x", true, "20B2010C00", "6E00")]
    [InlineData("logical channel 1", true, "01B2010C00", "6881")]
    [InlineData("logical channel 4 (further interindustry class)", true, "40B2010C00", "6881")]
    [InlineData("command chaining", true, "10B2010C00", "6884")]
    [InlineData("unknown INS", true, "0070000000", "6D00")]
    [InlineData("unknown proprietary INS", true, "80F2000000", "6D00")]
    [InlineData("out of phase: DEBIT before AUTHENTICATE", true, "803000000400000001", "6985")]
    [InlineData("out of phase: END only after AUTHENTICATE", true, "80320000", "6985")]
    [InlineData("wrong P1", true, "801001000400000001", "6A86")]
    [InlineData("wrong P2", true, "801000010400000001", "6A86")]
    [InlineData("wrong Lc", true, "8010000003000001", "6700")]
    [InlineData("Lc where none is allowed", true, "801E00000100", "6700")]
    [InlineData("P1 00 entry of a split INS", true, "8050000000", "019000")]
    [InlineData("P1 01 entry of a split INS", true, "8050010000", "029000")]
    [InlineData("P1 02: no entry accepts it", true, "8050020000", "6A86")]
    [InlineData("entry that requires SM, sent plain", true, "8040000000", "6982")]
    [InlineData("SM where the MF has none", false, "0CB0950004AABBCCDD", "6882")]
    [InlineData("GET CHALLENGE of 8", true, "0084000008", "01020304050607089000")]
    [InlineData("GET CHALLENGE of 5", true, "0084000005", "6700")]
    [InlineData("GET CHALLENGE with P1", true, "0084010004", "6A86")]
    [InlineData("GET RESPONSE with nothing pending", true, "00C0000010", "6985")]
    public void Dispatch_table(string description, bool selectApplication, string command, string expected)
    {
        var card = TestCards.Standard();
        if (selectApplication)
        {
            card.Select(TestCards.App1);
        }

        Check.Equal(expected, card.Exchange(command), description);
    }

    [Fact]
    public void The_phase_moves_with_the_handlers()
    {
        var card = Card();
        card.Sw("801000000400000100");
        Assert.Equal("6985", card.Sw("803000000400000001"));
        card.Authenticate();
        Assert.Equal("9000", card.Sw("803000000400000001"));
        Assert.Equal("9401", card.Sw("803000000400010000"));
        Assert.Equal("9000", card.Sw("80320000"));
        Assert.Equal("6985", card.Sw("803000000400000001"));
        Assert.Equal(0xFFu, card.Balance(TestCards.App1));
    }

    [Fact]
    public void An_exception_in_a_handler_answers_6F00_and_rolls_back_every_write()
    {
        var card = Card();
        card.Sw("801000000400000010");
        card.Authenticate();
        var before = card.Nvm.SnapshotCells();

        Assert.Equal("6F00", card.Sw("80EE0000"));

        Assert.Equal(before, card.Nvm.SnapshotCells(), new CellComparer());
        Assert.Equal(1u, card.Atc(TestCards.App1));
        Assert.IsType<InvalidOperationException>(card.LastFault);
        Assert.False(card.Nvm.NeedsRecovery);
        // The application's volatile state is back to just-selected: the phase the handler set is gone.
        Assert.Equal("6985", card.Sw("803000000400000001"));
        // The card goes on answering.
        Assert.Equal("9000", card.Sw("801000000400000001"));
        Assert.Equal(2u, card.Atc(TestCards.App1));
    }

    [Fact]
    public void A_handler_can_refuse_and_roll_back_without_throwing()
    {
        var card = Card();
        Assert.Equal("9302", card.Sw("80EF0000"));
        Assert.Equal(0u, card.Balance(TestCards.App1));
        Assert.Null(card.LastFault);
    }

    [Fact]
    public void Failed_pin_tries_persist_whatever_the_status_word()
    {
        var card = Card();
        Assert.Equal("63C2", card.Sw("00200001029999"));
        Assert.Equal("63C1", card.Sw("00200001029999"));
        card.PowerOff();
        card.PowerOn();
        card.Select(TestCards.App1);
        Assert.Equal("63C0", card.Sw("00200001029999"));
        Assert.Equal("6983", card.Sw("00200001021234"));
    }

    [Fact]
    public void Exceptions_from_select_and_from_custom_applications_also_become_6F00()
    {
        var catalog = TestCards.Catalog().Add("test.throws", aid => new ThrowingApplication(aid));
        var card = new VirtualCard(catalog);
        card.PowerOn();
        card.Install("test.throws", TestCards.Other);

        Assert.Equal("6F00", card.Select(TestCards.Other).StatusWord.ToString());
        Assert.IsType<NotSupportedException>(card.LastFault);
        Assert.Empty(card.Nvm.CellKeys("apps/"));
        Assert.Null(card.Session!.SelectedApplication);
    }

    [Fact]
    public void A_table_refuses_registrations_with_sm_or_channel_bits()
    {
        var table = new CommandTable<CounterApplication.Phase>();
        Assert.Throws<ArgumentException>(() => table.OnAnyPhase(0x84, 0x10, _ => Responses.Ok()));
        Assert.Throws<ArgumentException>(() => table.OnAnyPhase(0x01, 0x10, _ => Responses.Ok()));
        Assert.Throws<ArgumentException>(() => table.OnAnyPhase(0x40, 0x10, _ => Responses.Ok()));
    }

    [Fact]
    public void An_sm_command_is_unwrapped_before_its_handler_and_marked_verified()
    {
        var card = Card();
        var plain = new CommandApdu(0x84, 0x40, 0x00, 0x00, []);
        var mac = CounterApplication.ToySecureMessaging.Mac(TestCards.App1.Span, plain);
        Assert.Equal("409000", Core.Hex.Encode(card.Process(new CommandApdu(0x84, 0x40, 0x00, 0x00, mac)).ToArray()));
        Assert.Equal("6988", card.Process(new CommandApdu(0x84, 0x40, 0x00, 0x00, [0, 0, 0, 0])).StatusWord.ToString());
    }

    private sealed class CellComparer : IEqualityComparer<IReadOnlyList<KeyValuePair<string, byte[]>>>
    {
        public bool Equals(IReadOnlyList<KeyValuePair<string, byte[]>>? x, IReadOnlyList<KeyValuePair<string, byte[]>>? y)
            => x!.Count == y!.Count && x.Zip(y).All(p => p.First.Key == p.Second.Key && p.First.Value.AsSpan().SequenceEqual(p.Second.Value));

        public int GetHashCode(IReadOnlyList<KeyValuePair<string, byte[]>> obj) => obj.Count;
    }

    private sealed class ThrowingApplication(Aid aid) : ICardApplication
    {
        public Aid Aid => aid;

        public ResponseApdu Select(CommandContext context)
        {
            context.Store.Set("written-before-failing", [1]);
            throw new NotSupportedException("select blew up");
        }

        public ResponseApdu Process(CommandContext context) => throw new NotSupportedException();
    }
}
