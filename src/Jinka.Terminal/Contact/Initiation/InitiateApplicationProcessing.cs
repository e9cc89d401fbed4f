using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.Initiation;

/// <summary>
/// Initiate application processing (EMV Book 3 §10.1; NOTES A.2): PDOL data from the FCI's 9F38 (DF69 = 01 when the
/// terminal offers SM), GET PROCESSING OPTIONS, and the AIP and AFL from a format 1 (80) or format 2 (77) response.
/// 6985 drops the candidate and goes back to final selection.
/// </summary>
internal sealed class InitiateApplicationProcessing : IKernelStep
{
    public string Name => "Initiate application processing";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var pdol = Dol.Empty;
        if (context.TryGet(Tags.Pdol, out var pdolBytes) && !Dol.TryParse(pdolBytes, out pdol))
        {
            return StepResult.End(TransactionOutcome.Terminated, $"the card's PDOL 9F38 {Hex.Encode(pdolBytes)} is malformed");
        }

        context.PdolData = pdol.Build(context.Data);
        context.Input("PDOL", pdol.ToString());
        context.Input("PDOL data", TerminalData.Render(pdol, context.PdolData));

        var response = await context.Card.SendAsync(ApduCommands.GetProcessingOptions(context.PdolData), "GET PROCESSING OPTIONS", cancellationToken).ConfigureAwait(false);
        if (response.StatusWord == StatusWord.ConditionsOfUseNotSatisfied)
        {
            return StepResult.Reselect("GET PROCESSING OPTIONS answered 6985 (conditions of use not satisfied)");
        }

        if (!response.StatusWord.IsSuccess)
        {
            return StepResult.End(TransactionOutcome.Terminated, CardChannel.UnexpectedStatus(response.StatusWord, "GET PROCESSING OPTIONS"));
        }

        var nodes = TlvNode.Parse(response.Data);
        if (nodes is [{ Tag.Value: 0x80 } format1])
        {
            var value = format1.Value.Span;
            if (value.Length < 2 || (value.Length - 2) % 4 != 0)
            {
                return StepResult.End(TransactionOutcome.Terminated, $"the GPO response 80 is {value.Length} bytes; expected AIP (2) and AFL entries of 4");
            }

            context.StoreCardData(Encode(Tags.Aip, value[..2], Tags.Afl, value[2..]), "the GPO response");
        }
        else if (nodes is [{ Tag.Value: 0x77 } format2])
        {
            context.StoreCardData(format2.Value.Span, "the GPO response");
            if (!context.TryGet(Tags.Aip, out var aip) || aip.Length != 2 || !context.TryGet(Tags.Afl, out var afl) || afl.Length % 4 != 0)
            {
                return StepResult.End(TransactionOutcome.Terminated, "the GPO response 77 lacks a 2-byte AIP 82 or an AFL 94 of 4-byte entries");
            }
        }
        else
        {
            return StepResult.End(TransactionOutcome.Terminated, "the GPO response is neither a format 1 (80) nor a format 2 (77) template");
        }

        context.Output("AIP", $"{Hex.Encode(context.Aip)} ({string.Join(", ", Jinka.Core.Dictionary.EmvDictionary.Get(Tags.Aip).DescribeBits(context.Aip))})");
        context.Output("AFL", Hex.Encode(context.Get(Tags.Afl)));
        return StepResult.Continue;
    }

    private static byte[] Encode(Tag first, ReadOnlySpan<byte> firstValue, Tag second, ReadOnlySpan<byte> secondValue)
    {
        using var writer = new TlvWriter();
        writer.WritePrimitive(first, firstValue);
        writer.WritePrimitive(second, secondValue);
        return writer.ToArray();
    }
}
