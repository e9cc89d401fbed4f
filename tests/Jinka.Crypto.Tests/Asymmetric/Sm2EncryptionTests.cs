using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using static Jinka.Crypto.Tests.Asymmetric.Sm2Examples;

namespace Jinka.Crypto.Tests.Asymmetric;

public class Sm2EncryptionTests
{
    private static readonly byte[] s_plaintext = Ascii("encryption standard");

    [Fact]
    public void GbT32918_4_example_on_the_test_curve_gives_C1_C3_C2()
    {
        using var key = new Sm2PrivateKey(TestCurve, Hex.Parse(TestCurveEncryptD));
        var ciphertext = Sm2.EncryptWithK(key.PublicKey, s_plaintext, Hex.Parse(TestCurveEncryptK), Sm2CiphertextFormat.C1C3C2);
        Assert.Equal(TestCurveC1 + TestCurveC3 + TestCurveC2, Hex.Encode(ciphertext));
        Assert.Equal(s_plaintext, Sm2.Decrypt(key, ciphertext));

        var legacy = Sm2.EncryptWithK(key.PublicKey, s_plaintext, Hex.Parse(TestCurveEncryptK), Sm2CiphertextFormat.C1C2C3);
        Assert.Equal(TestCurveC1 + TestCurveC2 + TestCurveC3, Hex.Encode(legacy));
        Assert.Equal(s_plaintext, Sm2.Decrypt(key, legacy, Sm2CiphertextFormat.C1C2C3));
    }

    [Fact]
    public void GmT0003_5_example_on_the_recommended_curve_in_DER()
    {
        using var key = new Sm2PrivateKey(Hex.Parse(RecommendedD));
        var der = Sm2.EncryptWithK(key.PublicKey, s_plaintext, Hex.Parse(RecommendedK), Sm2CiphertextFormat.Der);
        Assert.Equal(RecommendedCiphertextDer, Hex.Encode(der));
        Assert.Equal(s_plaintext, Sm2.Decrypt(key, der, Sm2CiphertextFormat.Der));
    }

    [Theory]
    [InlineData(Sm2CiphertextFormat.C1C3C2)]
    [InlineData(Sm2CiphertextFormat.C1C2C3)]
    [InlineData(Sm2CiphertextFormat.Der)]
    public void Round_trip_for_lengths_across_KDF_blocks(Sm2CiphertextFormat format)
    {
        using var key = Sm2.GenerateKeyPair();
        foreach (int length in new[] { 1, 31, 32, 33, 64, 100, 1000 })
        {
            var plaintext = RandomNumberGenerator.GetBytes(length);
            var ciphertext = Sm2.Encrypt(key.PublicKey, plaintext, format);
            if (format != Sm2CiphertextFormat.Der)
            {
                Assert.Equal(65 + 32 + length, ciphertext.Length);
            }

            Assert.Equal(plaintext, Sm2.Decrypt(key, ciphertext, format));
        }
    }

    [Fact]
    public void Tampered_ciphertext_or_wrong_key_fails()
    {
        using var key = Sm2.GenerateKeyPair();
        using var other = Sm2.GenerateKeyPair();
        var ciphertext = Sm2.Encrypt(key.PublicKey, s_plaintext);
        Assert.Throws<CryptographicException>(() => Sm2.Decrypt(other, ciphertext));
        foreach (int offset in new[] { 1, 40, 70, 100, ciphertext.Length - 1 })
        {
            var tampered = (byte[])ciphertext.Clone();
            tampered[offset] ^= 0x01;
            Assert.False(Sm2.TryDecrypt(key, tampered, Sm2CiphertextFormat.C1C3C2, out var plaintext, out var error));
            Assert.Null(plaintext);
            Assert.NotNull(error);
        }

        Assert.Throws<CryptographicException>(() => Sm2.Decrypt(key, ciphertext, Sm2CiphertextFormat.C1C2C3));
    }

    public static TheoryData<string, Sm2CiphertextFormat, string, string> Malformed() => new()
    {
        { "too short for C1 ‖ C3 ‖ one byte", Sm2CiphertextFormat.C1C3C2, "04" + new string('1', 192), "at least 98 expected" },
        { "compressed C1 prefix", Sm2CiphertextFormat.C1C3C2, "02" + TestCurveC1[2..] + TestCurveC3 + TestCurveC2, "byte 0 is 02; expected 04" },
        { "C1 not on the curve", Sm2CiphertextFormat.C1C3C2, "04" + new string('1', 128) + TestCurveC3 + TestCurveC2, "C1 is not a point on the SM2 curve" },
        { "DER: not a sequence", Sm2CiphertextFormat.Der, "0401AA", "not a DER SM2Cipher SEQUENCE" },
        { "DER: negative x1", Sm2CiphertextFormat.Der, "307C022084" + RecommendedCiphertextDer[10..], "INTEGER x1 at offset 2 is negative" },
        { "DER: 33-byte x1", Sm2CiphertextFormat.Der, "307D02210104" + RecommendedCiphertextDer[10..], "INTEGER x1 at offset 2 is longer than 32 bytes" },
        { "DER: trailing byte", Sm2CiphertextFormat.Der, RecommendedCiphertextDer + "00", "1 bytes follow the SM2Cipher SEQUENCE at offset 126" },
        { "DER: C3 of 31 bytes", Sm2CiphertextFormat.Der, "307B022004EBFC718E8D1798620432268E77FEB6415E2EDE0E073C0F4F640ECD2E149A73022100E858F9D81E5430A57B36DAAB8F950A3C64E6EE6A63094D99283AFF767E124DF0041F59983C18F809E262923C53AEC295D30383B54E39D609D160AFCB1908D0BD87041321886CA989CA9C7D58087307CA93092D651EFA", "C3 is 31 bytes" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_ciphertexts_are_refused_with_a_reason(string description, Sm2CiphertextFormat format, string hex, string expectedMessagePart)
    {
        _ = description;
        using var key = new Sm2PrivateKey(Hex.Parse(RecommendedD));
        Assert.False(Sm2.TryDecrypt(key, Hex.Parse(hex), format, out _, out var error));
        Assert.Contains(expectedMessagePart, error, StringComparison.Ordinal);
        var e = Assert.Throws<CryptographicException>(() => Sm2.Decrypt(key, Hex.Parse(hex), format));
        Assert.Contains(expectedMessagePart, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_plaintext_is_refused()
    {
        using var key = Sm2.GenerateKeyPair();
        Assert.Throws<ArgumentException>(() => Sm2.Encrypt(key.PublicKey, []));
    }

    [Fact]
    public void BouncyCastle_1_8_10_SM2Engine_uses_the_old_C1_C2_C3_order()
    {
        using var key = Sm2.GenerateKeyPair();
        var domain = Sm2Domain.Recommended;
        var bcDomain = new ECDomainParameters(domain.Curve, domain.G, domain.N);
        var engine = new SM2Engine();
        engine.Init(true, new ParametersWithRandom(new ECPublicKeyParameters(key.PublicKey.Point, bcDomain), new SecureRandom()));
        var bcCiphertext = engine.ProcessBlock(s_plaintext, 0, s_plaintext.Length);
        Assert.Equal(s_plaintext, Sm2.Decrypt(key, bcCiphertext, Sm2CiphertextFormat.C1C2C3));
        Assert.False(Sm2.TryDecrypt(key, bcCiphertext, Sm2CiphertextFormat.C1C3C2, out _, out _));

        var ours = Sm2.Encrypt(key.PublicKey, s_plaintext, Sm2CiphertextFormat.C1C2C3);
        engine.Init(false, new ECPrivateKeyParameters(key.D, bcDomain));
        Assert.Equal(s_plaintext, engine.ProcessBlock(ours, 0, ours.Length));
    }
}
