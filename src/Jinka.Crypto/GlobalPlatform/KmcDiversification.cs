using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.GlobalPlatform;

/// <summary>How card static keys come from a KMC and the INITIALIZE UPDATE key diversification data (NOTES D.2).</summary>
public enum KmcDiversificationMethod
{
    /// <summary>No diversification: the KMC is the key for ENC, MAC and DEK.</summary>
    None,

    /// <summary>EMV CPS ("CPG212"): KEYDATA = the last 6 bytes of the 10-byte diversification data.</summary>
    EmvCps,

    /// <summary>VISA2 ("CPG202"): KEYDATA = diversification data bytes 0–1 ‖ 4–7.</summary>
    Visa2,
}

/// <summary>The three SCP02 static keys.</summary>
public enum GpKeyType : byte
{
    /// <summary>Secure channel encryption key (diversification constant 01).</summary>
    Enc = 0x01,

    /// <summary>Secure channel MAC key (02).</summary>
    Mac = 0x02,

    /// <summary>Data encryption key (03).</summary>
    Dek = 0x03,
}

/// <summary>KMC diversification of GlobalPlatform static keys.</summary>
public static class KmcDiversification
{
    /// <summary>Length of the key diversification data in the INITIALIZE UPDATE response.</summary>
    public const int DiversificationDataLength = 10;

    /// <summary>
    /// K = 3DES_KMC(KEYDATA ‖ F0 ‖ type) ‖ 3DES_KMC(KEYDATA ‖ 0F ‖ type), KEYDATA chosen by <paramref name="method"/>.
    /// The bytes are kept as computed (no parity adjustment) unless <paramref name="parity"/> asks for it.
    /// </summary>
    public static void DeriveKey(ReadOnlySpan<byte> kmc, ReadOnlySpan<byte> diversificationData, KmcDiversificationMethod method, GpKeyType type, Span<byte> key, KeyParity parity = KeyParity.Unadjusted)
    {
        Scp02.RequireLength(kmc, Scp02.KeyLength, nameof(kmc), "The KMC");
        Scp02.RequireLength(key, Scp02.KeyLength, nameof(key), "The key destination");
        if (method == KmcDiversificationMethod.None)
        {
            kmc.CopyTo(key);
            return;
        }

        Scp02.RequireLength(diversificationData, DiversificationDataLength, nameof(diversificationData), "The key diversification data");
        Span<byte> blocks = stackalloc byte[16];
        switch (method)
        {
            case KmcDiversificationMethod.EmvCps:
                diversificationData[4..10].CopyTo(blocks);
                break;
            case KmcDiversificationMethod.Visa2:
                diversificationData[..2].CopyTo(blocks);
                diversificationData[4..8].CopyTo(blocks[2..]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown KMC diversification");
        }

        if (type is not (GpKeyType.Enc or GpKeyType.Mac or GpKeyType.Dek))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "unknown GP key type");
        }

        blocks[..6].CopyTo(blocks[8..]);
        blocks[6] = 0xF0;
        blocks[7] = (byte)type;
        blocks[14] = 0x0F;
        blocks[15] = (byte)type;
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, kmc);
        cipher.EncryptEcb(blocks, key);
        DesKeyParity.Apply(key, parity);
    }

    /// <summary>One diversified key as a new array.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> kmc, ReadOnlySpan<byte> diversificationData, KmcDiversificationMethod method, GpKeyType type)
    {
        var key = new byte[Scp02.KeyLength];
        DeriveKey(kmc, diversificationData, method, type, key);
        return key;
    }
}
