using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Terminal.Contact.Online;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>
/// After the host answered: a reversal when it approved but the transaction did not end approved (the card declined
/// or was lost), otherwise a completion advice carrying the final cryptogram and the script results DF31 (P47).
/// After a request the host did not answer (timeout, connection lost) the host may still have approved and placed a
/// hold, so the same rule applies as if it had: a reversal unless the transaction ended approved (Y3), then a
/// completion (choice P49); an issuer that never saw the request ignores either (P19). Nothing is sent once the
/// caller has cancelled. An advice that cannot be delivered is noted; it does not change the outcome.
/// </summary>
internal static class Completion
{
    public static async ValueTask SendAdviceAsync(TransactionContext context, TransactionOutcome outcome, CancellationToken cancellationToken)
    {
        if (context.AuthorizationRequest is not { } original || context.Authorization is null)
        {
            return;
        }

        bool answered = context.AuthorizationResponse is not null;
        if (!answered && cancellationToken.IsCancellationRequested)
        {
            return;
        }

        bool mayHaveApproved = !answered || context.HostApproved;
        var kind = mayHaveApproved && outcome != TransactionOutcome.Approved ? AdviceKind.Reversal : AdviceKind.Completion;
        var iccData = context.Data.Encode(kind == AdviceKind.Reversal ? AuthorizationMessages.ReversalTags : AuthorizationMessages.CompletionTags);
        var advice = new TransactionAdvice(kind, original, iccData);
        context.Advice = advice;
        var traced = new TraceAdvice { Kind = kind.ToString(), IccData = Hex.Encode(iccData) };
        context.Trace.Advice = traced;
        try
        {
            await context.Authorization.AdviseAsync(advice, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is IOException or TimeoutException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            traced.Failure = exception.Message;
        }
    }
}
