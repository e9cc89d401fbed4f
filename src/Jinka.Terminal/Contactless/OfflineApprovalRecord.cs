namespace Jinka.Terminal.Contactless;

/// <summary>
/// An offline contactless approval kept for the later upload (NOTES F.1/F.2: a 0320 with field 60.1 = 36 and field 55
/// = the stored ICC data with <c>8A 02 59 31</c> "Y1" appended).
/// </summary>
/// <param name="Pan">Field 2.</param>
/// <param name="PanSequenceNumber">Field 23, two digits.</param>
/// <param name="Expiry">Field 14 (YYMM), or null.</param>
/// <param name="Amount">Field 4, minor units.</param>
/// <param name="Currency">Field 49.</param>
/// <param name="Aid">The application used.</param>
/// <param name="IccData">Field 55 ready to send (with 8A = "Y1").</param>
/// <param name="Stan">The sequence counter of the transaction.</param>
/// <param name="DateTime">Local date and time of the transaction.</param>
public sealed record OfflineApprovalRecord(string Pan, string PanSequenceNumber, string? Expiry, long Amount, string Currency, string Aid, ReadOnlyMemory<byte> IccData, int Stan, DateTime DateTime)
{
    /// <summary>Field 22: contactless (qPBOC) entry (NOTES F.1).</summary>
    public string EntryMode { get; init; } = "071";
}
