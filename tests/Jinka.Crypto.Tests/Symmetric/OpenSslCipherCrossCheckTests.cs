using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Symmetric;
using Jinka.Crypto.Tests.Peers;

namespace Jinka.Crypto.Tests.Symmetric;

/// <summary>Encrypt here, encrypt with the openssl command line, compare; random keys and lengths.</summary>
public class OpenSslCipherCrossCheckTests
{
    public static TheoryData<string, CipherAlgorithm, int, int> Cases => new()
    {
        { "sm4-ecb", CipherAlgorithm.Sm4, 16, 16 },
        { "sm4-ecb", CipherAlgorithm.Sm4, 16, 160 },
        { "sm4-cbc", CipherAlgorithm.Sm4, 16, 48 },
        { "sm4-cbc", CipherAlgorithm.Sm4, 16, 1008 },
        { "des-ede-ecb", CipherAlgorithm.TripleDes, 16, 8 },
        { "des-ede-ecb", CipherAlgorithm.TripleDes, 16, 72 },
        { "des-ede-cbc", CipherAlgorithm.TripleDes, 16, 40 },
        { "des-ede3-ecb", CipherAlgorithm.TripleDes, 24, 64 },
        { "des-ede3-cbc", CipherAlgorithm.TripleDes, 24, 1000 },
        { "des-ecb", CipherAlgorithm.Des, 8, 24 },
        { "des-cbc", CipherAlgorithm.Des, 8, 32 },
    };

    [OpenSslTheory]
    [MemberData(nameof(Cases))]
    public void Encryption_matches_openssl_on_random_input(string opensslCipher, CipherAlgorithm algorithm, int keyLength, int dataLength)
    {
        for (int trial = 0; trial < 3; trial++)
        {
            byte[] key = RandomNumberGenerator.GetBytes(keyLength);
            byte[] data = RandomNumberGenerator.GetBytes(dataLength);
            using var cipher = BlockCipher.Create(algorithm, key);
            byte[] iv = RandomNumberGenerator.GetBytes(cipher.BlockSize);
            bool cbc = opensslCipher.EndsWith("-cbc", StringComparison.Ordinal);
            byte[] ours = cbc ? cipher.EncryptCbc(iv, data) : cipher.EncryptEcb(data);
            byte[] theirs = OpenSslEnc(opensslCipher, key, cbc ? iv : null, data, decrypt: false);
            Assert.Equal(Hex.Encode(theirs), Hex.Encode(ours));
            byte[] back = OpenSslEnc(opensslCipher, key, cbc ? iv : null, ours, decrypt: true);
            Assert.Equal(data, back);
        }
    }

    [OpenSslFact]
    public void Sm4_cbc_mac_equals_the_last_block_of_openssl_sm4_cbc()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] data = RandomNumberGenerator.GetBytes(37);
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, key);
        byte[] mac = Iso9797Mac.ComputeAlgorithm1(sm4, data, PaddingMethod.Iso9797Method2);
        byte[] cbc = OpenSslEnc("sm4-cbc", key, new byte[16], Padding.Apply(data, 16, PaddingMethod.Iso9797Method2), decrypt: false);
        Assert.Equal(Hex.Encode(cbc[^16..]), Hex.Encode(mac));
    }

    [OpenSslFact]
    public void Retail_mac_equals_openssl_des_steps()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] data = RandomNumberGenerator.GetBytes(29);
        byte[] iv = RandomNumberGenerator.GetBytes(8);
        byte[] padded = Padding.Apply(data, 8, PaddingMethod.Iso9797Method2);
        byte[] h = OpenSslEnc("des-cbc", key[..8], iv, padded, decrypt: false)[^8..];
        byte[] g = OpenSslEnc("des-ecb", key[..8], null, OpenSslEnc("des-ecb", key[8..], null, h, decrypt: true), decrypt: false);
        Assert.Equal(Hex.Encode(g), Hex.Encode(Iso9797Mac.ComputeAlgorithm3(key, data, PaddingMethod.Iso9797Method2, 8, iv)));
    }

    internal static byte[] OpenSslEnc(string cipher, byte[] key, byte[]? iv, byte[] data, bool decrypt)
    {
        var args = new List<string> { "enc", "-" + cipher, decrypt ? "-d" : "-e", "-nopad", "-K", Hex.Encode(key) };
        if (iv is not null)
        {
            args.AddRange(["-iv", Hex.Encode(iv)]);
        }

        if (cipher.StartsWith("des-", StringComparison.Ordinal) && !cipher.StartsWith("des-ede", StringComparison.Ordinal))
        {
            // Single DES lives in OpenSSL 3's legacy provider.
            args.AddRange(["-provider", "legacy", "-provider", "default"]);
        }

        return OpenSsl.RunChecked(args, data);
    }
}
