using System.Globalization;

namespace Jinka.Iso8583;

/// <summary>Why bytes are not a well-formed message. <see cref="None"/> means success.</summary>
public enum Iso8583ErrorKind
{
    None = 0,

    /// <summary>The input ends before the element does.</summary>
    Truncated,

    /// <summary>A BCD nibble (or an ASCII digit) is not a decimal digit where one is required.</summary>
    InvalidDigit,

    /// <summary>A length prefix is not a number.</summary>
    InvalidLength,

    /// <summary>A length prefix exceeds the field's maximum.</summary>
    LengthOverflow,

    /// <summary>The bitmap announces a field the specification does not define.</summary>
    UndefinedField,

    /// <summary>An an/ans/z character outside the field's character set.</summary>
    InvalidCharacter,

    /// <summary>The pad nibble of an odd digit count is neither 0 nor F.</summary>
    InvalidPadding,

    /// <summary>Field 55 is not BER-TLV.</summary>
    InvalidTlv,

    /// <summary>Bytes follow the last field the bitmap announces.</summary>
    TrailingBytes,

    /// <summary>The frame (length, TPDU, header) is malformed.</summary>
    InvalidFrame,
}

/// <summary>
/// What is wrong and where: the field (0 = MTI, 1 = bitmap, −1 = framing) and the byte offset from the start of the
/// input the parser was given. Allocation-free; <see cref="ToString"/> writes the text.
/// </summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Field">The field being read.</param>
/// <param name="Offset">Where the offending element starts (for a digit or character, where that byte is).</param>
/// <param name="Expected">The length, maximum or count that was expected, when one applies.</param>
/// <param name="Actual">What was found, when one applies.</param>
/// <param name="FieldName">The field's name in the specification, when known.</param>
public readonly record struct Iso8583Error(Iso8583ErrorKind Kind, int Field, int Offset, int Expected = 0, int Actual = 0, string? FieldName = null)
{
    public bool IsError => Kind != Iso8583ErrorKind.None;

    /// <summary>The same error with its offset moved by <paramref name="delta"/> (for an element read inside a frame).</summary>
    public Iso8583Error Shift(int delta) => this with { Offset = Offset + delta };

    public override string ToString()
    {
        string where = Field switch
        {
            -1 => "frame",
            0 => "MTI",
            1 => "bitmap",
            _ => FieldName is null ? Invariant($"field {Field}") : Invariant($"field {Field} ({FieldName})"),
        };
        string what = Kind switch
        {
            Iso8583ErrorKind.Truncated => Invariant($"truncated: {Expected} bytes needed, {Actual} left"),
            Iso8583ErrorKind.InvalidDigit => Invariant($"byte {Actual:X2} is not BCD/decimal digits"),
            Iso8583ErrorKind.InvalidLength => Invariant($"the length prefix (byte {Actual:X2}) is not decimal digits"),
            Iso8583ErrorKind.LengthOverflow => Invariant($"length {Actual} exceeds the maximum {Expected}"),
            Iso8583ErrorKind.UndefinedField => "the bitmap announces a field the specification does not define",
            Iso8583ErrorKind.InvalidCharacter => Invariant($"byte {Actual:X2} is outside the field's character set"),
            Iso8583ErrorKind.InvalidPadding => Invariant($"pad nibble {Actual:X} is neither 0 nor F"),
            Iso8583ErrorKind.InvalidTlv => "the value is not BER-TLV",
            Iso8583ErrorKind.TrailingBytes => Invariant($"{Actual} bytes follow the last field"),
            Iso8583ErrorKind.InvalidFrame => Expected > 0 ? Invariant($"malformed: {Expected} expected, {Actual} found") : "malformed",
            _ => "no error",
        };
        return Invariant($"{where} at offset {Offset}: {what}");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>A malformed ISO 8583 message or frame, naming the field and the byte offset.</summary>
public sealed class Iso8583Exception : FormatException
{
    public Iso8583Exception()
        : base("malformed ISO 8583 message")
    {
    }

    public Iso8583Exception(string message)
        : base(message)
    {
    }

    public Iso8583Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public Iso8583Exception(Iso8583Error error)
        : base(error.ToString())
    {
        Error = error;
    }

    /// <summary>What was wrong and where.</summary>
    public Iso8583Error Error { get; }

    /// <summary>The field being read (0 = MTI, 1 = bitmap, −1 = framing).</summary>
    public int Field => Error.Field;

    /// <summary>The byte offset in the input.</summary>
    public int Offset => Error.Offset;
}
