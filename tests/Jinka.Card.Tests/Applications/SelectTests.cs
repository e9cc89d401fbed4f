using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Card.Tests.Applications;

public class SelectTests
{
    private static string Selected(VirtualCard card) => card.Session!.SelectedApplication?.ToString() ?? "MF";

    [Theory]
    [InlineData("full AID", "", "00A4040007A000000999010100", "9000", "A0000009990101")]
    [InlineData("full AID of the third", "", "00A4040007A000000999010300", "9000", "A0000009990103")]
    [InlineData("partial AID, first occurrence", "", "00A4040006A0000009990100", "9000", "A0000009990101")]
    [InlineData("partial AID, next after the first", "00A4040006A0000009990100", "00A4040206A0000009990100", "9000", "A0000009990102")]
    [InlineData("partial AID, next after the second", "00A4040006A0000009990100|00A4040206A0000009990100", "00A4040206A0000009990100", "9000", "A0000009990103")]
    [InlineData("partial AID, no occurrence after the last", "00A4040007A000000999010300", "00A4040206A0000009990100", "6A82", "A0000009990103")]
    [InlineData("shorter prefix reaches the fourth", "00A4040007A000000999010300", "00A4040205A00000099900", "9000", "A00000099902")]
    [InlineData("next with nothing selected is the first", "", "00A4040206A0000009990100", "9000", "A0000009990101")]
    [InlineData("next when the current one does not match is the first", "00A4040006A0000009990200", "00A4040206A0000009990100", "9000", "A0000009990101")]
    [InlineData("unknown AID keeps the selection", "00A4040007A000000999010200", "00A4040007A000000999010400", "6A82", "A0000009990102")]
    [InlineData("name longer than any AID", "", "00A4040008A00000099901010100", "6A82", "MF")]
    [InlineData("last occurrence is not offered", "", "00A4040106A0000009990100", "6A86", "MF")]
    [InlineData("FMD is not offered", "", "00A4040806A0000009990100", "6A86", "MF")]
    [InlineData("P2 high bits", "", "00A4041006A0000009990100", "6A86", "MF")]
    [InlineData("selection by path", "", "00A40800023F0100", "6A86", "MF")]
    [InlineData("no name", "", "00A40400", "6700", "MF")]
    [InlineData("secure messaging on SELECT", "", "0CA4040007A000000999010100", "6882", "MF")]
    [InlineData("ADF by FID from the MF", "", "00A40000023F0100", "9000", "A0000009990103")]
    [InlineData("ADF by FID as child DF of the MF", "", "00A40100023F0100", "9000", "A0000009990103")]
    [InlineData("MF by FID leaves the application", "00A4040007A000000999010100", "00A40000023F00", "9000", "MF")]
    [InlineData("MF with no data", "00A4040007A000000999010100", "00A4000000", "9000", "MF")]
    [InlineData("parent of the ADF is the MF", "00A4040007A000000999010100", "00A4030000", "9000", "MF")]
    [InlineData("parent of the MF does not exist", "", "00A4030000", "6A82", "MF")]
    [InlineData("FID of length 3", "", "00A40000033F010100", "6700", "MF")]
    public void Select_table(string description, string before, string command, string sw, string selected)
    {
        var card = TestCards.Standard();
        foreach (string setup in before.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(card.Send(setup).StatusWord.IsSuccess, $"{description}: setup {setup}");
        }

        Check.Equal(sw, card.Sw(command), description);
        Check.Equal(selected, Selected(card), description + " (selected)");
    }

    [Fact]
    public void The_fci_of_an_application_is_built_from_its_registry_entry()
    {
        var card = TestCards.Standard();
        // 6F { 84 AID, A5 { 50 "COUNTER ONE", 87 01 } } (EMV Book 1 table 43).
        Assert.Equal("6F1B8407A0000009990101A510500B434F554E544552204F4E458701019000", card.Exchange("00A4040007A000000999010100"));
    }

    [Theory]
    [InlineData("no Le: no data", "00A4040007A0000009990101", "9000")]
    [InlineData("P2 0C: no data", "00A4040C07A000000999010100", "9000")]
    [InlineData("P2 04: the FCP", "00A4040407A000000999010100", "620F8201388407A00000099901018A01059000")]
    public void What_select_returns_follows_le_and_p2(string description, string command, string expected)
        => Check.Equal(expected, TestCards.Standard().Exchange(command), description);

    [Fact]
    public void A_blocked_application_answers_with_its_fci_and_6283()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App2);
        Assert.Equal("9000", card.Sw("801E0000"));

        var response = card.Select(TestCards.App2);
        Assert.Equal(StatusWord.SelectedFileInvalidated, response.StatusWord);
        Assert.Equal(TestCards.App2, new Aid(TlvNode.Parse(response.Data)[0].Find(new Tag(0x84))!.Value.Span));
        Assert.Equal(ApplicationLifeCycle.Blocked, card.Applications.Single(a => a.Aid == TestCards.App2).LifeCycle);
    }

    [Theory]
    [InlineData(ApplicationLifeCycle.Installed)]
    [InlineData(ApplicationLifeCycle.Locked)]
    public void Installed_and_locked_applications_are_invisible_to_select(ApplicationLifeCycle state)
    {
        var card = TestCards.Standard();
        card.Personalize(TestCards.App1, c => c.LifeCycle = state);

        Assert.Equal("6A82", card.Select(TestCards.App1).StatusWord.ToString());
        // Partial selection skips it and finds the next one.
        Assert.Equal("9000", card.Sw("00A4040006A0000009990100"));
        Assert.Equal(TestCards.App2, card.Session!.SelectedApplication);
    }

    [Fact]
    public void Files_inside_the_application_are_selected_by_fid_and_by_df_name()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);

        Assert.Equal("9000", card.Sw("00A4000002DF01"));
        Assert.Equal("DF01", card.Session!.CurrentDf);
        Assert.Equal("9000", card.Sw("00A4020002EF06"));
        Assert.Equal("DF01/EF06", card.Session.CurrentEf);
        Assert.Equal("00000000" + "9000", card.Exchange("00B0000000"));

        // A sibling EF of the parent DF is reachable by FID (ISO/IEC 7816-4 §7.1.1).
        Assert.Equal("9000", card.Sw("00A40000020015"));
        Assert.Equal("0015", card.Session.CurrentEf);

        // Back to the ADF with P1 03 from DF01, then DF01 by its DF name.
        card.Sw("00A4000002DF01");
        Assert.Equal("9000", card.Sw("00A4030000"));
        Assert.Equal("", card.Session.CurrentDf);
        Assert.Equal("9000", card.Sw("00A4040006D15600000501"));
        Assert.Equal("DF01", card.Session.CurrentDf);
        Assert.Equal(TestCards.App1, card.Session.SelectedApplication);
    }

    [Theory]
    [InlineData("EF selected as DF", "00A40100020015", "6A82")]
    [InlineData("DF selected as EF", "00A4020002DF01", "6A82")]
    [InlineData("unknown FID", "00A40000020099", "6A82")]
    public void Select_by_fid_checks_the_file_kind(string description, string command, string sw)
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        Check.Equal(sw, card.Sw(command), description);
    }

    [Fact]
    public void An_ef_selected_with_le_answers_its_fcp()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        var node = TlvNode.Parse(card.Send("00A40204020015" + "00").Data)[0];

        Assert.Equal(0x62u, node.Tag.Value);
        Assert.Equal("01", Hex.Encode(node.Find(new Tag(0x82))!.Value.Span));
        Assert.Equal("001E", Hex.Encode(node.Find(new Tag(0x80))!.Value.Span));
        Assert.Equal("0015", Hex.Encode(node.Find(new Tag(0x83))!.Value.Span));
        Assert.Equal("A8", Hex.Encode(node.Find(new Tag(0x88))!.Value.Span)); // SFI 21 in b8–b4
        Assert.Equal("0001", Hex.Encode(node.Find(new Tag(0x86))!.Value.Span)); // read always, write state 1
    }

    [Fact]
    public void Selecting_an_application_again_resets_its_volatile_state_and_security()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Authenticate();
        Assert.True(card.Session!.Security.Has(CounterApplication.AuthenticatedState));
        Assert.Equal("9000", card.Sw("8030000004" + "00000000"));

        card.Select(TestCards.App1);
        Assert.False(card.Session.Security.Has(CounterApplication.AuthenticatedState));
        Assert.Equal("6985", card.Sw("8030000004" + "00000000"));
    }

    [Fact]
    public void An_application_that_refuses_selection_leaves_the_mf_selected()
    {
        var catalog = TestCards.Catalog().Add("test.refuse", aid => new RefusingApplication(aid));
        var card = new VirtualCard(catalog);
        card.PowerOn();
        card.Install(CounterApplication.Module, TestCards.App1);
        card.Install("test.refuse", TestCards.Other);
        card.Select(TestCards.App1);

        Assert.Equal("6A81", card.Select(TestCards.Other).StatusWord.ToString());
        Assert.Null(card.Session!.SelectedApplication);
    }

    private sealed class RefusingApplication(Aid aid) : ICardApplication
    {
        public Aid Aid => aid;

        public ResponseApdu Select(CommandContext context) => new(StatusWord.FunctionNotSupported);

        public ResponseApdu Process(CommandContext context) => new(StatusWord.InstructionNotSupported);
    }
}
