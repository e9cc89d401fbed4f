using System.Globalization;

namespace Jinka.Iso8583.Fields;

/// <summary>
/// One data element of a message specification: its number, name, attribute (n, an, ans, b, z), length kind and
/// maximum, and how it is written (BCD or ASCII digits and prefix, alignment of an odd digit count).
/// </summary>
/// <param name="Number">2–128 (1 is the secondary bitmap, which the codec handles itself).</param>
/// <param name="Name">What the field is, for messages.</param>
/// <param name="Type">The attribute.</param>
/// <param name="LengthKind">Fixed, LLVAR or LLLVAR.</param>
/// <param name="MaxLength">For fixed fields the length; otherwise the maximum. Units: digits for n and z, characters
/// for an and ans, bytes for b.</param>
public readonly record struct FieldDefinition(int Number, string Name, FieldType Type, LengthKind LengthKind, int MaxLength)
{
    /// <summary>How n and z digits are written (CUP POS: BCD).</summary>
    public DigitEncoding Digits { get; init; } = DigitEncoding.Bcd;

    /// <summary>How the LL/LLL length prefix is written (CUP POS: BCD, 1 or 2 bytes).</summary>
    public DigitEncoding Prefix { get; init; } = DigitEncoding.Bcd;

    /// <summary>Fixed n fields with an odd digit count: where the pad nibble goes. Variable fields are always left-aligned.</summary>
    public FieldAlignment Alignment { get; init; } = FieldAlignment.Right;

    /// <summary>What a binary field's value must be.</summary>
    public FieldContent Content { get; init; } = FieldContent.Opaque;

    /// <summary>True when the content is packed two digits a byte.</summary>
    public bool IsPacked => Type is FieldType.Numeric or FieldType.Track && Digits == DigitEncoding.Bcd;

    /// <summary>Bytes of the length prefix: 0 for fixed fields, 1/2 (BCD) or 2/3 (ASCII) otherwise.</summary>
    public int PrefixLength => LengthKind switch
    {
        LengthKind.LlVar => Prefix == DigitEncoding.Bcd ? 1 : 2,
        LengthKind.LllVar => Prefix == DigitEncoding.Bcd ? 2 : 3,
        _ => 0,
    };

    /// <summary>True when a pad nibble of an odd digit count goes last.</summary>
    public bool PadsLast => LengthKind != LengthKind.Fixed || Alignment == FieldAlignment.Left;

    /// <summary>Bytes of content for <paramref name="units"/> units.</summary>
    public int ContentLength(int units) => IsPacked ? (units + 1) / 2 : units;

    /// <summary>The most bytes the field takes, prefix included.</summary>
    public int MaxEncodedLength => PrefixLength + ContentLength(MaxLength);

    /// <summary>The ISO notation, e.g. "n 6", "n..19 (LLVAR)", "b..255 (LLLVAR)".</summary>
    public string Format
    {
        get
        {
            string type = Type switch
            {
                FieldType.Numeric => "n",
                FieldType.Alphanumeric => "an",
                FieldType.AlphanumericSpecial => "ans",
                FieldType.Binary => "b",
                _ => "z",
            };
            return LengthKind == LengthKind.Fixed
                ? string.Create(CultureInfo.InvariantCulture, $"{type} {MaxLength}")
                : string.Create(CultureInfo.InvariantCulture, $"{type}..{MaxLength} ({LengthKind.ToString().ToUpperInvariant()})");
        }
    }

    /// <summary>"field 35 (Track 2 data)".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"field {Number} ({Name})");
}
