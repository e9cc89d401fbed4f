using Jinka.Core;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Crypto.Symmetric;
using Jinka.Crypto.Tests.Peers;
using Jinka.Crypto.Tests.Symmetric;

namespace Jinka.Crypto.Tests.GlobalPlatform;

public class KmcDiversificationTests
{
    private static readonly byte[] s_kmc = Hex.Parse("404142434445464748494A4B4C4D4E4F");
    private static readonly byte[] s_divData = Hex.Parse("00010203040506070809");

    [Theory]
    [InlineData(KmcDiversificationMethod.EmvCps, GpKeyType.Enc, "040506070809F001", "0405060708090F01")]
    [InlineData(KmcDiversificationMethod.EmvCps, GpKeyType.Mac, "040506070809F002", "0405060708090F02")]
    [InlineData(KmcDiversificationMethod.EmvCps, GpKeyType.Dek, "040506070809F003", "0405060708090F03")]
    [InlineData(KmcDiversificationMethod.Visa2, GpKeyType.Enc, "000104050607F001", "0001040506070F01")]
    [InlineData(KmcDiversificationMethod.Visa2, GpKeyType.Dek, "000104050607F003", "0001040506070F03")]
    public void Diversified_key_is_3des_of_the_two_keydata_blocks(KmcDiversificationMethod method, GpKeyType type, string left, string right)
    {
        using var kmc = BlockCipher.Create(CipherAlgorithm.TripleDes, s_kmc);
        byte[] expected = kmc.EncryptEcb(Hex.Parse(left + right));
        Assert.Equal(expected, KmcDiversification.DeriveKey(s_kmc, s_divData, method, type));
    }

    [OpenSslFact]
    public void Emv_cps_enc_key_matches_openssl()
    {
        byte[] expected = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-ecb", s_kmc, null, Hex.Parse("040506070809F0010405060708090F01"), decrypt: false);
        Assert.Equal(Hex.Encode(expected), Hex.Encode(KmcDiversification.DeriveKey(s_kmc, s_divData, KmcDiversificationMethod.EmvCps, GpKeyType.Enc)));
    }

    [Fact]
    public void No_diversification_returns_the_kmc_and_bad_lengths_throw()
    {
        Assert.Equal(s_kmc, KmcDiversification.DeriveKey(s_kmc, default, KmcDiversificationMethod.None, GpKeyType.Mac));
        Assert.Equal("diversificationData", Assert.Throws<ArgumentException>(() => KmcDiversification.DeriveKey(s_kmc, new byte[8], KmcDiversificationMethod.EmvCps, GpKeyType.Enc)).ParamName);
        Assert.Equal("kmc", Assert.Throws<ArgumentException>(() => KmcDiversification.DeriveKey(new byte[8], s_divData, KmcDiversificationMethod.EmvCps, GpKeyType.Enc)).ParamName);
    }
}
