using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.Selection;

/// <summary>
/// Final selection (EMV Book 1 §12.4): SELECT the best candidate; a candidate that is blocked (6283), refused or
/// answers a bad FCI is dropped and the next one tried. The FCI's data (84, 50, 87, 9F38, BF0C …) start the
/// transaction's card data.
/// </summary>
internal sealed class FinalSelection : IKernelStep
{
    public string Name => "Final selection";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        while (context.Candidates.Count > 0)
        {
            var candidate = context.Candidates[0];
            context.Input("candidate", candidate.ToString());
            var response = await context.Card.SendAsync(ApduCommands.SelectByName(candidate.AdfName), $"SELECT {candidate.AdfHex}", cancellationToken).ConfigureAwait(false);
            string? problem = response.StatusWord == StatusWord.SelectedFileInvalidated ? "application blocked (6283)"
                : !response.StatusWord.IsSuccess ? $"SELECT answered {response.StatusWord} ({response.StatusWord.Meaning})"
                : CheckFci(response.Data, candidate.AdfName);
            if (problem is not null)
            {
                context.Candidates.RemoveAt(0);
                context.Note($"{candidate.AdfHex} dropped: {problem}");
                context.Unusable.Add($"{candidate.AdfHex}: {problem}");
                continue;
            }

            context.BeginApplication(candidate);
            var fci = TlvNode.Parse(response.Data)[0];
            context.Data.Merge(fci.Value.Span, new TlvMergeOptions(TlvDuplicatePolicy.KeepExisting));
            context.Data.Set(Tags.Aid, candidate.AdfName);
            context.Output("selected", candidate.AdfHex);
            context.Trace.Aid = candidate.AdfHex;
            return StepResult.Continue;
        }

        // The reason names what became of each candidate, so "blocked" reaches the merchant and not just the trace.
        return StepResult.End(TransactionOutcome.NotAccepted, $"no application on the card could be selected ({string.Join("; ", context.Unusable)})");
    }

    private static string? CheckFci(ReadOnlyMemory<byte> data, byte[] adfName)
    {
        if (!TlvNode.TryParse(data, out var nodes, out var error) || nodes is not [{ Tag.Value: 0x6F } fci])
        {
            return $"the FCI is not a 6F template{(nodes is null ? $" ({error})" : "")}";
        }

        if (fci.Find(Tags.DfName) is not { } dfName || !dfName.Value.Span.SequenceEqual(adfName))
        {
            return "the FCI's DF name 84 is not the ADF name selected";
        }

        return fci.Find(Tags.FciProprietary) is null ? "the FCI has no proprietary template A5" : null;
    }
}
