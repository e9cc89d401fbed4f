using System.Text;
using Jinka.Core.Tlv;

namespace Jinka.Core.Dictionary;

/// <summary>
/// A data element of the EMV / PBOC dictionary. Lengths are in bytes (n12 is 6 bytes).
/// </summary>
/// <param name="Tag">Its tag.</param>
/// <param name="Name">The English name (EMV Book 3 Annex A, or NOTES A.3 for PBOC tags).</param>
/// <param name="Format">Its format, which decides DOL padding and truncation.</param>
/// <param name="MinLength">Minimum length in bytes.</param>
/// <param name="MaxLength">Maximum length in bytes.</param>
/// <param name="Source">Who supplies it.</param>
public sealed record DataElement(Tag Tag, string Name, DataFormat Format, int MinLength, int MaxLength, DataSource Source)
{
    /// <summary>The Chinese name used by JR/T 0025 for PBOC-specific elements.</summary>
    public string? ChineseName { get; init; }

    /// <summary>Templates the element appears in (e.g. 70, 77).</summary>
    public IReadOnlyList<Tag> Templates { get; init; } = [];

    /// <summary>Per-bit meanings of bit-mapped elements; empty otherwise.</summary>
    public IReadOnlyList<BitMeaning> Bits { get; init; } = [];

    /// <summary>Remarks, such as a meaning that differs between schemes or is uncertain.</summary>
    public string? Note { get; init; }

    public bool IsConstructed => Tag.IsConstructed;

    /// <summary>The meanings of the bits and fields set in <paramref name="value"/>, in table order.</summary>
    public IReadOnlyList<string> DescribeBits(ReadOnlySpan<byte> value)
    {
        var meanings = new List<string>();
        foreach (var bit in Bits)
        {
            if (bit.Matches(value))
            {
                meanings.Add(bit.Meaning);
            }
        }

        return meanings;
    }

    /// <summary>A readable rendering of a value for tools: digits for n and cn, text for a/an/ans, hex otherwise.</summary>
    public string FormatValue(ReadOnlySpan<byte> value)
    {
        switch (Format)
        {
            case DataFormat.N:
                return Hex.Encode(value);
            case DataFormat.Cn:
                return Hex.Encode(value).TrimEnd('F');
            case DataFormat.A or DataFormat.An or DataFormat.Ans:
                foreach (byte b in value)
                {
                    if (b is < 0x20 or > 0x7E)
                    {
                        return Hex.Encode(value);
                    }
                }

                return Encoding.ASCII.GetString(value);
            default:
                return Hex.Encode(value);
        }
    }

    public override string ToString() => $"{Tag} {Name}";
}
