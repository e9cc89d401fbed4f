using Jinka.Core;
using Jinka.Crypto.Certificates;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contact.Oda;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// fDDA (contract Q5–Q7; NOTES A.8): recover the issuer and ICC keys with the contact kernel's ODA code over the
/// static data of the AFL's ODA records, check that 9F69 is <c>01 ‖ UN(4) ‖ CTQ(2) ‖ …</c> (8–16 bytes), and verify
/// 9F4B (RSA format 05 / SM2 format 15) over the terminal dynamic data <c>9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69</c>. A failure sets
/// TVR "DDA failed"; what follows is decided by <see cref="QpbocCompletion"/>.
/// </summary>
internal sealed class FastDda(QpbocState state) : IKernelStep
{
    public string Name => "fDDA";

    public ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        context.OdaMethod = OdaMethod.Dda;
        context.Set(TsiBit.OfflineDataAuthenticationPerformed);
        var (failure, missing) = Verify(context);
        state.FddaPassed = failure is null;
        state.FddaFailure = failure;
        if (failure is null)
        {
            context.Output("result", "passed");
        }
        else
        {
            OfflineDataAuthentication.Fail(context, failure, missing);
        }

        return ValueTask.FromResult(StepResult.Continue);
    }

    private static (string? Failure, bool Missing) Verify(TransactionContext context)
    {
        if (context.StaticDataProblem is { } problem)
        {
            return (problem, false);
        }

        var issuer = CardKeyRetrieval.RetrieveIssuerKey(context);
        if (issuer.Key is null)
        {
            return (issuer.Failure, issuer.DataMissing);
        }

        var icc = CardKeyRetrieval.RetrieveIccKey(context, issuer.Key, context.StaticData.ToArray());
        if (icc.Key is null)
        {
            return (icc.Failure, icc.DataMissing);
        }

        context.IssuerKey = issuer.Key;
        context.IccKey = icc.Key;
        context.Output("keys", $"issuer {issuer.Key}, ICC {icc.Key}");
        if (!context.TryGet(Tags.SignedDynamicData, out var sdad) || sdad.IsEmpty)
        {
            return ("the signed dynamic data 9F4B is missing from the GPO response", true);
        }

        if (!context.TryGet(Tags.CardAuthenticationData, out var cardData) || cardData.Length is < 8 or > 16)
        {
            return ("the card authentication related data 9F69 is missing or not 8–16 bytes", true);
        }

        if (cardData[0] != 0x01)
        {
            return ($"9F69 {Hex.Encode(cardData)} is not version 01 (contract Q6)", false);
        }

        context.Output("card unpredictable number", Hex.Encode(cardData[1..5]));
        context.TryGet(Tags.UnpredictableNumber, out var un);
        context.TryGet(Tags.AmountAuthorised, out var amount);
        context.TryGet(Tags.TransactionCurrencyCode, out var currency);
        byte[] terminalData = [.. un, .. amount, .. currency, .. cardData];
        context.Input("terminal dynamic data", Hex.Encode(terminalData));

        if (icc.Key.Sm2 is { } sm2)
        {
            if (!Sm2SignedDynamicData.TryParse(sdad, out var parsed, out var error))
            {
                return (error, false);
            }

            if (!parsed.Verify(sm2, terminalData))
            {
                return ("signed dynamic data (tag 9F4B): the SM2 signature does not verify over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69", false);
            }

            context.SetTerminal(Tags.IccDynamicNumber, parsed.IccDynamicNumber);
            return (null, false);
        }

        var recovery = EmvRsaSignedDynamicData.Recover(icc.Key.Rsa!, sdad, terminalData);
        if (!recovery.IsValid)
        {
            return ($"signed dynamic data (tag 9F4B) over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69: {recovery.Reason}", false);
        }

        context.SetTerminal(Tags.IccDynamicNumber, recovery.Value.IccDynamicNumber);
        return (null, false);
    }
}
