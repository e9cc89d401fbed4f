using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Emv;

public class SessionKeyTests
{
    [Fact]
    public void Emv_common_session_key_reproduces_pyemv_derive_common_sk_vector()
    {
        using var mk = BlockCipher.Create(CipherAlgorithm.TripleDes, Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));
        byte[] sk = new byte[16];
        EmvKeyDerivation.DeriveCommonSessionKey(mk, Hex.Parse("001C000000000000"), sk, KeyParity.Odd);
        Assert.Equal("E9FB384AF807B940FEDCEA613461B0C4", Hex.Encode(sk));

        // The same through the ATC form (R = ATC ‖ 00…) and the suite.
        Assert.Equal(sk, AlgorithmSuite.International.DeriveSessionKey(Hex.Parse("0123456789ABCDEFFEDCBA9876543210"), Hex.Parse("001C"), SessionKeyMethod.EmvCommon));
    }

    [Fact]
    public void Emv_common_session_key_chain_reproduces_pyemv_script_mac_test()
    {
        // pyemv test_generate_command_mac: IMK KCV 08D7 → ICC MK (PAN 1234567890123456, PSN 01) KCV 0239
        // → SK with R = ABCDEF1234567890, KCV F088 → MAC over 8424000008 = CF323F09A0F6AB9E.
        byte[] imk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        Assert.StartsWith("08D7", Hex.Encode(KeyCheckValue.Compute(CipherAlgorithm.TripleDes, imk)), StringComparison.Ordinal);
        byte[] iccMk = AlgorithmSuite.International.DeriveUdk(imk, "1234567890123456", 0x01);
        Assert.StartsWith("0239", Hex.Encode(KeyCheckValue.Compute(CipherAlgorithm.TripleDes, iccMk)), StringComparison.Ordinal);
        using var mk = BlockCipher.Create(CipherAlgorithm.TripleDes, iccMk);
        byte[] sk = new byte[16];
        EmvKeyDerivation.DeriveCommonSessionKey(mk, Hex.Parse("ABCDEF1234567890"), sk, KeyParity.Odd);
        Assert.StartsWith("F088", Hex.Encode(KeyCheckValue.Compute(CipherAlgorithm.TripleDes, sk)), StringComparison.Ordinal);
        Assert.Equal("CF323F09A0F6AB9E", Hex.Encode(AlgorithmSuite.International.Mac(sk, Hex.Parse("8424000008"), 8)));
    }

    [Fact]
    public void Sm4_common_session_key_is_one_block_over_ATC_F0()
    {
        byte[] udk = Hex.Parse("221260DE64685BD7DDC3D499F9DE4BAE");
        byte[] sk = AlgorithmSuite.Sm.DeriveSessionKey(udk, Hex.Parse("0001"), SessionKeyMethod.EmvCommon);
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, udk);
        Assert.Equal(sm4.EncryptEcb(Hex.Parse("0001F000000000000000000000000000")), sk);
    }

    [Fact]
    public void Pboc_session_key_reproduces_NOTES_A3_with_kcv()
    {
        byte[] sk = AlgorithmSuite.International.DeriveSessionKey(Hex.Parse("A4855751C29237E91F01E9679DC85E61"), Hex.Parse("0001"));
        Assert.Equal("2668980DD6F75161A873CE86BF1F7FCB", Hex.Encode(sk));
        Assert.Equal("CB7E41", Hex.Encode(AlgorithmSuite.International.KeyCheckValue(sk)));
    }

    [Fact]
    public void Pboc_sm4_session_key_reproduces_NOTES_A4_with_kcv()
    {
        byte[] sk = AlgorithmSuite.Sm.DeriveSessionKey(Hex.Parse("221260DE64685BD7DDC3D499F9DE4BAE"), Hex.Parse("0001"));
        Assert.Equal("0834652205547933E8F81121B2C5AC80", Hex.Encode(sk));
        Assert.Equal("C8D89C", Hex.Encode(AlgorithmSuite.Sm.KeyCheckValue(sk)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void Atc_of_wrong_length_is_rejected(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => AlgorithmSuite.International.DeriveSessionKey(new byte[16], new byte[length]));
        Assert.Equal("atc", ex.ParamName);
        Assert.Contains("2 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.Sm.DeriveSessionKey(new byte[16], new byte[length], SessionKeyMethod.EmvCommon));
    }

    [Fact]
    public void Udk_of_wrong_length_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => AlgorithmSuite.International.DeriveSessionKey(new byte[24], new byte[2]));
        Assert.Equal("udk", ex.ParamName);
    }
}
