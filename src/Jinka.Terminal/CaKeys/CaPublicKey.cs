using System.Globalization;
using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Terminal.CaKeys;

/// <summary>The algorithm of a certification authority public key.</summary>
public enum CaKeyAlgorithm
{
    /// <summary>RSA with SHA-1 certificates (EMV Book 2 §5–6).</summary>
    Rsa,

    /// <summary>SM2 with SM3 certificates (NOTES A.7, ADDENDUM 1.2–1.3): 64 bytes x ‖ y.</summary>
    Sm2,
}

/// <summary>
/// A certification authority public key as a terminal holds it, named by RID (5 bytes) and index (8F / 9F22).
/// RSA keys carry modulus and exponent; SM2 keys the point x ‖ y (ADDENDUM 1.3: signature algorithm 04,
/// parameter 11). Immutable.
/// </summary>
public sealed class CaPublicKey
{
    /// <summary>Length of a registered application provider identifier.</summary>
    public const int RidLength = 5;

    private readonly byte[] _rid;

    private CaPublicKey(byte[] rid, byte index, CaKeyAlgorithm algorithm, EmvRsaPublicKey? rsaKey, Sm2PublicKey? sm2Key, DateOnly? expiry, bool isTestKey)
    {
        _rid = rid;
        Index = index;
        Algorithm = algorithm;
        RsaKey = rsaKey;
        Sm2Key = sm2Key;
        Expiry = expiry;
        IsTestKey = isTestKey;
    }

    /// <summary>The RID, e.g. A000000333 (UnionPay).</summary>
    public ReadOnlySpan<byte> Rid => _rid;

    /// <summary>The RID as hex.</summary>
    public string RidHex => Hex.Encode(_rid);

    /// <summary>The CA public key index the card names in 8F.</summary>
    public byte Index { get; }

    public CaKeyAlgorithm Algorithm { get; }

    /// <summary>The RSA key, for <see cref="CaKeyAlgorithm.Rsa"/>.</summary>
    public EmvRsaPublicKey? RsaKey { get; }

    /// <summary>The SM2 key, for <see cref="CaKeyAlgorithm.Sm2"/>.</summary>
    public Sm2PublicKey? Sm2Key { get; }

    /// <summary>The last day the key may be used, when known; an expired key counts as absent (EMV Book 2 §11.2.2).</summary>
    public DateOnly? Expiry { get; }

    /// <summary>True for test keys (never to be loaded into a production terminal).</summary>
    public bool IsTestKey { get; }

    /// <summary>An RSA CA key.</summary>
    /// <exception cref="ArgumentException">The RID is not 5 bytes, or the key is not a valid RSA key.</exception>
    public static CaPublicKey Rsa(ReadOnlySpan<byte> rid, byte index, ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent, DateOnly? expiry = null, bool isTestKey = false)
    {
        CheckRid(rid);
        return new CaPublicKey(rid.ToArray(), index, CaKeyAlgorithm.Rsa, new EmvRsaPublicKey(modulus, exponent), null, expiry, isTestKey);
    }

    /// <summary>An RSA CA key from an <see cref="EmvRsaPublicKey"/>.</summary>
    public static CaPublicKey Rsa(ReadOnlySpan<byte> rid, byte index, EmvRsaPublicKey key, DateOnly? expiry = null, bool isTestKey = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckRid(rid);
        return new CaPublicKey(rid.ToArray(), index, CaKeyAlgorithm.Rsa, key, null, expiry, isTestKey);
    }

    /// <summary>An SM2 CA key from 64-byte x ‖ y or 65-byte 04 ‖ x ‖ y.</summary>
    /// <exception cref="ArgumentException">The RID is not 5 bytes, or the key is not a point on the SM2 curve.</exception>
    public static CaPublicKey Sm2(ReadOnlySpan<byte> rid, byte index, ReadOnlySpan<byte> publicKey, DateOnly? expiry = null, bool isTestKey = false)
    {
        CheckRid(rid);
        return new CaPublicKey(rid.ToArray(), index, CaKeyAlgorithm.Sm2, null, new Sm2PublicKey(publicKey), expiry, isTestKey);
    }

    /// <summary>An SM2 CA key from an <see cref="Sm2PublicKey"/>.</summary>
    public static CaPublicKey Sm2(ReadOnlySpan<byte> rid, byte index, Sm2PublicKey key, DateOnly? expiry = null, bool isTestKey = false)
    {
        ArgumentNullException.ThrowIfNull(key);
        CheckRid(rid);
        return new CaPublicKey(rid.ToArray(), index, CaKeyAlgorithm.Sm2, null, key, expiry, isTestKey);
    }

    /// <summary>True when <see cref="Expiry"/> is set and before <paramref name="date"/>.</summary>
    public bool IsExpiredOn(DateOnly date) => Expiry is { } expiry && expiry < date;

    /// <summary>
    /// The RSA key check value of EMV Book 2 §11.2.2 (DF03 in terminal parameter downloads): SHA-1 over
    /// RID ‖ index ‖ modulus ‖ exponent. Null for SM2 keys, which carry no such checksum (ADDENDUM 1.3).
    /// </summary>
    public byte[]? RsaChecksum() => RsaKey is null
        ? null
        : SHA1.HashData([.. _rid, Index, .. RsaKey.Modulus, .. RsaKey.Exponent]);

    /// <summary>"A000000333 #18 SM2", with " (test)" for test keys.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{RidHex} #{Index:X2} {(Algorithm == CaKeyAlgorithm.Rsa ? $"RSA-{RsaKey!.ModulusLength * 8}" : "SM2")}{(IsTestKey ? " (test)" : "")}");

    internal static void CheckRid(ReadOnlySpan<byte> rid)
    {
        if (rid.Length != RidLength)
        {
            throw new ArgumentException($"a RID is {RidLength} bytes; got {rid.Length}", nameof(rid));
        }
    }
}
