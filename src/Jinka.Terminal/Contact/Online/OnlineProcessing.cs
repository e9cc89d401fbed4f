using System.Globalization;
using System.Text;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Terminal.Contact.ActionAnalysis;
using Jinka.Terminal.Contact.GenerateAc;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact.Online;

/// <summary>
/// Online processing and completion (EMV Book 3 §10.9–10.11; NOTES A.2, F.2): the authorisation request with field
/// 55; issuer authentication (EXTERNAL AUTHENTICATE with 91 when the AIP supports it); scripts 71; the second
/// GENERATE AC (CDOL2 with 8A = ARC) asking for a TC when the host approved, else an AAC; scripts 72. When the host
/// cannot be reached, the default action codes decide (8A = Y3 or Z3, contract P12).
/// </summary>
internal sealed class OnlineProcessing : IKernelStep
{
    public string Name => "Online processing";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var request = AuthorizationMessages.BuildRequest(context);
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

        var response = await AuthorizeAsync(context, request, traced, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return await UnableToGoOnlineAsync(context, cancellationToken).ConfigureAwait(false);
        }

        context.AuthorizationResponse = response;
        traced.ResponseCode = response.ResponseCode;
        traced.ResponseIccData = Hex.Encode(response.IccData.Span);
        context.Output("response code", response.ResponseCode + (response.Reason is null ? "" : $" ({response.Reason})"));
        context.SetTerminal(Tags.ResponseCode, response.Arc);
        if (response.ApprovalCode is { Length: 6 } approval)
        {
            context.SetTerminal(Tags.AuthorisationCode, Encoding.ASCII.GetBytes(approval));
        }

        var issuerData = ParseIssuerData(context, response.IccData);
        if (issuerData.FirstOrDefault(n => n.Tag == Tags.IssuerAuthenticationData) is { } arpc)
        {
            await IssuerAuthenticateAsync(context, arpc.Value, cancellationToken).ConfigureAwait(false);
        }

        await IssuerScripts.RunAsync(context, [.. issuerData.Where(n => n.Tag == Tags.IssuerScript1)], afterFinalGenerateAc: false, cancellationToken).ConfigureAwait(false);
        var requested = response.IsApproved ? CryptogramType.Tc : CryptogramType.Aac;
        var result = await GenerateAcCommand.SendAsync(context, requested, second: true, cancellationToken).ConfigureAwait(false);
        await IssuerScripts.RunAsync(context, [.. issuerData.Where(n => n.Tag == Tags.IssuerScript2)], afterFinalGenerateAc: true, cancellationToken).ConfigureAwait(false);

        if (result.Type == CryptogramType.Tc && !result.CdaFailed)
        {
            return StepResult.End(TransactionOutcome.Approved, $"issuer approved ({response.ResponseCode}) and the card accepted (TC)");
        }

        string card = result.CdaFailed ? $"CDA failed: {result.CdaFailure}" : $"the card declined (AAC){FirstGenerateAc.Advice(result.Cid)}";
        return StepResult.End(TransactionOutcome.Declined, response.IsApproved
            ? $"issuer approved ({response.ResponseCode}) but {card}"
            : $"issuer declined ({response.ResponseCode}{(response.Reason is null ? "" : $": {response.Reason}")})");
    }

    private static async ValueTask<AuthorizationResponse?> AuthorizeAsync(TransactionContext context, AuthorizationRequest request, TraceAuthorization traced, CancellationToken cancellationToken)
    {
        if (context.Authorization is null)
        {
            traced.Failure = "no authorisation client is configured";
            return null;
        }

        try
        {
            return await context.Authorization.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            traced.Failure = exception.Message;
            return null;
        }
    }

    /// <summary>EMV Book 3 §10.7: unable to go online, the TAC/IAC-Default decide between TC (Y3) and AAC (Z3).</summary>
    private static async ValueTask<StepResult> UnableToGoOnlineAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var codes = TerminalActionAnalysis.ActionCodes.For(context);
        bool decline = TerminalActionAnalysis.Matches(context.Tvr, codes.TacDefault, codes.IacDefault, out var matched);
        string why = decline ? $"default codes match: {matched}" : "no default code matches";
        context.Note($"unable to go online ({context.Trace.Authorization?.Failure}); {why}");
        FirstGenerateAc.SetResponseCode(context, decline ? "Z3" : "Y3");
        var result = await GenerateAcCommand.SendAsync(context, decline ? CryptogramType.Aac : CryptogramType.Tc, second: true, cancellationToken).ConfigureAwait(false);
        return result.Type == CryptogramType.Tc && !result.CdaFailed
            ? StepResult.End(TransactionOutcome.Approved, $"unable to go online; approved offline (Y3, {why})")
            : StepResult.End(TransactionOutcome.Declined, decline
                ? $"unable to go online; declined offline (Z3, {why})"
                : $"unable to go online; {(result.CdaFailed ? $"CDA failed: {result.CdaFailure}" : "the card declined (AAC)")}");
    }

    private static async ValueTask IssuerAuthenticateAsync(TransactionContext context, ReadOnlyMemory<byte> issuerAuthenticationData, CancellationToken cancellationToken)
    {
        context.SetTerminal(Tags.IssuerAuthenticationData, issuerAuthenticationData.Span);
        if ((context.Aip[0] & 0x04) == 0)
        {
            context.Note("the host sent 91 but the AIP does not support issuer authentication: not sent to the card");
            return;
        }

        if (issuerAuthenticationData.Length is < 8 or > 16)
        {
            context.Set(TvrBit.IssuerAuthenticationFailed);
            context.Note(string.Create(CultureInfo.InvariantCulture, $"issuer authentication data 91 is {issuerAuthenticationData.Length} bytes; expected 8–16"));
            return;
        }

        var response = await context.Card.SendAsync(ApduCommands.ExternalAuthenticate(issuerAuthenticationData.Span), "EXTERNAL AUTHENTICATE", cancellationToken).ConfigureAwait(false);
        context.Set(TsiBit.IssuerAuthenticationPerformed);
        if (!response.StatusWord.IsSuccess)
        {
            context.Set(TvrBit.IssuerAuthenticationFailed);
            context.Note($"issuer authentication failed: {response.StatusWord} ({response.StatusWord.Meaning})");
        }
        else
        {
            context.Note("issuer authentication passed");
        }
    }

    /// <summary>The top-level objects of the response's field 55 (91, 71, 72 …); malformed data is noted and ignored.</summary>
    private static IReadOnlyList<TlvNode> ParseIssuerData(TransactionContext context, ReadOnlyMemory<byte> iccData)
    {
        if (iccData.IsEmpty)
        {
            return [];
        }

        if (TlvNode.TryParse(iccData, out var nodes, out var error))
        {
            return nodes;
        }

        context.Note($"the host's field 55 is malformed ({error}): issuer authentication data and scripts ignored");
        return [];
    }
}
