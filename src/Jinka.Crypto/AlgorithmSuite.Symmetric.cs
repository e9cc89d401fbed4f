using System.Security.Cryptography;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto;

/// <summary>Symmetric members: the card cipher, the suite MAC, EMV/PBOC key derivation and cryptograms.</summary>
public abstract partial class AlgorithmSuite
{
    /// <summary>The card-key block cipher: 3DES (two-key) or SM4.</summary>
    public abstract CipherAlgorithm Cipher { get; }

    /// <summary>The cipher's block size: 8 or 16.</summary>
    public int BlockSize => BlockCipher.GetBlockSize(Cipher);

    /// <summary>The length of card keys (UDKs, session keys): 16 for both suites.</summary>
    public int CardKeyLength => EmvKeyDerivation.CardKeyLength;

    /// <summary>The algorithm identifier in Issuer Application Data 9F10 byte 8: 01 = 3DES, 04 = SM4 (NOTES A.4).</summary>
    public abstract byte AlgorithmIdentifier { get; }

    /// <summary>The longest MAC the suite's <c>Mac</c> gives: 8 (retail MAC) or 16 (SM4 CBC-MAC).</summary>
    public abstract int FullMacLength { get; }

    /// <summary>Creates a keyed cipher of this suite.</summary>
    public BlockCipher CreateCipher(ReadOnlySpan<byte> key) => BlockCipher.Create(Cipher, key);

    /// <summary>
    /// The suite's MAC under a 16-byte key, padded with ISO/IEC 9797-1 method 2: the retail MAC (algorithm 3) for
    /// 3DES, SM4 CBC-MAC with 16-byte blocks for SM (ADDENDUM 1.4). Writes the leftmost <c>mac.Length</c> bytes.
    /// </summary>
    public abstract void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac);

    /// <summary>The suite MAC as a new array of <paramref name="length"/> bytes.</summary>
    public byte[] Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, int length)
    {
        var mac = new byte[length];
        Mac(key, data, mac);
        return mac;
    }

    /// <summary>
    /// Derives a card UDK (ICC master key) from the issuer master key (NOTES A.5.1, A.6; EMV Book 2 A1.4).
    /// <paramref name="parity"/> null means the suite default: odd for 3DES, none for SM4 (SM4 uses every key bit,
    /// so asking for odd parity there is an error).
    /// </summary>
    public virtual void DeriveUdk(ReadOnlySpan<byte> mdk, ReadOnlySpan<char> pan, byte psn, UdkOption option, Span<byte> udk, KeyParity? parity = null) =>
        EmvKeyDerivation.DeriveUdk(Cipher, mdk, pan, psn, option, udk, ResolveParity(parity));

    /// <summary>UDK as a new array; PSN 00 and option A by default.</summary>
    public byte[] DeriveUdk(ReadOnlySpan<byte> mdk, string pan, byte psn = 0x00, UdkOption option = UdkOption.OptionA, KeyParity? parity = null)
    {
        var udk = new byte[CardKeyLength];
        DeriveUdk(mdk, pan, psn, option, udk, parity);
        return udk;
    }

    /// <summary>Derives a session key from a UDK and the ATC (NOTES A.5.2, A.6; EMV Book 2 A1.3.1).</summary>
    public virtual void DeriveSessionKey(ReadOnlySpan<byte> udk, ReadOnlySpan<byte> atc, SessionKeyMethod method, Span<byte> sessionKey, KeyParity? parity = null)
    {
        RequireCardKey(udk, nameof(udk));
        using var cipher = CreateCipher(udk);
        EmvKeyDerivation.DeriveSessionKey(cipher, atc, method, sessionKey, ResolveParity(parity));
    }

    /// <summary>Session key as a new array; the PBOC method by default.</summary>
    public byte[] DeriveSessionKey(ReadOnlySpan<byte> udk, ReadOnlySpan<byte> atc, SessionKeyMethod method = SessionKeyMethod.Pboc, KeyParity? parity = null)
    {
        var sessionKey = new byte[CardKeyLength];
        DeriveSessionKey(udk, atc, method, sessionKey, parity);
        return sessionKey;
    }

    /// <summary>
    /// The application cryptogram (ARQC/TC/AAC) over already assembled data (NOTES A.5.3): the suite MAC under the
    /// AC session key, 8 bytes (for SM4 the leftmost 8 of 16, ADDENDUM 1.4).
    /// </summary>
    public virtual void GenerateAc(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> data, Span<byte> ac)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        RequireLength(ac, EmvCryptograms.CryptogramLength, nameof(ac), "The AC destination");
        Mac(sessionKey, data, ac);
    }

    /// <summary>The application cryptogram as a new array.</summary>
    public byte[] GenerateAc(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> data)
    {
        var ac = new byte[EmvCryptograms.CryptogramLength];
        GenerateAc(sessionKey, data, ac);
        return ac;
    }

    /// <summary>Recomputes the AC and compares it in constant time.</summary>
    public bool VerifyAc(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> data, ReadOnlySpan<byte> ac)
    {
        Span<byte> expected = stackalloc byte[EmvCryptograms.CryptogramLength];
        GenerateAc(sessionKey, data, expected);
        return CryptographicOperations.FixedTimeEquals(expected, ac);
    }

    /// <summary>ARPC method 1 (NOTES A.5.4; ADDENDUM 1.4 for SM4): 8 bytes.</summary>
    public virtual void Arpc1(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> arc, Span<byte> arpc)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        using var cipher = CreateCipher(sessionKey);
        EmvCryptograms.Arpc1(cipher, arqc, arc, arpc);
    }

    /// <summary>ARPC method 1 as a new array.</summary>
    public byte[] Arpc1(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> arc)
    {
        var arpc = new byte[EmvCryptograms.CryptogramLength];
        Arpc1(sessionKey, arqc, arc, arpc);
        return arpc;
    }

    /// <summary>
    /// ARPC method 2 (EMV Book 2 §8.2.2): the suite MAC over ARQC ‖ CSU ‖ proprietary authentication data (0–8
    /// bytes) under the AC session key, leftmost 4 bytes. For SM4 this is the analogous SM4 CBC-MAC; no SM
    /// specification for method 2 was found (spec choice).
    /// </summary>
    public virtual void Arpc2(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> csu, ReadOnlySpan<byte> proprietaryData, Span<byte> arpc)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        RequireLength(arpc, EmvCryptograms.ShortMacLength, nameof(arpc), "The method 2 ARPC destination");
        Span<byte> input = stackalloc byte[20];
        int length = EmvCryptograms.Arpc2Input(arqc, csu, proprietaryData, input);
        Mac(sessionKey, input[..length], arpc);
    }

    /// <summary>ARPC method 2 as a new array.</summary>
    public byte[] Arpc2(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> arqc, ReadOnlySpan<byte> csu, ReadOnlySpan<byte> proprietaryData = default)
    {
        var arpc = new byte[EmvCryptograms.ShortMacLength];
        Arpc2(sessionKey, arqc, csu, proprietaryData, arpc);
        return arpc;
    }

    /// <summary>
    /// Issuer script MAC (NOTES A.5.5): the suite MAC under the MAC session key over the assembled input
    /// (CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data). <paramref name="mac"/> is normally 4 bytes (4 to 8 allowed).
    /// </summary>
    public virtual void ScriptMac(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> data, Span<byte> mac)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        if (mac.Length is < 4 or > 8)
        {
            throw new ArgumentException($"A script MAC is 4 to 8 bytes; the destination is {mac.Length}.", nameof(mac));
        }

        Mac(sessionKey, data, mac);
    }

    /// <summary>The 4-byte issuer script MAC as a new array.</summary>
    public byte[] ScriptMac(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> data)
    {
        var mac = new byte[EmvCryptograms.ShortMacLength];
        ScriptMac(sessionKey, data, mac);
        return mac;
    }

    /// <summary>Ciphertext length of <paramref name="plaintextLength"/> bytes of script data in this suite.</summary>
    public int ScriptDataCiphertextLength(int plaintextLength) => EmvCryptograms.ScriptDataCiphertextLength(plaintextLength, BlockSize);

    /// <summary>Issuer script data encryption (NOTES A.5.6): ECB of Ld ‖ data ‖ 80 ‖ 00… under the ENC session key.</summary>
    public virtual int EncryptScriptData(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> plaintext, Span<byte> ciphertext)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        using var cipher = CreateCipher(sessionKey);
        return EmvCryptograms.EncryptScriptData(cipher, plaintext, ciphertext);
    }

    /// <summary>Script data encryption into a new array.</summary>
    public byte[] EncryptScriptData(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> plaintext)
    {
        var ciphertext = new byte[ScriptDataCiphertextLength(plaintext.Length)];
        EncryptScriptData(sessionKey, plaintext, ciphertext);
        return ciphertext;
    }

    /// <summary>The card's side: decrypt script data and check its structure.</summary>
    public virtual bool TryDecryptScriptData(ReadOnlySpan<byte> sessionKey, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, out int written)
    {
        RequireCardKey(sessionKey, nameof(sessionKey));
        using var cipher = CreateCipher(sessionKey);
        return EmvCryptograms.TryDecryptScriptData(cipher, ciphertext, plaintext, out written);
    }

    /// <summary>KCV of a key of this suite: E_K(zero block), leftmost <c>kcv.Length</c> bytes (NOTES A.6).</summary>
    public void KeyCheckValue(ReadOnlySpan<byte> key, Span<byte> kcv) => Symmetric.KeyCheckValue.Compute(Cipher, key, kcv);

    /// <summary>The 3-byte KCV as a new array.</summary>
    public byte[] KeyCheckValue(ReadOnlySpan<byte> key) => Symmetric.KeyCheckValue.Compute(Cipher, key);

    /// <summary>Maps the caller's parity wish to what this suite's keys allow.</summary>
    private protected abstract KeyParity ResolveParity(KeyParity? requested);

    private protected void RequireCardKey(ReadOnlySpan<byte> key, string parameterName)
    {
        if (key.Length != CardKeyLength)
        {
            throw new ArgumentException($"A {Name} card key is {CardKeyLength} bytes; got {key.Length}.", parameterName);
        }
    }

    private static void RequireLength(ReadOnlySpan<byte> span, int length, string parameterName, string what)
    {
        if (span.Length != length)
        {
            throw new ArgumentException($"{what} must be {length} bytes; got {span.Length}.", parameterName);
        }
    }
}
