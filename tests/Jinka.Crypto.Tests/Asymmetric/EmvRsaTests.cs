using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Tests.Asymmetric;

public class EmvRsaTests
{
    // The textbook RSA example: p = 61, q = 53, n = 3233, e = 17, d = 2753; 65^17 mod 3233 = 2790 and 2790^2753 mod 3233 = 65.
    private static readonly RSAParameters s_textbook = new()
    {
        Modulus = Hex.Parse("0CA1"),
        Exponent = Hex.Parse("11"),
        D = Hex.Parse("0AC1"),
        P = Hex.Parse("3D"),
        Q = Hex.Parse("35"),
        DP = Hex.Parse("35"),
        DQ = Hex.Parse("31"),
        InverseQ = Hex.Parse("26"),
    };

    [Fact]
    public void Textbook_example_recovers_the_known_value()
    {
        // The private side is checked against openssl on real keys (EmvRsaOpenSslTests): BouncyCastle's engine
        // refuses a toy modulus with small factors, as it should.
        Assert.Equal("0AE6", Hex.Encode(EmvRsa.Recover(Hex.Parse("0CA1"), Hex.Parse("11"), Hex.Parse("0041"))));
        using var key = new EmvRsaPrivateKey(s_textbook);
        Assert.Equal("0AE6", Hex.Encode(EmvRsa.Recover(key.PublicKey, Hex.Parse("0041"))));
    }

    [Theory]
    [InlineData(1024, 65537)]
    [InlineData(1024, 3)]
    [InlineData(1152, 3)]
    [InlineData(1984, 65537)]
    public void Generated_keys_have_the_exact_size_and_round_trip(int bits, int exponent)
    {
        using var key = EmvRsaPrivateKey.Generate(bits, exponent);
        Assert.Equal(bits / 8, key.ModulusLength);
        Assert.True(key.PublicKey.Modulus[0] >= 0x80);
        Assert.Equal(exponent == 3 ? "03" : "010001", Hex.Encode(key.PublicKey.Exponent));

        var block = RandomNumberGenerator.GetBytes(key.ModulusLength);
        block[0] = 0x6A;
        var signature = EmvRsa.Sign(key, block);
        Assert.Equal(key.ModulusLength, signature.Length);
        Assert.Equal(block, EmvRsa.Recover(key.PublicKey, signature));
        Assert.Equal(block, EmvRsa.Recover(key.PublicKey.Modulus, key.PublicKey.Exponent, signature));
        Assert.NotEqual(block, signature);
    }

    [Fact]
    public void Recover_output_keeps_leading_zeros()
    {
        using var key = EmvRsaPrivateKey.Generate(1024);
        var block = new byte[128];
        block[^1] = 0x05;
        Assert.Equal(block, EmvRsa.Recover(key.PublicKey, EmvRsa.Sign(key, block)));
    }

    [Fact]
    public void Recover_refuses_wrong_lengths_and_values_not_below_the_modulus()
    {
        using var key = EmvRsaPrivateKey.Generate(1024);
        var recovered = new byte[128];
        Assert.False(EmvRsa.TryRecover(key.PublicKey, new byte[127], recovered, out var error));
        Assert.Equal("signature is 127 bytes; the modulus is 128", error);
        Assert.False(EmvRsa.TryRecover(key.PublicKey, key.PublicKey.Modulus, recovered, out error));
        Assert.Equal("signature value is not less than the modulus", error);
        Assert.False(EmvRsa.TryRecover(key.PublicKey, Enumerable.Repeat((byte)0xFF, 128).ToArray(), recovered, out _));
        Assert.Throws<ArgumentException>(() => EmvRsa.Recover(key.PublicKey, new byte[129]));

        Assert.Throws<ArgumentException>(() => EmvRsa.Sign(key, new byte[127]));
        Assert.Throws<ArgumentException>(() => EmvRsa.Sign(key, key.PublicKey.Modulus));
    }

    [Theory]
    [InlineData(1016, 65537)]
    [InlineData(1028, 65537)]
    [InlineData(1992, 65537)]
    [InlineData(1024, 5)]
    [InlineData(1024, 17)]
    public void Generate_refuses_non_EMV_sizes_and_exponents(int bits, int exponent)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => EmvRsaPrivateKey.Generate(bits, exponent));
    }

    [Theory]
    [InlineData("empty modulus", "", "03")]
    [InlineData("leading zero", "00C1", "03")]
    [InlineData("even modulus", "0CA2", "03")]
    [InlineData("exponent 1", "0CA1", "01")]
    [InlineData("even exponent", "0CA1", "04")]
    [InlineData("empty exponent", "0CA1", "")]
    public void Public_key_refuses_malformed_parts(string description, string modulus, string exponent)
    {
        _ = description;
        Assert.Throws<ArgumentException>(() => new EmvRsaPublicKey(Hex.Parse(modulus), Hex.Parse(exponent)));
    }

    [Fact]
    public void Private_key_checks_p_times_q_and_zeroes_on_dispose()
    {
        var wrong = s_textbook;
        wrong.Q = Hex.Parse("3B");
        Assert.Throws<ArgumentException>(() => new EmvRsaPrivateKey(wrong));
        Assert.Throws<ArgumentException>(() => new EmvRsaPrivateKey(new RSAParameters { Modulus = Hex.Parse("0CA1"), Exponent = Hex.Parse("11") }));

        var key = new EmvRsaPrivateKey(s_textbook);
        Assert.Equal("0AC1", Hex.Encode(key.ExportParameters().D!));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ExportParameters());
        Assert.Throws<ObjectDisposedException>(() => EmvRsa.Sign(key, Hex.Parse("0AE6")));
        Assert.Equal("0AE6", Hex.Encode(EmvRsa.Recover(key.PublicKey, Hex.Parse("0041"))));
    }

    [Fact]
    public void Dotnet_RSA_parameters_import_and_export()
    {
        using var rsa = RSA.Create(1024);
        var parameters = rsa.ExportParameters(true);
        using var key = new EmvRsaPrivateKey(parameters);
        Assert.Equal(parameters.Modulus, key.PublicKey.Modulus.ToArray());
        Assert.Equal(parameters.InverseQ, key.ExportParameters().InverseQ);
    }
}
