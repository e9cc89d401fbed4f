using System.Diagnostics.CodeAnalysis;
using Org.BouncyCastle.Crypto.Engines;
using NumericsInteger = System.Numerics.BigInteger;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// The raw RSA operations of EMV offline data authentication (EMV Book 2 §5–6): the terminal's recovery s^e mod n
/// and the card's (or issuer's, or CA's) signing of a 6A…BC block (see <see cref="Iso9796Block"/>). No padding is added.
/// </summary>
/// <remarks>
/// Engines, chosen by measurement on this machine (1024-bit key, one thread): the private CRT operation runs ~1,400–1,900/s
/// with BouncyCastle's RsaEngine against ~330–420/s with System.Numerics.BigInteger (its ModPow is slow at 512 bits),
/// so signing uses BouncyCastle (unblinded: its blinded engine costs ~40% more). The public operation with e = 3 or
/// 65537 is faster in System.Numerics (~120,000/s and ~19,000/s against BouncyCastle's ~12,000/s), so recovery uses it.
/// </remarks>
public static class EmvRsa
{
    /// <summary>Recovers s^e mod n; the result has the modulus length.</summary>
    /// <exception cref="ArgumentException">A bad key, a signature whose length differs from the modulus's, or a value ≥ the modulus.</exception>
    public static byte[] Recover(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> signature) =>
        Recover(new EmvRsaPublicKey(modulus, exponent), signature);

    /// <summary>Recovers s^e mod n with <paramref name="key"/>; the result has the modulus length.</summary>
    /// <exception cref="ArgumentException">The signature's length differs from the modulus's, or its value is ≥ the modulus.</exception>
    public static byte[] Recover(EmvRsaPublicKey key, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(key);
        var recovered = new byte[key.ModulusLength];
        return TryRecover(key, signature, recovered, out var error) ? recovered : throw new ArgumentException(error, nameof(signature));
    }

    /// <summary>
    /// Recovers into <paramref name="destination"/> (at least the modulus length). Returns false with a reason when the
    /// signature's length differs from the modulus's or its value is ≥ the modulus — both mean failed ODA, not a bug.
    /// </summary>
    public static bool TryRecover(EmvRsaPublicKey key, ReadOnlySpan<byte> signature, Span<byte> destination, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(key);
        int length = key.ModulusLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; the modulus needs {length}", nameof(destination));
        }

        if (signature.Length != length)
        {
            error = $"signature is {signature.Length} bytes; the modulus is {length}";
            return false;
        }

        var s = EmvRsaPublicKey.FromUnsigned(signature);
        if (s >= key.N)
        {
            error = "signature value is not less than the modulus";
            return false;
        }

        WriteFixed(NumericsInteger.ModPow(s, key.E, key.N), destination[..length]);
        error = null;
        return true;
    }

    /// <summary>The raw private operation m^d mod n (CRT) on a block of exactly the modulus length; returns the signature.</summary>
    /// <exception cref="ArgumentException">The block's length differs from the modulus's, or its value is ≥ the modulus.</exception>
    public static byte[] Sign(EmvRsaPrivateKey key, ReadOnlySpan<byte> block)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = new byte[key.ModulusLength];
        Sign(key, block, signature);
        return signature;
    }

    /// <summary>The raw private operation into <paramref name="destination"/>; returns the modulus length.</summary>
    public static int Sign(EmvRsaPrivateKey key, ReadOnlySpan<byte> block, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(key);
        int length = key.ModulusLength;
        if (block.Length != length)
        {
            throw new ArgumentException($"block is {block.Length} bytes; the modulus is {length}", nameof(block));
        }

        if (destination.Length < length)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; the modulus needs {length}", nameof(destination));
        }

        if (block.SequenceCompareTo(key.PublicKey.Modulus) >= 0)
        {
            throw new ArgumentException("block value is not less than the modulus", nameof(block));
        }

        var engine = new RsaEngine();
        engine.Init(forEncryption: true, key.EngineKey);
        var input = block.ToArray();
        var output = engine.ProcessBlock(input, 0, input.Length);
        destination[..(length - output.Length)].Clear();
        output.CopyTo(destination[(length - output.Length)..]);
        return length;
    }

    private static void WriteFixed(NumericsInteger value, Span<byte> destination)
    {
        destination.Clear();
        int size = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(destination[(destination.Length - size)..], out _, isUnsigned: true, isBigEndian: true);
    }
}
