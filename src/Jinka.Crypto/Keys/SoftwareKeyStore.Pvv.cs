using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Keys;

/// <summary>Visa PIN Verification Value: generation at issuance, verification of an online format 0 PIN block.</summary>
public sealed partial class SoftwareKeyStore
{
    /// <summary>A PVV is 4 decimal digits.</summary>
    public const int PvvLength = 4;

    /// <summary>Highest PIN verification key index (Visa: 0–6).</summary>
    public const int MaxPvki = 6;

    private const int PvkLength = 16;

    /// <summary>Fewest PAN digits the TSP can take its 11 account digits and the check digit from.</summary>
    private const int MinPvvPanDigits = 12;

    /// <inheritdoc/>
    public string GeneratePvv(string pvkLabel, ReadOnlySpan<char> pan, int pvki, ReadOnlySpan<char> pin)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pvki);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pvki, MaxPvki);
        if (!IsoPinBlock.IsValidPin(pin))
        {
            throw new ArgumentException($"A PIN is {IsoPinBlock.MinPinDigits} to {IsoPinBlock.MaxPinDigits} decimal digits; got {pin.Length} characters.", nameof(pin));
        }

        if (!TryPvvAccount(pan, out var account, out string? panError))
        {
            throw new ArgumentException(panError, nameof(pan));
        }

        Span<char> pvv = stackalloc char[PvvLength];
        _lock.EnterReadLock();
        try
        {
            ComputePvv(Lookup(pvkLabel, KeyUsage.PinVerification), pvkLabel, account, pvki, pin, pvv);
            return new string(pvv);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public bool VerifyPinBlock(string pvkLabel, ReadOnlySpan<byte> clearFormat0PinBlock, ReadOnlySpan<char> pan, int pvki, ReadOnlySpan<char> pvv)
    {
        bool wellFormed = pvki is >= 0 and <= MaxPvki
            && pvv.Length == PvvLength && !pvv.ContainsAnyExceptInRange('0', '9')
            && clearFormat0PinBlock.Length == IsoPinBlock.Length
            && TryPvvAccount(pan, out _, out _);
        Span<char> pin = stackalloc char[IsoPinBlock.MaxPinDigits];
        Span<char> computed = stackalloc char[PvvLength];
        _lock.EnterReadLock();
        try
        {
            // The key is checked first, so a misconfigured key fails loudly whatever the request holds.
            var entry = Lookup(pvkLabel, KeyUsage.PinVerification);
            if (!wellFormed || !IsoPinBlock.TryDecodeFormat0(clearFormat0PinBlock, pan, pin, out int pinLength))
            {
                return false;
            }

            TryPvvAccount(pan, out var account, out _);
            ComputePvv(entry, pvkLabel, account, pvki, pin[..pinLength], computed);
            return CryptographicOperations.FixedTimeEquals(MemoryMarshal.AsBytes(computed), MemoryMarshal.AsBytes(pvv));
        }
        finally
        {
            _lock.ExitReadLock();
            pin.Clear();
            computed.Clear();
        }
    }

    /// <summary>
    /// Visa PVV: TSP = the 11 rightmost PAN digits before the check digit ‖ PVKI ‖ the 4 leftmost PIN digits (16 BCD
    /// digits, 8 bytes), enciphered with 3DES under the PVK; the PVV is the first 4 decimal digits of the result read
    /// left to right, completed if need be by its hex letters A–F as 0–5 in a second pass. Call with the read lock held.
    /// </summary>
    private static void ComputePvv(Entry pvk, string label, ReadOnlySpan<char> account11, int pvki, ReadOnlySpan<char> pin, Span<char> pvv)
    {
        if (pvk.Info.Algorithm != CipherAlgorithm.TripleDes || pvk.Material.Length != PvkLength)
        {
            throw new KeyStoreException($"PIN verification key '{label}' is {pvk.Info.Length}-byte {pvk.Info.Algorithm}; the Visa PVV needs a 16-byte 3DES key.");
        }

        Span<byte> block = stackalloc byte[8];
        try
        {
            for (int i = 0; i < 16; i++)
            {
                int digit = i < 11 ? account11[i] - '0' : i == 11 ? pvki : pin[i - 12] - '0';
                block[i / 2] = (i & 1) == 0 ? (byte)(digit << 4) : (byte)(block[i / 2] | digit);
            }

            using (var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, pvk.Material))
            {
                cipher.EncryptEcb(block, block);
            }

            int n = 0;
            for (int pass = 0; pass < 2 && n < PvvLength; pass++)
            {
                for (int nibble = 0; nibble < 16 && n < PvvLength; nibble++)
                {
                    int value = (nibble & 1) == 0 ? block[nibble / 2] >> 4 : block[nibble / 2] & 0x0F;
                    if (pass == 0 ? value <= 9 : value >= 10)
                    {
                        pvv[n++] = (char)('0' + (value % 10));
                    }
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
        }
    }

    /// <summary>The 11 PAN digits the TSP starts with: the rightmost ones before the check digit.</summary>
    private static bool TryPvvAccount(ReadOnlySpan<char> pan, out ReadOnlySpan<char> account11, out string? error)
    {
        account11 = default;
        if (!EmvPan.TryValidate(pan, out int digits, out error))
        {
            return false;
        }

        if (digits < MinPvvPanDigits)
        {
            error = $"The PVV takes 11 account digits and the check digit from the PAN; a PAN of {digits} digits is too short.";
            return false;
        }

        account11 = pan.Slice(digits - 12, 11);
        return true;
    }
}
