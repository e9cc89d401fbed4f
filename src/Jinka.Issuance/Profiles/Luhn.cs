namespace Jinka.Issuance.Profiles;

/// <summary>The ISO/IEC 7812-1 Annex B (Luhn) check digit of a PAN.</summary>
public static class Luhn
{
    /// <summary>The check digit that completes <paramref name="digits"/> (the PAN without its last digit).</summary>
    /// <exception cref="ArgumentException">A character is not a decimal digit.</exception>
    public static char CheckDigit(ReadOnlySpan<char> digits)
    {
        int sum = 0;
        for (int i = 0; i < digits.Length; i++)
        {
            int digit = Digit(digits[digits.Length - 1 - i]);
            if (i % 2 == 0)
            {
                digit *= 2;
                if (digit > 9)
                {
                    digit -= 9;
                }
            }

            sum += digit;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>True when the last digit of <paramref name="pan"/> is its Luhn check digit.</summary>
    public static bool IsValid(ReadOnlySpan<char> pan) => pan.Length >= 2 && CheckDigit(pan[..^1]) == pan[^1];

    private static int Digit(char c) => char.IsAsciiDigit(c) ? c - '0' : throw new ArgumentException($"'{c}' is not a decimal digit", nameof(c));
}
