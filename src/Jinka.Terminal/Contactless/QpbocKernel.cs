using System.Collections.Concurrent;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contact.ReadData;
using Jinka.Terminal.Contact.Selection;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// The qPBOC contactless kernel (JR/T 0025.12 as profiled by NOTES A.8–A.9 and docs/spec-choices.md Q1–Q11, Q12+):
/// pre-processing against the reader limits (TTQ 9F66), PPSE, final SELECT, GET PROCESSING OPTIONS with the PDOL,
/// the card's decision from the format 2 response (ARQC → online, TC → offline after fDDA, AAC → declined), the
/// records of the AFL only when the card approved offline, fDDA (RSA or SM2) and the contactless CVM. There is no
/// GENERATE AC: the GPO carries the cryptogram.
/// </summary>
/// <remarks>
/// Like <see cref="ContactKernel"/>, every outcome is a value: a removed card or bad card data ends the transaction as
/// <see cref="TransactionOutcome.Terminated"/> with a reason. Offline approvals are also queued for the later upload
/// (<see cref="TakePendingUploads"/>).
/// </remarks>
public sealed class QpbocKernel
{
    private readonly KernelSetup _setup;
    private readonly ConcurrentQueue<OfflineApprovalRecord> _pendingUploads = new();

    /// <param name="config">The terminal's parameters (checked now).</param>
    /// <param name="caKeys">The CA public keys and revocation list.</param>
    /// <param name="authorizationClient">The way to the host; null for an offline-only reader.</param>
    /// <param name="pinEntry">The PIN pad; null when there is none.</param>
    /// <param name="clock">The clock for the transaction date and time when the request gives none.</param>
    /// <param name="random">The source of the unpredictable number.</param>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the field.</exception>
    public QpbocKernel(TerminalConfig config, CaPublicKeyStore caKeys, IAuthorizationClient? authorizationClient, IPinEntry? pinEntry, TimeProvider? clock = null, ITerminalRandom? random = null)
        => _setup = new KernelSetup(config, caKeys, authorizationClient, pinEntry, clock, random);

    public TerminalConfig Config => _setup.Config;

    /// <summary>The reader's limits (checked on each run).</summary>
    public QpbocReaderOptions Reader { get; init; } = new();

    /// <summary>Offline approvals not yet taken for upload, oldest first.</summary>
    public int PendingUploadCount => _pendingUploads.Count;

    /// <summary>Takes every offline approval queued for upload (the batch the host will receive as 0320 messages).</summary>
    public IReadOnlyList<OfflineApprovalRecord> TakePendingUploads()
    {
        var taken = new List<OfflineApprovalRecord>();
        while (_pendingUploads.TryDequeue(out var record))
        {
            taken.Add(record);
        }

        return taken;
    }

    /// <summary>Runs one contactless transaction with the card in the field (the caller owns the transport).</summary>
    /// <exception cref="ArgumentException">The request or the reader options are invalid.</exception>
    public async ValueTask<TransactionResult> RunAsync(IApduTransport card, TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        Reader.Validate();
        var context = _setup.Open(card, request);
        var state = new QpbocState(Reader);

        var (outcome, reason) = await RunStepsAsync(context, state, cancellationToken).ConfigureAwait(false);
        if (outcome == TransactionOutcome.Approved && state.OfflineApproval is { } offline)
        {
            _pendingUploads.Enqueue(offline);
        }

        return ContactKernel.Finish(context, outcome, reason, state.TryAnotherInterface, outcome == TransactionOutcome.Approved ? state.OfflineApproval : null, state.EcBalance);
    }

    /// <summary>
    /// Reads the electronic cash balance without a transaction (NOTES A.9): PPSE, SELECT of the best application, then
    /// GET DATA 9F79. Never throws for card trouble: the reason says what went wrong.
    /// </summary>
    public async ValueTask<EcBalanceReading> ReadEcBalanceAsync(IApduTransport card, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var context = _setup.Open(card, new TransactionRequest(0, TransactionType: TransactionRequest.BalanceInquiry));
        try
        {
            var result = await KernelSteps.RunAsync(new PpseSelection(new QpbocState(Reader)), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return new EcBalanceReading(null, null, result.Reason!);
            }

            result = await KernelSteps.RunAsync(new FinalSelection(), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return new EcBalanceReading(null, null, result.Reason!);
            }

            var (balance, reason) = await EcBalance.ReadAsync(context.Card, cancellationToken).ConfigureAwait(false);
            return new EcBalanceReading(balance, context.Application?.AdfHex, reason);
        }
        catch (Exception exception) when (exception is TransportException or IOException or TlvException)
        {
            return new EcBalanceReading(null, context.Application?.AdfHex, $"the card could not be read: {exception.Message}");
        }
    }

    private static ValueTask<(TransactionOutcome Outcome, string Reason)> RunStepsAsync(TransactionContext context, QpbocState state, CancellationToken cancellationToken) =>
        KernelSteps.GuardAsync(context, async () =>
        {
            var result = await KernelSteps.RunAsync(new QpbocPreProcessing(state), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return (result.Outcome, result.Reason!);
            }

            result = await KernelSteps.RunAsync(new PpseSelection(state), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return (result.Outcome, result.Reason!);
            }

            // Q23: every application refusing the contactless GPO (6985) sends the cardholder to another interface.
            result = await KernelSteps.SelectAndInitiateAsync(context, state.ApplyTerminalData, () => state.TryAnotherInterface = true, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return (result.Outcome, result.Reason!);
            }

            state.TryAnotherInterface = false;
            IKernelStep[] steps = [new QpbocGpoAnalysis(state), new ReadApplicationData([]), new FastDda(state), new QpbocCvm(state), new QpbocCompletion(state)];
            foreach (var step in steps)
            {
                if (step is ReadApplicationData or FastDda && state.Cryptogram != Jinka.Core.Apdu.CryptogramType.Tc)
                {
                    continue;
                }

                result = await KernelSteps.RunAsync(step, context, cancellationToken).ConfigureAwait(false);
                if (result.Kind == StepKind.End)
                {
                    return (result.Outcome, result.Reason!);
                }
            }

            return (TransactionOutcome.Terminated, "the kernel ran out of steps without an outcome");
        }, cancellationToken);
}
