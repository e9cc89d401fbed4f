using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Terminal.Contact;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// The card's decision in the format 2 GPO response (contract Q4): the mandatory 82, 9F36, 57, 9F26, 9F10 must be
/// there; the cryptogram type comes from CVR byte 1 b6–b5 in 9F10 (P2: 10 ARQC, 01 TC, 00 AAC), and the terminal sets
/// 9F27 from it (80, 40, 00) for field 55. The PAN 5A is taken from track 2 57 when no record supplies it (Q13).
/// </summary>
internal sealed class QpbocGpoAnalysis(QpbocState state) : IKernelStep
{
    private static readonly (Tag Tag, string Name)[] s_mandatory =
    [
        (Tags.Aip, "82 (AIP)"), (Tags.Atc, "9F36 (ATC)"), (Tags.Track2, "57 (Track 2)"), (Tags.Cryptogram, "9F26 (Application Cryptogram)"), (Tags.IssuerApplicationData, "9F10 (Issuer Application Data)"),
    ];

    public string Name => "GPO analysis";

    public ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var missing = s_mandatory.Where(m => !context.Data.Contains(m.Tag)).Select(m => m.Name).ToList();
        if (missing.Count > 0)
        {
            return End(TransactionOutcome.Terminated, $"mandatory qPBOC data missing from the GPO response: {string.Join(", ", missing)}");
        }

        context.TryGet(Tags.IssuerApplicationData, out var iad);
        if (iad.Length < 5 || iad[3] < 1)
        {
            return End(TransactionOutcome.Terminated, $"9F10 {Hex.Encode(iad)} carries no CVR (P1: 07 ‖ DKI ‖ CVN ‖ 03 ‖ CVR …)");
        }

        int bits = (iad[4] >> 4) & 0x03;
        if (bits == 0x03)
        {
            return End(TransactionOutcome.Terminated, $"CVR byte 1 {iad[4]:X2} names no cryptogram type (b6–b5 = 11)");
        }

        state.Cryptogram = bits switch { 0x02 => CryptogramType.Arqc, 0x01 => CryptogramType.Tc, _ => CryptogramType.Aac };
        context.SetTerminal(Tags.Cid, [(byte)state.Cryptogram]);
        state.Ctq1 = context.TryGet(Tags.Ctq, out var ctq) && ctq.Length == 2 ? ctq[0] : null;
        if (!context.Data.Contains(Tags.Pan) && context.TryGet(Tags.Track2, out var track2))
        {
            string digits = Hex.Encode(track2);
            int separator = digits.IndexOf('D', StringComparison.Ordinal);
            if (separator is >= 12 and <= 19)
            {
                string pan = digits[..separator];
                context.Data.Set(Tags.Pan, Hex.Parse(pan.Length % 2 == 0 ? pan : pan + "F"));
            }
        }

        context.Output("cryptogram", $"{state.Cryptogram} (CVR byte 1 {iad[4]:X2})");
        context.Output("CTQ 9F6C", state.Ctq1 is null ? "absent" : Hex.Encode(ctq));
        if (state.Cryptogram == CryptogramType.Tc && state.OnlineCryptogramRequired)
        {
            return End(TransactionOutcome.Declined, "the card approved offline (TC) although the reader required an online cryptogram");
        }

        return state.Cryptogram == CryptogramType.Aac
            ? End(TransactionOutcome.Declined, "the card declined (AAC)")
            : ValueTask.FromResult(StepResult.Continue);
    }

    private static ValueTask<StepResult> End(TransactionOutcome outcome, string reason) => ValueTask.FromResult(StepResult.End(outcome, reason));
}
