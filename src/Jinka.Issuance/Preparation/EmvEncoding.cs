using System.Globalization;
using System.Text;
using Jinka.Core;

namespace Jinka.Issuance.Preparation;

/// <summary>The EMV data formats data preparation writes (EMV Book 3 §4.3): n (BCD, right-aligned), cn (BCD, F-padded), dates.</summary>
public static class EmvEncoding
{
    /// <summary>Format n: <paramref name="value"/> in BCD, left-padded with zeros to <paramref name="length"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative, or too many digits.</exception>
    public static byte[] Numeric(long value, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        string digits = value.ToString(CultureInfo.InvariantCulture).PadLeft(2 * length, '0');
        if (digits.Length > 2 * length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {length} BCD bytes");
        }

        return Hex.Parse(digits);
    }

    /// <summary>Format cn: the digits F-padded on the right to <paramref name="length"/> bytes (or to an even count when 0).</summary>
    public static byte[] CompressedNumeric(string digits, int length = 0)
    {
        ArgumentNullException.ThrowIfNull(digits);
        int hexLength = length > 0 ? 2 * length : digits.Length + (digits.Length % 2);
        if (digits.Length > hexLength)
        {
            throw new ArgumentOutOfRangeException(nameof(digits), digits, $"does not fit {hexLength / 2} bytes");
        }

        return Hex.Parse(digits.PadRight(hexLength, 'F'));
    }

    /// <summary>YYMMDD (n6), as 5F24 and 5F25 carry dates.</summary>
    public static byte[] Date(DateOnly date) => Hex.Parse(date.ToString("yyMMdd", CultureInfo.InvariantCulture));

    /// <summary>MMYY (n4), as certificates carry their expiry.</summary>
    public static byte[] CertificateExpiry(DateOnly date) => Hex.Parse(date.ToString("MMyy", CultureInfo.InvariantCulture));

    /// <summary>
    /// Track 2 equivalent data (57): PAN ‖ D ‖ expiry YYMM ‖ service code ‖ discretionary data ‖ F padding
    /// (EMV Book 3 Annex A; ISO/IEC 7813 layout with D as the separator).
    /// </summary>
    public static byte[] Track2(string pan, DateOnly expiry, string serviceCode, string discretionary = "00000000")
    {
        string track = $"{pan}D{expiry.ToString("yyMM", CultureInfo.InvariantCulture)}{serviceCode}{discretionary}";
        return Hex.Parse(track.Length % 2 == 0 ? track : track + "F");
    }

    /// <summary>ASCII bytes (formats an and ans).</summary>
    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    /// <summary>The ISO 9564 format 2 PIN block for offline PIN: 2 ‖ N ‖ PIN digits ‖ F… (8 bytes).</summary>
    public static byte[] PinBlock(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        if (pin.Length is < 4 or > 12 || !pin.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("a PIN is 4–12 decimal digits", nameof(pin));
        }

        return Hex.Parse(("2" + pin.Length.ToString("X", CultureInfo.InvariantCulture) + pin).PadRight(16, 'F'));
    }
}
