using System.Security.Cryptography;
using Jinka.Crypto.Symmetric;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Jinka.Crypto.Tests.Symmetric;

/// <summary>Our SM4 against BouncyCastle's, and the .NET DES family against BouncyCastle's, on random data.</summary>
public class BlockCipherEquivalenceTests
{
    [Fact]
    public void Managed_sm4_equals_BouncyCastle_on_random_keys_and_data()
    {
        var random = new Random(4711);
        for (int trial = 0; trial < 200; trial++)
        {
            byte[] key = new byte[16];
            random.NextBytes(key);
            byte[] iv = new byte[16];
            random.NextBytes(iv);
            byte[] data = new byte[16 * random.Next(1, 20)];
            random.NextBytes(data);

            using var managed = Sm4Implementation.Create(key, Sm4Provider.Managed);
            using var reference = Sm4Implementation.Create(key, Sm4Provider.BouncyCastle);
            byte[] ecb = managed.EncryptEcb(data);
            Assert.Equal(reference.EncryptEcb(data), ecb);
            Assert.Equal(data, managed.DecryptEcb(ecb));
            byte[] cbc = managed.EncryptCbc(iv, data);
            Assert.Equal(reference.EncryptCbc(iv, data), cbc);
            Assert.Equal(data, reference.DecryptCbc(iv, cbc));
            Assert.Equal(data, managed.DecryptCbc(iv, cbc));
        }
    }

    [Fact]
    public void Managed_sm4_equals_a_direct_BouncyCastle_engine_call()
    {
        // Guards against both providers sharing a wiring bug in BlockCipher: call SM4Engine directly.
        var random = new Random(99);
        byte[] key = new byte[16];
        byte[] block = new byte[16];
        random.NextBytes(key);
        random.NextBytes(block);
        var engine = new SM4Engine();
        engine.Init(true, new KeyParameter(key));
        byte[] expected = new byte[16];
        engine.ProcessBlock(block, 0, expected, 0);
        using var managed = Sm4Implementation.Create(key, Sm4Provider.Managed);
        Assert.Equal(expected, managed.EncryptEcb(block));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(24)]
    public void DotNet_triple_des_equals_BouncyCastle_DesEde(int keyLength)
    {
        var random = new Random(keyLength);
        for (int trial = 0; trial < 50; trial++)
        {
            byte[] key = new byte[keyLength];
            random.NextBytes(key);
            byte[] data = new byte[8 * random.Next(1, 10)];
            random.NextBytes(data);
            var engine = new DesEdeEngine();
            engine.Init(true, new KeyParameter(key));
            byte[] expected = new byte[data.Length];
            for (int i = 0; i < data.Length; i += 8)
            {
                engine.ProcessBlock(data, i, expected, i);
            }

            using var tdes = BlockCipher.Create(CipherAlgorithm.TripleDes, key);
            Assert.Equal(expected, tdes.EncryptEcb(data));
        }
    }

    [Fact]
    public void Cbc_in_place_equals_separate_buffers()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] iv = RandomNumberGenerator.GetBytes(16);
        byte[] data = RandomNumberGenerator.GetBytes(64);
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, key);
        byte[] expected = sm4.EncryptCbc(iv, data);
        byte[] buffer = (byte[])data.Clone();
        sm4.EncryptCbc(iv, buffer, buffer);
        Assert.Equal(expected, buffer);
        sm4.DecryptCbc(iv, buffer, buffer);
        Assert.Equal(data, buffer);
    }

    [Fact]
    public void Key_parity_does_not_change_des_results()
    {
        byte[] key = Jinka.Core.Hex.Parse("B8A15DA5F7043C317D9FD8F8DFE2BD75");
        byte[] adjusted = (byte[])key.Clone();
        DesKeyParity.AdjustOdd(adjusted);
        Assert.NotEqual(key, adjusted);
        Assert.True(DesKeyParity.HasOddParity(adjusted));
        Assert.False(DesKeyParity.HasOddParity(key));
        byte[] data = RandomNumberGenerator.GetBytes(32);
        using var raw = BlockCipher.Create(CipherAlgorithm.TripleDes, key);
        using var odd = BlockCipher.Create(CipherAlgorithm.TripleDes, adjusted);
        Assert.Equal(raw.EncryptEcb(data), odd.EncryptEcb(data));
    }
}
