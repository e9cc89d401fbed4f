namespace Jinka.Core.Tlv;

/// <summary>Why a BER-TLV (or DOL) input could not be read. <see cref="None"/> means success.</summary>
public enum TlvError
{
    None = 0,

    /// <summary>The input ends inside a tag (a continuation byte is missing).</summary>
    TruncatedTag,

    /// <summary>The tag needs more than <see cref="Tag.MaxEncodedLength"/> bytes.</summary>
    TagTooLong,

    /// <summary>A tag starts with 00 or FF, which ISO/IEC 7816-4 reserves (EMV uses them as padding).</summary>
    InvalidTag,

    /// <summary>The input ends inside the length field, or there is no length byte at all.</summary>
    TruncatedLength,

    /// <summary>Length byte 80 (BER indefinite form), which EMV BER-TLV does not allow.</summary>
    IndefiniteLength,

    /// <summary>Length byte 84 or above: more than 3 subsequent length bytes.</summary>
    LengthTooLong,

    /// <summary>The value runs past the end of the input (or of the enclosing template).</summary>
    ValuePastEnd,

    /// <summary>Constructed objects nest deeper than <see cref="TlvReaderOptions.MaxDepth"/>.</summary>
    TooDeep,

    /// <summary>DOL-related data is not as long as the DOL says (EMV Book 3 §5.4).</summary>
    DolDataLengthMismatch,
}
