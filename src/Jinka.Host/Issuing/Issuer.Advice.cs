using System.Buffers.Binary;
using System.Globalization;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;

namespace Jinka.Host.Issuing;

/// <summary>Completion and reversal advices.</summary>
public sealed partial class Issuer
{
    /// <inheritdoc/>
    /// <exception cref="OnlineException">The issuer could not record the advice (a store failed); send it again.</exception>
    public async ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default)
    {
        try
        {
            await HandleAdviceAsync(advice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or ArgumentNullException))
        {
            throw new OnlineException($"The issuer could not record the {advice.Kind} advice: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Applies a completion (capture the hold, or release it when the card answered AAC; record the final cryptogram
    /// and check it) or a reversal (release the hold, or credit back a captured debit), and the script results (DF31)
    /// either carries. The original is found by card and ATC, else by terminal and STAN. Repeated and unknown
    /// advices change nothing and say so in the events.
    /// </summary>
    public async ValueTask<AdviceOutcome> HandleAdviceAsync(TransactionAdvice advice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(advice);
        var trace = new Trace(this);
        var original = advice.Original;
        if (!CardId.TryCreate(original.Pan, original.PanSequenceNumber, out var card, out string? idError))
        {
            trace.Add(IssuerEventKind.AdviceUnknownOriginal, $"{advice.Kind} advice: the original's card is malformed ({idError}); nothing changes");
            return new AdviceOutcome(null, trace.Events);
        }

        trace.Card = card;
        TlvDatabase? adviceData = null;
        IReadOnlyList<ReadOnlyMemory<byte>> resultValues = [];
        if (!advice.IccData.IsEmpty && !ChipFields.TryParseAdvice(advice.IccData, out adviceData, out resultValues, out string? adviceError))
        {
            trace.Add(IssuerEventKind.AdviceMalformed, $"{advice.Kind} advice: {adviceError}; going on with the original's data");
        }

        ChipFields.TryParse(original.IccData, out var originalData, out _);
        ushort? atc = ReadAtc(originalData) ?? ReadAtc(adviceData);
        trace.Atc = atc?.ToString("X4", CultureInfo.InvariantCulture);
        var record = atc is { } value ? await Storage.Journal.FindByAtcAsync(card, value, cancellationToken).ConfigureAwait(false) : null;
        if (record is not null && (record.Stan != original.Stan || !string.Equals(record.TerminalId, original.TerminalId, StringComparison.Ordinal)))
        {
            // The ATC was authorised for another terminal or STAN: this advice is about a request that never got a
            // journal record of its own (a replay the issuer declined 94), and must not touch that other authorisation.
            trace.Add(IssuerEventKind.AdviceUnknownOriginal, Invariant($"{advice.Kind} advice: ATC {record.Atc:X4} belongs to reference {record.Reference} (terminal {record.TerminalId}, STAN {record.Stan}), not to terminal {original.TerminalId} STAN {original.Stan}; nothing changes"));
            return new AdviceOutcome(null, trace.Events);
        }

        record ??= await Storage.Journal.FindByTraceAsync(original.TerminalId, original.Stan, card, cancellationToken).ConfigureAwait(false);
        trace.Reference = record?.Reference;

        uint? loadScriptId = record is not null && IsEcLoad(record.ProcessingCode) && record.State == AuthorizationState.Approved ? LoadScriptId(record.Reference) : null;
        var (reported, loadResult) = await ApplyScriptResultsAsync(card, resultValues, loadScriptId, trace, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            trace.Add(IssuerEventKind.AdviceUnknownOriginal, advice.Kind == AdviceKind.Reversal
                ? "reversal of an authorisation the issuer does not know: nothing to undo"
                : "completion of an authorisation the issuer does not know: nothing to post");
            return new AdviceOutcome(null, trace.Events);
        }

        if (advice.Kind == AdviceKind.Completion)
        {
            foreach (uint id in record.DeliveredScripts.Where(id => !reported.Contains(id) && id != loadScriptId))
            {
                trace.Add(IssuerEventKind.ScriptNotPerformed, "delivered but the completion reports no result: it stays pending", scriptId: id);
            }
        }

        var updated = advice.Kind == AdviceKind.Reversal
            ? await ReverseAsync(record, trace, cancellationToken).ConfigureAwait(false)
            : await CompleteAsync(record, card, adviceData, originalData, loadResult, trace, cancellationToken).ConfigureAwait(false);
        if (!ReferenceEquals(updated, record))
        {
            await Storage.Journal.UpdateAsync(updated, cancellationToken).ConfigureAwait(false);
        }

        return new AdviceOutcome(updated, trace.Events);
    }

    private static ushort? ReadAtc(TlvDatabase? data) =>
        data is not null && data.TryGet(new Tag(0x9F36), out var atc) && atc.Length == 2 ? BinaryPrimitives.ReadUInt16BigEndian(atc) : null;

    private async ValueTask<AuthorizationRecord> CompleteAsync(AuthorizationRecord record, CardId card, TlvDatabase? adviceData, TlvDatabase? originalData, ScriptResult? loadResult, Trace trace, CancellationToken cancellationToken)
    {
        if (record.State is AuthorizationState.Completed or AuthorizationState.DeclinedByCard or AuthorizationState.Reversed || record.FinalCryptogram is not null)
        {
            trace.Add(IssuerEventKind.AdviceRepeated, $"the authorisation is already {record.State}: the completion changes nothing");
            return record;
        }

        string? final = adviceData is not null && adviceData.TryGet(new Tag(0x9F27), out var cid) && cid.Length == 1
            ? (cid[0] & 0xC0) switch { 0x40 => "TC", 0x00 => "AAC", _ => null }
            : null;
        if (adviceData is not null)
        {
            await VerifyFinalCryptogramAsync(record, card, adviceData, originalData, trace, cancellationToken).ConfigureAwait(false);
        }

        if (record.State != AuthorizationState.Approved)
        {
            trace.Add(IssuerEventKind.Completed, $"the issuer had answered {record.ResponseCode}; the card ended with {final ?? "no cryptogram"}; nothing to post");
            return record with { FinalCryptogram = final ?? "none" };
        }

        if (final == "AAC")
        {
            var released = record.HoldPlaced ? await Storage.Accounts.ReverseAsync(record.Reference, "the card declined (AAC) at the 2nd GENERATE AC", cancellationToken).ConfigureAwait(false) : default;
            trace.Add(IssuerEventKind.DeclinedByCard, record.HoldPlaced
                ? Invariant($"the card declined (AAC) after the issuer approved: hold of {record.Amount} released ({released.Status}), available {released.Account?.Available}")
                : "the card declined (AAC) after the issuer approved");
            return record with { State = AuthorizationState.DeclinedByCard, FinalCryptogram = final };
        }

        if (IsEcLoad(record.ProcessingCode))
        {
            return await CompleteLoadAsync(record, loadResult, final, trace, cancellationToken).ConfigureAwait(false);
        }

        string how = final is null ? "without a final cryptogram in the advice" : $"with a {final}";
        if (record.HoldPlaced)
        {
            var captured = await Storage.Accounts.CaptureHoldAsync(record.Reference, "completion", cancellationToken).ConfigureAwait(false);
            trace.Add(IssuerEventKind.Completed, Invariant($"completed {how}: {record.Amount} captured as a debit ({captured.Status}), balance {captured.Account?.Balance}"));
        }
        else
        {
            trace.Add(IssuerEventKind.Completed, $"completed {how}; nothing held (processing code {record.ProcessingCode})");
        }

        return record with { State = AuthorizationState.Completed, FinalCryptogram = final ?? "none" };
    }

    private async ValueTask<AuthorizationRecord> ReverseAsync(AuthorizationRecord record, Trace trace, CancellationToken cancellationToken)
    {
        if (record.State is AuthorizationState.Reversed or AuthorizationState.DeclinedByCard)
        {
            trace.Add(IssuerEventKind.AdviceRepeated, $"the authorisation is already {record.State}: the reversal changes nothing");
            return record;
        }

        if (!record.HoldPlaced)
        {
            trace.Add(IssuerEventKind.Reversed, $"reversed; nothing had been held (the issuer answered {record.ResponseCode})");
            return record with { State = AuthorizationState.Reversed };
        }

        var result = await Storage.Accounts.ReverseAsync(record.Reference, "reversal", cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case LedgerStatus.Done:
                trace.Add(IssuerEventKind.Reversed, Invariant($"reversed: {record.Amount} {(record.State == AuthorizationState.Completed ? "credited back" : "released")}, available {result.Account?.Available}"));
                break;
            case LedgerStatus.AlreadyDone:
                trace.Add(IssuerEventKind.AdviceRepeated, "the ledger had already reversed this authorisation");
                break;
            default:
                trace.Add(IssuerEventKind.SystemError, $"the ledger answered {result.Status} for the reversal of {record.Reference}");
                return record;
        }

        return record with { State = AuthorizationState.Reversed };
    }

    /// <summary>
    /// Checks the TC/AAC of the completion like the ARQC (P3 input), from the advice's data with the original
    /// request's data filling the gaps (the 2nd GAC covers the same amounts; 95 and the CVR in 9F10 change).
    /// </summary>
    private async ValueTask VerifyFinalCryptogramAsync(AuthorizationRecord record, CardId card, TlvDatabase adviceData, TlvDatabase? originalData, Trace trace, CancellationToken cancellationToken)
    {
        if (!adviceData.TryGetValue(new Tag(0x9F26), out var ac) || ac.Length != 8)
        {
            return;
        }

        var merged = new TlvDatabase();
        foreach (var element in (originalData ?? []).Concat(adviceData))
        {
            merged.Set(element.Tag, element.Value.Span);
        }

        string? problem = null;
        if (!merged.TryGetValue(new Tag(0x9F10), out var iadValue) || !IssuerApplicationData.TryParse(iadValue, out var iad, out problem))
        {
            trace.Add(IssuerEventKind.FinalCryptogramInvalid, $"the final cryptogram cannot be checked: {problem ?? "no 9F10"}");
            return;
        }

        if (ReadAtc(merged) != record.Atc)
        {
            trace.Add(IssuerEventKind.FinalCryptogramInvalid, Invariant($"the advice's ATC {ReadAtc(merged):X4} is not the authorisation's {record.Atc:X4}"));
            return;
        }

        var cardRecord = await Storage.Cards.FindAsync(card, cancellationToken).ConfigureAwait(false);
        if (cardRecord is null || !PbocAcInput.TryBuild(merged, iad.Cvr.Span, out byte[]? input, out problem))
        {
            trace.Add(IssuerEventKind.FinalCryptogramInvalid, $"the final cryptogram cannot be checked: {problem ?? "the card is no longer registered"}");
            return;
        }

        byte[] atc = merged.Get(new Tag(0x9F36)).ToArray();
        bool valid = _keys.VerifyArqc(cardRecord.Keys.Ac, card.Pan, card.PsnByte, atc, input, ac.Span, cardRecord.KeyScheme);
        trace.Add(valid ? IssuerEventKind.FinalCryptogramVerified : IssuerEventKind.FinalCryptogramInvalid,
            valid ? $"final cryptogram {Hex.Encode(ac.Span)} verified" : $"final cryptogram {Hex.Encode(ac.Span)} does not verify; the transaction is kept and flagged");
    }

    /// <summary>
    /// Marks queued scripts done or failed from DF31; returns the IDs reported, and the result for
    /// <paramref name="loadScriptId"/> (an EC load's script, which is not in the queue) when there is one.
    /// </summary>
    private async ValueTask<(HashSet<uint> Reported, ScriptResult? LoadResult)> ApplyScriptResultsAsync(
        CardId card, IReadOnlyList<ReadOnlyMemory<byte>> values, uint? loadScriptId, Trace trace, CancellationToken cancellationToken)
    {
        var reported = new HashSet<uint>();
        ScriptResult? loadResult = null;
        foreach (var value in values)
        {
            if (!ScriptResult.TryParseAll(value.Span, out var results, out string? error))
            {
                trace.Add(IssuerEventKind.AdviceMalformed, $"{error}: results ignored");
                continue;
            }

            foreach (var result in results)
            {
                reported.Add(result.ScriptId);
                if (result.ScriptId == loadScriptId)
                {
                    loadResult = result;
                    continue;
                }

                var script = await Storage.Scripts.FindAsync(result.ScriptId, cancellationToken).ConfigureAwait(false);
                if (script is null || script.Card != card)
                {
                    trace.Add(IssuerEventKind.ScriptResultUnknown, $"{result}: no such script for this card", scriptId: result.ScriptId);
                    continue;
                }

                if (result.Outcome == ScriptOutcome.NotPerformed)
                {
                    trace.Add(IssuerEventKind.ScriptNotPerformed, $"{script}: the terminal did not run it; it stays pending", scriptId: script.Id);
                    continue;
                }

                bool succeeded = result.Outcome == ScriptOutcome.Succeeded;
                string reason = succeeded
                    ? "the terminal reported success"
                    : Invariant($"command {result.FailedCommand} ({DescribeCommand(script, result.FailedCommand)}) failed at the card");
                var update = await Storage.Scripts.FinishAsync(script.Id, succeeded ? ScriptState.Succeeded : ScriptState.Failed, result, reason, Now, cancellationToken).ConfigureAwait(false);
                trace.Add(
                    !update.Changed ? IssuerEventKind.ScriptResultUnknown : succeeded ? IssuerEventKind.ScriptSucceeded : IssuerEventKind.ScriptFailed,
                    update.Changed ? $"{script.Id:X8}: {reason}" : $"{script} had already ended; the result ({result}) is ignored",
                    scriptId: script.Id);
            }
        }

        return (reported, loadResult);
    }

    private static string DescribeCommand(QueuedScript script, int sequence) =>
        sequence >= 1 && sequence <= script.Commands.Count ? script.Commands[sequence - 1].Name : "beyond the script";
}
