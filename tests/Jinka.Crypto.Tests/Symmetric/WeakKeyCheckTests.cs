using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Symmetric;

/// <summary>The span-based refusal check agrees with .NET's own DES/TripleDES weak key tests, which decide what .NET refuses.</summary>
public sealed class WeakKeyCheckTests
{
    [Theory]
    [InlineData("weak, odd parity", "0101010101010101")]
    [InlineData("weak, parity bits flipped", "0000000000000000")]
    [InlineData("weak", "FEFEFEFEFEFEFEFE")]
    [InlineData("weak", "1F1F1F1F0E0E0E0E")]
    [InlineData("weak", "E0E0E0E0F1F1F1F1")]
    [InlineData("semi-weak", "01FE01FE01FE01FE")]
    [InlineData("semi-weak", "FE01FE01FE01FE01")]
    [InlineData("semi-weak", "1FE01FE00EF10EF1")]
    [InlineData("semi-weak", "E01FE01FF10EF10E")]
    [InlineData("semi-weak", "01E001E001F101F1")]
    [InlineData("semi-weak", "E001E001F101F101")]
    [InlineData("semi-weak", "1FFE1FFE0EFE0EFE")]
    [InlineData("semi-weak", "FE1FFE1FFE0EFE0E")]
    [InlineData("semi-weak", "011F011F010E010E")]
    [InlineData("semi-weak, one parity bit off", "1E011F010E010E01")]
    [InlineData("semi-weak", "E0FEE0FEF1FEF1FE")]
    [InlineData("semi-weak", "FEE0FEE0FEF1FEF1")]
    [InlineData("ordinary", "0123456789ABCDEF")]
    [InlineData("ordinary, one bit from weak", "0101010101010103")]
    public void Des_keys_are_refused_exactly_when_dotnet_calls_them_weak(string description, string keyHex)
    {
        Assert.NotEmpty(description);
        byte[] key = Hex.Parse(keyHex);
        Assert.Equal(DES.IsWeakKey(key) || DES.IsSemiWeakKey(key), BlockCipher.IsRefusedByDotNet(CipherAlgorithm.Des, key));
    }

    [Theory]
    [InlineData("two-key, K1 = K2", "0123456789ABCDEF0123456789ABCDEF")]
    [InlineData("two-key, K1 = K2 up to parity", "0123456789ABCDEF0022446688AACCEE")]
    [InlineData("two-key, retail MAC right half zero", "01010000000000000000000000000000")]
    [InlineData("two-key, distinct", "0123456789ABCDEFFEDCBA9876543210")]
    [InlineData("three-key, K2 = K3", "0123456789ABCDEFFEDCBA9876543210FEDCBA9876543210")]
    [InlineData("three-key, K1 = K3 (allowed)", "0123456789ABCDEFFEDCBA98765432100123456789ABCDEF")]
    [InlineData("three-key, distinct", "0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123")]
    public void Triple_des_keys_are_refused_exactly_when_dotnet_calls_them_weak(string description, string keyHex)
    {
        Assert.NotEmpty(description);
        byte[] key = Hex.Parse(keyHex);
        Assert.Equal(TripleDES.IsWeakKey(key), BlockCipher.IsRefusedByDotNet(CipherAlgorithm.TripleDes, key));
    }

    [Fact]
    public void Random_keys_and_every_parity_variant_of_the_weak_keys_agree_with_dotnet()
    {
        var random = new Random(5);
        byte[] des = new byte[8];
        for (int i = 0; i < 20_000; i++)
        {
            random.NextBytes(des);
            if (i % 2 == 0)
            {
                // Half the time a weak or semi-weak key with random parity bits.
                ulong[] weak = [0x0101010101010101, 0x1FE01FE00EF10EF1, 0xFEE0FEE0FEF1FEF1, 0xE0E0E0E0F1F1F1F1];
                ulong value = weak[i / 2 % weak.Length] ^ (ulong)random.NextInt64() & 0x0101010101010101;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(des, value);
            }

            Assert.Equal(DES.IsWeakKey(des) || DES.IsSemiWeakKey(des), BlockCipher.IsRefusedByDotNet(CipherAlgorithm.Des, des));
            byte[] tdes = [.. des, .. i % 3 == 0 ? des.Select(b => (byte)(b ^ (i & 1))) : Hex.Parse("0123456789ABCDEF")];
            Assert.Equal(TripleDES.IsWeakKey(tdes), BlockCipher.IsRefusedByDotNet(CipherAlgorithm.TripleDes, tdes));
        }
    }
}
