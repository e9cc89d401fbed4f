using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Tests.Asymmetric.Sm2Examples;

namespace Jinka.Crypto.Tests.Asymmetric;

public class Sm2KeyTests
{
    [Fact]
    public void Public_key_reads_xy_and_04_xy_and_exports_both()
    {
        var xy = Hex.Parse(RecommendedPublicXy);
        var fromXy = new Sm2PublicKey(xy);
        var from04 = new Sm2PublicKey(Hex.Parse("04" + RecommendedPublicXy));
        Assert.Equal(fromXy, from04);
        Assert.Equal(xy, fromXy.ExportXy());
        Assert.Equal("04" + RecommendedPublicXy, Hex.Encode(fromXy.ExportUncompressed()));
        Assert.Equal(RecommendedPublicXy[..64], Hex.Encode(fromXy.X));
        Assert.Equal(RecommendedPublicXy[64..], Hex.Encode(fromXy.Y));
    }

    [Theory]
    [InlineData("y changed in its last byte", "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD14", "not a point on the SM2 curve")]
    [InlineData("all zero", "0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000000", "not a point on the SM2 curve")]
    [InlineData("x = p (out of the field)", "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF" + "0000000000000000000000000000000000000000000000000000000000000001", "not a point on the SM2 curve")]
    [InlineData("65 bytes with prefix 02", "02" + "09F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13", "byte 0 is 02, expected 04")]
    [InlineData("33-byte compressed form", "0209F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020", "is 33 bytes; expected 64")]
    [InlineData("empty", "", "is 0 bytes")]
    public void Public_key_rejects_bad_input_with_a_clear_message(string description, string hex, string expectedMessagePart)
    {
        _ = description;
        var e = Assert.Throws<ArgumentException>(() => new Sm2PublicKey(Hex.Parse(hex)));
        Assert.Contains(expectedMessagePart, e.Message, StringComparison.Ordinal);
        Assert.False(Sm2PublicKey.TryCreate(Hex.Parse(hex), out var key, out var error));
        Assert.Null(key);
        Assert.Contains(expectedMessagePart, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zero", "0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("n − 1", "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54122")]
    [InlineData("n", "FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123")]
    [InlineData("31 bytes", "01010101010101010101010101010101010101010101010101010101010101")]
    public void Private_key_rejects_out_of_range_scalars(string description, string hex)
    {
        _ = description;
        Assert.Throws<ArgumentException>(() => new Sm2PrivateKey(Hex.Parse(hex)));
    }

    [Fact]
    public void Private_key_n_minus_2_and_1_are_accepted()
    {
        using var max = new Sm2PrivateKey(Hex.Parse("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54121"));
        using var one = new Sm2PrivateKey(Hex.Parse("0000000000000000000000000000000000000000000000000000000000000001"));
        using var two = new Sm2PrivateKey(Hex.Parse("0000000000000000000000000000000000000000000000000000000000000002"));
        Assert.Equal("32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7", Hex.Encode(one.PublicKey.X)); // [1]G = G
        Assert.Equal(Hex.Encode(two.PublicKey.X), Hex.Encode(max.PublicKey.X));                                   // [n−2]G = −[2]G
        Assert.NotEqual(Hex.Encode(two.PublicKey.Y), Hex.Encode(max.PublicKey.Y));
    }

    [Fact]
    public void Dispose_zeroes_and_blocks_the_key()
    {
        var key = new Sm2PrivateKey(Hex.Parse(RecommendedD));
        Assert.Equal(RecommendedD, Hex.Encode(key.ExportD()));
        key.Dispose();
        Assert.Throws<ObjectDisposedException>(() => key.ExportD());
        Assert.Throws<ObjectDisposedException>(() => Sm2.Sign(key, "abc"u8));
        Assert.Equal(RecommendedPublicXy, Hex.Encode(key.PublicKey.Xy));   // the public half stays usable
    }

    [Fact]
    public void Generated_keys_differ_and_work()
    {
        using var a = Sm2.GenerateKeyPair();
        using var b = Sm2.GenerateKeyPair();
        Assert.NotEqual(a.ExportD(), b.ExportD());
        Assert.NotEqual(a.PublicKey, b.PublicKey);
        Assert.True(Sm2PublicKey.TryCreate(a.PublicKey.ExportXy(), out _, out _));
    }

    [Fact]
    public void Spki_and_pkcs8_round_trip()
    {
        using var key = new Sm2PrivateKey(Hex.Parse(RecommendedD));
        var spki = key.PublicKey.ExportSubjectPublicKeyInfo();
        Assert.StartsWith("3059301306072A8648CE3D020106082A811CCF5501822D034200" + "04", Hex.Encode(spki), StringComparison.Ordinal);
        Assert.Equal(key.PublicKey, Sm2PublicKey.ImportSubjectPublicKeyInfo(spki));
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", key.PublicKey.ExportSubjectPublicKeyInfoPem(), StringComparison.Ordinal);

        var pkcs8 = key.ExportPkcs8();
        using var back = Sm2PrivateKey.ImportPkcs8(pkcs8);
        Assert.Equal(RecommendedD, Hex.Encode(back.ExportD()));
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----", key.ExportPkcs8Pem(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty", "")]
    [InlineData("P-256 curve OID instead of SM2", "3059301306072A8648CE3D020106082A8648CE3D030107034200" + "04" + RecommendedPublicXy)]
    [InlineData("point not on the curve", "3059301306072A8648CE3D020106082A811CCF5501822D034200" + "04" + RecommendedPublicXy + "00")]
    [InlineData("truncated", "3059301306072A8648CE3D020106082A811CCF5501822D0342")]
    [InlineData("trailing byte", "3059301306072A8648CE3D020106082A811CCF5501822D034200" + "04" + RecommendedPublicXy + "00")]
    public void Spki_import_rejects_malformed_input(string description, string hex)
    {
        _ = description;
        Assert.Throws<FormatException>(() => Sm2PublicKey.ImportSubjectPublicKeyInfo(Hex.Parse(hex)));
    }

    [Fact]
    public void Pkcs8_import_rejects_a_mismatched_embedded_public_key()
    {
        using var key = Sm2.GenerateKeyPair();
        using var other = Sm2.GenerateKeyPair();
        var der = key.ExportPkcs8();
        var otherPoint = other.PublicKey.ExportUncompressed();
        der.AsSpan(der.Length - 65).Clear();
        otherPoint.CopyTo(der, der.Length - 65);
        var e = Assert.Throws<FormatException>(() => Sm2PrivateKey.ImportPkcs8(der));
        Assert.Contains("does not match", e.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Sm2PrivateKey.ImportPkcs8(der.AsSpan(0, 20)));
        Assert.Throws<FormatException>(() => Sm2PrivateKey.ImportEcPrivateKey(der));
    }
}
