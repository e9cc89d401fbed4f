using Jinka.Core.Apdu;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// Contactless CVM (NOTES A.8 CTQ, contract Q8, Q14): online PIN when the card goes online, CTQ byte 1 b8 asks for it
/// and the reader has a PIN pad; a signature when CTQ byte 1 b7 asks for it, or when no CTQ came and CVM is required;
/// nothing more when the reader accepts a consumer device CVM and CTQ byte 2 b8 says the device performed it (Q22).
/// </summary>
internal sealed class QpbocCvm(QpbocState state) : IKernelStep
{
    public string Name => "Contactless CVM";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        bool online = state.Cryptogram == CryptogramType.Arqc || (!state.FddaPassed && OnlineAfterFddaFailure(context, state));
        byte ctq = state.Ctq1 ?? 0;
        if (state.Reader.ConsumerDeviceCvm && context.TryGet(Tags.Ctq, out var fullCtq) && fullCtq.Length == 2 && (fullCtq[1] & 0x80) != 0)
        {
            context.Output("CVM", "consumer device CVM (CTQ byte 2 b8)");
            return StepResult.Continue;
        }

        if (online && (ctq & 0x80) != 0)
        {
            if ((state.Ttq[0] & 0x04) != 0 && context.PinEntry is { } pad)
            {
                var entry = await pad.EnterPinAsync(new PinRequest(PinKind.Online, context.Request.Amount, null, 1), cancellationToken).ConfigureAwait(false);
                if (!entry.IsBypass)
                {
                    context.OnlinePinBlock = PinBlock.Format0(entry.Pin!, context.Pan);
                    context.Set(TvrBit.OnlinePinEntered);
                    context.Output("CVM", "online PIN");
                    return StepResult.Continue;
                }

                context.Note("the cardholder bypassed the online PIN");
            }
            else
            {
                context.Note("the card asks for an online PIN, which this reader cannot take");
            }
        }

        bool signature = (ctq & 0x40) != 0 || (state.Ctq1 is null && state.CvmRequired);
        if (signature && (state.Ttq[0] & 0x02) != 0)
        {
            context.SignatureRequired = true;
            context.Output("CVM", "signature");
        }
        else if (state.CvmRequired && (ctq & 0xC0) == 0 && state.Ctq1 is not null)
        {
            context.Output("CVM", "none asked by the card (CTQ) although the reader required one");
        }
        else
        {
            context.Output("CVM", "no CVM");
        }

        return StepResult.Continue;
    }

    /// <summary>CTQ byte 1 b6: go online when fDDA fails, if the reader can (NOTES A.8).</summary>
    public static bool OnlineAfterFddaFailure(TransactionContext context, QpbocState state) =>
        ((state.Ctq1 ?? 0) & 0x20) != 0 && context.Authorization is not null && context.Config.IsOnlineCapable;
}
