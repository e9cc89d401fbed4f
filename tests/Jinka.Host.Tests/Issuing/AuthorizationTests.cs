using Jinka.Core;
using Jinka.Crypto;
using Jinka.Host.Issuing;
using Jinka.Host.Scripts;

namespace Jinka.Host.Tests.Issuing;

public sealed class AuthorizationTests : IDisposable
{
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("International (3DES)", SuiteId.International)]
    [InlineData("SM (SM4)", SuiteId.Sm)]
    public async Task Approves_a_genuine_arqc_with_an_arpc_the_card_accepts_and_holds_the_amount(string description, SuiteId suite)
    {
        _ = description;
        var card = await _harness.AddCardAsync(suite);
        var transaction = card.Transact(12_345);

        var decision = await _harness.AuthorizeAsync(transaction);

        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.True(decision.ArqcVerified);
        Assert.Matches("^[0-9]{6}$", decision.Response.ApprovalCode);
        Assert.Matches("^[0-9]{12}$", decision.Response.RetrievalReference);
        var chip = ResponseChipData.Parse(decision.Response);
        Assert.NotNull(chip.IssuerAuthentication);
        Assert.Equal("3030", Hex.Encode(chip.IssuerAuthentication.AsSpan(8)));
        Assert.True(card.AcceptsIssuerAuthentication(chip.IssuerAuthentication, transaction));
        Assert.Empty(chip.Templates);

        var account = await _harness.AccountAsync(card);
        Assert.Equal(100_000, account.Balance);
        Assert.Equal(12_345, account.Held);
        Assert.Equal(100_000 - 12_345, account.Available);
        Assert.Equal([IssuerEventKind.ArqcVerified, IssuerEventKind.Approved], decision.Events.Select(e => e.Kind));
        Assert.Contains("approved", decision.Response.Reason, StringComparison.Ordinal);
        Assert.All(decision.Events, e => Assert.Equal("622588******0001/00", e.Card));
    }

    [Fact]
    public async Task A_wrong_arqc_is_declined_05_with_an_arpc_over_05_and_no_scripts()
    {
        var card = await _harness.AddCardAsync();
        await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.ApplicationBlock());
        var transaction = card.Transact(500);
        transaction.Arqc[3] ^= 0x01;
        transaction.Set(new Core.Tlv.Tag(0x9F26), transaction.Arqc);

        var decision = await _harness.AuthorizeAsync(transaction);

        Assert.Equal("05", decision.Response.ResponseCode);
        Assert.False(decision.ArqcVerified);
        var chip = ResponseChipData.Parse(decision.Response);
        Assert.Equal("3035", Hex.Encode(chip.IssuerAuthentication.AsSpan(8)));
        Assert.True(card.AcceptsIssuerAuthentication(chip.IssuerAuthentication, transaction));
        Assert.Empty(chip.Templates);
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
        Assert.Equal(IssuerEventKind.ArqcInvalid, Assert.Single(decision.Events).Kind);
        Assert.Null(decision.Response.ApprovalCode);
    }

    [Fact]
    public async Task Altered_transaction_data_fails_the_arqc()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(500);
        transaction.Set(new Core.Tlv.Tag(0x95), Hex.Parse("0000008000"));
        var decision = await _harness.AuthorizeAsync(transaction);
        Assert.Equal("05", decision.Response.ResponseCode);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.ArqcInvalid);
    }

    [Fact]
    public async Task A_replayed_atc_is_declined_94_and_holds_nothing_more()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(1_000);
        Assert.Equal("00", (await _harness.AuthorizeAsync(transaction)).Response.ResponseCode);

        var replay = await _harness.AuthorizeAsync(transaction);
        Assert.Equal("94", replay.Response.ResponseCode);
        Assert.Contains(replay.Events, e => e.Kind == IssuerEventKind.AtcReplayed);
        var chip = ResponseChipData.Parse(replay.Response);
        Assert.True(card.AcceptsIssuerAuthentication(chip.IssuerAuthentication, transaction));
        Assert.Equal("3934", Hex.Encode(chip.IssuerAuthentication.AsSpan(8)));
        Assert.Equal(1_000, (await _harness.AccountAsync(card)).Held);

        // The same ATC under another STAN and amount is a replay too; the next ATC is fine.
        var again = card.Transact(2_000, atc: transaction.Atc);
        Assert.Equal("94", (await _harness.AuthorizeAsync(again)).Response.ResponseCode);
        Assert.Equal("00", (await _harness.AuthorizeAsync(card.Transact(2_000))).Response.ResponseCode);
    }

    [Fact]
    public async Task Insufficient_funds_is_51_and_leaves_the_balance_untouched()
    {
        var card = await _harness.AddCardAsync(balance: 5_000);
        var entriesBefore = await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card));
        var transaction = card.Transact(5_001);

        var decision = await _harness.AuthorizeAsync(transaction);

        Assert.Equal("51", decision.Response.ResponseCode);
        Assert.True(card.AcceptsIssuerAuthentication(ResponseChipData.Parse(decision.Response).IssuerAuthentication, transaction));
        var account = await _harness.AccountAsync(card);
        Assert.Equal((5_000L, 0L), (account.Balance, account.Held));
        Assert.Equal(entriesBefore, await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card)));
        Assert.Contains("5001 asked, 5000 available", decision.Response.Reason, StringComparison.Ordinal);

        Assert.Equal("00", (await _harness.AuthorizeAsync(card.Transact(5_000))).Response.ResponseCode);
    }

    [Fact]
    public async Task A_credit_limit_extends_what_may_be_authorised()
    {
        var card = await _harness.AddCardAsync(balance: 1_000, creditLimit: 4_000);
        Assert.Equal("00", (await _harness.AuthorizeAsync(card.Transact(5_000))).Response.ResponseCode);
        Assert.Equal("51", (await _harness.AuthorizeAsync(card.Transact(1))).Response.ResponseCode);
    }

    [Fact]
    public async Task An_unknown_card_is_14_without_issuer_authentication_data()
    {
        var card = await _harness.AddCardAsync();
        var stranger = new SimulatedCard(AlgorithmSuite.International, "6225880000000019", "00", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        var decision = await _harness.AuthorizeAsync(stranger.Transact(100));
        Assert.Equal("14", decision.Response.ResponseCode);
        Assert.True(decision.Response.IccData.IsEmpty);
        Assert.Equal(IssuerEventKind.UnknownCard, Assert.Single(decision.Events).Kind);

        // Another PSN of a known PAN is another card.
        var otherPsn = new SimulatedCard(AlgorithmSuite.International, card.Pan, "01", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        Assert.Equal("14", (await _harness.AuthorizeAsync(otherPsn.Transact(100))).Response.ResponseCode);
    }

    [Theory]
    [InlineData("card blocked", CardStatus.Blocked, "62", IssuerEventKind.CardBlocked)]
    [InlineData("application blocked", CardStatus.ApplicationBlocked, "57", IssuerEventKind.ApplicationBlocked)]
    public async Task A_blocked_card_or_application_is_declined_with_an_arpc_and_its_scripts(string description, CardStatus status, string code, IssuerEventKind kind)
    {
        _ = description;
        var card = await _harness.AddCardAsync(status: status);
        var script = await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.ApplicationBlock());
        var transaction = card.Transact(100);

        var decision = await _harness.AuthorizeAsync(transaction);

        Assert.Equal(code, decision.Response.ResponseCode);
        Assert.Contains(decision.Events, e => e.Kind == kind && e.ResponseCode == code);
        var chip = ResponseChipData.Parse(decision.Response);
        Assert.True(card.AcceptsIssuerAuthentication(chip.IssuerAuthentication, transaction));
        Assert.Equal(script.Id, ResponseChipData.ScriptId(Assert.Single(chip.Templates)));
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_card_blocked_after_issue_is_declined_from_then_on()
    {
        var card = await _harness.AddCardAsync();
        Assert.Equal("00", (await _harness.AuthorizeAsync(card.Transact(100))).Response.ResponseCode);
        Assert.True(await _harness.Storage.Cards.SetStatusAsync(CardId.Create(card.Pan), CardStatus.Blocked));
        Assert.Equal("62", (await _harness.AuthorizeAsync(card.Transact(100))).Response.ResponseCode);
    }

    [Fact]
    public async Task Balance_inquiry_approves_without_debiting_and_reports_the_balance()
    {
        var card = await _harness.AddCardAsync(balance: 7_700);
        await _harness.AuthorizeAsync(card.Transact(700));
        var inquiry = card.Transact(0, processingCode: "310000");

        var decision = await _harness.AuthorizeAsync(inquiry);

        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.True(card.AcceptsIssuerAuthentication(ResponseChipData.Parse(decision.Response).IssuerAuthentication, inquiry));
        Assert.Equal(7_000, decision.Account!.Available);
        Assert.Equal(7_700, decision.Account.Balance);
        Assert.Contains("available 7000", decision.Response.Reason, StringComparison.Ordinal);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.BalanceInquiry);
        Assert.Equal(700, (await _harness.AccountAsync(card)).Held);
    }

    [Theory]
    [InlineData("refund", "200000")]
    [InlineData("transfer", "400000")]
    [InlineData("not six digits", "00000")]
    public async Task Unsupported_processing_codes_are_57(string description, string processingCode)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var decision = await _harness.AuthorizeAsync(card.Transact(100, processingCode: processingCode));
        Assert.Equal("57", decision.Response.ResponseCode);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.UnsupportedTransaction);
    }

    [Fact]
    public async Task The_suite_named_in_9F10_must_be_the_cards()
    {
        await _harness.AddCardAsync(SuiteId.International);
        var smCard = new SimulatedCard(AlgorithmSuite.Sm, "6225880000000001", "00", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc);
        var decision = await _harness.AuthorizeAsync(smCard.Transact(100));
        Assert.Equal("05", decision.Response.ResponseCode);
        var mismatch = Assert.Single(decision.Events);
        Assert.Equal(IssuerEventKind.SuiteMismatch, mismatch.Kind);
        Assert.Contains("9F10 says SM", mismatch.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cvn_other_than_01_is_declined()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        transaction.Set(new Core.Tlv.Tag(0x9F10), Hex.Parse("07011103A0000001"));
        var decision = await _harness.AuthorizeAsync(transaction);
        Assert.Equal("05", decision.Response.ResponseCode);
        Assert.Equal(IssuerEventKind.UnsupportedCryptogramVersion, Assert.Single(decision.Events).Kind);
    }

    [Theory]
    [InlineData("field 4 differs from 9F02", "amount", "field 4 amount 101 differs from 9F02 100")]
    [InlineData("field 49 differs from 5F2A", "currency", "field 49 currency 840 differs from 5F2A 156")]
    public async Task Message_fields_must_match_what_the_arqc_covers(string description, string field, string reason)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        if (field == "amount")
        {
            transaction.Amount = 101;
        }
        else
        {
            transaction.Currency = "840";
        }

        var decision = await _harness.AuthorizeAsync(transaction);
        Assert.Equal("30", decision.Response.ResponseCode);
        Assert.Equal(reason + ", which the ARQC covers", decision.Response.Reason);
    }

    [Fact]
    public async Task An_account_in_another_currency_is_57()
    {
        var card = await _harness.AddCardAsync();
        var decision = await _harness.AuthorizeAsync(card.Transact(100, currency: "840"));
        Assert.Equal("57", decision.Response.ResponseCode);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.CurrencyMismatch);
    }

    [Fact]
    public async Task A_missing_key_or_account_is_a_system_error_96()
    {
        var card = await _harness.AddCardAsync();
        await _harness.Storage.Cards.RegisterAsync(new CardRecord(CardId.Create(card.Pan), SuiteId.International, new CardKeyLabels("none", "none", "none"), IssuerHarness.AccountOf(card)));
        var decision = await _harness.AuthorizeAsync(card.Transact(100));
        Assert.Equal("96", decision.Response.ResponseCode);
        Assert.Equal(IssuerEventKind.KeyConfigurationError, Assert.Single(decision.Events).Kind);

        await _harness.Storage.Cards.RegisterAsync(new CardRecord(CardId.Create(card.Pan), SuiteId.International, IssuerHarness.IssuerKeys(SuiteId.International), "no-such-account"));
        decision = await _harness.AuthorizeAsync(card.Transact(100));
        Assert.Equal("96", decision.Response.ResponseCode);
        Assert.Contains("no-such-account", decision.Response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_decision_lands_in_the_issuer_event_log_and_the_journal()
    {
        var card = await _harness.AddCardAsync(balance: 100);
        var recorded = new List<IssuerEvent>();
        _harness.Issuer.Events.Recorded += recorded.Add;
        var approved = await _harness.AuthorizeAsync(card.Transact(60));
        var declined = await _harness.AuthorizeAsync(card.Transact(60));

        Assert.Equal(approved.Events.Concat(declined.Events), recorded);
        Assert.Equal(recorded, _harness.Issuer.Events.Snapshot());
        var journal = ((InMemoryAuthorizationJournal)_harness.Storage.Journal).Records;
        Assert.Equal([("00", AuthorizationState.Approved, true), ("51", AuthorizationState.Declined, false)], journal.Select(r => (r.ResponseCode, r.State, r.HoldPlaced)));
        Assert.Equal(approved.Response.IccData.ToArray(), journal[0].ResponseIccData.ToArray());
        Assert.Equal(approved.Response.RetrievalReference, journal[0].Reference);
    }

    [Fact]
    public async Task Pan_with_F_padding_and_one_digit_psn_find_the_same_card()
    {
        var card = await _harness.AddCardAsync(pan: "6210220110002707355", psn: "01");
        var transaction = card.Transact(100);
        var request = transaction.Request with { Pan = card.Pan + "F", PanSequenceNumber = "1" };
        Assert.Equal("00", (await _harness.Issuer.AuthorizeAsync(request)).ResponseCode);
        Assert.Equal(100, (await _harness.AccountAsync(card)).Held);
    }
}
