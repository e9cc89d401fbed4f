namespace Jinka.Iso8583.Fields;

/// <summary>What a field's characters may be (ISO 8583:1987 §4.1 attribute notation).</summary>
public enum FieldType
{
    /// <summary>n: decimal digits.</summary>
    Numeric,

    /// <summary>an: letters, digits and space.</summary>
    Alphanumeric,

    /// <summary>ans: printable ASCII (20–7E).</summary>
    AlphanumericSpecial,

    /// <summary>b: binary; lengths count bytes.</summary>
    Binary,

    /// <summary>z: track 2/3 code set: digits and the field separator (D, written '=' on the stripe).</summary>
    Track,
}

/// <summary>How a field's length is known.</summary>
public enum LengthKind
{
    /// <summary>Always <see cref="FieldDefinition.MaxLength"/> units.</summary>
    Fixed,

    /// <summary>A 2-digit length prefix (LLVAR), up to 99 units.</summary>
    LlVar,

    /// <summary>A 3-digit length prefix (LLLVAR), up to 999 units.</summary>
    LllVar,
}

/// <summary>How digits (of n and z contents, and of length prefixes) are written.</summary>
public enum DigitEncoding
{
    /// <summary>Packed BCD, two digits a byte (CUP POS).</summary>
    Bcd,

    /// <summary>One ASCII character a digit.</summary>
    Ascii,
}

/// <summary>Where an odd BCD field's pad nibble (or a short fixed an/ans field's spaces) goes.</summary>
public enum FieldAlignment
{
    /// <summary>Right-justified: the pad nibble comes first (numbers: "001" → 00 01).</summary>
    Right,

    /// <summary>Left-justified: the pad nibble comes last ("021" → 02 10; every variable-length BCD field).</summary>
    Left,
}

/// <summary>What the codec checks inside a binary field beyond its length.</summary>
public enum FieldContent
{
    /// <summary>Any bytes.</summary>
    Opaque,

    /// <summary>EMV BER-TLV (field 55): the whole value must parse.</summary>
    BerTlv,
}
