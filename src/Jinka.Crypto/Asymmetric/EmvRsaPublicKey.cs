using System.Diagnostics.CodeAnalysis;
using NumericsInteger = System.Numerics.BigInteger;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// An RSA public key as EMV carries it: modulus (tags 9F22-indexed CAPK, 90/92, 9F46/9F48) and exponent (9F32, 9F47;
/// 3 or 65537 in practice). Immutable.
/// </summary>
public sealed class EmvRsaPublicKey : IEquatable<EmvRsaPublicKey>
{
    /// <summary>The longest modulus EMV allows: 1984 bits (EMV Book 2 §5.1, Annex A2.1).</summary>
    public const int MaxEmvModulusLength = 248;

    /// <summary>The longest modulus accepted here (well beyond EMV, for non-card uses of the raw operation).</summary>
    public const int MaxModulusLength = 512;

    private readonly byte[] _modulus;
    private readonly byte[] _exponent;

    /// <summary>A key from big-endian modulus and exponent.</summary>
    /// <exception cref="ArgumentException">Empty or over-long modulus, a leading zero byte, an even modulus, or an exponent that is not odd and ≥ 3.</exception>
    public EmvRsaPublicKey(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent)
    {
        if (!TryValidate(modulus, exponent, out var error))
        {
            throw new ArgumentException(error);
        }

        _modulus = modulus.ToArray();
        _exponent = exponent.ToArray();
        N = FromUnsigned(_modulus);
        E = FromUnsigned(_exponent);
    }

    /// <summary>The modulus, big-endian, no leading zero.</summary>
    public ReadOnlySpan<byte> Modulus => _modulus;

    /// <summary>The public exponent, big-endian (01 00 01 or 03 as EMV writes them).</summary>
    public ReadOnlySpan<byte> Exponent => _exponent;

    /// <summary>Modulus length in bytes (N_CA, N_I, N_IC in EMV Book 2).</summary>
    public int ModulusLength => _modulus.Length;

    internal NumericsInteger N { get; }

    internal NumericsInteger E { get; }

    public bool Equals(EmvRsaPublicKey? other) =>
        other is not null && _modulus.AsSpan().SequenceEqual(other._modulus) && _exponent.AsSpan().SequenceEqual(other._exponent);

    public override bool Equals(object? obj) => Equals(obj as EmvRsaPublicKey);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_modulus);
        hash.AddBytes(_exponent);
        return hash.ToHashCode();
    }

    internal static NumericsInteger FromUnsigned(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    internal static bool TryValidate(ReadOnlySpan<byte> modulus, ReadOnlySpan<byte> exponent, [NotNullWhen(false)] out string? error)
    {
        error = modulus.Length switch
        {
            0 => "RSA modulus is empty",
            > MaxModulusLength => $"RSA modulus is {modulus.Length} bytes; at most {MaxModulusLength} are supported",
            _ when modulus[0] == 0 => "RSA modulus starts with a zero byte; give it without leading zeros",
            _ when (modulus[^1] & 1) == 0 => "RSA modulus is even",
            _ => null,
        };
        if (error is null && (exponent.IsEmpty || exponent.Length > modulus.Length || (exponent[^1] & 1) == 0 || FromUnsigned(exponent) < 3))
        {
            error = "RSA public exponent must be odd, at least 3 and no longer than the modulus";
        }

        return error is null;
    }
}
