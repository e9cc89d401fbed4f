namespace Jinka.Crypto.Symmetric;

/// <summary>
/// Whether a derived DES-family key gets its parity bits set. DES ignores the least significant bit of every key
/// byte, so the choice never changes a cryptogram; it changes only the key bytes (and what a KCV-less comparison
/// of key bytes sees). EMV Book 2 A1.4 asks for odd parity; some published PBOC vectors (ADDENDUM V4, V5) print
/// keys without it.
/// </summary>
public enum KeyParity
{
    /// <summary>Set the low bit of every byte so each byte has an odd number of one bits (EMV Book 2 A1.4).</summary>
    Odd,

    /// <summary>Keep the bytes exactly as the block cipher produced them.</summary>
    Unadjusted,
}

/// <summary>DES key parity helpers.</summary>
public static class DesKeyParity
{
    /// <summary>Sets odd parity on every byte of <paramref name="key"/> in place.</summary>
    public static void AdjustOdd(Span<byte> key)
    {
        for (int i = 0; i < key.Length; i++)
        {
            int high7 = key[i] & 0xFE;
            key[i] = (byte)(high7 | ((System.Numerics.BitOperations.PopCount((uint)high7) & 1) ^ 1));
        }
    }

    /// <summary>True when every byte of <paramref name="key"/> has an odd number of one bits.</summary>
    public static bool HasOddParity(ReadOnlySpan<byte> key)
    {
        foreach (byte b in key)
        {
            if ((System.Numerics.BitOperations.PopCount(b) & 1) == 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Applies <paramref name="parity"/> to <paramref name="key"/> in place.</summary>
    public static void Apply(Span<byte> key, KeyParity parity)
    {
        if (parity == KeyParity.Odd)
        {
            AdjustOdd(key);
        }
    }
}
