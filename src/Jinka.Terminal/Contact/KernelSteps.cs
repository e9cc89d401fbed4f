using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>
/// What every kernel (contact, qPBOC) does around its steps: run each one traced (name, result, TVR and TSI after it),
/// and turn a card that disappears, answers garbage or gives unusable data into a Terminated outcome with a reason —
/// never an exception to the caller.
/// </summary>
internal static class KernelSteps
{
    /// <summary>
    /// Final selection and GET PROCESSING OPTIONS, dropping each candidate whose GPO answers 6985 and selecting the
    /// next (EMV Book 3 §10.1), until one is initiated (Continue) or the transaction ends (End).
    /// </summary>
    /// <param name="context">The transaction.</param>
    /// <param name="beforeGpo">Sets terminal data that final selection reseeded (the qPBOC TTQ), or null.</param>
    /// <param name="dropped">Told of each dropped candidate, or null.</param>
    /// <param name="cancellationToken">Stops the transaction.</param>
    public static async ValueTask<StepResult> SelectAndInitiateAsync(TransactionContext context, Action<TransactionContext>? beforeGpo, Action? dropped, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await RunAsync(new Selection.FinalSelection(), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return result;
            }

            beforeGpo?.Invoke(context);
            result = await RunAsync(new Initiation.InitiateApplicationProcessing(), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind != StepKind.Reselect)
            {
                return result;
            }

            dropped?.Invoke();
            context.Note($"{context.Application?.AdfHex} dropped: {result.Reason}");
            context.Unusable.Add($"{context.Application?.AdfHex}: {result.Reason}");
            context.Candidates.RemoveAt(0);
        }
    }

    public static async ValueTask<(TransactionOutcome Outcome, string Reason)> GuardAsync(
        TransactionContext context, Func<ValueTask<(TransactionOutcome Outcome, string Reason)>> steps, CancellationToken cancellationToken)
    {
        try
        {
            return await steps().ConfigureAwait(false);
        }
        catch (KernelTerminationException exception)
        {
            return Terminated(context, exception.Message);
        }
        catch (TransportException exception)
        {
            return Terminated(context, $"the card could not be reached ({exception.Failure}): {exception.Message}");
        }
        catch (IOException exception)
        {
            return Terminated(context, $"the card could not be reached: {exception.Message}");
        }
        catch (TlvException exception)
        {
            return Terminated(context, $"malformed card data: {exception.Message}");
        }
        catch (ArgumentException exception)
        {
            return Terminated(context, $"card data the kernel cannot use: {exception.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Terminated(context, "cancelled by the caller");
        }
    }

    public static async ValueTask<StepResult> RunAsync(IKernelStep step, TransactionContext context, CancellationToken cancellationToken)
    {
        var traced = new TraceStep { Name = step.Name };
        context.Trace.Steps.Add(traced);
        context.Step = traced;
        context.Card.Step = step.Name;
        var result = await step.RunAsync(context, cancellationToken).ConfigureAwait(false);
        traced.Result = result.ToString();
        traced.Tvr = context.Tvr.ToString();
        traced.Tsi = context.Tsi.ToString();
        return result;
    }

    private static (TransactionOutcome, string) Terminated(TransactionContext context, string reason)
    {
        context.Step.Result = $"terminated: {reason}";
        context.Step.Tvr = context.Tvr.ToString();
        context.Step.Tsi = context.Tsi.ToString();
        string step = context.Card.Step.Length > 0 ? char.ToLowerInvariant(context.Card.Step[0]) + context.Card.Step[1..] : "start";
        return (TransactionOutcome.Terminated, $"{reason} (during {step})");
    }
}
