using System.Security.Cryptography;

namespace Jinka.Crypto.Emv;

/// <summary>How the 8-byte diversification value Y is formed from PAN and PSN (EMV Book 2 Annex A1.4).</summary>
public enum UdkOption
{
    /// <summary>Option A (A1.4.1): the rightmost 16 digits of PAN ‖ PSN, left-padded with 0. Used by PBOC for every PAN.</summary>
    OptionA,

    /// <summary>
    /// Option B (A1.4.2): for PANs longer than 16 digits, Y is 16 decimal digits extracted from SHA-1(PAN ‖ PSN);
    /// for PANs of 16 digits or fewer it is Option A.
    /// </summary>
    OptionB,
}

/// <summary>PAN and PAN sequence number checks, and the diversification value Y for ICC master key derivation.</summary>
public static class EmvPan
{
    /// <summary>Fewest PAN digits accepted (ISO/IEC 7812-1).</summary>
    public const int MinDigits = 8;

    /// <summary>Most PAN digits accepted (ISO/IEC 7812-1, EMV tag 5A).</summary>
    public const int MaxDigits = 19;

    /// <summary>
    /// Checks a PAN given as decimal digits, optionally followed by the F padding that tag 5A carries. Returns false
    /// with the offset and reason when it is malformed; <paramref name="digitCount"/> excludes the padding.
    /// </summary>
    public static bool TryValidate(ReadOnlySpan<char> pan, out int digitCount, out string? error)
    {
        int length = pan.Length;
        while (length > 0 && pan[length - 1] is 'F' or 'f')
        {
            length--;
        }

        digitCount = length;
        for (int i = 0; i < length; i++)
        {
            if (!char.IsAsciiDigit(pan[i]))
            {
                error = $"PAN character '{pan[i]}' at offset {i} is not a decimal digit (only trailing F padding is allowed).";
                return false;
            }
        }

        if (length is < MinDigits or > MaxDigits)
        {
            error = $"PAN has {length} digits; {MinDigits} to {MaxDigits} are expected.";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The PAN digits of a tag 5A value (BCD, F-padded).</summary>
    /// <exception cref="ArgumentException">A nibble is not a digit before the padding.</exception>
    public static string FromBcd(ReadOnlySpan<byte> bcd)
    {
        var digits = new char[bcd.Length * 2];
        int count = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            int nibble = (i & 1) == 0 ? bcd[i / 2] >> 4 : bcd[i / 2] & 0x0F;
            if (nibble == 0xF && AllPadding(bcd, i))
            {
                break;
            }

            if (nibble > 9)
            {
                throw new ArgumentException($"PAN BCD nibble {nibble:X} at byte offset {i / 2} is not a decimal digit.", nameof(bcd));
            }

            digits[count++] = (char)('0' + nibble);
        }

        var pan = new string(digits, 0, count);
        if (!TryValidate(pan, out _, out string? error))
        {
            throw new ArgumentException(error, nameof(bcd));
        }

        return pan;
    }

    /// <summary>Throws unless <paramref name="psn"/> (tag 5F34, n2) holds two decimal digits.</summary>
    public static void ValidatePsn(byte psn)
    {
        if ((psn >> 4) > 9 || (psn & 0x0F) > 9)
        {
            throw new ArgumentException($"PAN sequence number {psn:X2} is not two BCD digits (tag 5F34 is n2, e.g. 00 or 01).", nameof(psn));
        }
    }

    /// <summary>
    /// Computes Y, the 8-byte diversification value of EMV Book 2 A1.4 (NOTES A.5.1), from the PAN digits and the
    /// PSN byte (5F34; 00 when the card has none).
    /// </summary>
    /// <exception cref="ArgumentException">The PAN or PSN is malformed, or <paramref name="y"/> is not 8 bytes.</exception>
    public static void ComputeY(ReadOnlySpan<char> pan, byte psn, UdkOption option, Span<byte> y)
    {
        if (!TryValidate(pan, out int digitCount, out string? error))
        {
            throw new ArgumentException(error, nameof(pan));
        }

        ValidatePsn(psn);
        if (y.Length != 8)
        {
            throw new ArgumentException($"Y is 8 bytes; the destination is {y.Length}.", nameof(y));
        }

        pan = pan[..digitCount];
        Span<byte> x = stackalloc byte[MaxDigits + 3];
        int xLength = 0;
        foreach (char c in pan)
        {
            x[xLength++] = (byte)(c - '0');
        }

        x[xLength++] = (byte)(psn >> 4);
        x[xLength++] = (byte)(psn & 0x0F);

        if (option == UdkOption.OptionB && digitCount > 16)
        {
            DecimalizedHash(x[..xLength], y);
            return;
        }

        if (option is not (UdkOption.OptionA or UdkOption.OptionB))
        {
            throw new ArgumentOutOfRangeException(nameof(option), option, "unknown UDK option");
        }

        // Option A: rightmost 16 digits of PAN ‖ PSN, left-padded with zeros.
        Span<byte> sixteen = stackalloc byte[16];
        sixteen.Clear();
        var source = x[..xLength];
        if (source.Length > 16)
        {
            source = source[^16..];
        }

        source.CopyTo(sixteen[(16 - source.Length)..]);
        PackDigits(sixteen, y);
    }

    /// <summary>Computes Y and returns it.</summary>
    public static byte[] ComputeY(ReadOnlySpan<char> pan, byte psn = 0x00, UdkOption option = UdkOption.OptionA)
    {
        var y = new byte[8];
        ComputeY(pan, psn, option, y);
        return y;
    }

    /// <summary>
    /// EMV Book 2 A1.4.2: X = PAN ‖ PSN (a leading 0 digit when odd), packed BCD, hashed with SHA-1. Y takes the first
    /// 16 decimal digits of the hash's hex digits, left to right; if fewer than 16 exist, the remaining places take
    /// the hex letters A–F, again left to right, as 0–5.
    /// </summary>
    private static void DecimalizedHash(ReadOnlySpan<byte> digits, Span<byte> y)
    {
        Span<byte> packed = stackalloc byte[(MaxDigits + 3) / 2 + 1];
        int packedLength = (digits.Length + 1) / 2;
        int offset = digits.Length % 2; // a leading 0 nibble for an odd digit count
        packed[..packedLength].Clear();
        for (int i = 0; i < digits.Length; i++)
        {
            int position = i + offset;
            packed[position / 2] |= (byte)((position & 1) == 0 ? digits[i] << 4 : digits[i]);
        }

        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(packed[..packedLength], hash);

        Span<byte> chosen = stackalloc byte[16];
        int count = 0;
        for (int pass = 0; pass < 2 && count < 16; pass++)
        {
            for (int i = 0; i < hash.Length * 2 && count < 16; i++)
            {
                int nibble = (i & 1) == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0x0F;
                if (pass == 0 && nibble <= 9)
                {
                    chosen[count++] = (byte)nibble;
                }
                else if (pass == 1 && nibble >= 10)
                {
                    chosen[count++] = (byte)(nibble - 10);
                }
            }
        }

        PackDigits(chosen, y);
    }

    private static void PackDigits(ReadOnlySpan<byte> digits, Span<byte> packed)
    {
        for (int i = 0; i < packed.Length; i++)
        {
            packed[i] = (byte)((digits[2 * i] << 4) | digits[(2 * i) + 1]);
        }
    }

    private static bool AllPadding(ReadOnlySpan<byte> bcd, int nibbleIndex)
    {
        for (int i = nibbleIndex; i < bcd.Length * 2; i++)
        {
            int nibble = (i & 1) == 0 ? bcd[i / 2] >> 4 : bcd[i / 2] & 0x0F;
            if (nibble != 0xF)
            {
                return false;
            }
        }

        return true;
    }
}
