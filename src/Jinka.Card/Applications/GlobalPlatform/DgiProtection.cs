using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Crypto.Symmetric;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>
/// Which DGIs carry secrets, and how long their clear values are, so a security domain can remove the
/// <c>80 00…</c> padding that data preparation adds to a secret whose length is not a multiple of 8
/// (docs/spec-choices.md D11, D14). Padding is removed only where the DGI's defined length says there is some:
/// a value that happens to end in 80 00… is never cut.
/// </summary>
public static class DgiProtection
{
    /// <summary>International DES keys UDK-AC ‖ UDK-MAC ‖ UDK-ENC (D6).</summary>
    public const ushort DesKeys = 0x8000;

    /// <summary>MSD key (NOTES D.4).</summary>
    public const ushort MsdKey = 0x8001;

    /// <summary>Offline PIN block (D10).</summary>
    public const ushort PinBlock = 0x8010;

    /// <summary>qPBOC extended application keys (ADDENDUM 2.4).</summary>
    public const ushort ExtendedApplicationKeys = 0x8020;

    /// <summary>SM4 keys UDK-AC ‖ UDK-MAC ‖ UDK-ENC (D7).</summary>
    public const ushort Sm4Keys = 0x8030;

    /// <summary>ICC SM2 private key d (D9).</summary>
    public const ushort Sm2PrivateKey = 0x8100;

    /// <summary>First ICC RSA CRT part (qInv); 8202 dQ, 8203 dP, 8204 q, 8205 p (D8).</summary>
    public const ushort RsaCrtFirst = 0x8201;

    /// <summary>Last ICC RSA CRT part (p).</summary>
    public const ushort RsaCrtLast = 0x8205;

    /// <summary>ICC RSA modulus, in clear (D8); it fixes the length of the CRT parts.</summary>
    public const ushort RsaModulus = 0x8206;

    /// <summary>ICC RSA public exponent, in clear (D8).</summary>
    public const ushort RsaExponent = 0x8207;

    /// <summary>True for DGIs that must only ever travel encrypted (keys, private key parts, the PIN).</summary>
    public static bool IsSecret(ushort dgi) => dgi is DesKeys or MsdKey or PinBlock or ExtendedApplicationKeys or Sm4Keys or Sm2PrivateKey
        or (>= RsaCrtFirst and <= RsaCrtLast);

    /// <summary>True for DGIs whose value is an ICC RSA CRT part (8201–8205).</summary>
    public static bool IsRsaCrtPart(ushort dgi) => dgi is >= RsaCrtFirst and <= RsaCrtLast;

    /// <summary>
    /// The clear length of a secret DGI, or null when Jinka defines none (then the decrypted value is used whole,
    /// and data preparation must send it block-aligned). <paramref name="rsaModulusLength"/> is the modulus length
    /// from DGI 8206 of the same personalisation, needed for 8201–8205 (each CRT part is ⌈modulus length / 2⌉ bytes).
    /// </summary>
    public static int? DefinedLength(ushort dgi, int? rsaModulusLength) => dgi switch
    {
        DesKeys or Sm4Keys => 48,
        MsdKey => 16,
        PinBlock => 8,
        Sm2PrivateKey => 32,
        >= RsaCrtFirst and <= RsaCrtLast => rsaModulusLength is int n ? (n + 1) / 2 : null,
        _ => null,
    };

    /// <summary>The length data preparation encrypts for a clear value of <paramref name="length"/> bytes: a multiple of 8.</summary>
    public static int PaddedLength(int length) => (length + 7) / 8 * 8;

    /// <summary>Pads a clear secret to 8 bytes with 80 00… when it is not aligned; aligned values are left alone (D11).</summary>
    public static byte[] Pad(ReadOnlySpan<byte> value)
    {
        var padded = new byte[PaddedLength(value.Length)];
        value.CopyTo(padded);
        if (padded.Length > value.Length)
        {
            padded[value.Length] = 0x80;
        }

        return padded;
    }

    /// <summary>
    /// Takes the clear value out of a decrypted secret: for a DGI with a defined length L, the decrypted value must be
    /// exactly L bytes (L a multiple of 8) or L bytes ‖ 80 ‖ 00… up to the next multiple of 8. Without a defined
    /// length the decrypted value is the value. False with the reason otherwise.
    /// </summary>
    public static bool TryRemovePadding(ushort dgi, ReadOnlySpan<byte> decrypted, int? definedLength, out int clearLength, [NotNullWhen(false)] out string? error)
    {
        clearLength = decrypted.Length;
        if (definedLength is not int length)
        {
            error = null;
            return true;
        }

        if (decrypted.Length != PaddedLength(length))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"DGI {dgi:X4} decrypts to {decrypted.Length} bytes; a {length}-byte value is sent as {PaddedLength(length)}");
            return false;
        }

        if (decrypted.Length > length && (decrypted[length] != 0x80 || decrypted[(length + 1)..].ContainsAnyExcept((byte)0)))
        {
            error = string.Create(CultureInfo.InvariantCulture, $"DGI {dgi:X4}: the padding after byte {length} is not 80 00…");
            return false;
        }

        clearLength = length;
        error = null;
        return true;
    }

    /// <summary>Decrypts a secret DGI value with 3DES-ECB under the SCP02 DEK session key (D11) into a new array.</summary>
    /// <returns>Null when the value is empty or not a multiple of 8 bytes.</returns>
    public static byte[]? Decrypt(ReadOnlySpan<byte> dekSessionKey, ReadOnlySpan<byte> encrypted)
    {
        if (encrypted.IsEmpty || encrypted.Length % 8 != 0)
        {
            return null;
        }

        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, dekSessionKey);
        return cipher.DecryptEcb(encrypted);
    }
}
