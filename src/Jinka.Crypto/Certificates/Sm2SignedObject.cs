using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>Signing and verifying "signed part ‖ extra data" with SM2/SM3 without concatenating (ADDENDUM 1.1–1.2).</summary>
internal static class Sm2SignedObject
{
    public static bool Verify(Sm2PublicKey signer, ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> extra, ReadOnlySpan<byte> signature, ReadOnlySpan<byte> userId)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> e = stackalloc byte[Sm2.DigestLength];
        Sm2.ComputeDigest(signer, userId, signedPart, extra, e);
        return Sm2.VerifyDigest(signer, e, signature);
    }

    public static void Sign(Sm2PrivateKey signer, ReadOnlySpan<byte> signedPart, ReadOnlySpan<byte> extra, Span<byte> signature, ReadOnlySpan<byte> userId)
    {
        ArgumentNullException.ThrowIfNull(signer);
        Span<byte> e = stackalloc byte[Sm2.DigestLength];
        Sm2.ComputeDigest(signer.PublicKey, userId, signedPart, extra, e);
        Sm2.SignDigest(signer, e, signature);
    }

    public static void CheckLength(ReadOnlySpan<byte> value, int expected, string name)
    {
        if (value.Length != expected)
        {
            throw new ArgumentException($"{name} is {value.Length} bytes; expected {expected}", name);
        }
    }

    /// <summary>Hex digits of an F-padded numeric field (issuer ID, PAN), without the F padding.</summary>
    public static string Digits(ReadOnlySpan<byte> field) => Convert.ToHexString(field).TrimEnd('F');
}
