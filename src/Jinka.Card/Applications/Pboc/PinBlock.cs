using System.Security.Cryptography;

namespace Jinka.Card.Applications.Pboc;

/// <summary>
/// The offline PIN block, ISO 9564-1 format 2 (EMV Book 3 §6.5.12): <c>2L PP PP … FF</c>, control nibble 2, PIN length
/// 4–12, the digits 0–9, then F filler. Format 2 has no random part, so two well-formed blocks of the same PIN are equal.
/// </summary>
internal static class PinBlock
{
    public const int Length = 8;

    /// <summary>True for a well-formed format 2 block.</summary>
    public static bool IsValid(ReadOnlySpan<byte> block)
    {
        if (block.Length != Length || block[0] >> 4 != 2)
        {
            return false;
        }

        int digits = block[0] & 0x0F;
        if (digits is < 4 or > 12)
        {
            return false;
        }

        for (int i = 0; i < 14; i++)
        {
            int nibble = (i % 2 == 0 ? block[1 + (i / 2)] >> 4 : block[1 + (i / 2)]) & 0x0F;
            bool ok = i < digits ? nibble <= 9 : nibble == 0x0F;
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Compares two blocks in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> presented, ReadOnlySpan<byte> reference)
        => presented.Length == Length && reference.Length == Length && CryptographicOperations.FixedTimeEquals(presented, reference);
}
