using Jinka.Crypto.Emv;

namespace Jinka.Crypto.Keys;

/// <summary>
/// ISO 9564-1 PIN blocks of 8 bytes: format 0 (the PIN field XOR the PAN field, for PINs travelling online) and
/// format 2 (the plaintext offline PIN block of EMV Book 3 §6.5.12 VERIFY, also the new PIN of PIN CHANGE/UNBLOCK,
/// §6.5.10). A PIN is 4 to 12 decimal digits.
/// </summary>
public static class IsoPinBlock
{
    /// <summary>A PIN block is one 8-byte block.</summary>
    public const int Length = 8;

    /// <summary>Fewest PIN digits (ISO 9564-1).</summary>
    public const int MinPinDigits = 4;

    /// <summary>Most PIN digits (ISO 9564-1).</summary>
    public const int MaxPinDigits = 12;

    /// <summary>Checks that <paramref name="pin"/> is 4 to 12 decimal digits.</summary>
    public static bool IsValidPin(ReadOnlySpan<char> pin)
    {
        if (pin.Length is < MinPinDigits or > MaxPinDigits)
        {
            return false;
        }

        foreach (char c in pin)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Format 2: <c>2 ‖ N ‖ PIN ‖ F…</c> (EMV Book 3 §6.5.12).</summary>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits, or the destination is not 8 bytes.</exception>
    public static void Format2(ReadOnlySpan<char> pin, Span<byte> block) => PinField(0x2, pin, block);

    /// <summary>Format 2 as a new array.</summary>
    public static byte[] Format2(ReadOnlySpan<char> pin)
    {
        var block = new byte[Length];
        Format2(pin, block);
        return block;
    }

    /// <summary>Format 0: <c>(0 ‖ N ‖ PIN ‖ F…) ⊕ (0000 ‖ the 12 rightmost PAN digits before the check digit)</c>.</summary>
    /// <exception cref="ArgumentException">The PIN or the PAN is malformed, or the destination is not 8 bytes.</exception>
    public static void Format0(ReadOnlySpan<char> pin, ReadOnlySpan<char> pan, Span<byte> block)
    {
        PinField(0x0, pin, block);
        Span<byte> panField = stackalloc byte[Length];
        PanField(pan, panField);
        for (int i = 0; i < Length; i++)
        {
            block[i] ^= panField[i];
        }
    }

    /// <summary>Format 0 as a new array.</summary>
    public static byte[] Format0(ReadOnlySpan<char> pin, ReadOnlySpan<char> pan)
    {
        var block = new byte[Length];
        Format0(pin, pan, block);
        return block;
    }

    /// <summary>Reads the PIN of a format 2 block; false when the control nibble, length or fill is wrong.</summary>
    public static bool TryDecodeFormat2(ReadOnlySpan<byte> block, Span<char> pin, out int pinLength) =>
        TryReadPinField(block, 0x2, pin, out pinLength);

    /// <summary>Reads the PIN of a format 0 block for <paramref name="pan"/>; false when the block does not decode.</summary>
    /// <exception cref="ArgumentException">The PAN is malformed.</exception>
    public static bool TryDecodeFormat0(ReadOnlySpan<byte> block, ReadOnlySpan<char> pan, Span<char> pin, out int pinLength)
    {
        pinLength = 0;
        if (block.Length != Length)
        {
            return false;
        }

        Span<byte> field = stackalloc byte[Length];
        PanField(pan, field);
        for (int i = 0; i < Length; i++)
        {
            field[i] ^= block[i];
        }

        bool ok = TryReadPinField(field, 0x0, pin, out pinLength);
        field.Clear();
        return ok;
    }

    /// <summary>
    /// Turns a format 0 block into the format 2 block of the same PIN without exposing the digits (the step inside
    /// a PIN translation). False when <paramref name="format0"/> does not decode for <paramref name="pan"/>.
    /// </summary>
    public static bool TryFormat0ToFormat2(ReadOnlySpan<byte> format0, ReadOnlySpan<char> pan, Span<byte> format2)
    {
        RequireBlock(format2, nameof(format2));
        Span<char> pin = stackalloc char[MaxPinDigits];
        try
        {
            if (!TryDecodeFormat0(format0, pan, pin, out int length))
            {
                return false;
            }

            Format2(pin[..length], format2);
            return true;
        }
        finally
        {
            pin.Clear();
        }
    }

    private static void PinField(int control, ReadOnlySpan<char> pin, Span<byte> block)
    {
        RequireBlock(block, nameof(block));
        if (!IsValidPin(pin))
        {
            throw new ArgumentException($"A PIN is {MinPinDigits} to {MaxPinDigits} decimal digits; got {pin.Length} characters{(pin.Length is >= MinPinDigits and <= MaxPinDigits ? " with a non-digit" : string.Empty)}.", nameof(pin));
        }

        block.Fill(0xFF);
        block[0] = (byte)((control << 4) | pin.Length);
        for (int i = 0; i < pin.Length; i++)
        {
            int nibble = 2 + i;
            int digit = pin[i] - '0';
            block[nibble / 2] = (nibble & 1) == 0
                ? (byte)((digit << 4) | (block[nibble / 2] & 0x0F))
                : (byte)((block[nibble / 2] & 0xF0) | digit);
        }
    }

    private static bool TryReadPinField(ReadOnlySpan<byte> field, int control, Span<char> pin, out int pinLength)
    {
        pinLength = 0;
        if (field.Length != Length || field[0] >> 4 != control)
        {
            return false;
        }

        int n = field[0] & 0x0F;
        if (n is < MinPinDigits or > MaxPinDigits || pin.Length < n)
        {
            return false;
        }

        for (int nibble = 2; nibble < 2 * Length; nibble++)
        {
            int value = (nibble & 1) == 0 ? field[nibble / 2] >> 4 : field[nibble / 2] & 0x0F;
            bool isPinDigit = nibble < 2 + n;
            if (isPinDigit ? value > 9 : value != 0xF)
            {
                pin[..n].Clear();
                return false;
            }

            if (isPinDigit)
            {
                pin[nibble - 2] = (char)('0' + value);
            }
        }

        pinLength = n;
        return true;
    }

    /// <summary>0000 ‖ the 12 rightmost PAN digits excluding the check digit, zero-padded on the left (ISO 9564-1 format 0).</summary>
    private static void PanField(ReadOnlySpan<char> pan, Span<byte> field)
    {
        if (!EmvPan.TryValidate(pan, out int digits, out string? error))
        {
            throw new ArgumentException(error, nameof(pan));
        }

        field.Clear();
        var account = pan[..(digits - 1)];
        if (account.Length > 12)
        {
            account = account[^12..];
        }

        int firstNibble = 16 - account.Length;
        for (int i = 0; i < account.Length; i++)
        {
            int nibble = firstNibble + i;
            int digit = account[i] - '0';
            field[nibble / 2] |= (byte)((nibble & 1) == 0 ? digit << 4 : digit);
        }
    }

    private static void RequireBlock(Span<byte> block, string parameterName)
    {
        if (block.Length != Length)
        {
            throw new ArgumentException($"A PIN block is {Length} bytes; the destination is {block.Length}.", parameterName);
        }
    }
}
