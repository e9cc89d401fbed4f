using Jinka.Card.Applications;

namespace Jinka.Card.Tests;

/// <summary>RAM state dies with the power or a reset; NVM does not.</summary>
public class SessionTests
{
    [Theory]
    [InlineData("warm reset")]
    [InlineData("power cycle")]
    public void A_reset_clears_the_session_and_keeps_persistent_state(string how)
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Sw("801000000400000042");
        card.Authenticate();
        card.Sw("00200001021234");
        card.Sw("0084000004");
        Assert.Equal("9000", card.Sw("00A4000002DF01"));
        var old = card.Session!;

        if (how == "warm reset")
        {
            card.Reset();
        }
        else
        {
            card.PowerOff();
            Assert.Null(card.Session);
            card.PowerOn();
        }

        var session = card.Session!;
        Assert.NotSame(old, session);
        Assert.Null(session.SelectedApplication);
        Assert.Equal("", session.CurrentDf);
        Assert.Null(session.CurrentEf);
        Assert.Equal(0u, session.Security.Bits);
        Assert.True(session.Challenge.IsEmpty);

        // Persistent: balance, ATC, the log record, EF 0015.
        Assert.Equal(0x42u, card.Balance(TestCards.App1));
        Assert.Equal(1u, card.Atc(TestCards.App1));
        card.Select(TestCards.App1);
        Assert.Equal("000000429000", card.Exchange("00B0950004"));
        Assert.Equal(0x0001, (card.Send("00B201C400").Data.Span[0] << 8) | card.Send("00B201C400").Data.Span[1]);
        // Volatile: the phase and the security states are gone.
        Assert.Equal("6985", card.Sw("803000000400000001"));
        Assert.Equal("6982", card.Sw("00B2011400"));
        // The challenge is gone too: AUTHENTICATE has nothing to check against.
        Assert.Equal("6985", card.Sw("8020000004FEFDFCFB"));
    }

    [Fact]
    public void A_card_that_is_off_refuses_commands()
    {
        var card = TestCards.Standard();
        card.PowerOff();
        Assert.False(card.IsPowered);
        Assert.Throws<InvalidOperationException>(() => card.Send("00A4040007A000000999010100"));
        Assert.Throws<InvalidOperationException>(() => card.Reset());
    }

    [Fact]
    public void Volatile_state_belongs_to_one_application()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Authenticate();
        Assert.Equal("9000", card.Sw("803000000400000000"));

        card.Select(TestCards.App2);
        Assert.Equal("6985", card.Sw("803000000400000000"));
    }

    [Fact]
    public void Installs_and_personalisation_made_while_powered_restart_selection_from_the_mf()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Personalize(TestCards.App1, c => c.LifeCycle = ApplicationLifeCycle.Personalized);
        Assert.Null(card.Session!.SelectedApplication);
        Assert.Equal(ApplicationLifeCycle.Personalized, card.Applications.First(a => a.Aid == TestCards.App1).LifeCycle);
    }
}
