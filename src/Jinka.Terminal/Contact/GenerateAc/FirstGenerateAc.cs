using System.Text;
using Jinka.Core.Apdu;

namespace Jinka.Terminal.Contact.GenerateAc;

/// <summary>
/// The first GENERATE AC and card action analysis (EMV Book 3 §10.8): TC approves offline (8A = Y1), AAC declines
/// (Z1), ARQC goes online. A CDA failure declines; after an ARQC the card's transaction is closed with a second
/// GENERATE AC asking for an AAC.
/// </summary>
internal sealed class FirstGenerateAc : IKernelStep
{
    public string Name => "First GENERATE AC";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var result = await GenerateAcCommand.SendAsync(context, context.Decision, second: false, cancellationToken).ConfigureAwait(false);
        context.Set(TsiBit.CardRiskManagementPerformed);
        if (result.Type == CryptogramType.Aac)
        {
            SetResponseCode(context, "Z1");
            return StepResult.End(TransactionOutcome.Declined, $"card declined offline (AAC){Advice(result.Cid)}");
        }

        if (result.CdaFailed)
        {
            SetResponseCode(context, "Z1");
            if (result.Type == CryptogramType.Arqc)
            {
                await GenerateAcCommand.SendAsync(context, CryptogramType.Aac, second: true, cancellationToken).ConfigureAwait(false);
            }

            return StepResult.End(TransactionOutcome.Declined, $"CDA failed: {result.CdaFailure}");
        }

        if (result.Type == CryptogramType.Tc)
        {
            SetResponseCode(context, "Y1");
            return StepResult.End(TransactionOutcome.Approved, "card approved offline (TC)");
        }

        return StepResult.Continue;
    }

    /// <summary>8A as the terminal sets it without the host (P12: Y1/Z1 offline, Y3/Z3 unable to go online).</summary>
    public static void SetResponseCode(TransactionContext context, string code) => context.SetTerminal(Tags.ResponseCode, Encoding.ASCII.GetBytes(code));

    /// <summary>The CID's advice and reason bits in words (EMV Book 3 §6.5.5.4), or "".</summary>
    public static string Advice(byte cid) => (cid & 0x07) switch
    {
        0x01 => "; card says: service not allowed",
        0x02 => "; card says: PIN try limit exceeded",
        0x03 => "; card says: issuer authentication failed",
        _ => (cid & 0x08) != 0 ? "; card asks for an advice" : "",
    };
}
