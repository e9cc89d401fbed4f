using System.Text.Json;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Issuance.Ca;

namespace Jinka.Issuance.Tests.Ca;

/// <summary>The fixed test CA keys (D13) and the CA public key export the terminal side loads.</summary>
public class CaKeyTests
{
    [Fact]
    public void The_test_ca_files_hold_an_rsa_key_at_80_and_an_sm2_key_at_81_both_marked_test()
    {
        using var store = TestFiles.CaKeys();

        var rsa = store.Get("A000000333", 0x80);
        var sm2 = store.Get("A000000333", 0x81);

        Assert.True(rsa.IsTest && sm2.IsTest);
        Assert.Equal(176, rsa.Rsa!.ModulusLength);
        Assert.Equal("03", Hex.Encode(rsa.Rsa.PublicKey.Exponent));
        Assert.NotNull(sm2.Sm2);
        Assert.Throws<KeyNotFoundException>(() => store.Get("A000000333", 0x18));
    }

    [Fact]
    public void The_rsa_test_ca_private_key_matches_its_public_key()
    {
        using var store = TestFiles.CaKeys();
        var ca = store.Get("A000000333", 0x80).Rsa!;
        var block = new byte[ca.ModulusLength];
        block[0] = 0x6A;
        block[1] = 0x02;
        block[^1] = 0xBC;

        var recovered = EmvRsa.Recover(ca.PublicKey, EmvRsa.Sign(ca, block));

        Assert.Equal(block, recovered);
    }

    [Fact]
    public void The_sm2_test_ca_private_key_signs_what_its_public_key_verifies()
    {
        using var store = TestFiles.CaKeys();
        var ca = store.Get("A000000333", 0x81).Sm2!;

        Assert.True(Sm2.Verify(ca.PublicKey, "jinka"u8, Sm2.Sign(ca, "jinka"u8)));
    }

    [Fact]
    public void The_export_is_a_json_array_of_public_keys_in_the_terminal_format()
    {
        using var store = TestFiles.CaKeys();

        using var json = JsonDocument.Parse(CaKeyExport.ToJson(store));

        var keys = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, keys.Count);
        var rsa = keys.Single(k => k.GetProperty("algorithm").GetString() == "rsa");
        Assert.Equal(["rid", "index", "algorithm", "modulus", "exponent", "test"], rsa.EnumerateObject().Select(p => p.Name));
        Assert.Equal("A000000333", rsa.GetProperty("rid").GetString());
        Assert.Equal("80", rsa.GetProperty("index").GetString());
        Assert.Equal(Hex.Encode(store.Get("A000000333", 0x80).Rsa!.PublicKey.Modulus), rsa.GetProperty("modulus").GetString());
        Assert.Equal("03", rsa.GetProperty("exponent").GetString());
        Assert.True(rsa.GetProperty("test").GetBoolean());

        var sm2 = keys.Single(k => k.GetProperty("algorithm").GetString() == "sm2");
        Assert.Equal(["rid", "index", "algorithm", "publicKey", "test"], sm2.EnumerateObject().Select(p => p.Name));
        Assert.Equal("81", sm2.GetProperty("index").GetString());
        var publicKey = sm2.GetProperty("publicKey").GetString()!;
        Assert.StartsWith("04", publicKey, StringComparison.Ordinal);
        Assert.Equal(130, publicKey.Length);
        Assert.Equal(store.Get("A000000333", 0x81).Sm2!.PublicKey, new Sm2PublicKey(Hex.Parse(publicKey)));
        Assert.Contains("private", File.ReadAllText(Path.Combine(TestFiles.Profiles, "ca", "jinka-test-ca-sm2-81.json")), StringComparison.Ordinal);
        Assert.DoesNotContain("\"d\"", CaKeyExport.ToJson(store), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"rid":"A000000333","index":"80","algorithm":"dsa"}""", "algorithm", "an unknown algorithm")]
    [InlineData("""{"rid":"A0000003","index":"80","algorithm":"sm2","publicKey":"00","private":{"d":"00"}}""", "rid", "a 4-byte RID")]
    [InlineData("""{"rid":"A000000333","algorithm":"sm2","publicKey":"00","private":{"d":"00"}}""", "index", "no index")]
    [InlineData("""{"rid":"A000000333","index":"81","algorithm":"sm2","publicKey":"04AA","private":{"d":"01"}}""", "publicKey", "a short public key")]
    [InlineData("""{"rid":"A000000333","index":"80","algorithm":"rsa","modulus":"AB","exponent":"03","private":{}}""", "modulus", "a 1-byte modulus")]
    [InlineData("{", "JSON", "truncated JSON")]
    public void A_malformed_ca_file_is_refused_naming_the_field(string json, string field, string description)
    {
        var exception = Assert.Throws<InvalidDataException>(() => CaKey.Parse(json, "bad.json"));
        Assert.True(exception.Message.Contains(field, StringComparison.Ordinal), $"{description}: {exception.Message}");
    }

    [Fact]
    public void An_sm2_ca_file_whose_public_key_is_not_its_private_key_s_is_refused()
    {
        using var store = TestFiles.CaKeys();
        string json = File.ReadAllText(Path.Combine(TestFiles.Profiles, "ca", "jinka-test-ca-sm2-81.json"));
        string other = Hex.Encode(Sm2.GenerateKeyPair().PublicKey.ExportUncompressed());
        string publicKey = Hex.Encode(store.Get("A000000333", 0x81).Sm2!.PublicKey.ExportUncompressed());

        var exception = Assert.Throws<InvalidDataException>(() => CaKey.Parse(json.Replace(publicKey, other, StringComparison.Ordinal)));

        Assert.Contains("publicKey", exception.Message, StringComparison.Ordinal);
    }
}
