using System.Security.Cryptography;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.GlobalPlatform;

/// <summary>SCP02 session keys and their derivation constants (GP Card Spec v2.2 E.4.1; NOTES D.2).</summary>
public enum Scp02SessionKeyType : ushort
{
    /// <summary>C-MAC key, from the static MAC key.</summary>
    CMac = 0x0101,

    /// <summary>R-MAC key, from the static MAC key.</summary>
    RMac = 0x0102,

    /// <summary>Data encryption (DEK) session key, from the static DEK.</summary>
    Dek = 0x0181,

    /// <summary>S-ENC (cryptograms, C-DECRYPTION), from the static ENC key.</summary>
    SEnc = 0x0182,
}

/// <summary>The SCP02 cryptographic primitives, stateless (NOTES D.2; GP Card Spec v2.2 Appendix E).</summary>
public static class Scp02
{
    /// <summary>Length of every SCP02 key.</summary>
    public const int KeyLength = 16;

    /// <summary>
    /// Session key = 3DES-CBC (IV 0) under the static key over constant(2) ‖ sequence counter(2) ‖ 00×12.
    /// </summary>
    public static void DeriveSessionKey(ReadOnlySpan<byte> staticKey, Scp02SessionKeyType type, ReadOnlySpan<byte> sequenceCounter, Span<byte> sessionKey)
    {
        RequireLength(staticKey, KeyLength, nameof(staticKey), "An SCP02 static key");
        RequireLength(sequenceCounter, 2, nameof(sequenceCounter), "The sequence counter");
        RequireLength(sessionKey, KeyLength, nameof(sessionKey), "The session key destination");
        Span<byte> data = stackalloc byte[16];
        data.Clear();
        data[0] = (byte)((ushort)type >> 8);
        data[1] = (byte)type;
        sequenceCounter.CopyTo(data[2..]);
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, staticKey);
        cipher.EncryptCbc(stackalloc byte[8], data, sessionKey);
    }

    /// <summary>The session key as a new array.</summary>
    public static byte[] DeriveSessionKey(ReadOnlySpan<byte> staticKey, Scp02SessionKeyType type, ReadOnlySpan<byte> sequenceCounter)
    {
        var key = new byte[KeyLength];
        DeriveSessionKey(staticKey, type, sequenceCounter, key);
        return key;
    }

    /// <summary>Card cryptogram: full 3DES CBC-MAC under S-ENC, pad 80, IV 0, over host challenge ‖ seq ‖ card challenge.</summary>
    public static void CardCryptogram(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> sequenceCounter, ReadOnlySpan<byte> cardChallenge, Span<byte> cryptogram)
    {
        Span<byte> data = stackalloc byte[16];
        CheckChallenges(hostChallenge, sequenceCounter, cardChallenge);
        hostChallenge.CopyTo(data);
        sequenceCounter.CopyTo(data[8..]);
        cardChallenge.CopyTo(data[10..]);
        Cryptogram(sEnc, data, cryptogram);
    }

    /// <summary>Host cryptogram: as the card cryptogram, over seq ‖ card challenge ‖ host challenge.</summary>
    public static void HostCryptogram(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> sequenceCounter, ReadOnlySpan<byte> cardChallenge, Span<byte> cryptogram)
    {
        Span<byte> data = stackalloc byte[16];
        CheckChallenges(hostChallenge, sequenceCounter, cardChallenge);
        sequenceCounter.CopyTo(data);
        cardChallenge.CopyTo(data[2..]);
        hostChallenge.CopyTo(data[8..]);
        Cryptogram(sEnc, data, cryptogram);
    }

    /// <summary>
    /// C-MAC: ISO/IEC 9797-1 MAC algorithm 3 (single DES plus final 3DES) under the C-MAC session key, pad 80, with
    /// <paramref name="icv"/> as IV (zero for the first command, EXTERNAL AUTHENTICATE).
    /// </summary>
    public static void CMac(ReadOnlySpan<byte> cMacKey, ReadOnlySpan<byte> icv, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        RequireLength(cMacKey, KeyLength, nameof(cMacKey), "The C-MAC session key");
        RequireLength(icv, 8, nameof(icv), "The ICV");
        RequireLength(mac, 8, nameof(mac), "The C-MAC destination");
        Iso9797Mac.ComputeAlgorithm3(cMacKey, data, PaddingMethod.Iso9797Method2, mac, icv);
    }

    /// <summary>ICV encryption: the next command's ICV is the previous C-MAC encrypted with single DES under C-MAC key[0..8].</summary>
    public static void EncryptIcv(ReadOnlySpan<byte> cMacKey, ReadOnlySpan<byte> previousMac, Span<byte> icv)
    {
        RequireLength(cMacKey, KeyLength, nameof(cMacKey), "The C-MAC session key");
        RequireLength(previousMac, 8, nameof(previousMac), "The previous C-MAC");
        RequireLength(icv, 8, nameof(icv), "The ICV destination");
        using var des = BlockCipher.Create(CipherAlgorithm.Des, cMacKey[..8]);
        des.EncryptEcb(previousMac, icv);
    }

    /// <summary>Length of C-DECRYPTION ciphertext for <paramref name="dataLength"/> bytes: 80 00… always appended.</summary>
    public static int EncryptedDataLength(int dataLength) => Padding.PaddedLength(dataLength, 8, PaddingMethod.Iso9797Method2);

    /// <summary>C-DECRYPTION: the command data padded 80 00… and 3DES-CBC encrypted (IV 0) under S-ENC.</summary>
    public static int EncryptCommandData(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> data, Span<byte> ciphertext)
    {
        RequireLength(sEnc, KeyLength, nameof(sEnc), "S-ENC");
        int length = EncryptedDataLength(data.Length);
        if (ciphertext.Length < length)
        {
            throw new ArgumentException($"Destination is {ciphertext.Length} bytes; {length} are needed.", nameof(ciphertext));
        }

        Padding.Apply(data, 8, PaddingMethod.Iso9797Method2, ciphertext);
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, sEnc);
        cipher.EncryptCbc(stackalloc byte[8], ciphertext[..length], ciphertext[..length]);
        return length;
    }

    /// <summary>The card side of C-DECRYPTION; false when the length or the padding is wrong.</summary>
    public static bool TryDecryptCommandData(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> ciphertext, Span<byte> data, out int written)
    {
        RequireLength(sEnc, KeyLength, nameof(sEnc), "S-ENC");
        written = 0;
        if (ciphertext.Length == 0 || ciphertext.Length % 8 != 0 || data.Length < ciphertext.Length)
        {
            return false;
        }

        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, sEnc);
        cipher.DecryptCbc(stackalloc byte[8], ciphertext, data[..ciphertext.Length]);
        if (!Padding.TryRemoveMethod2(data[..ciphertext.Length], 8, out written))
        {
            CryptographicOperations.ZeroMemory(data[..ciphertext.Length]);
            return false;
        }

        data[written..ciphertext.Length].Clear();
        return true;
    }

    /// <summary>Key data for PUT KEY: 3DES-ECB under the DEK session key (GP Card Spec v2.2 E.4.7). The key must be block aligned.</summary>
    public static void EncryptKey(ReadOnlySpan<byte> dekSessionKey, ReadOnlySpan<byte> key, Span<byte> encrypted)
    {
        RequireLength(dekSessionKey, KeyLength, nameof(dekSessionKey), "The DEK session key");
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, dekSessionKey);
        cipher.EncryptEcb(key, encrypted);
    }

    private static void Cryptogram(ReadOnlySpan<byte> sEnc, ReadOnlySpan<byte> data, Span<byte> cryptogram)
    {
        RequireLength(sEnc, KeyLength, nameof(sEnc), "S-ENC");
        RequireLength(cryptogram, 8, nameof(cryptogram), "The cryptogram destination");
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, sEnc);
        Iso9797Mac.ComputeAlgorithm1(cipher, data, PaddingMethod.Iso9797Method2, cryptogram);
    }

    private static void CheckChallenges(ReadOnlySpan<byte> hostChallenge, ReadOnlySpan<byte> sequenceCounter, ReadOnlySpan<byte> cardChallenge)
    {
        RequireLength(hostChallenge, 8, nameof(hostChallenge), "The host challenge");
        RequireLength(sequenceCounter, 2, nameof(sequenceCounter), "The sequence counter");
        RequireLength(cardChallenge, 6, nameof(cardChallenge), "The SCP02 card challenge");
    }

    internal static void RequireLength(ReadOnlySpan<byte> span, int length, string parameterName, string what)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"{what} must be {length} bytes; got {span.Length}.", parameterName);
        }
    }
}
