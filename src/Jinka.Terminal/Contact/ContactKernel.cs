using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Online;
using Jinka.Core.Transport;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact.ActionAnalysis;
using Jinka.Terminal.Contact.Cvm;
using Jinka.Terminal.Contact.ElectronicCash;
using Jinka.Terminal.Contact.GenerateAc;
using Jinka.Terminal.Contact.Oda;
using Jinka.Terminal.Contact.Online;
using Jinka.Terminal.Contact.ReadData;
using Jinka.Terminal.Contact.Restrictions;
using Jinka.Terminal.Contact.Risk;
using Jinka.Terminal.Contact.Selection;
using Jinka.Terminal.Pin;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>
/// The PBOC contact kernel (EMV Book 3 / JR/T 0025.6 as profiled by docs/spec-choices.md P1–P12 and P39–P48): application
/// selection, initiate application processing, read application data, offline data authentication (RSA or SM2),
/// processing restrictions, cardholder verification, terminal risk management, terminal action analysis, first
/// GENERATE AC, online processing with issuer authentication and scripts, second GENERATE AC and the advice.
/// </summary>
/// <remarks>
/// One instance serves many transactions, one at a time or concurrently on different cards. The outcome is always a
/// value: a lost card, malformed card data or an unexpected status word ends the transaction as
/// <see cref="TransactionOutcome.Terminated"/> with a reason, never as an exception.
/// </remarks>
public sealed class ContactKernel
{
    private readonly KernelSetup _setup;

    /// <param name="config">The terminal's parameters (checked now).</param>
    /// <param name="caKeys">The CA public keys and revocation list.</param>
    /// <param name="authorizationClient">The way to the host; null for a terminal that cannot go online.</param>
    /// <param name="pinEntry">The PIN pad; null when there is none.</param>
    /// <param name="clock">The clock for the transaction date and time when the request gives none; the system clock by default.</param>
    /// <param name="random">The source of the unpredictable number and random selection; <see cref="TerminalRandom.Secure"/> by default.</param>
    /// <exception cref="ArgumentException">The configuration is invalid; the message names the field.</exception>
    public ContactKernel(TerminalConfig config, CaPublicKeyStore caKeys, IAuthorizationClient? authorizationClient, IPinEntry? pinEntry, TimeProvider? clock = null, ITerminalRandom? random = null)
        => _setup = new KernelSetup(config, caKeys, authorizationClient, pinEntry, clock, random);

    public TerminalConfig Config => _setup.Config;

    /// <summary>Runs one transaction with the card behind <paramref name="card"/> (which stays open: the caller owns it).</summary>
    /// <exception cref="ArgumentException">The request is invalid (amount out of range …).</exception>
    public async ValueTask<TransactionResult> RunAsync(IApduTransport card, TransactionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var load = EcLoad.IsLoad(request.TransactionType) ? new EcLoad() : null;
        var context = _setup.Open(card, load is null ? request : request with { ForceOnline = true });

        var (outcome, reason) = await RunStepsAsync(context, load, cancellationToken).ConfigureAwait(false);
        await Completion.SendAdviceAsync(context, outcome, cancellationToken).ConfigureAwait(false);
        long? balanceAfter = null;
        if (load is not null)
        {
            (outcome, reason, balanceAfter) = await load.ConfirmAsync(context, outcome, reason, cancellationToken).ConfigureAwait(false);
        }

        return Finish(context, outcome, reason, ecBalance: balanceAfter, ecBalanceBefore: load?.BalanceBefore);
    }

    /// <summary>
    /// Loads electronic cash online (contract Q11, Q36): a contact transaction of type <paramref name="loadType"/> (60
    /// designated account, 62 non-designated account, 63 cash) that reads the balance and its limit, goes online with
    /// the ARQC, and after the 2nd GENERATE AC runs the issuer's PUT DATA 9F79; the result has the balance before and after.
    /// </summary>
    public ValueTask<TransactionResult> LoadElectronicCashAsync(IApduTransport card, long amount, byte loadType = 0x60, int sequenceCounter = 1, CancellationToken cancellationToken = default)
    {
        if (!EcLoad.IsLoad(loadType))
        {
            throw new ArgumentException($"an EC load is transaction type 60, 62 or 63, not {loadType:X2}", nameof(loadType));
        }

        return RunAsync(card, new TransactionRequest(amount, TransactionType: loadType) { SequenceCounter = sequenceCounter }, cancellationToken);
    }

    private static ValueTask<(TransactionOutcome Outcome, string Reason)> RunStepsAsync(TransactionContext context, EcLoad? load, CancellationToken cancellationToken) =>
        KernelSteps.GuardAsync(context, async () =>
        {
            var result = await KernelSteps.RunAsync(new ApplicationSelection(), context, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return (result.Outcome, result.Reason!);
            }

            result = await KernelSteps.SelectAndInitiateAsync(context, null, null, cancellationToken).ConfigureAwait(false);
            if (result.Kind == StepKind.End)
            {
                return (result.Outcome, result.Reason!);
            }

            IKernelStep[] steps =
            [
                .. load is null ? Array.Empty<IKernelStep>() : [load],
                new ReadApplicationData(),
                new OfflineDataAuthentication(),
                new ProcessingRestrictions(),
                new CardholderVerification(),
                new TerminalRiskManagement(),
                new TerminalActionAnalysis(),
                new FirstGenerateAc(),
                new OnlineProcessing(),
            ];
            foreach (var step in steps)
            {
                result = await KernelSteps.RunAsync(step, context, cancellationToken).ConfigureAwait(false);
                if (result.Kind == StepKind.End)
                {
                    return (result.Outcome, result.Reason!);
                }
            }

            return (TransactionOutcome.Terminated, "the kernel ran out of steps without an outcome");
        }, cancellationToken);

    internal static TransactionResult Finish(TransactionContext context, TransactionOutcome outcome, string reason, bool tryAnotherInterface = false, Contactless.OfflineApprovalRecord? offlineApproval = null, long? ecBalance = null, long? ecBalanceBefore = null)
    {
        var trace = context.Trace;
        trace.Outcome = outcome.ToString();
        trace.Reason = reason;
        trace.Tvr = Bits(context.Tvr.ToString(), context.Tvr.Describe());
        trace.Tsi = Bits(context.Tsi.ToString(), context.Tsi.Describe());
        if (context.CvmResults is { } cvm)
        {
            trace.CvmResults = Bits(cvm.ToString(), [cvm.Describe()]);
        }

        var scripts = context.ScriptResults.SelectMany(r => r).ToArray();
        trace.ScriptResults = scripts.Length > 0 ? Hex.Encode(scripts) : null;
        foreach (var element in context.Data)
        {
            trace.Data.Add(new TraceDataElement { Tag = element.Tag.ToString(), Name = EmvDictionary.NameOf(element.Tag), Value = Hex.Encode(element.Value.Span) });
        }

        return new TransactionResult(outcome, reason, context.Data, trace)
        {
            Tvr = context.Tvr,
            Tsi = context.Tsi,
            CvmResults = context.CvmResults,
            SignatureRequired = context.SignatureRequired && outcome == TransactionOutcome.Approved,
            Aid = context.Application?.AdfHex,
            WentOnline = context.AuthorizationResponse is not null,
            AuthorizationRequest = context.AuthorizationRequest,
            AuthorizationResponse = context.AuthorizationResponse,
            Advice = context.Advice,
            ScriptResults = scripts,
            TryAnotherInterface = tryAnotherInterface,
            OfflineApproval = offlineApproval,
            EcBalance = ecBalance,
            EcBalanceBefore = ecBalanceBefore,
        };
    }

    private static TraceBits Bits(string hex, IReadOnlyList<string> words) => new() { Hex = hex, Words = [.. words] };
}
