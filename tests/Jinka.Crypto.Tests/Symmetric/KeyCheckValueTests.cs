using Jinka.Core;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Symmetric;

public class KeyCheckValueTests
{
    [Theory]
    [InlineData("3DES test key (pyemv publishes the 2-byte KCV 08D7)", CipherAlgorithm.TripleDes, "0123456789ABCDEFFEDCBA9876543210", "08D7B4")]
    [InlineData("SM4 GM/T example key, SM4(00×16)", CipherAlgorithm.Sm4, "0123456789ABCDEFFEDCBA9876543210", "2677F4")]
    [InlineData("DES FIPS 81 key", CipherAlgorithm.Des, "0123456789ABCDEF", "D5D44F")]
    [InlineData("AES-128 FIPS 197 key", CipherAlgorithm.Aes, "000102030405060708090A0B0C0D0E0F", "C6A13B")]
    public void Kcv_is_the_leftmost_three_bytes_of_the_zero_block_encryption(string description, CipherAlgorithm algorithm, string key, string kcv)
    {
        _ = description;
        Assert.Equal(kcv, Hex.Encode(KeyCheckValue.Compute(algorithm, Hex.Parse(key))));
    }

    [Fact]
    public void Kcv_longer_than_a_block_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => KeyCheckValue.Compute(CipherAlgorithm.TripleDes, new byte[16], 9));
    }
}
