using System.Text;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.Selection;

/// <summary>
/// Builds the candidate list (EMV Book 1 §12.3): the PSE directory (NOTES A.2) when the card has one, else the
/// list of AIDs with SELECT next for partial matches; a blocked application (6283) is left out; candidates are
/// ordered by priority 87 (EMV Book 1 §12.4).
/// </summary>
internal sealed class ApplicationSelection : IKernelStep
{
    private const int MaxDirectoryRecords = 32;
    private const int MaxSelectNext = 16;
    private const int MaxDdfDepth = 2;

    public string Name => "Application selection";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var found = new List<Candidate>();
        if (context.Config.UsePse)
        {
            var pse = await ReadPseAsync(context, found, cancellationToken).ConfigureAwait(false);
            if (pse.Kind == StepKind.End)
            {
                return pse;
            }
        }

        if (found.Count == 0)
        {
            var list = await ListOfAidsAsync(context, found, cancellationToken).ConfigureAwait(false);
            if (list.Kind == StepKind.End)
            {
                return list;
            }
        }

        foreach (var candidate in found.Where(c => c.NeedsConfirmation && !context.Config.SupportsCardholderConfirmation).ToList())
        {
            found.Remove(candidate);
            context.Note($"{candidate.AdfHex} needs cardholder confirmation, which this terminal cannot ask for: left out");
        }

        context.Candidates.Clear();
        context.Candidates.AddRange(found.OrderBy(c => c.Rank).ThenBy(c => c.Order));
        context.Output("candidates", context.Candidates.Count == 0 ? "none" : string.Join("; ", context.Candidates));
        return context.Candidates.Count > 0
            ? StepResult.Continue
            : context.Unusable.Count > 0
                ? StepResult.End(TransactionOutcome.NotAccepted, $"no usable application on the card ({string.Join("; ", context.Unusable)})")
                : StepResult.End(TransactionOutcome.NotAccepted, "no application on the card is supported by the terminal");
    }

    private static async ValueTask<StepResult> ReadPseAsync(TransactionContext context, List<Candidate> found, CancellationToken cancellationToken)
    {
        var response = await context.Card.SendAsync(ApduCommands.SelectByName(ApduCommands.Pse), "SELECT PSE 1PAY.SYS.DDF01", cancellationToken).ConfigureAwait(false);
        var sw = response.StatusWord;
        if (sw.Value == 0x6A81)
        {
            // EMV Book 1 §12.3.2: the card is blocked or does not support SELECT; the session ends.
            return StepResult.End(TransactionOutcome.Terminated, "card answered 6A81 to SELECT PSE: card blocked or SELECT not supported");
        }

        if (!sw.IsSuccess)
        {
            context.Note($"PSE not used: {sw} ({sw.Meaning}); using the list of AIDs");
            return StepResult.Continue;
        }

        if (!TryDirectorySfi(response.Data, out int sfi, out var problem))
        {
            context.Note($"PSE not used: {problem}; using the list of AIDs");
            return StepResult.Continue;
        }

        var fromPse = new List<Candidate>();
        if (await ReadDirectoryAsync(context, sfi, fromPse, 0, cancellationToken).ConfigureAwait(false) is { } failure)
        {
            context.Note($"PSE directory abandoned: {failure}; using the list of AIDs");
            return StepResult.Continue;
        }

        found.AddRange(fromPse);
        context.Output("PSE", fromPse.Count == 0 ? "no matching application" : $"{fromPse.Count} matching application(s)");
        return StepResult.Continue;
    }

    /// <summary>Reads directory records 1… of <paramref name="sfi"/> until 6A83; returns why it gave up, or null.</summary>
    private static async ValueTask<string?> ReadDirectoryAsync(TransactionContext context, int sfi, List<Candidate> found, int depth, CancellationToken cancellationToken)
    {
        for (int record = 1; record <= MaxDirectoryRecords; record++)
        {
            var response = await context.Card.SendAsync(ApduCommands.ReadRecord(record, sfi), $"READ RECORD {record} of directory SFI {sfi}", cancellationToken).ConfigureAwait(false);
            if (response.StatusWord == StatusWord.RecordNotFound)
            {
                return null;
            }

            if (!response.StatusWord.IsSuccess)
            {
                return $"card answered {response.StatusWord} to READ RECORD {record} of SFI {sfi}";
            }

            if (!TlvNode.TryParse(response.Data, out var nodes, out var error) || nodes is not [{ Tag.Value: 0x70 } template])
            {
                return $"directory record {record} is not a 70 template{(nodes is null ? $" ({error})" : "")}";
            }

            foreach (var entry in template.Children.Where(c => c.Tag == Tags.ApplicationTemplate))
            {
                if (entry.Find(Tags.DdfName) is { } ddf && depth < MaxDdfDepth)
                {
                    if (await ReadDdfAsync(context, ddf.Value, found, depth + 1, cancellationToken).ConfigureAwait(false) is { } failure)
                    {
                        return failure;
                    }

                    continue;
                }

                if (entry.Find(Tags.Aid) is not { Value.Length: >= 5 and <= 16 } adf)
                {
                    context.Note($"directory record {record}: an entry without a valid 4F was skipped");
                    continue;
                }

                var adfName = adf.Value.ToArray();
                if (Match(context.Config, adfName) is not { } terminalAid)
                {
                    context.Note($"directory entry {Hex.Encode(adfName)} is not supported by the terminal");
                    continue;
                }

                if (found.Exists(c => c.AdfName.AsSpan().SequenceEqual(adfName)))
                {
                    continue;
                }

                found.Add(new Candidate(adfName, terminalAid, Text(entry.Find(Tags.Label)), Byte(entry.Find(Tags.Priority)), "PSE", found.Count));
            }
        }

        return null;
    }

    private static async ValueTask<string?> ReadDdfAsync(TransactionContext context, ReadOnlyMemory<byte> ddfName, List<Candidate> found, int depth, CancellationToken cancellationToken)
    {
        if (ddfName.Length is < 5 or > 16)
        {
            return $"DDF name {Hex.Encode(ddfName.Span)} is not 5–16 bytes";
        }

        var response = await context.Card.SendAsync(ApduCommands.SelectByName(ddfName.Span), $"SELECT DDF {Hex.Encode(ddfName.Span)}", cancellationToken).ConfigureAwait(false);
        if (!response.StatusWord.IsSuccess)
        {
            context.Note($"DDF {Hex.Encode(ddfName.Span)} skipped: {response.StatusWord}");
            return null;
        }

        return TryDirectorySfi(response.Data, out int sfi, out var problem)
            ? await ReadDirectoryAsync(context, sfi, found, depth, cancellationToken).ConfigureAwait(false)
            : problem;
    }

    private static async ValueTask<StepResult> ListOfAidsAsync(TransactionContext context, List<Candidate> found, CancellationToken cancellationToken)
    {
        foreach (var terminalAid in context.Config.Aids)
        {
            var occurrence = SelectOccurrence.First;
            for (int attempt = 0; attempt < MaxSelectNext; attempt++)
            {
                string purpose = $"SELECT {(occurrence == SelectOccurrence.Next ? "next " : "")}{Hex.Encode(terminalAid.Aid)}";
                var response = await context.Card.SendAsync(ApduCommands.SelectByName(terminalAid.Aid, occurrence), purpose, cancellationToken).ConfigureAwait(false);
                var sw = response.StatusWord;
                if (sw.Value == 0x6A81)
                {
                    return StepResult.End(TransactionOutcome.Terminated, $"card answered 6A81 to {purpose}: card blocked or SELECT not supported");
                }

                bool blocked = sw == StatusWord.SelectedFileInvalidated;
                if (!sw.IsSuccess && !blocked)
                {
                    break;
                }

                if (!TlvNode.TryParse(response.Data, out var nodes, out _) || nodes is not [{ Tag.Value: 0x6F } fci] || fci.Find(Tags.DfName) is not { } dfNameNode)
                {
                    context.Note($"{purpose}: the FCI has no DF name 84; next terminal AID");
                    break;
                }

                var dfName = dfNameNode.Value.ToArray();
                bool exact = dfName.AsSpan().SequenceEqual(terminalAid.Aid);
                bool partial = !exact && dfName.Length > terminalAid.Aid.Length && dfName.AsSpan().StartsWith(terminalAid.Aid);
                if (!exact && !partial)
                {
                    break;
                }

                if (blocked)
                {
                    context.Note($"{Hex.Encode(dfName)} is blocked (6283): left out");
                    context.Unusable.Add($"{Hex.Encode(dfName)}: application blocked (6283)");
                }
                else if ((exact || terminalAid.AllowPartialSelection) && !found.Exists(c => c.AdfName.AsSpan().SequenceEqual(dfName)))
                {
                    var proprietary = fci.Find(Tags.FciProprietary);
                    found.Add(new Candidate(dfName, terminalAid, Text(proprietary?.Find(Tags.Label)), Byte(proprietary?.Find(Tags.Priority)), "list of AIDs", found.Count));
                }
                else if (partial && !terminalAid.AllowPartialSelection)
                {
                    context.Note($"{Hex.Encode(dfName)} matches {Hex.Encode(terminalAid.Aid)} only partially, which the terminal does not allow");
                }

                if (exact)
                {
                    break;
                }

                occurrence = SelectOccurrence.Next;
            }
        }

        return StepResult.Continue;
    }

    /// <summary>The terminal AID an ADF name matches: exactly, or by its leading bytes when partial selection is allowed.</summary>
    private static SupportedAid? Match(TerminalConfig config, ReadOnlySpan<byte> adfName)
    {
        foreach (var aid in config.Aids)
        {
            if (adfName.SequenceEqual(aid.Aid))
            {
                return aid;
            }
        }

        foreach (var aid in config.Aids)
        {
            if (aid.AllowPartialSelection && adfName.Length > aid.Aid.Length && adfName.StartsWith(aid.Aid))
            {
                return aid;
            }
        }

        return null;
    }

    private static bool TryDirectorySfi(ReadOnlyMemory<byte> fciBytes, out int sfi, out string problem)
    {
        sfi = 0;
        if (!TlvNode.TryParse(fciBytes, out var nodes, out var error) || nodes is not [{ Tag.Value: 0x6F } fci])
        {
            problem = $"the FCI is not a 6F template{(nodes is null ? $" ({error})" : "")}";
            return false;
        }

        if (fci.Find(Tags.Sfi) is not { Value.Length: 1 } sfiNode || sfiNode.Value.Span[0] is < 1 or > 30)
        {
            problem = "the FCI has no directory SFI 88 of 1–30";
            return false;
        }

        sfi = sfiNode.Value.Span[0];
        problem = "";
        return true;
    }

    private static string? Text(TlvNode? node) => node is null ? null : Encoding.ASCII.GetString(node.Value.Span);

    private static byte? Byte(TlvNode? node) => node is { Value.Length: 1 } ? node.Value.Span[0] : null;
}
