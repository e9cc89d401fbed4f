using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// Issuer scripts from the issuer's queue to the card and back (P9, P13, P16, P30–P32, P46): delivered intact they
/// change the card and are reported done; with a broken MAC the card refuses them (6988) and nothing changes but
/// the CVR; PIN UNBLOCK revives a blocked PIN; APPLICATION BLOCK ends the application's use.
/// </summary>
public class IssuerScriptTests
{
    private static readonly Tag s_lowerLimit = new(0x9F14);

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task An_intact_script_changes_the_card_and_is_reported_done(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var script = await h.Issuer.QueueScriptAsync(h.CardId, ScriptCommand.PutData(s_lowerLimit, [0x09]));

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));

        Assert.True(result.IsApproved, result.Trace.ToJson());
        Assert.True(result.Tsi.ScriptProcessingPerformed);
        Assert.Equal(Hex.Encode([0x20, .. Id(script)]), Hex.Encode(result.ScriptResults.Span));
        Assert.Equal("9000", result.Trace.Apdus.Single(a => a.Purpose.StartsWith("issuer script", StringComparison.Ordinal)).StatusWord);
        Assert.Equal([0x09], await h.Probe.GetDataAsync(0x9F14));
        Assert.Equal(ScriptState.Succeeded, (await h.Issuer.Storage.Scripts.FindAsync(script.Id))!.State);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task Scripts_with_a_bad_mac_are_refused_and_change_nothing(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var block = await h.Issuer.QueueScriptAsync(h.CardId, ScriptCommand.ApplicationBlock());
        var putData = await h.Issuer.QueueScriptAsync(h.CardId, ScriptCommand.PutData(s_lowerLimit, [0x09]));
        byte[]? limitBefore = await h.Probe.GetDataAsync(0x9F14);

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: new HostTap(h.Issuer, HostTap.CorruptScriptMacs));

        string trace = result.Trace.ToJson();
        var scriptApdus = result.Trace.Apdus.Where(a => a.Purpose.StartsWith("issuer script", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, scriptApdus.Count);
        Assert.All(scriptApdus, a => Assert.Equal("6988", a.StatusWord));

        // The block never happened: the card accepts the approval, and DF31 reports both scripts failed at command 1.
        Assert.True(result.IsApproved, trace);
        Assert.True(result.Tvr.Has(TvrBit.ScriptFailedBeforeFinalGenerateAc) && result.Tvr.Has(TvrBit.ScriptFailedAfterFinalGenerateAc), trace);
        Assert.Equal(Hex.Encode([0x11, .. Id(block), 0x11, .. Id(putData)]), Hex.Encode(result.ScriptResults.Span));

        // The card's CVR: one secured command processed and failed by the second GENERATE AC (byte 3 b8–b5, b4; P31).
        Assert.Equal(0x18, result.Cvr(first: false)[2] & 0xF8);

        // Nothing changed on the card.
        var card = await h.Probe.ReadAsync();
        Assert.Equal(StatusWord.Success, card.SelectStatus);
        Assert.Equal(limitBefore, await h.Probe.GetDataAsync(0x9F14));

        // The issuer marks both failed and does not send them again; the card's next CVR reports two failed commands.
        Assert.Equal(ScriptState.Failed, (await h.Issuer.Storage.Scripts.FindAsync(block.Id))!.State);
        Assert.Equal(ScriptState.Failed, (await h.Issuer.Storage.Scripts.FindAsync(putData.Id))!.State);
        var host = new HostTap(h.Issuer);
        var next = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: host);
        Assert.True(next.IsApproved, next.Trace.ToJson());
        Assert.Equal([0x91], TlvNode.Parse(host.Responses.Single().IccData).Select(n => n.Tag.Value));
        Assert.Equal(0x28, next.Cvr(first: true)[2] & 0xF8);
        Assert.Equal(0x00, next.Cvr(first: false)[2] & 0xF8);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_pin_blocked_by_wrong_tries_works_again_after_pin_unblock(string profile)
    {
        await using var h = await Harness.IssueAsync(profile, new HarnessOptions
        {
            // Offline plaintext PIN only, fail if unsuccessful: a blocked PIN fails CVM, and IAC-Online sends it online.
            Adjust = p => p with { CvmList = Hex.Parse("00000000000000000100") },
        });

        var wrong = await h.RunAsync(new TransactionRequest(1234), PinEntry.Sequence("000000", "111111", "222222"));
        Assert.True(wrong.Tvr.Has(TvrBit.PinTryLimitExceeded), wrong.Trace.ToJson());
        Assert.Equal(["63C2", "63C1", "63C0"], wrong.Trace.Apdus.Where(a => a.Purpose.StartsWith("VERIFY", StringComparison.Ordinal)).Select(a => a.StatusWord));
        Assert.Equal(0, (await h.Probe.ReadAsync()).PinTries);

        var unblock = await h.Issuer.QueueScriptAsync(h.CardId, ScriptCommand.PinUnblock());
        var delivery = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
        Assert.True(delivery.Tvr.Has(TvrBit.PinTryLimitExceeded), "the PIN is still blocked when the transaction starts");
        Assert.DoesNotContain(delivery.Trace.Apdus, a => a.Purpose.StartsWith("VERIFY", StringComparison.Ordinal));
        Assert.Equal(0x40, delivery.Cvr(first: true)[1] & 0x40);
        Assert.True(delivery.IsApproved, delivery.Trace.ToJson());
        Assert.Equal(Hex.Encode([0x20, .. Id(unblock)]), Hex.Encode(delivery.ScriptResults.Span));
        Assert.Equal(0, delivery.Cvr(first: false)[1] & 0x40);
        Assert.Equal(3, (await h.Probe.ReadAsync()).PinTries);
        Assert.Equal(ScriptState.Succeeded, (await h.Issuer.Storage.Scripts.FindAsync(unblock.Id))!.State);

        var after = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
        Assert.True(after.IsApproved, after.Trace.ToJson());
        Assert.Equal(new CvmResults(0x01, 0x00, CvmResults.ResultSuccessful), after.CvmResults);
        Assert.Equal("9000", after.Trace.Apdus.Single(a => a.Purpose.StartsWith("VERIFY", StringComparison.Ordinal)).StatusWord);
        Assert.False(after.Tvr.CardholderVerificationNotSuccessful);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task Pin_change_from_the_issuer_sets_the_new_offline_pin(string profile)
    {
        // P18: the issuer keeps the new PIN as a format 0 block under its PIN key; at delivery the key store turns it
        // into the format 2 block enciphered under the card's SK-ENC (choice 11), which the card deciphers (P30).
        await using var h = await Harness.IssueAsync(profile, new HarnessOptions { Adjust = p => p with { CvmList = Hex.Parse("00000000000000000100") } });
        var change = await h.Issuer.QueuePinChangeAsync(h.CardId, "4321");

        var delivery = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
        Assert.True(delivery.IsApproved, delivery.Trace.ToJson());
        Assert.Equal(Hex.Encode([0x20, .. Id(change)]), Hex.Encode(delivery.ScriptResults.Span));
        Assert.StartsWith("8424000214", delivery.Trace.Apdus.Single(a => a.Purpose.StartsWith("issuer script", StringComparison.Ordinal)).Command, StringComparison.Ordinal);
        Assert.Equal(ScriptState.Succeeded, (await h.Issuer.Storage.Scripts.FindAsync(change.Id))!.State);

        var withNew = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed("4321"));
        Assert.True(withNew.IsApproved);
        Assert.Equal(new CvmResults(0x01, 0x00, CvmResults.ResultSuccessful), withNew.CvmResults);

        var withOld = await h.RunAsync(new TransactionRequest(1234), PinEntry.Sequence(h.Profile.Pin));
        Assert.Equal("63C2", withOld.Trace.Apdus.First(a => a.Purpose.StartsWith("VERIFY", StringComparison.Ordinal)).StatusWord);
        Assert.True(withOld.Tvr.CardholderVerificationNotSuccessful);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task Application_block_declines_now_and_the_next_transaction_cannot_use_the_application(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var opening = await h.AccountAsync();
        var script = await h.Issuer.QueueScriptAsync(h.CardId, ScriptCommand.ApplicationBlock());

        var blocked = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));

        // The block counts in the card's own decision (71, before the second GENERATE AC: P13): AAC after an approval.
        Assert.Equal(TransactionOutcome.Declined, blocked.Outcome);
        Assert.Equal("issuer approved (00) but the card declined (AAC)", blocked.Reason);
        Assert.Equal(Hex.Encode([0x20, .. Id(script)]), Hex.Encode(blocked.ScriptResults.Span));
        Assert.Equal(AdviceKind.Reversal, blocked.Advice?.Kind);
        Assert.Equal(ScriptState.Succeeded, (await h.Issuer.Storage.Scripts.FindAsync(script.Id))!.State);
        var account = await h.AccountAsync();
        Assert.Equal((opening.Balance, 0L), (account.Balance, account.Held));
        Assert.Equal([LedgerEntryKind.Opening, LedgerEntryKind.Hold, LedgerEntryKind.HoldReleased], (await h.LedgerAsync()).Select(e => e.Kind));

        var state = await h.Probe.ReadAsync();
        Assert.Equal(StatusWord.SelectedFileInvalidated, state.SelectStatus);
        var next = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
        Assert.Equal(TransactionOutcome.NotAccepted, next.Outcome);
        Assert.Contains("blocked", next.Reason, StringComparison.Ordinal);
        Assert.False(next.WentOnline);
        Assert.DoesNotContain(next.Trace.Apdus, a => a.Command.StartsWith("80A8", StringComparison.Ordinal));
        Assert.Equal(state.Atc, (await h.Probe.ReadAsync()).Atc);
    }

    private static byte[] Id(QueuedScript script) => [(byte)(script.Id >> 24), (byte)(script.Id >> 16), (byte)(script.Id >> 8), (byte)script.Id];
}
