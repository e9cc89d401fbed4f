namespace Jinka.Terminal.Pin;

/// <summary>ISO 9564-1 PIN blocks: format 2 for offline VERIFY (EMV Book 3 §6.5.12), format 0 for online PIN.</summary>
public static class PinBlock
{
    /// <summary>True for 4–12 ASCII digits.</summary>
    public static bool IsValidPin(string? pin) => pin is { Length: >= 4 and <= 12 } && pin.All(char.IsAsciiDigit);

    /// <summary>Format 2: <c>2N P P … F F</c>, 8 bytes (the plaintext offline PIN block).</summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits.</exception>
    public static byte[] Format2(string pin)
    {
        CheckPin(pin);
        var block = new byte[8];
        block.AsSpan().Fill(0xFF);
        block[0] = (byte)(0x20 | pin.Length);
        WriteDigits(pin, block.AsSpan(1), 0x0F);
        return block;
    }

    /// <summary>Format 0: <c>0N P P … F F</c> XOR <c>0000 ‖ 12 rightmost PAN digits before the check digit</c>.</summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits or the PAN has fewer than 13 digits.</exception>
    public static byte[] Format0(string pin, string pan)
    {
        CheckPin(pin);
        ArgumentNullException.ThrowIfNull(pan);
        if (pan.Length < 13 || !pan.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("a format 0 PIN block needs a PAN of at least 13 digits", nameof(pan));
        }

        var block = new byte[8];
        block.AsSpan().Fill(0xFF);
        block[0] = (byte)pin.Length;
        WriteDigits(pin, block.AsSpan(1), 0x0F);
        string panField = "0000" + pan[^13..^1];
        for (int i = 0; i < 8; i++)
        {
            block[i] ^= (byte)(((panField[2 * i] - '0') << 4) | (panField[(2 * i) + 1] - '0'));
        }

        return block;
    }

    private static void CheckPin(string pin)
    {
        if (!IsValidPin(pin))
        {
            throw new ArgumentException("a PIN is 4–12 digits", nameof(pin));
        }
    }

    private static void WriteDigits(string pin, Span<byte> destination, byte pad)
    {
        for (int i = 0; i < pin.Length; i++)
        {
            int digit = pin[i] - '0';
            ref byte b = ref destination[i / 2];
            b = (i % 2 == 0) ? (byte)((digit << 4) | pad) : (byte)((b & 0xF0) | digit);
        }
    }
}
