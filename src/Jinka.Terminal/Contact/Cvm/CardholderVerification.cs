using System.Globalization;
using Jinka.Core;

namespace Jinka.Terminal.Contact.Cvm;

/// <summary>
/// Cardholder verification (EMV Book 3 §10.5): the first CV rule of 8E whose condition holds is performed; when it
/// fails and its b7 says so the next one is tried, else verification fails. Offline PIN goes through VERIFY
/// (plaintext 80, or enciphered 88 per contract P7 after GET CHALLENGE), online PIN into the authorisation request,
/// signature onto the receipt. The result is 9F34 and TVR byte 3.
/// </summary>
internal sealed class CardholderVerification : IKernelStep
{
    public string Name => "Cardholder verification";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if ((context.Aip[0] & 0x10) == 0)
        {
            context.Note("the AIP says cardholder verification is not supported");
            Finish(context, CvmResults.NotPerformed, tsi: false);
            return StepResult.Continue;
        }

        if (!context.TryGet(Tags.CvmList, out var listBytes) || !CvmList.TryParse(listBytes, out var list) || list.Rules.Count == 0)
        {
            context.Set(TvrBit.IccDataMissing);
            context.Note(listBytes.IsEmpty ? "the card has no CVM list 8E" : $"the CVM list 8E {Hex.Encode(listBytes)} has no usable rules");
            Finish(context, CvmResults.NoCvmPerformed, tsi: true);
            return StepResult.Continue;
        }

        context.Input("CVM list", $"X={list.AmountX} Y={list.AmountY}; {string.Join("; ", list.Rules)}");
        CvRule? lastFailed = null;
        foreach (var rule in list.Rules)
        {
            if (!ConditionHolds(context, list, rule))
            {
                continue;
            }

            var result = await PerformAsync(context, rule, cancellationToken).ConfigureAwait(false);
            context.Note($"rule {rule}: {(result is null ? "failed" : "performed")}");
            if (result is byte outcome)
            {
                context.SignatureRequired = rule.NeedsSignature;
                Finish(context, new CvmResults(rule.Method, rule.Condition, outcome), tsi: true);
                return StepResult.Continue;
            }

            lastFailed = rule;
            if (!rule.ApplyNextIfFails)
            {
                break;
            }
        }

        context.Set(TvrBit.CardholderVerificationNotSuccessful);
        Finish(context, lastFailed is CvRule failed ? new CvmResults(failed.Method, failed.Condition, CvmResults.ResultFailed) : CvmResults.NoCvmPerformed, tsi: true);
        return StepResult.Continue;
    }

    /// <summary>Performs a rule: the 9F34 result byte when it succeeded (or is unknown: online PIN, signature), null when it failed.</summary>
    private static async ValueTask<byte?> PerformAsync(TransactionContext context, CvRule rule, CancellationToken cancellationToken)
    {
        if (!rule.IsRecognised)
        {
            context.Set(TvrBit.UnrecognisedCvm);
            return null;
        }

        if (!TerminalSupports(context.Config, rule.Code))
        {
            context.Note($"the terminal does not support {CvmResults.CvmMethodName(rule.Method)}");
            return null;
        }

        switch (rule.Code)
        {
            case CvRule.NoCvm:
                return CvmResults.ResultSuccessful;
            case CvRule.Signature:
                return CvmResults.ResultUnknown;
            case CvRule.OnlinePin:
                return await OnlinePinAsync(context, cancellationToken).ConfigureAwait(false) ? CvmResults.ResultUnknown : null;
            case CvRule.PlaintextPin or CvRule.EncipheredPin:
                return await OfflinePin.VerifyAsync(context, rule.IsEnciphered, cancellationToken).ConfigureAwait(false) ? CvmResults.ResultSuccessful : null;
            case CvRule.PlaintextPinAndSignature or CvRule.EncipheredPinAndSignature:
                return await OfflinePin.VerifyAsync(context, rule.IsEnciphered, cancellationToken).ConfigureAwait(false) ? CvmResults.ResultUnknown : null;
            default:
                return null;
        }
    }

    private static async ValueTask<bool> OnlinePinAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (!OfflinePin.PinPadReady(context))
        {
            return false;
        }

        var entry = await context.PinEntry!.EnterPinAsync(new Pin.PinRequest(Pin.PinKind.Online, context.Request.Amount, null, 1), cancellationToken).ConfigureAwait(false);
        if (entry.IsBypass || !Pin.PinBlock.IsValidPin(entry.Pin) || context.Pan.Length < 13)
        {
            context.Set(TvrBit.PinNotEntered);
            context.PinBypassed = true;
            context.Note("online PIN not entered");
            return false;
        }

        context.OnlinePinBlock = Pin.PinBlock.Format0(entry.Pin!, context.Pan);
        context.Set(TvrBit.OnlinePinEntered);
        return true;
    }

    /// <summary>The CV rule condition codes (EMV Book 3 Annex C3); an unknown code is "not satisfied".</summary>
    private static bool ConditionHolds(TransactionContext context, CvmList list, CvRule rule)
    {
        var request = context.Request;
        bool cash = request.TransactionType == TransactionRequest.Cash;
        bool unattendedCash = cash && context.Config.IsUnattended;
        bool manualCash = cash && !context.Config.IsUnattended;
        bool cashback = request.TransactionType == TransactionRequest.PurchaseWithCashback || (request.TransactionType == TransactionRequest.Purchase && request.OtherAmount > 0);
        return rule.Condition switch
        {
            0x00 => true,
            0x01 => unattendedCash,
            0x02 => !unattendedCash && !manualCash && !cashback,
            0x03 => rule.IsRecognised && TerminalSupports(context.Config, rule.Code),
            0x04 => manualCash,
            0x05 => cashback,
            0x06 => InApplicationCurrency(context) && request.Amount < list.AmountX,
            0x07 => InApplicationCurrency(context) && request.Amount > list.AmountX,
            0x08 => InApplicationCurrency(context) && request.Amount < list.AmountY,
            0x09 => InApplicationCurrency(context) && request.Amount > list.AmountY,
            _ => false,
        };
    }

    private static bool InApplicationCurrency(TransactionContext context) =>
        context.TryGet(Tags.ApplicationCurrencyCode, out var card) && context.TryGet(Tags.TransactionCurrencyCode, out var terminal) && card.SequenceEqual(terminal);

    /// <summary>9F33 byte 2 (EMV Book 4 Annex A2).</summary>
    private static bool TerminalSupports(TerminalConfig config, int code)
    {
        byte cvm = config.Capabilities[1];
        return code switch
        {
            CvRule.FailCvm => true,
            CvRule.PlaintextPin => (cvm & 0x80) != 0,
            CvRule.OnlinePin => (cvm & 0x40) != 0 && config.IsOnlineCapable,
            CvRule.PlaintextPinAndSignature => (cvm & 0xA0) == 0xA0,
            CvRule.EncipheredPin => (cvm & 0x10) != 0,
            CvRule.EncipheredPinAndSignature => (cvm & 0x30) == 0x30,
            CvRule.Signature => (cvm & 0x20) != 0,
            CvRule.NoCvm => (cvm & 0x08) != 0,
            _ => false,
        };
    }

    private static void Finish(TransactionContext context, CvmResults results, bool tsi)
    {
        context.CvmResults = results;
        context.SetTerminal(Tags.CvmResults, results.ToArray());
        if (tsi)
        {
            context.Set(TsiBit.CardholderVerificationPerformed);
        }

        context.Output("CVM results", string.Create(CultureInfo.InvariantCulture, $"{results} ({results.Describe()})"));
    }
}
