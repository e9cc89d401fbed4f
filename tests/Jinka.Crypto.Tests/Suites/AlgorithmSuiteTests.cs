using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Suites;

public class AlgorithmSuiteTests
{
    [Fact]
    public void Suites_describe_themselves()
    {
        Assert.Equal(SuiteId.International, AlgorithmSuite.International.Id);
        Assert.Equal(CipherAlgorithm.TripleDes, AlgorithmSuite.International.Cipher);
        Assert.Equal(8, AlgorithmSuite.International.BlockSize);
        Assert.Equal(0x01, AlgorithmSuite.International.AlgorithmIdentifier);
        Assert.Equal(SuiteId.Sm, AlgorithmSuite.Sm.Id);
        Assert.Equal(CipherAlgorithm.Sm4, AlgorithmSuite.Sm.Cipher);
        Assert.Equal(16, AlgorithmSuite.Sm.BlockSize);
        Assert.Equal(0x04, AlgorithmSuite.Sm.AlgorithmIdentifier);
        Assert.Same(AlgorithmSuite.Sm, AlgorithmSuite.Get(SuiteId.Sm));
        Assert.Same(AlgorithmSuite.International, AlgorithmSuite.FromAlgorithmIdentifier(0x01));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x02)]
    [InlineData(0xFF)]
    public void Unknown_algorithm_identifier_is_reported(byte identifier)
    {
        Assert.False(AlgorithmSuite.TryFromAlgorithmIdentifier(identifier, out _));
        Assert.Throws<ArgumentException>(() => AlgorithmSuite.FromAlgorithmIdentifier(identifier));
    }

    [Fact]
    public void The_same_code_path_runs_both_suites()
    {
        // What a kernel or the host does, with no branch on the suite.
        byte[] mdk = Jinka.Core.Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] data = new byte[37];
        foreach (var suite in AlgorithmSuite.All)
        {
            byte[] udk = suite.DeriveUdk(mdk, "6225880000000001");
            byte[] sk = suite.DeriveSessionKey(udk, [0x00, 0x01]);
            byte[] arqc = suite.GenerateAc(sk, data);
            Assert.True(suite.VerifyAc(sk, data, arqc));
            Assert.Equal(8, suite.Arpc1(sk, arqc, "00"u8).Length);
            Assert.Equal(3, suite.KeyCheckValue(sk).Length);
        }
    }

    [Fact]
    public void Card_keys_of_the_wrong_length_are_rejected_by_every_operation()
    {
        foreach (var suite in AlgorithmSuite.All)
        {
            Assert.Throws<ArgumentException>(() => suite.GenerateAc(new byte[8], new byte[8]));
            Assert.Throws<ArgumentException>(() => suite.Arpc1(new byte[24], new byte[8], new byte[2]));
            Assert.Throws<ArgumentException>(() => suite.ScriptMac(new byte[15], new byte[8]));
            Assert.Throws<ArgumentException>(() => suite.Mac(new byte[8], new byte[8], 4));
        }
    }
}
