using Jinka.Core;

namespace Jinka.Terminal.Contact.Selection;

/// <summary>
/// An application on the candidate list (EMV Book 1 §12.4): its ADF name, the terminal AID it matched, its label and
/// Application Priority Indicator 87 (b8 cardholder confirmation required, b4–b1 priority, 1 highest, 0 none).
/// </summary>
internal sealed record Candidate(byte[] AdfName, SupportedAid TerminalAid, string? Label, byte? PriorityIndicator, string Source, int Order)
{
    public bool NeedsConfirmation => (PriorityIndicator & 0x80) != 0;

    /// <summary>Sort key: 1–15 as coded, no priority (0 or absent) after all of them.</summary>
    public int Rank => PriorityIndicator is byte p && (p & 0x0F) != 0 ? p & 0x0F : 16;

    public string AdfHex => Hex.Encode(AdfName);

    public override string ToString() =>
        $"{AdfHex}{(Label is null ? "" : $" \"{Label}\"")}{(PriorityIndicator is byte p ? $" priority {p:X2}" : "")} via {Source}";
}
