using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using static Jinka.Crypto.Tests.Asymmetric.Sm2Examples;

namespace Jinka.Crypto.Tests.Asymmetric;

public class Sm2SignTests
{
    private static readonly byte[] s_message = Ascii("message digest");

    [Fact]
    public void GmT0003_5_example_on_the_recommended_curve_public_key_Z_e_r_s()
    {
        using var key = new Sm2PrivateKey(Hex.Parse(RecommendedD));
        Assert.Equal(RecommendedPublicXy, Hex.Encode(key.PublicKey.Xy));
        Assert.Equal(RecommendedZ, Hex.Encode(Sm2.ComputeZ(key.PublicKey)));
        Assert.Equal(RecommendedZ, Hex.Encode(Sm2.ComputeZ(key.PublicKey, "1234567812345678"u8)));
        var e = Sm2.ComputeDigest(key.PublicKey, s_message);
        Assert.Equal(RecommendedE, Hex.Encode(e));

        var signature = Sm2.SignDigestWithK(key, e, Hex.Parse(RecommendedK));
        Assert.Equal(RecommendedR + RecommendedS, Hex.Encode(signature));
        Assert.True(Sm2.Verify(key.PublicKey, s_message, signature));
        Assert.True(Sm2.Verify(new Sm2PublicKey(Hex.Parse(RecommendedPublicXy)), s_message, signature, Sm2.DefaultUserId));
    }

    [Fact]
    public void GbT32918_2_example_on_the_test_curve_public_key_r_s()
    {
        using var key = new Sm2PrivateKey(TestCurve, Hex.Parse(TestCurveSignD));
        Assert.Equal(TestCurveSignPublicXy, Hex.Encode(key.PublicKey.Xy));
        var userId = Ascii(TestCurveSignUserId);
        var e = new byte[32];
        Sm2.ComputeDigest(key.PublicKey, userId, s_message, e);

        var signature = Sm2.SignDigestWithK(key, e, Hex.Parse(TestCurveSignK));
        Assert.Equal(TestCurveSignR + TestCurveSignS, Hex.Encode(signature));
        Assert.True(Sm2.Verify(key.PublicKey, s_message, signature, userId));
        Assert.False(Sm2.Verify(key.PublicKey, s_message, signature), "the default ID must give another ZA");
    }

    [Fact]
    public void Recommended_curve_has_the_GM_T_0003_5_p_and_n()
    {
        Assert.Equal("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF", Sm2Domain.Recommended.P.ToString(16).ToUpperInvariant());
        Assert.Equal("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", Sm2Domain.Recommended.N.ToString(16).ToUpperInvariant());
        Assert.True(Sm2Domain.Recommended.Curve.Cofactor.Equals(Org.BouncyCastle.Math.BigInteger.One));
    }

    [Fact]
    public void ZA_is_SM3_of_ENTL_ID_curve_and_key()
    {
        var key = new Sm2PublicKey(Hex.Parse(RecommendedPublicXy));
        var input = Hex.Parse(
            "0080" + "31323334353637383132333435363738"
            + "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC"
            + "28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93"
            + "32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7"
            + "BC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0"
            + RecommendedPublicXy);
        Assert.Equal(Sm3.Hash(input), Sm2.ComputeZ(key));
        Assert.Equal(RecommendedZ, Hex.Encode(Sm3.Hash(input)));
    }

    [Fact]
    public void Sign_verify_round_trip_with_default_custom_and_empty_user_IDs()
    {
        using var key = Sm2.GenerateKeyPair();
        foreach (var userId in new[] { Sm2.DefaultUserId.ToArray(), Ascii("ALICE123@YAHOO.COM"), [] })
        {
            var message = new byte[100];
            Random.Shared.NextBytes(message);
            var signature = Sm2.Sign(key, message, userId);
            Assert.Equal(64, signature.Length);
            Assert.True(Sm2.Verify(key.PublicKey, message, signature, userId));
        }

        var sig = Sm2.Sign(key, "abc"u8);
        Assert.True(Sm2.Verify(key.PublicKey, "abc"u8, sig));
        Assert.NotEqual(sig, Sm2.Sign(key, "abc"u8));   // random k each time
    }

    [Fact]
    public void Flipping_any_single_bit_makes_verification_fail()
    {
        using var key = Sm2.GenerateKeyPair();
        var message = Ascii("PBOC static data");
        var signature = Sm2.Sign(key, message);
        for (int bit = 0; bit < message.Length * 8; bit += 5)
        {
            var tampered = (byte[])message.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Sm2.Verify(key.PublicKey, tampered, signature));
        }

        for (int bit = 0; bit < 512; bit += 3)
        {
            var tampered = (byte[])signature.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(Sm2.Verify(key.PublicKey, message, tampered));
        }

        using var other = Sm2.GenerateKeyPair();
        Assert.False(Sm2.Verify(other.PublicKey, message, signature));
        Assert.False(Sm2.Verify(key.PublicKey, message, signature, "1234567812345679"u8));
    }

    public static TheoryData<string, string> OutOfRangeSignatures()
    {
        const string n = "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123";
        const string one = "0000000000000000000000000000000000000000000000000000000000000001";
        const string zero = "0000000000000000000000000000000000000000000000000000000000000000";
        return new TheoryData<string, string>
        {
            { "r = 0", zero + one },
            { "s = 0", one + zero },
            { "r = n", n + one },
            { "s = n", one + n },
            { "r = s = FF…FF", new string('F', 128) },
            { "63 bytes", new string('1', 126) },
            { "65 bytes", new string('1', 130) },
            { "empty", "" },
            { "r + s = n", "0000000000000000000000000000000000000000000000000000000000000002" + "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121" },
        };
    }

    [Theory]
    [MemberData(nameof(OutOfRangeSignatures))]
    public void Malformed_or_out_of_range_signature_gives_false(string description, string signatureHex)
    {
        _ = description;
        using var key = Sm2.GenerateKeyPair();
        Assert.False(Sm2.Verify(key.PublicKey, "abc"u8, Hex.Parse(signatureHex)));
    }

    [Fact]
    public void Digest_variants_agree_with_the_message_variants()
    {
        using var key = Sm2.GenerateKeyPair();
        var e = Sm2.ComputeDigest(key.PublicKey, "card data"u8);
        var signature = Sm2.SignDigest(key, e);
        Assert.True(Sm2.Verify(key.PublicKey, "card data"u8, signature));
        Assert.True(Sm2.VerifyDigest(key.PublicKey, e, Sm2.Sign(key, "card data"u8)));
        Assert.Throws<ArgumentException>(() => Sm2.SignDigest(key, new byte[31]));
        Assert.Throws<ArgumentException>(() => Sm2.ComputeZ(key.PublicKey, new byte[8192]));
    }

    [Fact]
    public void BouncyCastle_SM2Signer_verifies_ours_and_we_verify_its()
    {
        using var key = Sm2.GenerateKeyPair();
        var message = Ascii("cross-check with BouncyCastle");
        var domain = Sm2Domain.Recommended;
        var bcDomain = new ECDomainParameters(domain.Curve, domain.G, domain.N);
        var bcPublic = new ECPublicKeyParameters(key.PublicKey.Point, bcDomain);
        var bcPrivate = new ECPrivateKeyParameters(key.D, bcDomain);

        var verifier = new SM2Signer();
        verifier.Init(false, bcPublic);     // BouncyCastle's default ID is 1234567812345678 as well
        verifier.BlockUpdate(message, 0, message.Length);
        Assert.True(verifier.VerifySignature(Sm2Signature.ToDer(Sm2.Sign(key, message))));

        var signer = new SM2Signer();
        signer.Init(true, new ParametersWithRandom(bcPrivate, new SecureRandom()));
        signer.BlockUpdate(message, 0, message.Length);
        var der = signer.GenerateSignature();
        Assert.True(Sm2.Verify(key.PublicKey, message, Sm2Signature.Parse(der)));
    }
}
