using System.Globalization;

namespace Jinka.Core;

/// <summary>Numeric (n) and date fields as EMV codes them: BCD, right-justified, zero-padded (EMV Book 3 §4.3).</summary>
public static class Bcd
{
    /// <summary>A number as <paramref name="length"/> bytes of BCD.</summary>
    public static byte[] FromNumber(long value, int length)
    {
        var text = value.ToString(CultureInfo.InvariantCulture).PadLeft(length * 2, '0');
        if (text.Length > length * 2)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"does not fit {length} bytes of BCD");
        }

        return Convert.FromHexString(text);
    }

    /// <summary>A string of digits as BCD, padded on the left with 0 to <paramref name="length"/> bytes.</summary>
    public static byte[] FromDigits(string digits, int length) => Convert.FromHexString(digits.PadLeft(length * 2, '0'));

    /// <summary>The value of BCD digits (at most 18, so it fits a long); false when a nibble is not a digit.</summary>
    public static bool TryToNumber(ReadOnlySpan<byte> bcd, out long value)
    {
        value = 0;
        if (bcd.Length > 9)
        {
            return false;
        }

        foreach (byte b in bcd)
        {
            int high = b >> 4, low = b & 0x0F;
            if (high > 9 || low > 9)
            {
                return false;
            }

            value = (value * 100) + (high * 10) + low;
        }

        return true;
    }

    /// <summary>True when every nibble is a decimal digit (and there are at most 18 digits).</summary>
    public static bool IsValid(ReadOnlySpan<byte> bcd) => TryToNumber(bcd, out _);

    /// <summary>YYMMDD (n6) as a date, YY 00–49 = 20YY and 50–99 = 19YY (EMV Book 3 Annex A); false when not a date.</summary>
    public static bool TryToDate(ReadOnlySpan<byte> yymmdd, out DateOnly date)
    {
        date = default;
        if (yymmdd.Length != 3 || !TryToNumber(yymmdd[..1], out long yy) || !TryToNumber(yymmdd[1..2], out long mm) || !TryToNumber(yymmdd[2..], out long dd))
        {
            return false;
        }

        int year = yy < 50 ? 2000 + (int)yy : 1900 + (int)yy;
        if (mm is < 1 or > 12 || dd < 1 || dd > DateTime.DaysInMonth(year, (int)mm))
        {
            return false;
        }

        date = new DateOnly(year, (int)mm, (int)dd);
        return true;
    }

    /// <summary>The last day of the month MMYY (certificate expiry, EMV Book 2 §5.3); false when not a month.</summary>
    public static bool TryMonthEnd(ReadOnlySpan<byte> mmyy, out DateOnly lastDay)
    {
        lastDay = default;
        if (mmyy.Length != 2 || !TryToNumber(mmyy[..1], out long mm) || !TryToNumber(mmyy[1..], out long yy) || mm is < 1 or > 12)
        {
            return false;
        }

        int year = yy < 50 ? 2000 + (int)yy : 1900 + (int)yy;
        lastDay = new DateOnly(year, (int)mm, DateTime.DaysInMonth(year, (int)mm));
        return true;
    }
}
