using Jinka.Core.Tlv;
using Jinka.Core.Dol;
using System.Globalization;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Online;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contact.Online;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// The end of a qPBOC transaction (contract Q4, Q15): ARQC → the authorisation request (field 55, entry mode 071)
/// and the host's answer decides, with no second GENERATE AC; TC with fDDA passed → approved offline and kept for the
/// upload; TC with fDDA failed → online (CTQ b6), another interface (CTQ b5) or declined.
/// </summary>
internal sealed class QpbocCompletion(QpbocState state) : IKernelStep
{
    private static readonly byte[] s_offlineApproved = [0x8A, 0x02, 0x59, 0x31];

    public string Name => "qPBOC completion";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (state.Cryptogram == CryptogramType.Arqc)
        {
            return await OnlineAsync(context, "the card asked to go online (ARQC)", cancellationToken).ConfigureAwait(false);
        }

        if (state.FddaPassed)
        {
            state.OfflineApproval = Record(context);
            if (state.ElectronicCash && state.Reader.ReadEcBalanceAfter)
            {
                state.EcBalance = await EcBalance.TryReadAfterAsync(context, cancellationToken).ConfigureAwait(false);
            }

            return StepResult.End(TransactionOutcome.Approved, "card approved offline (TC) and fDDA passed");
        }

        if (QpbocCvm.OnlineAfterFddaFailure(context, state))
        {
            return await OnlineAsync(context, $"fDDA failed ({state.FddaFailure}); the card allows going online", cancellationToken).ConfigureAwait(false);
        }

        if (((state.Ctq1 ?? 0) & 0x10) != 0)
        {
            state.TryAnotherInterface = true;
            return StepResult.End(TransactionOutcome.Terminated, $"fDDA failed ({state.FddaFailure}): try another interface");
        }

        return StepResult.End(TransactionOutcome.Declined, $"fDDA failed: {state.FddaFailure}");
    }

    /// <summary>
    /// The qPBOC ARQC covers the TVR sent in the GPO's PDOL data and there is no second GENERATE AC, so the issuer must
    /// see that TVR in field 55, not one the reader updated after GPO (e.g. "online PIN entered"); contract Q35.
    /// </summary>
    internal static ReadOnlyMemory<byte> WithGpoTvr(TransactionContext context, ReadOnlyMemory<byte> iccData)
    {
        if (!context.Data.TryGet(Tags.Pdol, out var pdolBytes) || !Dol.TryParse(pdolBytes, out var pdol)
            || !pdol.TrySplit(context.PdolData, out var elements) || !elements.Any(e => e.Tag == Tags.Tvr))
        {
            return iccData;
        }

        var gpoTvr = elements.First(e => e.Tag == Tags.Tvr);

        using var writer = new TlvWriter();
        foreach (var node in TlvNode.Parse(iccData))
        {
            writer.WritePrimitive(node.Tag, node.Tag == Tags.Tvr ? gpoTvr.Value.Span : node.Value.Span);
        }

        return writer.ToArray();
    }

    private static async ValueTask<StepResult> OnlineAsync(TransactionContext context, string why, CancellationToken cancellationToken)
    {
        context.Note(why);
        if (context.Authorization is null || !context.Config.IsOnlineCapable)
        {
            return StepResult.End(TransactionOutcome.Declined, $"{why}, but the reader cannot go online");
        }

        var request = AuthorizationMessages.BuildRequest(context) with { EntryMode = "071" };
        request = request with { IccData = WithGpoTvr(context, request.IccData) };
        context.AuthorizationRequest = request;
        var traced = new TraceAuthorization
        {
            RequestIccData = Hex.Encode(request.IccData.Span),
            Pan = request.Pan,
            Amount = request.Amount,
            ProcessingCode = request.ProcessingCode,
            Stan = request.Stan,
            OnlinePin = request.PinBlock is not null,
        };
        context.Trace.Authorization = traced;
        context.Input("field 55", traced.RequestIccData);
        AuthorizationResponse response;
        try
        {
            response = await context.Authorization.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            traced.Failure = exception.Message;
            return StepResult.End(TransactionOutcome.Declined, $"unable to go online ({exception.Message}); qPBOC has no offline fallback for an ARQC");
        }

        context.AuthorizationResponse = response;
        traced.ResponseCode = response.ResponseCode;
        traced.ResponseIccData = Hex.Encode(response.IccData.Span);
        context.SetTerminal(Tags.ResponseCode, response.Arc);
        return response.IsApproved
            ? StepResult.End(TransactionOutcome.Approved, $"issuer approved ({response.ResponseCode})")
            : StepResult.End(TransactionOutcome.Declined, $"issuer declined ({response.ResponseCode}{(response.Reason is null ? "" : $": {response.Reason}")})");
    }

    private static OfflineApprovalRecord Record(TransactionContext context)
    {
        var config = context.Config;
        string psn = context.TryGet(Tags.PanSequenceNumber, out var psnBytes) && psnBytes.Length == 1 ? Hex.Encode(psnBytes) : "00";
        string? expiry = context.TryGet(Tags.ExpiryDate, out var e) && e.Length == 3 ? Hex.Encode(e[..2]) : null;
        byte[] iccData = [.. context.Data.Encode(AuthorizationMessages.RequestTags), .. s_offlineApproved];
        return new OfflineApprovalRecord(
            context.Pan, psn, expiry, context.Request.Amount, config.CurrencyCode.ToString("D3", CultureInfo.InvariantCulture),
            context.Application?.AdfHex ?? "", iccData, context.Request.SequenceCounter, context.TransactionDateTime);
    }
}
