using System.Security.Cryptography;
using System.Text;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.Tests.Asymmetric;
using Jinka.Crypto.Tests.Peers;
using static Jinka.Crypto.Tests.Certificates.EmvRsaTestKeys;

namespace Jinka.Crypto.Tests.Certificates;

public class EmvRsaPinEnciphermentTests
{
    private static readonly byte[] s_pinBlock = Hex.Parse("241234FFFFFFFFFF");
    private static readonly byte[] s_challenge = Hex.Parse("0102030405060708");

    [Fact]
    public void The_card_deciphers_what_the_terminal_enciphered()
    {
        var pad = RandomNumberGenerator.GetBytes(EmvRsaPinEncipherment.PadLength(Icc.ModulusLength));
        Assert.Equal(111, pad.Length);
        var enciphered = EmvRsaPinEncipherment.Encipher(Icc.PublicKey, s_pinBlock, s_challenge, pad);
        Assert.Equal(128, enciphered.Length);
        Assert.Equal([0x7F, .. s_pinBlock, .. s_challenge, .. pad], EmvRsa.Sign(Icc, enciphered));

        Assert.True(EmvRsaPinEncipherment.TryDecipher(Icc, enciphered, out var pinBlock, out var challenge, out _));
        Assert.Equal(s_pinBlock, pinBlock);
        Assert.Equal(s_challenge, challenge);
    }

    [Fact]
    public void Deciphering_refuses_other_keys_and_lengths()
    {
        var enciphered = EmvRsaPinEncipherment.Encipher(Issuer.PublicKey, s_pinBlock, s_challenge, new byte[111]);
        Assert.False(EmvRsaPinEncipherment.TryDecipher(Icc, enciphered, out _, out _, out var error));
        Assert.NotNull(error);
        Assert.False(EmvRsaPinEncipherment.TryDecipher(Icc, new byte[127], out _, out _, out error));
        Assert.Contains("127 bytes", error, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => EmvRsaPinEncipherment.Encipher(Icc.PublicKey, s_pinBlock[..7], s_challenge, new byte[111]));
        Assert.Throws<ArgumentException>(() => EmvRsaPinEncipherment.Encipher(Icc.PublicKey, s_pinBlock, s_challenge, new byte[110]));
    }

    [OpenSslFact]
    public void Openssl_raw_encryption_of_the_7F_block_matches()
    {
        using var dir = new TempDirectory();
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Icc.PublicKey.Modulus.ToArray(), Exponent = Icc.PublicKey.Exponent.ToArray() });
        var pubPem = dir.Write("pub.pem", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        var pad = RandomNumberGenerator.GetBytes(111);
        var block = dir.Write("block", [0x7F, .. s_pinBlock, .. s_challenge, .. pad]);
        var theirs = OpenSsl.RunChecked(["pkeyutl", "-encrypt", "-pubin", "-inkey", pubPem, "-pkeyopt", "rsa_padding_mode:none", "-in", block]);
        Assert.Equal(theirs, EmvRsaPinEncipherment.Encipher(Icc.PublicKey, s_pinBlock, s_challenge, pad));
    }

    [OpenSslFact]
    public void Openssl_recovers_an_issuer_certificate_with_the_layout_of_table_6()
    {
        using var dir = new TempDirectory();
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = Ca.PublicKey.Modulus.ToArray(), Exponent = Ca.PublicKey.Exponent.ToArray() });
        var pubPem = dir.Write("ca.pem", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        var data = EmvRsaIssuerCertificate.Create(Hex.Parse("622588FF"), Hex.Parse("1230"), Hex.Parse("000042"), Issuer.PublicKey, Ca);
        var recovered = OpenSsl.RunChecked(["pkeyutl", "-verifyrecover", "-pubin", "-inkey", pubPem, "-pkeyopt", "rsa_padding_mode:none", "-in", dir.Write("cert", data.Certificate)]);
        Assert.Equal("6A02622588FF1230000042010180" + "03", Hex.Encode(recovered[..15]));
        Assert.Equal(SHA1.HashData([.. recovered[1..^21], .. data.Remainder, .. data.Exponent]), recovered[^21..^1]);
        Assert.Equal(0xBC, recovered[^1]);
    }
}
