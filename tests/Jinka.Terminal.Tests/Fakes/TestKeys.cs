using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Terminal.CaKeys;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>
/// Keys made once per test run: an RSA CA (1152 bits, so the 1024-bit issuer key needs a remainder), issuer and ICC
/// keys, the SM2 equivalents, and the issuer's symmetric master keys. CA index E1 is RSA, E2 is SM2, both under
/// the UnionPay RID.
/// </summary>
internal static class TestKeys
{
    public const byte RsaCaIndex = 0xE1;
    public const byte Sm2CaIndex = 0xE2;
    public static readonly byte[] Rid = Hex.Parse("A000000333");

    private static readonly Lazy<EmvRsaPrivateKey> s_rsaCa = new(() => EmvRsaPrivateKey.Generate(1152));
    private static readonly Lazy<EmvRsaPrivateKey> s_rsaIssuer = new(() => EmvRsaPrivateKey.Generate(1024));
    private static readonly Lazy<EmvRsaPrivateKey> s_rsaIcc = new(() => EmvRsaPrivateKey.Generate(1024));
    private static readonly Lazy<Sm2PrivateKey> s_sm2Ca = new(Sm2.GenerateKeyPair);
    private static readonly Lazy<Sm2PrivateKey> s_sm2Issuer = new(Sm2.GenerateKeyPair);
    private static readonly Lazy<Sm2PrivateKey> s_sm2Icc = new(Sm2.GenerateKeyPair);

    public static EmvRsaPrivateKey RsaCa => s_rsaCa.Value;

    public static EmvRsaPrivateKey RsaIssuer => s_rsaIssuer.Value;

    public static EmvRsaPrivateKey RsaIcc => s_rsaIcc.Value;

    public static Sm2PrivateKey Sm2Ca => s_sm2Ca.Value;

    public static Sm2PrivateKey Sm2Issuer => s_sm2Issuer.Value;

    public static Sm2PrivateKey Sm2Icc => s_sm2Icc.Value;

    /// <summary>Issuer master keys (MDK-AC, MDK-MAC), the NOTES Appendix A.3 MDK and a second one.</summary>
    public static readonly byte[] MdkAc = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    public static readonly byte[] MdkMac = Hex.Parse("00112233445566778899AABBCCDDEEFF");

    /// <summary>A store with both CA keys.</summary>
    public static CaPublicKeyStore Store()
    {
        var store = new CaPublicKeyStore();
        store.Add(CaPublicKey.Rsa(Rid, RsaCaIndex, RsaCa.PublicKey, isTestKey: true));
        store.Add(CaPublicKey.Sm2(Rid, Sm2CaIndex, Sm2Ca.PublicKey, isTestKey: true));
        return store;
    }
}
