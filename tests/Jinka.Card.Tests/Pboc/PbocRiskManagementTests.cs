using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// Card risk management (contract P10, choices P26–P27) at the exact boundaries of 9F58, 9F59, 9F54 and 9F5C, the
/// go-online conditions, the ADA declines, and the rule that a card never answers more than the terminal asked.
/// </summary>
public class PbocRiskManagementTests
{
    public static TheoryData<SuiteId> Suites => new() { SuiteId.International, SuiteId.Sm };

    private static PbocTerminal Card(SuiteId suite, Func<PbocProfile, PbocProfile>? adjust = null)
    {
        // 9F13 = 0001: the card has been online once, so it is not a new card.
        var profile = new PbocProfile(AlgorithmSuite.Get(suite)) { LastOnlineAtc = "0001", InitialAtc = "0001" };
        var issuer = new PbocTestIssuer(adjust is null ? profile : adjust(profile));
        return new PbocTerminal(issuer.IssueCard(), issuer);
    }

    private static GacAnswer Attempt(PbocTerminal terminal, Txn txn, CryptogramType requested = CryptogramType.Tc)
    {
        terminal.Start(txn);
        return terminal.FirstAc(requested, txn);
    }

    /// <summary>ARQC at the first GENERATE AC, then the terminal cannot go online (ARC Y3) and asks for a TC.</summary>
    private static (GacAnswer First, GacAnswer Second) UnableToGoOnline(PbocTerminal terminal, Txn txn)
    {
        var first = Attempt(terminal, txn);
        Assert.Equal(CryptogramType.Arqc, first.Type);
        return (first, terminal.SecondAc(CryptogramType.Tc, txn, arc: "5933"));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void The_lower_consecutive_limit_allows_exactly_9F58_offline_approvals(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 3, UpperConsecutiveLimit = 5 });
        var txn = new Txn { Amount = "000000000100" };
        for (int i = 1; i <= 3; i++)
        {
            var tc = Attempt(terminal, txn);
            Assert.Equal(CryptogramType.Tc, tc.Type);
            Assert.Equal(0, tc.Cvr[1] & 0x20);
            Assert.Equal((uint)i, terminal.Card.Cell("state/offline-count"));
        }

        var fourth = Attempt(terminal, txn);
        Assert.Equal(CryptogramType.Arqc, fourth.Type);
        Assert.Equal(0x20, fourth.Cvr[1] & 0x20);
        Assert.Equal(3u, terminal.Card.Cell("state/offline-count"));
    }

    [Theory]
    [InlineData(SuiteId.International, "000000006000", "000000004000", CryptogramType.Tc, "60.00 + 40.00 = 9F54 exactly")]
    [InlineData(SuiteId.International, "000000006000", "000000004001", CryptogramType.Arqc, "60.00 + 40.01 is one cent over 9F54")]
    [InlineData(SuiteId.Sm, "000000006000", "000000004000", CryptogramType.Tc, "60.00 + 40.00 = 9F54 exactly")]
    [InlineData(SuiteId.Sm, "000000010000", "000000000001", CryptogramType.Arqc, "100.00 then 0.01")]
    public void The_cumulative_amount_limit_9F54_is_inclusive(SuiteId suite, string firstAmount, string secondAmount, CryptogramType expected, string description)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 10, UpperConsecutiveLimit = 10, CumulativeLimit = "000000010000" });
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, new Txn { Amount = firstAmount }).Type);
        var second = Attempt(terminal, new Txn { Amount = secondAmount });
        Assert.True(expected == second.Type, description);
        Assert.Equal(expected == CryptogramType.Arqc ? 0x20 : 0x00, second.Cvr[1] & 0x20);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unable_to_go_online_the_card_approves_up_to_the_upper_limit_9F59_and_declines_beyond(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 1, UpperConsecutiveLimit = 3 });
        var txn = new Txn { Amount = "000000000100" };
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, txn).Type);

        for (int count = 2; count <= 3; count++)
        {
            var (_, second) = UnableToGoOnline(terminal, txn);
            Assert.Equal(CryptogramType.Tc, second.Type);
            Assert.Equal(0x40 | 0x20 | 0x01, second.Cvr[0]);
            Assert.Equal((uint)count, terminal.Card.Cell("state/offline-count"));
        }

        var (_, declined) = UnableToGoOnline(terminal, txn);
        Assert.Equal(CryptogramType.Aac, declined.Type);
        Assert.Equal(0x20 | 0x01, declined.Cvr[0]);
        Assert.Equal(3u, terminal.Card.Cell("state/offline-count"));
        Assert.Equal(Hex.Encode(terminal.ExpectedAc(PbocTestIssuer.Cdol2Data(txn, "5933"), second: true, declined)), Hex.Encode(declined.Ac));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Unable_to_go_online_the_card_approves_up_to_the_cumulative_upper_limit_9F5C(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 10, UpperConsecutiveLimit = 10, CumulativeLimit = "000000005000", CumulativeUpperLimit = "000000010000" });
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, new Txn { Amount = "000000005000" }).Type);
        Assert.Equal(CryptogramType.Tc, UnableToGoOnline(terminal, new Txn { Amount = "000000005000" }).Second.Type);
        Assert.Equal(CryptogramType.Aac, UnableToGoOnline(terminal, new Txn { Amount = "000000000001" }).Second.Type);
        Assert.Equal("0000000000002710", Hex.Encode(terminal.Card.Bytes("state/offline-amount")!));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_online_transaction_with_issuer_authentication_resets_the_velocity_counters(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 1 });
        var txn = new Txn();
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, txn).Type);
        Assert.Equal(CryptogramType.Arqc, Attempt(terminal, txn).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, txn).Type);
        Assert.Equal(0u, terminal.Card.Cell("state/offline-count"));
        Assert.Equal(terminal.Atc, (ushort)terminal.Card.Cell("state/last-online-atc"));
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, txn).Type);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void An_arqc_without_a_second_generate_ac_makes_the_next_transaction_go_online(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 1 });
        var txn = new Txn();
        Assert.Equal(CryptogramType.Tc, Attempt(terminal, txn).Type);
        Assert.Equal(CryptogramType.Arqc, Attempt(terminal, txn).Type);
        terminal.Card.PowerOff();
        terminal.Card.PowerOn();

        var next = Attempt(terminal, txn);
        Assert.Equal(CryptogramType.Arqc, next.Type);
        Assert.Equal(0x80, next.Cvr[1] & 0x80);
    }

    [Theory]
    [InlineData(SuiteId.International, "0000", CryptogramType.Tc)]
    [InlineData(SuiteId.International, "4000", CryptogramType.Aac)]
    [InlineData(SuiteId.Sm, "0000", CryptogramType.Tc)]
    [InlineData(SuiteId.Sm, "4000", CryptogramType.Aac)]
    public void A_failed_issuer_authentication_is_reported_and_declines_when_the_ada_says_so(SuiteId suite, string ada, CryptogramType expected)
    {
        var terminal = Card(suite, p => p with { ApplicationDefaultAction = ada });
        var txn = new Txn();
        Assert.Equal(CryptogramType.Arqc, Attempt(terminal, txn, CryptogramType.Arqc).Type);
        Assert.Equal("6300", terminal.ExternalAuthenticate(corrupt: true).StatusWord.ToString());
        Assert.Equal("6985", terminal.ExternalAuthenticate().StatusWord.ToString());
        var second = terminal.SecondAc(CryptogramType.Tc, txn);
        Assert.Equal(expected, second.Type);
        Assert.Equal(0x08, second.Cvr[0] & 0x08);

        // The next transaction reports it and goes online even where velocity would allow a TC.
        var next = Attempt(terminal, txn);
        Assert.Equal(CryptogramType.Arqc, next.Type);
        Assert.Equal(0x08, next.Cvr[1] & 0x08);
    }

    [Theory]
    [InlineData(SuiteId.International, "00", "2000", CryptogramType.Tc)]
    [InlineData(SuiteId.International, "80", "0000", CryptogramType.Tc)]
    [InlineData(SuiteId.International, "80", "2000", CryptogramType.Aac)]
    [InlineData(SuiteId.Sm, "80", "2000", CryptogramType.Aac)]
    public void A_missing_arpc_declines_only_when_issuer_authentication_is_required_and_the_ada_says_so(SuiteId suite, string indicator, string ada, CryptogramType expected)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 0, IssuerAuthenticationIndicator = indicator, ApplicationDefaultAction = ada });
        var txn = new Txn();
        Assert.Equal(CryptogramType.Arqc, Attempt(terminal, txn).Type);
        Assert.Equal(expected, terminal.SecondAc(CryptogramType.Tc, txn).Type);
        Assert.Equal(0x04u, terminal.Card.Cell("state/flags") & 0x04u);
    }

    public static TheoryData<string, CryptogramType, CryptogramType, string> NeverMoreThanAsked => new()
    {
        { "offline-ok", CryptogramType.Aac, CryptogramType.Aac, "AAC asked, TC possible: AAC" },
        { "offline-ok", CryptogramType.Arqc, CryptogramType.Arqc, "ARQC asked, TC possible: still ARQC" },
        { "offline-ok", CryptogramType.Tc, CryptogramType.Tc, "TC asked and possible" },
        { "new-card", CryptogramType.Tc, CryptogramType.Arqc, "TC asked by a new card: ARQC" },
        { "new-card", CryptogramType.Aac, CryptogramType.Aac, "AAC asked by a new card" },
        { "foreign-currency", CryptogramType.Tc, CryptogramType.Arqc, "another currency cannot be accumulated: online" },
    };

    [Theory]
    [MemberData(nameof(NeverMoreThanAsked))]
    public void The_card_never_answers_more_than_the_terminal_asked(string situation, CryptogramType requested, CryptogramType expected, string description)
    {
        var terminal = Card(SuiteId.International, p => situation == "new-card" ? p with { LastOnlineAtc = "0000" } : p);
        var txn = situation == "foreign-currency" ? new Txn { Currency = "0840" } : new Txn();
        var answer = Attempt(terminal, txn, requested);
        Assert.True(expected == answer.Type, $"{description}: got {answer.Type}");
        Assert.Equal(situation == "new-card" ? 0x10 : 0x00, answer.Cvr[1] & 0x10);
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void The_second_generate_ac_cannot_ask_for_an_arqc(SuiteId suite)
    {
        var terminal = Card(suite, p => p with { LowerConsecutiveLimit = 0 });
        var txn = new Txn();
        Assert.Equal(CryptogramType.Arqc, Attempt(terminal, txn).Type);
        Assert.Equal("6A86", terminal.Sw(ApduCommands.GenerateAc(CryptogramType.Arqc, PbocTestIssuer.Cdol2Data(txn))));
        Assert.Equal(CryptogramType.Aac, terminal.SecondAc(CryptogramType.Aac, txn).Type);
    }

    [Theory]
    [InlineData("0000", CryptogramType.Arqc, "PIN try limit exceeded: online")]
    [InlineData("0800", CryptogramType.Aac, "ADA b4: decline when exceeded in this transaction")]
    public void Exhausting_the_pin_goes_online_or_declines_by_the_ada(string ada, CryptogramType expected, string description)
    {
        var terminal = Card(SuiteId.International, p => p with { ApplicationDefaultAction = ada });
        var txn = new Txn();
        terminal.Start(txn);
        foreach (string sw in new[] { "63C2", "63C1", "63C0", "6983" })
        {
            Assert.Equal(sw, terminal.Sw("0020008008241111FFFFFFFFFF"));
        }

        var answer = terminal.FirstAc(CryptogramType.Tc, txn);
        Assert.True(expected == answer.Type, description);
        Assert.Equal(0x04 | 0x02, answer.Cvr[0] & 0x06);
        Assert.Equal(0x40, answer.Cvr[1] & 0x40);

        // ADA b3 declines the following transactions while the PIN stays blocked.
        if (ada == "0000")
        {
            return;
        }

        var blocked = Card(SuiteId.International, p => p with { ApplicationDefaultAction = "0400", PinTries = "0300" });
        Assert.Equal(CryptogramType.Aac, Attempt(blocked, txn, CryptogramType.Arqc).Type);
    }
}
