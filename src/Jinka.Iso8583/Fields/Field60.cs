using System.Diagnostics.CodeAnalysis;

namespace Jinka.Iso8583.Fields;

/// <summary>
/// Field 60 of CUP POS messages (NOTES F.1; LY <c>SetCommField60</c>), n..30 digits: 60.1 message type code (n2),
/// 60.2 batch number (n6), 60.3 network management information code (n3), 60.4 terminal read capability (n1: 5 contact
/// IC, 6 contactless), 60.5 IC condition code (n1: 0 normal, 2 fallback), then optional later subfields. A message
/// carries a prefix of them: "22000001" is 60.1 and 60.2 only.
/// </summary>
/// <param name="Digits">The whole field.</param>
public readonly record struct Field60(string Digits)
{
    /// <summary>60.1.</summary>
    public string MessageType => Part(0, 2) ?? string.Empty;

    /// <summary>60.2, when present.</summary>
    public string? Batch => Part(2, 6);

    /// <summary>60.3, when present.</summary>
    public string? NetworkCode => Part(8, 3);

    /// <summary>60.4, when present.</summary>
    public char? ReadCapability => Digits.Length > 11 ? Digits[11] : null;

    /// <summary>60.5, when present.</summary>
    public char? IcCondition => Digits.Length > 12 ? Digits[12] : null;

    /// <summary>Subfields after 60.5 (60.6 partial approval flag …), as digits.</summary>
    public string Rest => Digits.Length > 13 ? Digits[13..] : string.Empty;

    /// <summary>Builds the field from its subfields; each later one needs the earlier ones.</summary>
    /// <exception cref="ArgumentException">A subfield has the wrong length or is not digits, or one is skipped.</exception>
    public static Field60 Create(string messageType, string batch, string? networkCode = null, char? readCapability = null, char? icCondition = null)
    {
        Require(messageType, 2, "60.1");
        Require(batch, 6, "60.2");
        string digits = messageType + batch;
        if (networkCode is not null)
        {
            Require(networkCode, 3, "60.3");
            digits += networkCode;
        }

        if (readCapability is { } read)
        {
            if (networkCode is null)
            {
                throw new ArgumentException("60.4 needs 60.3.", nameof(readCapability));
            }

            Require(read.ToString(), 1, "60.4");
            digits += read;
            if (icCondition is { } ic)
            {
                Require(ic.ToString(), 1, "60.5");
                digits += ic;
            }
        }
        else if (icCondition is not null)
        {
            throw new ArgumentException("60.5 needs 60.4.", nameof(icCondition));
        }

        return new Field60(digits);
    }

    /// <summary>Reads the field's digits; false when fewer than 60.1 are present or a character is not a digit.</summary>
    public static bool TryParse(string? digits, [NotNullWhen(true)] out Field60? field)
    {
        field = digits is { Length: >= 2 } && digits.All(char.IsAsciiDigit) ? new Field60(digits) : null;
        return field is not null;
    }

    public override string ToString() => Digits;

    private string? Part(int start, int length) => Digits.Length >= start + length ? Digits.Substring(start, length) : null;

    private static void Require(string value, int length, string name)
    {
        if (value is null || value.Length != length || !value.All(char.IsAsciiDigit))
        {
            throw new ArgumentException($"{name} is {length} digits; got '{value}'.", name);
        }
    }
}
