using System.Globalization;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>Checks shared by the RSA certificate and signed-data types (EMV Book 2 §5–6).</summary>
internal static class EmvRsaCertificateSupport
{
    /// <summary>Hash algorithm indicator for SHA-1 (EMV Book 2 Annex B2).</summary>
    public const byte Sha1Indicator = 0x01;

    /// <summary>Public key algorithm indicator for RSA (EMV Book 2 Annex B2).</summary>
    public const byte RsaIndicator = 0x01;

    /// <summary>Recovers s^e mod n, or says why it cannot (length, value ≥ modulus).</summary>
    public static bool TryRecover(EmvRsaPublicKey key, ReadOnlySpan<byte> signed, string what, out byte[] recovered, out EmvRsaFailure failure, out string? reason)
    {
        recovered = [];
        if (signed.Length != key.ModulusLength)
        {
            failure = EmvRsaFailure.LengthMismatch;
            reason = $"{what} is {signed.Length} bytes; the key that opens it has a {key.ModulusLength}-byte modulus";
            return false;
        }

        var buffer = new byte[key.ModulusLength];
        if (!EmvRsa.TryRecover(key, signed, buffer, out var error))
        {
            failure = EmvRsaFailure.NotRecoverable;
            reason = $"{what}: {error}";
            return false;
        }

        recovered = buffer;
        failure = EmvRsaFailure.None;
        reason = null;
        return true;
    }

    /// <summary>Header 6A, trailer BC and format byte of a recovered block (Book 2 §5.3 steps 2–4).</summary>
    public static bool CheckFrame(ReadOnlySpan<byte> recovered, byte format, string what, out EmvRsaFailure failure, out string? reason)
    {
        (failure, reason) = recovered switch
        {
            _ when recovered[0] != Iso9796Block.Header => (EmvRsaFailure.BadHeader, $"{what}: recovered data starts {recovered[0]:X2}; expected header 6A"),
            _ when recovered[^1] != Iso9796Block.Trailer => (EmvRsaFailure.BadTrailer, $"{what}: recovered data ends {recovered[^1]:X2}; expected trailer BC"),
            _ when recovered[1] != format => (EmvRsaFailure.WrongFormat, $"{what}: format is {recovered[1]:X2}; expected {format:X2}"),
            _ => (EmvRsaFailure.None, null),
        };
        return failure == EmvRsaFailure.None;
    }

    /// <summary>
    /// True when the certificate's last valid day (the end of month MMYY) is on or after <paramref name="today"/>
    /// (Book 2 §5.3 step 9). YY 00–49 is 20YY, 50–99 is 19YY. A field that is not a month is treated as expired.
    /// </summary>
    public static bool IsUnexpired(ReadOnlySpan<byte> mmyy, DateOnly today, out string words)
    {
        words = Convert.ToHexString(mmyy);
        if (!TryBcd(mmyy[0], out int month) || !TryBcd(mmyy[1], out int yy) || month is < 1 or > 12)
        {
            words = $"{words} (not a valid MMYY)";
            return false;
        }

        int year = yy < 50 ? 2000 + yy : 1900 + yy;
        var lastDay = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        words = lastDay.ToString("MM/yyyy", CultureInfo.InvariantCulture);
        return lastDay >= today;
    }

    /// <summary>
    /// The issuer identifier (cn, F-padded, 4 bytes) must hold 3–8 digits equal to the leftmost PAN digits.
    /// </summary>
    public static bool IssuerIdMatchesPan(ReadOnlySpan<byte> issuerId, string pan)
    {
        string digits = Convert.ToHexString(issuerId).TrimEnd('F');
        return digits.Length is >= 3 and <= 8
            && digits.All(char.IsAsciiDigit)
            && pan.StartsWith(digits, StringComparison.Ordinal);
    }

    /// <summary>The PAN field (cn, F-padded, 10 bytes) must equal the PAN digits.</summary>
    public static bool PanFieldMatches(ReadOnlySpan<byte> panField, string pan) =>
        string.Equals(Convert.ToHexString(panField).TrimEnd('F'), pan.TrimEnd('F', 'f').ToUpperInvariant(), StringComparison.Ordinal);

    public static void CheckLength(ReadOnlySpan<byte> value, int expected, string name)
    {
        if (value.Length != expected)
        {
            throw new ArgumentException($"{name} is {value.Length} bytes; expected {expected}", name);
        }
    }

    public static byte[] Concat(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, ReadOnlySpan<byte> c = default)
    {
        var all = new byte[a.Length + b.Length + c.Length];
        a.CopyTo(all);
        b.CopyTo(all.AsSpan(a.Length));
        c.CopyTo(all.AsSpan(a.Length + b.Length));
        return all;
    }

    private static bool TryBcd(byte value, out int number)
    {
        int high = value >> 4, low = value & 0x0F;
        number = (high * 10) + low;
        return high <= 9 && low <= 9;
    }
}
