using System.Text;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Contact.Selection;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// PPSE selection (contract Q1): SELECT 2PAY.SYS.DDF01 answers <c>6F { 84, A5 { BF0C { 61 { 4F, 50, 87 } … } } }</c>;
/// the entries whose 4F the reader supports (exactly, or by prefix when partial selection is allowed) become the
/// candidates, ordered by priority 87. No PPSE or no supported entry: try another interface.
/// </summary>
internal sealed class PpseSelection(QpbocState state) : IKernelStep
{
    private static readonly byte[] s_ppse = "2PAY.SYS.DDF01"u8.ToArray();

    public string Name => "PPSE selection";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var response = await context.Card.SendAsync(ApduCommands.SelectByName(s_ppse), "SELECT PPSE 2PAY.SYS.DDF01", cancellationToken).ConfigureAwait(false);
        if (!response.StatusWord.IsSuccess)
        {
            return AnotherInterface($"card answered {response.StatusWord} ({response.StatusWord.Meaning}) to SELECT PPSE: try another interface");
        }

        if (!TlvNode.TryParse(response.Data, out var nodes, out var error) || nodes is not [{ Tag.Value: 0x6F } fci]
            || fci.Find(Tags.FciProprietary)?.Find(new Tag(0xBF0C)) is not { } directory)
        {
            return AnotherInterface($"the PPSE FCI is not 6F {{ A5 {{ BF0C }} }}{(nodes is null ? $" ({error})" : "")}: try another interface");
        }

        var found = new List<Candidate>();
        foreach (var entry in directory.Children.Where(c => c.Tag == Tags.ApplicationTemplate))
        {
            if (entry.Find(Tags.Aid) is not { Value.Length: >= 5 and <= 16 } adf)
            {
                context.Note("a PPSE entry without a valid 4F was skipped");
                continue;
            }

            var adfName = adf.Value.ToArray();
            var terminalAid = context.Config.Aids.FirstOrDefault(a => adfName.AsSpan().SequenceEqual(a.Aid))
                ?? context.Config.Aids.FirstOrDefault(a => a.AllowPartialSelection && adfName.Length > a.Aid.Length && adfName.AsSpan().StartsWith(a.Aid));
            if (terminalAid is null)
            {
                context.Note($"PPSE entry {Hex.Encode(adfName)} is not supported by the reader");
                continue;
            }

            string? label = entry.Find(Tags.Label) is { } l ? Encoding.ASCII.GetString(l.Value.Span) : null;
            byte? priority = entry.Find(Tags.Priority) is { Value.Length: 1 } p ? p.Value.Span[0] : null;
            found.Add(new Candidate(adfName, terminalAid, label, priority, "PPSE", found.Count));
        }

        context.Candidates.Clear();
        context.Candidates.AddRange(found.OrderBy(c => c.Rank).ThenBy(c => c.Order));
        context.Output("candidates", found.Count == 0 ? "none" : string.Join("; ", context.Candidates));
        return found.Count > 0 ? StepResult.Continue : AnotherInterface("no application in the PPSE is supported by the reader: try another interface");
    }

    private StepResult AnotherInterface(string reason)
    {
        state.TryAnotherInterface = true;
        return StepResult.End(TransactionOutcome.NotAccepted, reason);
    }
}
