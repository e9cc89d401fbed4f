using System.Security.Cryptography;
using System.Text;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Tests.Peers;

namespace Jinka.Crypto.Tests.Asymmetric;

/// <summary>OpenSSL's raw RSA (no padding) as the peer for <see cref="EmvRsa"/>.</summary>
public class EmvRsaOpenSslTests
{
    [OpenSslFact]
    public void Openssl_verifyrecover_returns_the_block_we_signed_and_we_recover_what_it_signed()
    {
        using var dir = new TempDirectory();
        var keyPem = dir.File("key.pem");
        OpenSsl.RunChecked(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out", keyPem]);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(keyPem));
        using var key = new EmvRsaPrivateKey(rsa.ExportParameters(true));
        var pubPem = dir.Write("pub.pem", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));

        var block = Iso9796Block.Build(Iso9796Block.SignedStaticDataFormat, [0x01, 0xDA, 0xC0], "static data"u8, key.ModulusLength);
        var signature = dir.Write("sig", EmvRsa.Sign(key, block));
        var recovered = OpenSsl.RunChecked(["pkeyutl", "-verifyrecover", "-pubin", "-inkey", pubPem, "-pkeyopt", "rsa_padding_mode:none", "-in", signature]);
        Assert.Equal(block, recovered);

        var their = dir.Write("block", block);
        // pkeyutl -sign insists on a digest-sized input; -decrypt without padding is the same raw m^d mod n.
        var theirSignature = OpenSsl.RunChecked(["pkeyutl", "-decrypt", "-inkey", keyPem, "-pkeyopt", "rsa_padding_mode:none", "-in", their]);
        Assert.Equal(File.ReadAllBytes(signature), theirSignature);
        Assert.Equal(block, EmvRsa.Recover(key.PublicKey, theirSignature));
    }

    [OpenSslFact]
    public void Openssl_recovers_with_our_generated_exponent_3_key()
    {
        using var dir = new TempDirectory();
        using var key = EmvRsaPrivateKey.Generate(1152, 3);
        using var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = key.PublicKey.Modulus.ToArray(), Exponent = key.PublicKey.Exponent.ToArray() });
        var pubPem = dir.Write("pub.pem", Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()));
        var block = RandomNumberGenerator.GetBytes(key.ModulusLength);
        block[0] = 0x6A;
        var signature = dir.Write("sig", EmvRsa.Sign(key, block));
        Assert.Equal(block, OpenSsl.RunChecked(["pkeyutl", "-verifyrecover", "-pubin", "-inkey", pubPem, "-pkeyopt", "rsa_padding_mode:none", "-in", signature]));
    }
}
