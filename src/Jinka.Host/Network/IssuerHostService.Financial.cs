using System.Buffers.Binary;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Network;

/// <summary>Authorisations (0100, 0200) with duplicate detection.</summary>
public sealed partial class IssuerHostService
{
    private async ValueTask<CupPosReply?> AuthorizeAsync(CupPosRequest request, string terminal, CancellationToken cancellationToken)
    {
        var message = request.Message;
        if (!CupPosMapping.TryToAuthorizationRequest(message, Now, out var authorization, out string? error))
        {
            Log(request, $"answered 30: {error}");
            return Answer(message, CupPosCodes.FormatError, mac: true);
        }

        if (authorization.PinBlock is { } encrypted)
        {
            if (encrypted.Length != IsoPinBlock.Length)
            {
                Log(request, "answered 30: field 52 is not 8 bytes");
                return Answer(message, CupPosCodes.FormatError, mac: true);
            }

            byte[] clear = new byte[IsoPinBlock.Length];
            _keys.DecryptPinBlock(TerminalKeyLabels.Pin(terminal), encrypted.Span, clear);
            authorization = authorization with { PinBlock = clear };
        }

        var duplicate = await FindDuplicateAsync(authorization, cancellationToken).ConfigureAwait(false);
        if (duplicate.IsDuplicate)
        {
            Statistics.Duplicate();
            if (duplicate.Original is not { } original)
            {
                Log(request, "dropped: a duplicate of a request still being decided");
                return null;
            }

            Log(request, $"duplicate of reference {original.Reference}: answered with the original {original.ResponseCode}");
            var again = new AuthorizationResponse(original.ResponseCode, original.ResponseIccData)
            {
                ApprovalCode = original.ApprovalCode,
                RetrievalReference = original.Reference,
            };
            return Reply(CupPosResponses.Authorization(message, again, Now, original.Reference), terminal, mac: true);
        }

        var decision = await _issuer.DecideAsync(authorization, cancellationToken).ConfigureAwait(false);
        var response = decision.Response;
        Statistics.Decided(response.IsApproved);
        var kind = CupPosMapping.Classify(message);
        if (response.IsApproved && decision.Reference is { } reference && kind == CupPosTransaction.Purchase)
        {
            // Pre-authorisations do not settle (CUP); only purchases count in the batch totals.
            _totals.AddDebit(terminal, message.Reserved60?.Batch ?? "000000", reference, authorization.Amount);
        }

        var answer = CupPosResponses.Authorization(message, response, Now, NewReference());
        if (response.IsApproved && kind == CupPosTransaction.BalanceInquiry && decision.Account is { } account)
        {
            answer.Set(Iso8583Field.AdditionalAmounts, CupPosResponses.AvailableBalance(account.Available, account.Currency));
        }

        return Reply(answer, terminal, mac: true);
    }

    /// <summary>
    /// A request is a duplicate — a retransmission — when the journal holds the authorisation of the same card and ATC
    /// (so the same ARQC) from the same terminal with the same STAN, amount and processing code, received within
    /// <see cref="IssuerHostOptions.DuplicateWindow"/> (the "date"). It is found by card and ATC, a keyed lookup in every
    /// store. One still being decided is waited for (<see cref="IssuerHostOptions.DuplicateWait"/>); Original null means
    /// it never finished. The same card and ATC from another terminal or STAN is a replay, which the issuer declines (94).
    /// </summary>
    private async ValueTask<(bool IsDuplicate, AuthorizationRecord? Original)> FindDuplicateAsync(AuthorizationRequest request, CancellationToken cancellationToken)
    {
        if (!CardId.TryCreate(request.Pan, request.PanSequenceNumber, out var card, out _)
            || !IccDataSets.TryFind(request.IccData.Span, new Tag(0x9F36), out var atcBytes) || atcBytes.Length != 2)
        {
            return (false, null);
        }

        ushort atc = BinaryPrimitives.ReadUInt16BigEndian(atcBytes);
        var deadline = _options.Time.GetUtcNow() + _options.DuplicateWait;
        while (true)
        {
            var record = await _issuer.Storage.Journal.FindByAtcAsync(card, atc, cancellationToken).ConfigureAwait(false);
            if (record is null || record.Stan != request.Stan || record.Amount != request.Amount
                || !string.Equals(record.TerminalId, request.TerminalId, StringComparison.Ordinal)
                || !string.Equals(record.ProcessingCode, request.ProcessingCode, StringComparison.Ordinal)
                || record.At < _options.Time.GetUtcNow() - _options.DuplicateWindow)
            {
                return (false, null);
            }

            if (record.State != AuthorizationState.Pending)
            {
                return (true, record);
            }

            if (_options.Time.GetUtcNow() >= deadline)
            {
                return (true, null);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), cancellationToken).ConfigureAwait(false);
        }
    }
}
