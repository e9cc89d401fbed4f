using System.Diagnostics.CodeAnalysis;

namespace Jinka.Core;

/// <summary>Hexadecimal text ⇄ bytes. Parsing ignores white space; errors name the offset.</summary>
public static class Hex
{
    /// <summary>Upper-case hex without separators.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);

    /// <summary>Parses hex digits, ignoring spaces, tabs and newlines.</summary>
    /// <exception cref="FormatException">A character is not a hex digit, or the digit count is odd.</exception>
    public static byte[] Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var bytes, out var error))
        {
            throw new FormatException(error);
        }

        return bytes;
    }

    /// <summary>Like <see cref="Parse"/> but returns false with a reason instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out byte[]? bytes, [NotNullWhen(false)] out string? error)
    {
        bytes = null;
        if (text is null)
        {
            error = "hex is missing";
            return false;
        }

        var result = new byte[text.Length / 2];
        int count = 0;
        int high = -1;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                continue;
            }

            int v = HexValue(c);
            if (v < 0)
            {
                error = $"'{c}' at offset {i} is not a hex digit";
                return false;
            }

            if (high < 0)
            {
                high = v;
            }
            else
            {
                result[count++] = (byte)((high << 4) | v);
                high = -1;
            }
        }

        if (high >= 0)
        {
            error = "odd number of hex digits";
            return false;
        }

        bytes = count == result.Length ? result : result[..count];
        error = null;
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'A' and <= 'F' => c - 'A' + 10,
        >= 'a' and <= 'f' => c - 'a' + 10,
        _ => -1,
    };
}
