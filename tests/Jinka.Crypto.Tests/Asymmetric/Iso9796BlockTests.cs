using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;

namespace Jinka.Crypto.Tests.Asymmetric;

public class Iso9796BlockTests
{
    // Format 02 fields (EMV Book 2 Table 6): issuer ID 4, expiry 2, serial 3, hash alg 01, PK alg 01, PK length, exponent length.
    private static readonly byte[] s_issuerHeader = Hex.Parse("62354897" + "1230" + "001258" + "01" + "01" + "90" + "01");

    [Fact]
    public void Build_lays_out_header_format_data_padding_hash_and_trailer()
    {
        var data = Hex.Parse("0102030405");
        var extra = Hex.Parse("AABBCC");
        var block = Iso9796Block.Build(0x03, data, extra, 64);
        Assert.Equal(64, block.Length);
        Assert.Equal(0x6A, block[0]);
        Assert.Equal(0x03, block[1]);
        Assert.Equal(data, block[2..7]);
        Assert.All(block[7..43], b => Assert.Equal(0xBB, b));
        Assert.Equal(SHA1.HashData([.. block[1..43], .. extra]), block[43..63]);
        Assert.Equal(0xBC, block[63]);
        Assert.Equal(41, Iso9796Block.DataCapacity(64));
        Assert.Equal(block[2..43], Iso9796Block.GetData(block).ToArray());
        Assert.Equal(block[43..63], Iso9796Block.GetHash(block).ToArray());
        Assert.Equal(Iso9796Status.Valid, Iso9796Block.Check(block, 0x03, extra));
    }

    [Fact]
    public void Issuer_certificate_format_02_signed_by_a_CA_key_recovers_and_checks()
    {
        using var ca = EmvRsaPrivateKey.Generate(1152);
        using var issuer = EmvRsaPrivateKey.Generate(1152);
        int room = ca.ModulusLength - 36;     // N_CA − 36 leftmost digits of the issuer key fit in the certificate
        var issuerModulus = issuer.PublicKey.Modulus;
        var leftmost = issuerModulus[..room];
        var remainder = issuerModulus[room..];
        var certificate = EmvRsa.Sign(ca, Iso9796Block.Build(
            Iso9796Block.IssuerCertificateFormat, [.. s_issuerHeader, .. leftmost], [.. remainder, .. issuer.PublicKey.Exponent], ca.ModulusLength));

        var recovered = EmvRsa.Recover(ca.PublicKey, certificate);
        Assert.Equal(Iso9796Status.Valid, Iso9796Block.Check(recovered, 0x02, [.. remainder, .. issuer.PublicKey.Exponent]));
        Assert.Equal(Iso9796Status.HashMismatch, Iso9796Block.Check(recovered, 0x02, remainder.ToArray()));
        Assert.Equal(leftmost.ToArray(), Iso9796Block.GetData(recovered)[s_issuerHeader.Length..].ToArray());
    }

    [Fact]
    public void SM3_and_SHA256_blocks_check_with_their_own_hash_length()
    {
        var block = Iso9796Block.Build(0x05, [0x01, 0x02], "ddol"u8, 128, HashAlgorithmKind.Sm3);
        Assert.Equal(Iso9796Status.Valid, Iso9796Block.Check(block, 0x05, "ddol"u8, HashAlgorithmKind.Sm3));
        Assert.Equal(Iso9796Status.HashMismatch, Iso9796Block.Check(block, 0x05, "ddol"u8, HashAlgorithmKind.Sha256));
        Assert.Equal(128 - 35, Iso9796Block.GetData(block, HashAlgorithmKind.Sm3).Length);
    }

    public static TheoryData<string, int, byte, Iso9796Status> Malformed() => new()
    {
        { "header 6B", 0, 0x01, Iso9796Status.BadHeader },
        { "trailer BD", 63, 0x01, Iso9796Status.BadTrailer },
        { "format 04 instead of 03", 1, 0x07, Iso9796Status.WrongFormat },
        { "data byte flipped", 2, 0x01, Iso9796Status.HashMismatch },
        { "pad byte flipped", 40, 0x01, Iso9796Status.HashMismatch },
        { "hash byte flipped", 50, 0x80, Iso9796Status.HashMismatch },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Check_reports_what_is_wrong(string description, int offset, byte xor, Iso9796Status expected)
    {
        _ = description;
        var block = Iso9796Block.Build(0x03, [0x01, 0xDA, 0xC0], "static"u8, 64);
        block[offset] ^= xor;
        Assert.Equal(expected, Iso9796Block.Check(block, 0x03, "static"u8));
    }

    [Fact]
    public void Check_reports_short_blocks_and_other_extra_data()
    {
        var block = Iso9796Block.Build(0x03, [], "static"u8, 64);
        Assert.Equal(Iso9796Status.HashMismatch, Iso9796Block.Check(block, 0x03, "Static"u8));
        Assert.Equal(Iso9796Status.HashMismatch, Iso9796Block.Check(block, 0x03, []));
        Assert.Equal(Iso9796Status.TooShort, Iso9796Block.Check(block.AsSpan(0, 22), 0x03, "static"u8));
        Assert.Equal(Iso9796Status.TooShort, Iso9796Block.Check([], 0x03, []));
    }

    [Fact]
    public void Build_refuses_data_that_does_not_fit()
    {
        Assert.Throws<ArgumentException>(() => Iso9796Block.Build(0x03, new byte[42], [], 64));
        Assert.Throws<ArgumentException>(() => Iso9796Block.Build(0x03, [], [], 22));
        Assert.Equal(64, Iso9796Block.Build(0x03, new byte[41], [], 64).Length);
        Assert.Throws<ArgumentException>(() => Iso9796Block.GetData(new byte[20]));
    }
}
