using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Issuance.Keys;

namespace Jinka.Issuance.Tests.Keys;

/// <summary>Seeded key generation (D18): the same seed gives the same key, and the keys work.</summary>
public class RsaKeyGeneratorTests
{
    [Theory]
    [InlineData(1024, 3)]
    [InlineData(1160, 65537)]
    [InlineData(1408, 3)]
    public void A_seeded_key_has_exactly_the_requested_length_and_signs(int bits, int exponent)
    {
        using var key = RsaKeyGenerator.Generate(bits, exponent, new DeterministicRandom("seed"u8, "rsa"));

        Assert.Equal(bits / 8, key.ModulusLength);
        Assert.True((key.PublicKey.Modulus[0] & 0x80) != 0);
        Assert.Equal(exponent == 3 ? "03" : "010001", Hex.Encode(key.PublicKey.Exponent));
        var block = new byte[key.ModulusLength];
        block[0] = 0x6A;
        block[5] = 0x42;
        block[^1] = 0xBC;
        Assert.Equal(block, EmvRsa.Recover(key.PublicKey, EmvRsa.Sign(key, block)));
        var parameters = key.ExportParameters();
        Assert.All(new[] { parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ }, part => Assert.Equal((bits / 8 + 1) / 2, part!.Length));
    }

    [Fact]
    public void The_same_seed_gives_the_same_key_and_another_seed_another()
    {
        using var a = RsaKeyGenerator.Generate(1024, 3, new DeterministicRandom("one"u8, "rsa"));
        using var b = RsaKeyGenerator.Generate(1024, 3, new DeterministicRandom("one"u8, "rsa"));
        using var c = RsaKeyGenerator.Generate(1024, 3, new DeterministicRandom("two"u8, "rsa"));

        Assert.Equal(a.PublicKey, b.PublicKey);
        Assert.NotEqual(a.PublicKey, c.PublicKey);
    }

    [Theory]
    [InlineData(1016, 3, "too short")]
    [InlineData(1992, 3, "too long")]
    [InlineData(1028, 3, "not a multiple of 8")]
    [InlineData(1024, 5, "exponent 5")]
    public void Lengths_and_exponents_outside_emv_are_refused(int bits, int exponent, string description)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RsaKeyGenerator.Generate(bits, exponent, new DeterministicRandom("x"u8, description)));
    }

    [Fact]
    public void Deterministic_random_streams_depend_on_seed_and_purpose_and_not_on_how_they_are_read()
    {
        var whole = new byte[40];
        new DeterministicRandom("s"u8, "p").Fill(whole);
        var pieces = new byte[40];
        var stream = new DeterministicRandom("s"u8, "p");
        stream.Fill(pieces.AsSpan(0, 7));
        stream.Fill(pieces.AsSpan(7, 30));
        stream.Fill(pieces.AsSpan(37));
        var other = new byte[40];
        new DeterministicRandom("s"u8, "q").Fill(other);

        Assert.Equal(whole, pieces);
        Assert.NotEqual(whole, other);
    }
}
