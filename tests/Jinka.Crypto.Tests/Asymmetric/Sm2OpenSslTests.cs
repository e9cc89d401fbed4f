using System.Text;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Tests.Peers;

namespace Jinka.Crypto.Tests.Asymmetric;

/// <summary>OpenSSL 3.0 as the independent SM2 peer. Its default SM2 ID is empty, so every call passes distid.</summary>
public class Sm2OpenSslTests
{
    private const string DistId = "distid:1234567812345678";

    [OpenSslFact]
    public void Openssl_verifies_our_signature_under_our_SubjectPublicKeyInfo()
    {
        using var dir = new TempDirectory();
        using var key = Sm2.GenerateKeyPair();
        var message = Encoding.ASCII.GetBytes("signed here, verified by openssl");
        var pub = dir.Write("pub.der", key.PublicKey.ExportSubjectPublicKeyInfo());
        var msg = dir.Write("msg", message);
        var sig = dir.Write("sig", Sm2Signature.ToDer(Sm2.Sign(key, message)));

        var (code, output, error) = OpenSsl.Run(Verify(pub, msg, sig));
        Assert.True(code == 0, error);
        Assert.Contains("Signature Verified Successfully", Encoding.ASCII.GetString(output), StringComparison.Ordinal);

        // And openssl rejects it for another message.
        dir.Write("msg", Encoding.ASCII.GetBytes("another message"));
        Assert.NotEqual(0, OpenSsl.Run(Verify(pub, msg, sig)).ExitCode);
    }

    [OpenSslFact]
    public void We_verify_an_openssl_signature_and_read_its_keys()
    {
        using var dir = new TempDirectory();
        var keyPem = dir.File("key.pem");
        OpenSsl.RunChecked(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2", "-out", keyPem]);
        var spki = OpenSsl.RunChecked(["pkey", "-in", keyPem, "-pubout", "-outform", "DER"]);
        var pkcs8 = OpenSsl.RunChecked(["pkcs8", "-topk8", "-nocrypt", "-in", keyPem, "-outform", "DER"]);
        var sec1 = OpenSsl.RunChecked(["pkey", "-in", keyPem, "-outform", "DER"]);
        var message = Encoding.ASCII.GetBytes("signed by openssl, verified here");
        var msg = dir.Write("msg", message);
        var der = OpenSsl.RunChecked(["pkeyutl", "-sign", "-inkey", keyPem, "-rawin", "-digest", "sm3", "-pkeyopt", DistId, "-in", msg]);

        var publicKey = Sm2PublicKey.ImportSubjectPublicKeyInfo(spki);
        Assert.True(Sm2.Verify(publicKey, message, Sm2Signature.Parse(der)));
        Assert.False(Sm2.Verify(publicKey, message, Sm2Signature.Parse(der), []), "openssl signed with distid, not the empty ID");

        using var fromPkcs8 = Sm2PrivateKey.ImportPkcs8(pkcs8);
        using var fromSec1 = Sm2PrivateKey.ImportEcPrivateKey(sec1);
        Assert.Equal(publicKey, fromPkcs8.PublicKey);
        Assert.Equal(publicKey, fromSec1.PublicKey);
    }

    [OpenSslFact]
    public void Openssl_reads_our_PKCS8_key_and_signs_for_us()
    {
        using var dir = new TempDirectory();
        using var key = Sm2.GenerateKeyPair();
        var keyPem = dir.Write("key.pem", Encoding.ASCII.GetBytes(key.ExportPkcs8Pem()));
        var message = Encoding.ASCII.GetBytes("our key in openssl's hands");
        var msg = dir.Write("msg", message);
        var der = OpenSsl.RunChecked(["pkeyutl", "-sign", "-inkey", keyPem, "-rawin", "-digest", "sm3", "-pkeyopt", DistId, "-in", msg]);
        Assert.True(Sm2.Verify(key.PublicKey, message, Sm2Signature.Parse(der)));
    }

    [OpenSslFact]
    public void Encryption_interoperates_in_GM_T_0009_DER_both_ways()
    {
        using var dir = new TempDirectory();
        using var key = Sm2.GenerateKeyPair();
        var plaintext = Encoding.ASCII.GetBytes("SM2 encryption across implementations, longer than one KDF block");
        var pub = dir.Write("pub.der", key.PublicKey.ExportSubjectPublicKeyInfo());
        var keyPem = dir.Write("key.pem", Encoding.ASCII.GetBytes(key.ExportPkcs8Pem()));
        var plain = dir.Write("plain", plaintext);

        var fromOpenSsl = OpenSsl.RunChecked(["pkeyutl", "-encrypt", "-pubin", "-keyform", "DER", "-inkey", pub, "-in", plain]);
        Assert.Equal(plaintext, Sm2.Decrypt(key, fromOpenSsl, Sm2CiphertextFormat.Der));

        var ours = dir.Write("ours", Sm2.Encrypt(key.PublicKey, plaintext, Sm2CiphertextFormat.Der));
        Assert.Equal(plaintext, OpenSsl.RunChecked(["pkeyutl", "-decrypt", "-inkey", keyPem, "-in", ours]));
    }

    private static string[] Verify(string pub, string msg, string sig) =>
        ["pkeyutl", "-verify", "-pubin", "-keyform", "DER", "-inkey", pub, "-rawin", "-digest", "sm3", "-pkeyopt", DistId, "-in", msg, "-sigfile", sig];
}
