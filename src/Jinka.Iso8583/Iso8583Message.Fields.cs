using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583;

/// <summary>Typed accessors for the CUP POS fields (null or empty when the field is absent).</summary>
public sealed partial class Iso8583Message
{
    /// <summary>Field 2, digits.</summary>
    public string? Pan => GetString(Iso8583Field.Pan);

    /// <summary>Field 3, six digits.</summary>
    public string? ProcessingCode => GetString(Iso8583Field.ProcessingCode);

    /// <summary>Field 4 in minor units.</summary>
    public long? Amount => TryGetNumber(Iso8583Field.Amount, out long value) ? value : null;

    /// <summary>Field 11.</summary>
    public int? Stan => TryGetNumber(Iso8583Field.Stan, out long value) ? (int)value : null;

    /// <summary>Field 12, hhmmss.</summary>
    public string? LocalTime => GetString(Iso8583Field.LocalTime);

    /// <summary>Field 13, MMDD.</summary>
    public string? LocalDate => GetString(Iso8583Field.LocalDate);

    /// <summary>Field 14, YYMM.</summary>
    public string? Expiry => GetString(Iso8583Field.Expiry);

    /// <summary>Field 15, MMDD.</summary>
    public string? SettlementDate => GetString(Iso8583Field.SettlementDate);

    /// <summary>Field 22, three digits ("051").</summary>
    public string? EntryMode => GetString(Iso8583Field.EntryMode);

    /// <summary>Field 23, three digits ("001").</summary>
    public string? PanSequenceNumber => GetString(Iso8583Field.PanSequenceNumber);

    /// <summary>Field 25.</summary>
    public string? ConditionCode => GetString(Iso8583Field.ConditionCode);

    /// <summary>Field 35, digits with D as the separator.</summary>
    public string? Track2 => GetString(Iso8583Field.Track2);

    /// <summary>Field 37, trailing spaces removed.</summary>
    public string? RetrievalReference => GetString(Iso8583Field.RetrievalReference)?.TrimEnd();

    /// <summary>Field 38, trailing spaces removed.</summary>
    public string? ApprovalCode => GetString(Iso8583Field.ApprovalCode)?.TrimEnd();

    /// <summary>Field 39.</summary>
    public string? ResponseCode => GetString(Iso8583Field.ResponseCode);

    /// <summary>Field 41, trailing spaces removed.</summary>
    public string? TerminalId => GetString(Iso8583Field.TerminalId)?.TrimEnd();

    /// <summary>Field 42, trailing spaces removed.</summary>
    public string? MerchantId => GetString(Iso8583Field.MerchantId)?.TrimEnd();

    /// <summary>Field 49.</summary>
    public string? Currency => GetString(Iso8583Field.Currency);

    /// <summary>Field 52, the encrypted PIN block; null when absent.</summary>
    public ReadOnlyMemory<byte>? PinData => Has(Iso8583Field.PinData) ? GetBytes(Iso8583Field.PinData) : default(ReadOnlyMemory<byte>?);

    /// <summary>Field 53.</summary>
    public string? SecurityControl => GetString(Iso8583Field.SecurityControl);

    /// <summary>Field 55, BER-TLV; empty when absent.</summary>
    public ReadOnlyMemory<byte> IccData => GetBytes(Iso8583Field.IccData);

    /// <summary>Field 60 with its subfields; null when absent.</summary>
    public Field60? Reserved60 => GetString(Iso8583Field.Reserved60) is { } digits && Field60.TryParse(digits, out var parsed) ? parsed : null;

    /// <summary>Field 62; empty when absent.</summary>
    public ReadOnlyMemory<byte> Reserved62 => GetBytes(Iso8583Field.Reserved62);

    /// <summary>Field 63.</summary>
    public string? Reserved63 => GetString(Iso8583Field.Reserved63);
}
