using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Tests.Certificates;

/// <summary>RSA keys generated once per test run: a 1152-bit CA (so a 1024-bit issuer key needs a remainder), a
/// 1408-bit CA (so it does not), a 1024-bit issuer and a 1024-bit exponent-3 ICC key.</summary>
internal static class EmvRsaTestKeys
{
    private static readonly Lazy<EmvRsaPrivateKey> s_ca = new(() => EmvRsaPrivateKey.Generate(1152));
    private static readonly Lazy<EmvRsaPrivateKey> s_largeCa = new(() => EmvRsaPrivateKey.Generate(1408));
    private static readonly Lazy<EmvRsaPrivateKey> s_otherCa = new(() => EmvRsaPrivateKey.Generate(1152));
    private static readonly Lazy<EmvRsaPrivateKey> s_issuer = new(() => EmvRsaPrivateKey.Generate(1024));
    private static readonly Lazy<EmvRsaPrivateKey> s_icc = new(() => EmvRsaPrivateKey.Generate(1024, 3));

    public static EmvRsaPrivateKey Ca => s_ca.Value;

    public static EmvRsaPrivateKey LargeCa => s_largeCa.Value;

    public static EmvRsaPrivateKey OtherCa => s_otherCa.Value;

    public static EmvRsaPrivateKey Issuer => s_issuer.Value;

    public static EmvRsaPrivateKey Icc => s_icc.Value;
}
