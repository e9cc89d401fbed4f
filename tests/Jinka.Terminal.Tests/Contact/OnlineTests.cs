using System.Text;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

/// <summary>Online processing: field 55, approve/decline/unreachable, issuer authentication, scripts, second GAC, advices.</summary>
public class OnlineTests
{
    [Theory]
    [InlineData(Crypto.SuiteId.International)]
    [InlineData(Crypto.SuiteId.Sm)]
    public async Task Approved_online_with_issuer_authentication_and_a_completion_advice(Crypto.SuiteId suite)
    {
        var harness = new Harness(new CardProfile { Suite = suite });
        var result = await harness.RunAsync();

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("issuer approved (00) and the card accepted (TC)", result.Reason);
        Assert.True(result.WentOnline);
        Assert.True(harness.Issuer.ArqcValid);
        Assert.True(harness.Card.IssuerAuthenticated);
        Assert.True(result.Tsi.IssuerAuthenticationPerformed);
        Assert.False(result.Tvr.IssuerAuthenticationFailed);
        Assert.Equal([CryptogramType.Arqc, CryptogramType.Tc], harness.Card.Cryptograms.Select(c => c.Type));

        var external = harness.Card.Commands.Single(c => c.Ins == 0x82);
        Assert.Equal(10, external.Nc);
        Assert.Equal("3030", Hex.Encode(external.Data.Span[8..]));
        var secondGac = harness.Card.Commands.Where(c => c.Ins == 0xAE).Last();
        Assert.Equal(0x50, secondGac.P1);
        Assert.StartsWith("3030", Hex.Encode(secondGac.Data.Span), StringComparison.Ordinal);
        Assert.Equal("00", Encoding.ASCII.GetString(result.Data.Get(new Tag(0x8A))));
        Assert.Equal("123456", Encoding.ASCII.GetString(result.Data.Get(new Tag(0x89))));

        var advice = Assert.Single(harness.Issuer.Advices);
        Assert.Equal(AdviceKind.Completion, advice.Kind);
        var adviceData = new TlvDatabase();
        adviceData.Merge(advice.IccData.Span);
        Assert.Equal("40", Hex.Encode(adviceData.Get(new Tag(0x9F27))));
        Assert.Equal(harness.Card.Cryptograms[1].Cryptogram, adviceData.Get(new Tag(0x9F26)).ToArray());
        Assert.Equal("Completion", result.Trace.Advice!.Kind);
    }

    [Fact]
    public async Task The_request_carries_the_field_55_tags_of_NOTES_F2_in_order_and_the_plain_fields()
    {
        var harness = new Harness();
        var result = await harness.RunAsync(request: new TransactionRequest(12_345) { SequenceCounter = 42 });
        var request = Assert.Single(harness.Issuer.Requests);
        Assert.Equal("6225880000000001", request.Pan);
        Assert.Equal("01", request.PanSequenceNumber);
        Assert.Equal(12_345, request.Amount);
        Assert.Equal("156", request.CurrencyCode);
        Assert.Equal("000000", request.ProcessingCode);
        Assert.Equal(42, request.Stan);
        Assert.Equal("3012", request.Expiry);
        Assert.StartsWith("6225880000000001D3012", request.Track2, StringComparison.Ordinal);
        Assert.Equal("JINKA001", request.TerminalId);
        Assert.Equal(Harness.Now, request.LocalTime);

        var tags = TlvNode.Parse(request.IccData).Select(n => n.Tag.ToString()).ToList();
        Assert.Equal(["9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82", "9F1A", "9F03", "9F33", "9F34", "9F35", "9F1E", "84", "9F09", "9F41"], tags);
        Assert.Equal(Hex.Encode(request.IccData.Span), result.Trace.Authorization!.RequestIccData);
        Assert.Equal("00", result.Trace.Authorization.ResponseCode);
    }

    [Fact]
    public async Task Declined_online_asks_the_card_for_an_AAC()
    {
        var harness = new Harness();
        harness.Issuer.ResponseCode = "51";
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("issuer declined (51)", result.Reason);
        Assert.Equal(0x00, harness.Card.Commands.Where(c => c.Ins == 0xAE).Last().P1);
        Assert.Equal("51", Encoding.ASCII.GetString(result.Data.Get(new Tag(0x8A))));
        Assert.Equal(AdviceKind.Completion, Assert.Single(harness.Issuer.Advices).Kind);
    }

    [Fact]
    public async Task Unable_to_go_online_uses_the_default_codes_Z3()
    {
        var harness = new Harness();
        harness.Issuer.Unreachable = true;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("unable to go online; declined offline (Z3, default codes match: Transaction exceeds floor limit)", result.Reason);
        Assert.Equal("Z3", Encoding.ASCII.GetString(result.Data.Get(new Tag(0x8A))));
        Assert.Equal("connection refused", result.Trace.Authorization!.Failure);
        Assert.Null(result.Trace.Authorization.ResponseCode);
        Assert.False(result.WentOnline);
        Assert.DoesNotContain(harness.Card.Commands, c => c.Ins == 0x82);

        // The host may have approved before the answer was lost: the declined transaction is reversed (choice P49).
        var reversal = Assert.Single(harness.Issuer.Advices);
        Assert.Equal(AdviceKind.Reversal, reversal.Kind);
        Assert.Same(harness.Issuer.Requests.Single(), reversal.Original);
        Assert.Equal("Reversal", result.Trace.Advice!.Kind);
    }

    [Fact]
    public async Task An_unanswered_request_approved_offline_Y3_is_followed_by_a_completion()
    {
        var harness = new Harness(config: new TerminalConfig { TacDefault = new byte[5] });
        harness.Issuer.Unreachable = true;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        var completion = Assert.Single(harness.Issuer.Advices);
        Assert.Equal(AdviceKind.Completion, completion.Kind);
        Assert.Contains(new Tag(0x9F26), TlvNode.Parse(completion.IccData).Select(n => n.Tag));
    }

    [Fact]
    public async Task No_advice_follows_when_there_is_no_authorisation_client()
    {
        var harness = new Harness(config: new TerminalConfig { TacDefault = new byte[5] }) { WithIssuer = false };
        var result = await harness.RunAsync();
        Assert.Null(result.Advice);
        Assert.Null(result.Trace.Advice);
    }

    [Fact]
    public async Task Unable_to_go_online_approves_Y3_when_no_default_code_matches()
    {
        var harness = new Harness(config: new TerminalConfig { TacDefault = new byte[5] }) { WithIssuer = false };
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.StartsWith("unable to go online; approved offline (Y3", result.Reason, StringComparison.Ordinal);
        Assert.Equal("no authorisation client is configured", result.Trace.Authorization!.Failure);
        Assert.Equal(0x50, harness.Card.Commands.Where(c => c.Ins == 0xAE).Last().P1);
        Assert.StartsWith("5933", Hex.Encode(harness.Card.Commands.Where(c => c.Ins == 0xAE).Last().Data.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_ARPC_sets_issuer_authentication_failed()
    {
        var harness = new Harness();
        harness.Issuer.CorruptArpc = true;
        var result = await harness.RunAsync();
        Assert.True(result.Tvr.IssuerAuthenticationFailed);
        Assert.True(result.Tsi.IssuerAuthenticationPerformed);
        Assert.False(harness.Card.IssuerAuthenticated);
        Assert.Contains(result.Trace.Apdus, a => a.Purpose == "EXTERNAL AUTHENTICATE" && a.StatusWord == "6300");
        Assert.Equal("0000008040", result.Tvr.ToString());
    }

    [Fact]
    public async Task Without_91_or_without_AIP_support_no_EXTERNAL_AUTHENTICATE_is_sent()
    {
        var noArpc = new Harness();
        noArpc.Issuer.SendArpc = false;
        var first = await noArpc.RunAsync();
        Assert.DoesNotContain(noArpc.Card.Commands, c => c.Ins == 0x82);
        Assert.False(first.Tsi.IssuerAuthenticationPerformed);
        Assert.Equal(TransactionOutcome.Approved, first.Outcome);

        var noSupport = new Harness(CardProfile.Rsa() with { Aip = "7900" });
        var second = await noSupport.RunAsync();
        Assert.DoesNotContain(noSupport.Card.Commands, c => c.Ins == 0x82);
        Assert.Contains(second.Trace.Steps.Single(s => s.Name == "Online processing").Notes, n => n.Contains("AIP does not support issuer authentication", StringComparison.Ordinal));
        Assert.True(second.Data.Contains(new Tag(0x91)));
    }

    [Fact]
    public async Task Host_approved_but_card_declined_sends_a_reversal()
    {
        var profile = CardProfile.Rsa() with { Decide = (requested, second) => second ? CryptogramType.Aac : requested };
        var harness = new Harness(profile);
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("issuer approved (00) but the card declined (AAC)", result.Reason);
        var advice = Assert.Single(harness.Issuer.Advices);
        Assert.Equal(AdviceKind.Reversal, advice.Kind);
        Assert.Equal(["95", "9F1E", "9F10", "9F36"], TlvNode.Parse(advice.IccData).Select(n => n.Tag.ToString()));
        Assert.Same(harness.Issuer.Requests[0], advice.Original);
        Assert.Equal(AdviceKind.Reversal, result.Advice!.Kind);
    }

    [Fact]
    public async Task Scripts_71_run_before_and_72_after_the_second_GAC_with_DF31_results()
    {
        var harness = new Harness(CardProfile.Rsa() with { FailScriptIns = 0x1E });
        harness.Issuer.Scripts.Add(new IssuerScript(0x71, "00000001", new ScriptCommand(0x04, 0xDA, 0x9F, 0x79, "000000010000"), new ScriptCommand(0x84, 0x18, 0x00, 0x00)));
        harness.Issuer.Scripts.Add(new IssuerScript(0x72, "00000002", new ScriptCommand(0x84, 0x18, 0x00, 0x00), new ScriptCommand(0x84, 0x1E, 0x00, 0x00), new ScriptCommand(0x84, 0x16, 0x00, 0x00)));
        harness.Issuer.Scripts.Add(new IssuerScript(0x71, "00000003", new ScriptCommand(0x84, 0x18, 0x00, 0x00, CorruptMac: true)));
        var result = await harness.RunAsync();

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("2000000001" + "1100000003" + "1200000002", Hex.Encode(result.ScriptResults.Span));
        Assert.Equal(Hex.Encode(result.ScriptResults.Span), result.Trace.ScriptResults);
        Assert.True(result.Tvr.Has(TvrBit.ScriptFailedBeforeFinalGenerateAc));
        Assert.True(result.Tvr.Has(TvrBit.ScriptFailedAfterFinalGenerateAc));
        Assert.True(result.Tsi.ScriptProcessingPerformed);

        // 04DA, 8418 (71 #1), 8418 with a bad MAC (71 #3), second GAC, then 8418, 841E (fails; 8416 not sent).
        var order = string.Join(' ', harness.Card.Commands.SkipWhile(c => c.Ins != 0x82).Skip(1).Select(c => $"{c.Cla:X2}{c.Ins:X2}"));
        Assert.Equal("04DA 8418 8418 80AE 8418 841E", order);
        Assert.Equal(3, harness.Card.ScriptsApplied.Count);

        var advice = Assert.Single(harness.Issuer.Advices);
        var data = new TlvDatabase();
        data.Merge(advice.IccData.Span);
        Assert.Equal(Hex.Encode(result.ScriptResults.Span), Hex.Encode(data.Get(new Tag(0xDF31))));
    }

    [Fact]
    public async Task A_script_command_that_is_not_an_APDU_fails_its_script()
    {
        var client = new ScriptedIssuer(Hex.Parse("910A" + "0000000000000000" + "3030" + "720A" + "9F180400000009" + "8601" + "84"));
        var kernel = new Terminal.Contact.ContactKernel(new TerminalConfig(), TestKeys.Store(), client, null, new FixedClock(new DateTimeOffset(Harness.Now, TimeSpan.Zero)), TerminalRandom.Seeded(1));
        var card = new FakeCard(CardProfile.Rsa());
        var scripted = await kernel.RunAsync(card, new TransactionRequest(100));
        Assert.Equal("1100000009", Hex.Encode(scripted.ScriptResults.Span));
        Assert.True(scripted.Tvr.IssuerAuthenticationFailed);
        Assert.True(scripted.Tvr.Has(TvrBit.ScriptFailedAfterFinalGenerateAc));

        // The advice could not be delivered: noted, the outcome stands.
        Assert.Equal(TransactionOutcome.Approved, scripted.Outcome);
        Assert.Equal("advice link down", scripted.Trace.Advice!.Failure);
    }

    [Fact]
    public async Task A_malformed_host_field_55_is_noted_and_ignored()
    {
        var client = new ScriptedIssuer(Hex.Parse("9105AABB"));
        var kernel = new Terminal.Contact.ContactKernel(new TerminalConfig(), TestKeys.Store(), client, null, new FixedClock(new DateTimeOffset(Harness.Now, TimeSpan.Zero)), TerminalRandom.Seeded(1));
        var card = new FakeCard(CardProfile.Rsa());
        var result = await kernel.RunAsync(card, new TransactionRequest(100));
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Contains(result.Trace.Steps.Single(s => s.Name == "Online processing").Notes, n => n.StartsWith("the host's field 55 is malformed", StringComparison.Ordinal));
        Assert.DoesNotContain(card.Commands, c => c.Ins == 0x82);
    }

    [Fact]
    public async Task A_card_lost_during_scripts_after_the_final_GAC_only_fails_the_script()
    {
        var harness = new Harness();
        harness.Issuer.Scripts.Add(new IssuerScript(0x72, "00000005", new ScriptCommand(0x84, 0x18, 0x00, 0x00)));
        harness.Card.Override = (command, _) => command.Ins == 0x18 ? throw new Core.Transport.TransportException(Core.Transport.TransportFailure.CardRemoved, "card removed") : null;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("1100000005", Hex.Encode(result.ScriptResults.Span));
        Assert.True(result.Tvr.Has(TvrBit.ScriptFailedAfterFinalGenerateAc));
    }

    [Fact]
    public async Task A_card_lost_after_host_approval_terminates_and_reverses()
    {
        var harness = new Harness();
        harness.Issuer.Scripts.Add(new IssuerScript(0x71, "00000006", new ScriptCommand(0x84, 0x18, 0x00, 0x00)));
        harness.Card.Override = (command, _) => command.Ins == 0x18 ? throw new Core.Transport.TransportException(Core.Transport.TransportFailure.CardRemoved, "card removed") : null;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Equal("the card could not be reached (CardRemoved): card removed (during online processing)", result.Reason);
        Assert.Equal(AdviceKind.Reversal, Assert.Single(harness.Issuer.Advices).Kind);
    }

    [Fact]
    public async Task A_format_2_GENERATE_AC_response_without_CDA_is_read()
    {
        var harness = new Harness(CardProfile.Rsa() with { Aip = "5C00" }, new TerminalConfig { FloorLimit = 100_000 });
        harness.Card.Override = (command, _) => command.Ins == 0xAE
            ? new ResponseApdu(Hex.Parse("771F" + "9F270140" + "9F36020009" + "9F2608" + "1122334455667788" + "9F10080701010350000001"), StatusWord.Success)
            : null;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("1122334455667788", Hex.Encode(result.Data.Get(new Tag(0x9F26))));
        Assert.Equal("0009", Hex.Encode(result.Data.Get(new Tag(0x9F36))));
        Assert.Equal("Y1", Encoding.ASCII.GetString(result.Data.Get(new Tag(0x8A))));
    }

    /// <summary>An issuer that approves with fixed field 55 bytes.</summary>
    private sealed class ScriptedIssuer(byte[] iccData) : IAuthorizationClient
    {
        public ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new AuthorizationResponse("00", iccData));

        public ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new OnlineException("advice link down"));
    }
}
