using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Symmetric;

public class BlockCipherValidationTests
{
    [Theory]
    [InlineData("DES with a 16-byte key", CipherAlgorithm.Des, 16)]
    [InlineData("DES with a 7-byte key", CipherAlgorithm.Des, 7)]
    [InlineData("3DES with an 8-byte key", CipherAlgorithm.TripleDes, 8)]
    [InlineData("3DES with a 32-byte key", CipherAlgorithm.TripleDes, 32)]
    [InlineData("AES with a 20-byte key", CipherAlgorithm.Aes, 20)]
    [InlineData("SM4 with a 24-byte key", CipherAlgorithm.Sm4, 24)]
    [InlineData("SM4 with an empty key", CipherAlgorithm.Sm4, 0)]
    public void Wrong_key_length_is_rejected_with_the_expected_lengths_named(string description, CipherAlgorithm algorithm, int length)
    {
        _ = description;
        var ex = Assert.Throws<ArgumentException>(() => BlockCipher.Create(algorithm, new byte[length]));
        Assert.Equal("key", ex.ParamName);
        Assert.Contains($"got {length} bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains(algorithm.ToString(), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(CipherAlgorithm.Des, 8)]
    [InlineData(CipherAlgorithm.TripleDes, 16)]
    [InlineData(CipherAlgorithm.TripleDes, 24)]
    [InlineData(CipherAlgorithm.Aes, 16)]
    [InlineData(CipherAlgorithm.Aes, 24)]
    [InlineData(CipherAlgorithm.Aes, 32)]
    [InlineData(CipherAlgorithm.Sm4, 16)]
    public void Legal_key_lengths_are_accepted(CipherAlgorithm algorithm, int length)
    {
        byte[] key = new byte[length];
        new Random(length).NextBytes(key);
        using var cipher = BlockCipher.Create(algorithm, key);
        Assert.Equal(length, cipher.KeySize);
        Assert.Equal(BlockCipher.GetBlockSize(algorithm), cipher.BlockSize);
    }

    [Theory]
    [InlineData(CipherAlgorithm.TripleDes, 7)]
    [InlineData(CipherAlgorithm.TripleDes, 12)]
    [InlineData(CipherAlgorithm.Sm4, 8)]
    [InlineData(CipherAlgorithm.Sm4, 17)]
    public void Unaligned_input_is_rejected(CipherAlgorithm algorithm, int length)
    {
        using var cipher = BlockCipher.Create(algorithm, Enumerable.Range(1, 16).Select(i => (byte)i).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => cipher.EncryptEcb(new byte[length]));
        Assert.Contains("not a multiple", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => cipher.DecryptEcb(new byte[length]));
        Assert.Throws<ArgumentException>(() => cipher.EncryptCbc(new byte[cipher.BlockSize], new byte[length]));
    }

    [Fact]
    public void Wrong_iv_length_short_output_and_partial_overlap_are_rejected()
    {
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, new byte[16]);
        Assert.Equal("iv", Assert.Throws<ArgumentException>(() => sm4.EncryptCbc(new byte[8], new byte[16])).ParamName);
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => sm4.EncryptEcb(new byte[32], new byte[16])).ParamName);
        byte[] buffer = new byte[48];
        Assert.Equal("output", Assert.Throws<ArgumentException>(() => sm4.EncryptEcb(buffer.AsSpan(0, 32), buffer.AsSpan(16, 32))).ParamName);
    }

    [Fact]
    public void Disposed_cipher_refuses_work()
    {
        var tdes = BlockCipher.Create(CipherAlgorithm.TripleDes, Jinka.Core.Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));
        tdes.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tdes.EncryptEcb(new byte[8]));
    }
}
