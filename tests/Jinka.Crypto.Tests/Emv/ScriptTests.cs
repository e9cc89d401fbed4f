using Jinka.Core;

namespace Jinka.Crypto.Tests.Emv;

public class ScriptTests
{
    [Fact]
    public void Tdes_script_mac_is_the_leftmost_4_bytes_of_the_retail_mac_pyemv_vector()
    {
        // pyemv sm.generate_command_mac: 8424000008 ‖ ATC FFFF ‖ ARQC → E07B8DF1B4184282 (8 bytes); PBOC keeps 4.
        byte[] sk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] input = Hex.Parse("8424000008" + "FFFF" + "1234567890123456");
        Assert.Equal("E07B8DF1", Hex.Encode(AlgorithmSuite.International.ScriptMac(sk, input)));
    }

    [Theory]
    [InlineData("International", 6, 8)]
    [InlineData("International", 7, 16)]
    [InlineData("International", 15, 24)]
    [InlineData("SM", 6, 16)]
    [InlineData("SM", 14, 16)]
    [InlineData("SM", 15, 32)]
    public void Script_data_encryption_pads_Ld_data_80_to_the_block_size(string suiteName, int dataLength, int expectedLength)
    {
        var suite = suiteName == "SM" ? AlgorithmSuite.Sm : AlgorithmSuite.International;
        byte[] sk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] data = new byte[dataLength];
        new Random(dataLength).NextBytes(data);
        byte[] ciphertext = suite.EncryptScriptData(sk, data);
        Assert.Equal(expectedLength, ciphertext.Length);

        using var cipher = suite.CreateCipher(sk);
        byte[] plain = cipher.DecryptEcb(ciphertext);
        Assert.Equal(dataLength, plain[0]);
        Assert.Equal(data, plain[1..(1 + dataLength)]);
        Assert.Equal(0x80, plain[1 + dataLength]);
        Assert.All(plain[(2 + dataLength)..], b => Assert.Equal(0, b));

        byte[] back = new byte[dataLength];
        Assert.True(suite.TryDecryptScriptData(sk, ciphertext, back, out int written));
        Assert.Equal(dataLength, written);
        Assert.Equal(data, back);
    }

    [Fact]
    public void Tampered_script_ciphertext_fails_to_decrypt()
    {
        byte[] sk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] ciphertext = AlgorithmSuite.International.EncryptScriptData(sk, Hex.Parse("000000010000"));
        ciphertext[^1] ^= 0x01;
        Assert.False(AlgorithmSuite.International.TryDecryptScriptData(sk, ciphertext, new byte[16], out _));
        Assert.False(AlgorithmSuite.International.TryDecryptScriptData(sk, ciphertext[..5], new byte[16], out _));
    }

    [Fact]
    public void Script_plaintext_over_255_bytes_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AlgorithmSuite.International.EncryptScriptData(new byte[16], new byte[256]));
    }

    [Fact]
    public void Script_mac_destination_length_is_checked()
    {
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.International.ScriptMac(new byte[16], new byte[5], new byte[3]));
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.Sm.ScriptMac(new byte[16], new byte[5], new byte[9]));
    }
}
