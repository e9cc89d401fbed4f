using System.Security.Cryptography;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Emv;

/// <summary>How a card session key is derived from the card's UDK (ICC master key) and the ATC.</summary>
public enum SessionKeyMethod
{
    /// <summary>
    /// PBOC (NOTES A.5.2, A.6): SK = ENC_UDK(00×6 ‖ ATC ‖ 00×6 ‖ (ATC ⊕ FFFF)) — two 3DES blocks, or one SM4 block.
    /// </summary>
    Pboc,

    /// <summary>
    /// EMV common session key (EMV Book 2 A1.3.1) with R = ATC ‖ 00…: F1 = R with its third byte set to F0,
    /// F2 = R with it set to 0F; SK = ENC(F1) ‖ ENC(F2) for 3DES, SK = ENC(F1) for a 16-byte-block cipher with a
    /// 16-byte key (SM4, AES-128).
    /// </summary>
    EmvCommon,
}

/// <summary>The card key derivation a card uses: how Y is formed and how session keys come from the UDK.</summary>
public readonly record struct EmvKeyScheme(UdkOption UdkOption, SessionKeyMethod SessionKeyMethod)
{
    /// <summary>PBOC 3.0 debit/credit: option A, PBOC session keys (NOTES A.5).</summary>
    public static EmvKeyScheme Pboc => new(UdkOption.OptionA, SessionKeyMethod.Pboc);

    /// <summary>EMV CCD-style: option B for long PANs, common session keys.</summary>
    public static EmvKeyScheme EmvCommon => new(UdkOption.OptionB, SessionKeyMethod.EmvCommon);
}

/// <summary>
/// Card key derivation for EMV/PBOC: UDK (ICC master key) from an issuer master key, and session keys from a UDK.
/// Works for 3DES (8-byte blocks) and SM4 (16-byte blocks) through <see cref="BlockCipher"/>.
/// </summary>
public static class EmvKeyDerivation
{
    /// <summary>Length of every UDK and session key here: two-key 3DES or SM4.</summary>
    public const int CardKeyLength = 16;

    /// <summary>
    /// UDK = ENC_MDK(Y ‖ (Y ⊕ FF×8)) in ECB: for 3DES that is 3DES(Y) ‖ 3DES(Y ⊕ FF…) (EMV Book 2 A1.4.1, NOTES
    /// A.5.1); for SM4 one block, SM4(Y ‖ Y ⊕ FF…) (NOTES A.6).
    /// </summary>
    public static void DeriveUdk(BlockCipher mdk, ReadOnlySpan<byte> y, Span<byte> udk, KeyParity parity)
    {
        ArgumentNullException.ThrowIfNull(mdk);
        RequireCardCipher(mdk, nameof(mdk));
        RequireLength(y, 8, nameof(y), "Y");
        RequireLength(udk, CardKeyLength, nameof(udk), "The UDK destination");
        Span<byte> d = stackalloc byte[CardKeyLength];
        y.CopyTo(d);
        for (int i = 0; i < 8; i++)
        {
            d[8 + i] = (byte)~y[i];
        }

        mdk.EncryptEcb(d, udk);
        CryptographicOperations.ZeroMemory(d);
        DesKeyParity.Apply(udk, parity);
    }

    /// <summary>UDK from the issuer master key bytes, the PAN and the PSN.</summary>
    public static void DeriveUdk(CipherAlgorithm algorithm, ReadOnlySpan<byte> mdk, ReadOnlySpan<char> pan, byte psn, UdkOption option, Span<byte> udk, KeyParity parity)
    {
        Span<byte> y = stackalloc byte[8];
        EmvPan.ComputeY(pan, psn, option, y);
        using var cipher = BlockCipher.Create(algorithm, mdk);
        DeriveUdk(cipher, y, udk, parity);
    }

    /// <summary>The PBOC session key (NOTES A.5.2 for 3DES; the SM4 form of A.6).</summary>
    public static void DerivePbocSessionKey(BlockCipher udk, ReadOnlySpan<byte> atc, Span<byte> sessionKey, KeyParity parity)
    {
        ArgumentNullException.ThrowIfNull(udk);
        RequireCardCipher(udk, nameof(udk));
        RequireAtc(atc);
        RequireLength(sessionKey, CardKeyLength, nameof(sessionKey), "The session key destination");
        Span<byte> d = stackalloc byte[CardKeyLength];
        d.Clear();
        atc.CopyTo(d[6..]);
        d[14] = (byte)~atc[0];
        d[15] = (byte)~atc[1];
        udk.EncryptEcb(d, sessionKey);
        DesKeyParity.Apply(sessionKey, parity);
    }

    /// <summary>
    /// EMV common session key derivation (EMV Book 2 A1.3.1) for any one-block diversification value
    /// <paramref name="r"/>: F1 = R with byte 2 = F0, F2 = R with byte 2 = 0F. With k the key length and n the block
    /// size: k = n gives SK = ENC(F1); k &gt; n gives the leftmost k bytes of ENC(F1) ‖ ENC(F2).
    /// </summary>
    public static void DeriveCommonSessionKey(BlockCipher udk, ReadOnlySpan<byte> r, Span<byte> sessionKey, KeyParity parity)
    {
        ArgumentNullException.ThrowIfNull(udk);
        int n = udk.BlockSize;
        int k = udk.KeySize;
        RequireLength(r, n, nameof(r), $"The diversification value R (one {udk.Algorithm} block)");
        RequireLength(sessionKey, k, nameof(sessionKey), "The session key destination (the master key's length)");
        if (k > 2 * n)
        {
            throw new ArgumentException($"Common session key derivation covers keys up to two blocks; a {k}-byte {udk.Algorithm} key is not supported.", nameof(udk));
        }

        Span<byte> f = stackalloc byte[32];
        r.CopyTo(f);
        f[2] = 0xF0;
        r.CopyTo(f[n..]);
        f[n + 2] = 0x0F;
        int blocks = k > n ? 2 : 1;
        udk.EncryptEcb(f[..(blocks * n)], f[..(blocks * n)]);
        f[..k].CopyTo(sessionKey);
        CryptographicOperations.ZeroMemory(f);
        DesKeyParity.Apply(sessionKey, parity);
    }

    /// <summary>Common session key for an ATC: R = ATC ‖ 00… (EMV Book 2 A1.3.1, AC session key).</summary>
    public static void DeriveCommonSessionKeyFromAtc(BlockCipher udk, ReadOnlySpan<byte> atc, Span<byte> sessionKey, KeyParity parity)
    {
        ArgumentNullException.ThrowIfNull(udk);
        RequireAtc(atc);
        Span<byte> r = stackalloc byte[16];
        r.Clear();
        atc.CopyTo(r);
        DeriveCommonSessionKey(udk, r[..udk.BlockSize], sessionKey, parity);
    }

    /// <summary>Session key by <paramref name="method"/>.</summary>
    public static void DeriveSessionKey(BlockCipher udk, ReadOnlySpan<byte> atc, SessionKeyMethod method, Span<byte> sessionKey, KeyParity parity)
    {
        switch (method)
        {
            case SessionKeyMethod.Pboc:
                DerivePbocSessionKey(udk, atc, sessionKey, parity);
                break;
            case SessionKeyMethod.EmvCommon:
                DeriveCommonSessionKeyFromAtc(udk, atc, sessionKey, parity);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown session key method");
        }
    }

    /// <summary>Throws unless <paramref name="atc"/> is the 2-byte ATC (tag 9F36).</summary>
    public static void RequireAtc(ReadOnlySpan<byte> atc)
    {
        if (atc.Length != 2)
        {
            throw new ArgumentException($"The ATC (9F36) is 2 bytes; got {atc.Length}.", nameof(atc));
        }
    }

    private static void RequireCardCipher(BlockCipher cipher, string parameterName)
    {
        if (cipher.Algorithm is not (CipherAlgorithm.TripleDes or CipherAlgorithm.Sm4))
        {
            throw new ArgumentException($"EMV/PBOC card key derivation is defined here for 3DES and SM4 keys; got a {cipher.KeySize}-byte {cipher.Algorithm} key.", parameterName);
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
