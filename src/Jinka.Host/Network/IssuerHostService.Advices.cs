using System.Buffers.Binary;
using System.Globalization;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Network;

/// <summary>Reversals, completions (TC upload, script results) and offline uploads.</summary>
public sealed partial class IssuerHostService
{
    /// <summary>0400 → reversal advice; 0320 TC upload and 0620 → completion advice. "25" when the original is unknown.</summary>
    private async ValueTask<CupPosReply> AdviseAsync(CupPosRequest request, string terminal, CancellationToken cancellationToken)
    {
        var message = request.Message;
        if (!CupPosMapping.TryToAdvice(message, Now, out var advice, out string? error))
        {
            Log(request, $"answered 30: {error}");
            return Answer(message, CupPosCodes.FormatError, mac: true);
        }

        Statistics.Advice();
        var outcome = await _issuer.HandleAdviceAsync(advice, cancellationToken).ConfigureAwait(false);
        if (outcome.Record is not { } record)
        {
            Log(request, $"{advice.Kind} of an authorisation the issuer does not know: answered 25");
            return Answer(message, CupPosCodes.OriginalNotFound, mac: true);
        }

        if (advice.Kind == AdviceKind.Reversal && record.State == AuthorizationState.Reversed)
        {
            _totals.Remove(record.Reference);
        }

        return Reply(CupPosResponses.Echo(message, CupPosCodes.Approved, Now, record.Reference), terminal, mac: true);
    }

    /// <summary>
    /// 0320 with 8A "Y1" (or 60.1 36): an offline approved purchase. Its TC is checked like an ARQC (P3 input, the
    /// card's AC key); the journal claims the card and ATC (so an upload is booked once, and an online ARQC cannot reuse
    /// the ATC); then the amount is debited (hold and capture under a new reference). A repeated upload answers "00"
    /// again without booking; one interrupted by a crash is finished.
    /// </summary>
    private async ValueTask<CupPosReply> BookOfflineAsync(CupPosRequest request, string terminal, CancellationToken cancellationToken)
    {
        var message = request.Message;
        if (!CupPosMapping.TryToAuthorizationRequest(message, Now, out var upload, out string? error)
            || !CardId.TryCreate(upload.Pan, upload.PanSequenceNumber, out var cardId, out error))
        {
            Log(request, $"offline upload answered 30: {error}");
            return Answer(message, CupPosCodes.FormatError, mac: true);
        }

        var card = await _issuer.Storage.Cards.FindAsync(cardId, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            Log(request, $"offline upload answered 14: card {cardId} unknown");
            return Answer(message, IssuerResponseCodes.InvalidCard, mac: true);
        }

        if (!TryCheckTc(upload, card, out ushort atc, out error))
        {
            Log(request, $"offline upload of {cardId} answered 05, not booked: {error}");
            return Answer(message, IssuerResponseCodes.DoNotHonour, mac: true);
        }

        Statistics.Advice();
        var journal = _issuer.Storage.Journal;
        var record = await journal.FindByAtcAsync(cardId, atc, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            string reference = (await journal.NextSequenceAsync(cancellationToken).ConfigureAwait(false)).ToString("D12", CultureInfo.InvariantCulture);
            var claim = new AuthorizationRecord(reference, cardId, atc, upload.TerminalId, upload.Stan, upload.ProcessingCode, upload.Amount, upload.CurrencyCode, _options.Time.GetUtcNow())
            {
                AccountId = card.AccountId,
                ResponseCode = OfflineApprovalCode,
                FinalCryptogram = "TC",
                Reason = "offline approved purchase uploaded (0320)",
            };
            if (!await journal.TryAddAsync(claim, cancellationToken).ConfigureAwait(false))
            {
                record = await journal.FindByAtcAsync(cardId, atc, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                record = claim;
            }
        }

        if (record is null || record.ResponseCode != OfflineApprovalCode)
        {
            Log(request, $"offline upload answered 94, not booked: ATC {atc:X4} of {cardId} belongs to an online authorisation ({record?.Reference ?? "?"})");
            return Answer(message, IssuerResponseCodes.Duplicate, mac: true);
        }

        if (record.State is AuthorizationState.Completed)
        {
            Log(request, $"offline upload repeated: already booked as {record.Reference}");
            return Reply(CupPosResponses.Echo(message, CupPosCodes.Approved, Now, record.Reference), terminal, mac: true);
        }

        var accounts = _issuer.Storage.Accounts;
        string description = string.Create(CultureInfo.InvariantCulture, $"offline purchase at {upload.TerminalId} STAN {upload.Stan}, ATC {atc:X4}");
        var hold = await accounts.PlaceHoldAsync(card.AccountId, record.Reference, upload.Amount, description, cancellationToken).ConfigureAwait(false);
        if (!hold.Succeeded)
        {
            await journal.UpdateAsync(record with { State = AuthorizationState.Declined, Reason = $"offline upload not booked: the ledger answered {hold.Status}" }, cancellationToken).ConfigureAwait(false);
            string code = hold.Status == LedgerStatus.InsufficientFunds ? IssuerResponseCodes.InsufficientFunds : IssuerResponseCodes.SystemError;
            Log(request, $"offline upload of {cardId} answered {code}: the ledger answered {hold.Status}");
            return Answer(message, code, mac: true);
        }

        var capture = await accounts.CaptureHoldAsync(record.Reference, description, cancellationToken).ConfigureAwait(false);
        if (!capture.Succeeded)
        {
            Log(request, $"offline upload of {cardId} answered 96: capturing {record.Reference} answered {capture.Status}");
            return Answer(message, IssuerResponseCodes.SystemError, mac: true);
        }

        await journal.UpdateAsync(record with { State = AuthorizationState.Completed, HoldPlaced = true }, cancellationToken).ConfigureAwait(false);
        _totals.AddDebit(terminal, message.Reserved60?.Batch ?? "000000", record.Reference, upload.Amount);
        return Reply(CupPosResponses.Echo(message, CupPosCodes.Approved, Now, record.Reference), terminal, mac: true);
    }

    /// <summary>The journal's response code of booked offline uploads: "Y1", the offline approval the card gave.</summary>
    private const string OfflineApprovalCode = "Y1";

    /// <summary>The upload's 9F26 must be a TC (9F27 40) that verifies over the P3 input under the card's AC key.</summary>
    private bool TryCheckTc(AuthorizationRequest upload, CardRecord card, out ushort atc, out string? error)
    {
        atc = 0;
        if (!ChipFields.TryParse(upload.IccData, out var data, out error))
        {
            return false;
        }

        if (!ChipFields.TryGetExact(data, new Tag(0x9F26), 8, out var tc, out error)
            || !ChipFields.TryGetExact(data, new Tag(0x9F27), 1, out var cid, out error)
            || !ChipFields.TryGetExact(data, new Tag(0x9F36), 2, out var atcBytes, out error))
        {
            return false;
        }

        if ((cid[0] & 0xC0) != 0x40)
        {
            error = $"9F27 = {cid[0]:X2}: an offline approval carries a TC (40)";
            return false;
        }

        if (!data.TryGetValue(new Tag(0x9F10), out var iadValue) || !IssuerApplicationData.TryParse(iadValue, out var iad, out error))
        {
            error ??= "field 55 lacks 9F10";
            return false;
        }

        if (!PbocAcInput.TryBuild(data, iad.Cvr.Span, out byte[]? input, out error))
        {
            return false;
        }

        if (!Bcd.TryToNumber(data.Get(new Tag(0x9F02)), out long amount) || amount != upload.Amount)
        {
            error = $"field 4 amount {upload.Amount} differs from 9F02, which the TC covers";
            return false;
        }

        atc = BinaryPrimitives.ReadUInt16BigEndian(atcBytes);
        if (!_keys.VerifyArqc(card.Keys.Ac, card.Id.Pan, card.Id.PsnByte, atcBytes, input, tc, card.KeyScheme))
        {
            error = $"the TC {Hex.Encode(tc)} does not verify under the card's AC key";
            return false;
        }

        return true;
    }
}
