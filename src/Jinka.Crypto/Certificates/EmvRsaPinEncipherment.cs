using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// Offline PIN encipherment with RSA (EMV Book 2 §7.1; contract P7): the terminal enciphers
/// <c>7F ‖ PIN block 8 ‖ ICC unpredictable number 8 ‖ random pad</c>, as long as the modulus, with the raw public
/// operation of the ICC PIN encipherment key (9F2D) or else the ICC key (9F46); the card deciphers it with its
/// private key and checks the 7F and its challenge before comparing the PIN.
/// </summary>
public static class EmvRsaPinEncipherment
{
    /// <summary>The first byte of the block to encipher.</summary>
    public const byte Header = 0x7F;

    /// <summary>Length of the PIN block (ISO 9564 format 2, as VERIFY carries it).</summary>
    public const int PinBlockLength = 8;

    /// <summary>Length of the ICC unpredictable number from GET CHALLENGE.</summary>
    public const int ChallengeLength = 8;

    /// <summary>Bytes of random pad the terminal supplies for a key of <paramref name="modulusLength"/> bytes: N − 17.</summary>
    public static int PadLength(int modulusLength) => modulusLength - 1 - PinBlockLength - ChallengeLength;

    /// <summary>Enciphers the PIN block for VERIFY P2 = 88.</summary>
    /// <param name="key">The ICC PIN encipherment key, or the ICC key.</param>
    /// <param name="pinBlock">8 bytes, ISO 9564 format 2.</param>
    /// <param name="iccChallenge">The 8 bytes GET CHALLENGE returned.</param>
    /// <param name="randomPad"><see cref="PadLength"/> random bytes.</param>
    /// <exception cref="ArgumentException">A field has the wrong length.</exception>
    public static byte[] Encipher(EmvRsaPublicKey key, ReadOnlySpan<byte> pinBlock, ReadOnlySpan<byte> iccChallenge, ReadOnlySpan<byte> randomPad)
    {
        ArgumentNullException.ThrowIfNull(key);
        EmvRsaCertificateSupport.CheckLength(pinBlock, PinBlockLength, nameof(pinBlock));
        EmvRsaCertificateSupport.CheckLength(iccChallenge, ChallengeLength, nameof(iccChallenge));
        EmvRsaCertificateSupport.CheckLength(randomPad, PadLength(key.ModulusLength), nameof(randomPad));
        var block = new byte[key.ModulusLength];
        block[0] = Header;
        pinBlock.CopyTo(block.AsSpan(1));
        iccChallenge.CopyTo(block.AsSpan(1 + PinBlockLength));
        randomPad.CopyTo(block.AsSpan(1 + PinBlockLength + ChallengeLength));

        // The public operation is the same s^e mod n that recovery uses; 7F is below any modulus's first byte (≥ 80).
        return EmvRsa.Recover(key, block);
    }

    /// <summary>The card's side: deciphers and returns the PIN block and the challenge it carried; false with a reason when the block is not 7F-framed.</summary>
    public static bool TryDecipher(
        EmvRsaPrivateKey key,
        ReadOnlySpan<byte> enciphered,
        [NotNullWhen(true)] out byte[]? pinBlock,
        [NotNullWhen(true)] out byte[]? iccChallenge,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(key);
        pinBlock = null;
        iccChallenge = null;
        if (enciphered.Length != key.ModulusLength || enciphered.SequenceCompareTo(key.PublicKey.Modulus) >= 0)
        {
            error = $"enciphered PIN data is {enciphered.Length} bytes or not below the modulus; expected {key.ModulusLength} bytes";
            return false;
        }

        var block = EmvRsa.Sign(key, enciphered);
        if (block[0] != Header)
        {
            error = $"deciphered PIN data starts {block[0]:X2}; expected 7F";
            return false;
        }

        pinBlock = block.AsSpan(1, PinBlockLength).ToArray();
        iccChallenge = block.AsSpan(1 + PinBlockLength, ChallengeLength).ToArray();
        error = null;
        return true;
    }
}
