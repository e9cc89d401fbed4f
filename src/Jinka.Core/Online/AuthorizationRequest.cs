namespace Jinka.Core.Online;

/// <summary>
/// An online authorisation request as the kernel hands it to an issuer or acquirer host. The chip data travels as
/// ISO 8583 field 55 does: BER-TLV of the tags NOTES F.2 lists (9F26, 9F27, 9F10, 9F37, 9F36, 95, 9A, 9C, 9F02, 5F2A,
/// 82, 9F1A, 9F03, 9F33, …). The other members are the message's plain fields.
/// </summary>
/// <param name="Pan">Application PAN, digits only (field 2).</param>
/// <param name="PanSequenceNumber">5F34 as two digits, e.g. "01" (field 23); "00" when the card has none.</param>
/// <param name="Amount">Amount authorised in minor units (field 4).</param>
/// <param name="CurrencyCode">ISO 4217 numeric currency, e.g. "156" (field 49).</param>
/// <param name="ProcessingCode">Field 3, e.g. "000000" purchase, "310000" balance inquiry, "600000" EC load.</param>
/// <param name="IccData">Field 55: the chip data as BER-TLV.</param>
/// <param name="TerminalId">Field 41, 8 characters.</param>
/// <param name="MerchantId">Field 42, 15 characters.</param>
/// <param name="Stan">System trace audit number (field 11), 1–999999.</param>
/// <param name="LocalTime">Terminal local date and time (fields 12/13).</param>
public sealed record AuthorizationRequest(
    string Pan,
    string PanSequenceNumber,
    long Amount,
    string CurrencyCode,
    string ProcessingCode,
    ReadOnlyMemory<byte> IccData,
    string TerminalId,
    string MerchantId,
    int Stan,
    DateTime LocalTime)
{
    /// <summary>Expiry date YYMM (field 14), when the kernel read it.</summary>
    public string? Expiry { get; init; }

    /// <summary>Track 2 equivalent data (57) as hex (field 35), when present.</summary>
    public string? Track2 { get; init; }

    /// <summary>An online PIN block (field 52), when the cardholder entered an online PIN.</summary>
    public ReadOnlyMemory<byte>? PinBlock { get; init; }

    /// <summary>POS entry mode (field 22): "051" contact chip with PIN capability, "071" contactless.</summary>
    public string EntryMode { get; init; } = "051";
}
