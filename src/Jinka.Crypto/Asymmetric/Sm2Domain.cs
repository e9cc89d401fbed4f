using Org.BouncyCastle.Crypto.EC;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Math.EC.Multiplier;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// Elliptic-curve domain for SM2: BouncyCastle's curve arithmetic plus the bytes ZA needs. The public API uses only
/// <see cref="Recommended"/> (sm2p256v1, GM/T 0003.5); other domains exist so that tests can run the examples that
/// GM/T 0003 / GB/T 32918 publish on their 256-bit test curve.
/// </summary>
internal sealed class Sm2Domain
{
    internal const int ElementLength = 32;

    private readonly FixedPointCombMultiplier _baseMultiplier = new();

    private Sm2Domain(ECCurve curve, ECPoint g, BigInteger n)
    {
        Curve = curve;
        G = g.Normalize();
        N = n;
        P = curve.Field.Characteristic;
        NMinusOne = n.Subtract(BigInteger.One);
        CurveAndGenerator = new byte[4 * ElementLength];
        Sm2Numbers.WriteFixed(curve.A.ToBigInteger(), CurveAndGenerator.AsSpan(0, ElementLength));
        Sm2Numbers.WriteFixed(curve.B.ToBigInteger(), CurveAndGenerator.AsSpan(ElementLength, ElementLength));
        Sm2Numbers.WriteFixed(G.AffineXCoord.ToBigInteger(), CurveAndGenerator.AsSpan(2 * ElementLength, ElementLength));
        Sm2Numbers.WriteFixed(G.AffineYCoord.ToBigInteger(), CurveAndGenerator.AsSpan(3 * ElementLength, ElementLength));
    }

    /// <summary>The SM2 recommended curve sm2p256v1 (GM/T 0003.5-2012 §2, OID 1.2.156.10197.1.301).</summary>
    public static Sm2Domain Recommended { get; } = FromNamedCurve();

    public ECCurve Curve { get; }

    public ECPoint G { get; }

    public BigInteger N { get; }

    public BigInteger NMinusOne { get; }

    public BigInteger P { get; }

    /// <summary>a ‖ b ‖ xG ‖ yG, the fixed middle of ZA (GM/T 0003.2 §5.5).</summary>
    public byte[] CurveAndGenerator { get; }

    /// <summary>A curve over F_p with cofactor 1, from hex parameters (for the published test-curve examples).</summary>
    public static Sm2Domain Create(string p, string a, string b, string gx, string gy, string n)
    {
        var curve = new FpCurve(Big(p), Big(a), Big(b), Big(n), BigInteger.One);
        return new Sm2Domain(curve, curve.CreatePoint(Big(gx), Big(gy)), Big(n));

        static BigInteger Big(string hex) => new(hex, 16);
    }

    /// <summary>[k]G with BouncyCastle's fixed-point comb (the table is cached on <see cref="G"/>).</summary>
    public ECPoint MultiplyBase(BigInteger k) => _baseMultiplier.Multiply(G, k).Normalize();

    /// <summary>Builds and validates an affine point; null when x or y is out of range or the point is not on the curve.</summary>
    public ECPoint? TryCreatePoint(ReadOnlySpan<byte> x, ReadOnlySpan<byte> y)
    {
        var xi = Sm2Numbers.FromUnsigned(x);
        var yi = Sm2Numbers.FromUnsigned(y);
        if (xi.CompareTo(P) >= 0 || yi.CompareTo(P) >= 0)
        {
            return null;
        }

        var point = Curve.CreatePoint(xi, yi);
        // Cofactor 1: on the curve and not infinity means in the prime-order group.
        return point.IsValid() && !point.IsInfinity ? point.Normalize() : null;
    }

    // CustomNamedCurves gives BouncyCastle's specialised SM2P256V1Curve field arithmetic: 6–10× faster point
    // multiplication here than the generic FpCurve that GMNamedCurves returns in 1.8.10.
    private static Sm2Domain FromNamedCurve()
    {
        var x9 = CustomNamedCurves.GetByName("sm2p256v1");
        return new Sm2Domain(x9.Curve, x9.G, x9.N);
    }
}

/// <summary>Fixed-width big-endian conversions between bytes and BouncyCastle integers.</summary>
internal static class Sm2Numbers
{
    public static BigInteger FromUnsigned(ReadOnlySpan<byte> bytes) => new(1, bytes.ToArray());

    /// <summary>Drops leading zero bytes, keeping at least one (the minimal unsigned form DER INTEGERs need).</summary>
    public static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int start = 0;
        while (start < value.Length - 1 && value[start] == 0)
        {
            start++;
        }

        return value[start..];
    }

    /// <summary>Writes a non-negative integer right-aligned into <paramref name="destination"/>.</summary>
    public static void WriteFixed(BigInteger value, Span<byte> destination)
    {
        var bytes = value.ToByteArrayUnsigned();
        if (bytes.Length > destination.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "integer does not fit the field width");
        }

        destination[..^bytes.Length].Clear();
        bytes.CopyTo(destination[^bytes.Length..]);
    }
}
