using System.Numerics;
using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// Fixed test keys (generated once with openssl for RSA; chosen scalars for SM2), so every test card, certificate and
/// cryptogram is reproducible. Test keys only: none of these protects anything.
/// </summary>
internal static class PbocTestKeys
{
    public const string Pan = "6212345678901234";
    public const byte Psn = 0x01;

    /// <summary>Issuer master keys (AC, MAC, ENC); the card's UDKs are derived from them with option A (choice 8).</summary>
    public static readonly byte[][] MasterKeys =
    [
        Hex.Parse("0123456789ABCDEFFEDCBA9876543210"),
        Hex.Parse("1133557799BBDDFF0022446688AACCEE"),
        Hex.Parse("F0E1D2C3B4A5968778695A4B3C2D1E0F"),
    ];

    /// <summary>CA (1152 bits, e = 3), issuer (1024, e = 3) and ICC (1024, e = 65537) RSA primes.</summary>
    private static readonly (string P, string Q, int E)[] s_rsa =
    [
        ("ED83F44CAD364C40512260124AF2B4ED1211F0268253D66AA4E3D69C59A1B3E07A14553B8962D76889C1692AE375C97D7E02C1D93226C51496F6274C3EE12F3573376A1048119CBB",
         "EC6347C5B61A20B7FD677285AB544FFAEF9DC113F1003514E0DAB7966B0E3E29A058781B38D302B1D9EEFCF797E8F47546D1C4F96F22310DBBD59135F6F746A73CE035771802192B", 3),
        ("FB1FEB3136744F9630FB7D7597D563983E4276F7F0154D88EEBE8B1B2ED07598EAED7E9B0657559B49E03AED998CFCDE573292911FD22C3DB3C6A95FFEDE09B1",
         "F64D0EBDCB6BAD58AFBE5483B6C222285F570446DFFEBF9C0464B56AC6B2E53E8331DE2559FC4C60D78C6964361302563AC194BE0CB766DB83064471E257BE8B", 3),
        ("EDDC8F6FD891CC5B38C39AB53E0BFEC669B32F4D89C20F9F464B374DAD1B7F846B17BCF84C29339A9A6308A9AD99E1F9EA7B8BCFAF637D818A20B9B92827658F",
         "C07C30C2A168F83358DA80C2F1D6E01100D6B4F0DAE980A5F8968229314BABF037F09AA0C6B44B36C3DE6E73877E4AD67D3B85C8AD34AA1BF4067E07B32FDE29", 65537),
    ];

    public static RSAParameters RsaCa => Rsa(0);

    public static RSAParameters RsaIssuer => Rsa(1);

    public static RSAParameters RsaIcc => Rsa(2);

    public static byte[] Sm2CaD => Hex.Parse("3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8");

    public static byte[] Sm2IssuerD => Hex.Parse("1649AB77A00637BD5E2EFE283FBF353534AA7F7CB89463F208DDBC2920BB0DA0");

    public static byte[] Sm2IccD => Hex.Parse("6FCBA2EF9AE0AB902BC3BDE3FF915D44BA4CC78F88E2F8E7F8996D3B8CCEEDEE");

    /// <summary>The card's UDKs (AC, MAC, ENC) for <paramref name="suite"/>.</summary>
    public static byte[][] Udks(AlgorithmSuite suite) => [.. MasterKeys.Select(mdk => suite.DeriveUdk(mdk, Pan, Psn))];

    /// <summary>A complete CRT key from p, q and e (the rest computed here, independently of the card).</summary>
    private static RSAParameters Rsa(int index)
    {
        var (pHex, qHex, e) = s_rsa[index];
        var p = Unsigned(Hex.Parse(pHex));
        var q = Unsigned(Hex.Parse(qHex));
        var n = p * q;
        var d = ModInverse(e, (p - 1) * (q - 1));
        return new RSAParameters
        {
            Modulus = Bytes(n),
            Exponent = Bytes(e),
            D = Bytes(d),
            P = Bytes(p),
            Q = Bytes(q),
            DP = Bytes(d % (p - 1)),
            DQ = Bytes(d % (q - 1)),
            InverseQ = Bytes(ModInverse(q, p)),
        };
    }

    public static EmvRsaPrivateKey RsaKey(RSAParameters parameters) => new(parameters);

    private static BigInteger Unsigned(byte[] bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static byte[] Bytes(BigInteger value) => value.ToByteArray(isUnsigned: true, isBigEndian: true);

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        var (r0, r1) = (m, a % m);
        var (t0, t1) = (BigInteger.Zero, BigInteger.One);
        while (r1 != 0)
        {
            var quotient = r0 / r1;
            (r0, r1) = (r1, r0 - (quotient * r1));
            (t0, t1) = (t1, t0 - (quotient * t1));
        }

        return t0 < 0 ? t0 + m : t0;
    }
}
