using Jinka.Core;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.CaKeys;

public class CaPublicKeyStoreTests
{
    // ADDENDUM 1.3: the UnionPay SM CA key, RID A000000333, index 18.
    private const string UnionPaySm2Key = "04"
        + "37710FEB7CC3617767874E85509C268E8F931D68773E93A89F39A4247DFE2D28"
        + "0FC5BC838353885B6DAD447C8F90116BD9D314047591989F67F319544D42A48B";

    [Fact]
    public void Json_round_trip_keeps_every_field()
    {
        var store = TestKeys.Store();
        store.Add(CaPublicKey.Sm2(Hex.Parse("A000000333"), 0x18, Hex.Parse(UnionPaySm2Key), new DateOnly(2030, 12, 31)));
        var json = store.ToJson();
        var again = CaPublicKeyStore.FromJson(json);

        Assert.Equal(3, again.Count);
        Assert.True(again.TryGet(TestKeys.Rid, TestKeys.RsaCaIndex, out var rsa));
        Assert.Equal(CaKeyAlgorithm.Rsa, rsa.Algorithm);
        Assert.Equal(TestKeys.RsaCa.PublicKey, rsa.RsaKey);
        Assert.True(rsa.IsTestKey);
        Assert.True(again.TryGet(TestKeys.Rid, 0x18, out var sm2));
        Assert.Equal(UnionPaySm2Key[2..], Hex.Encode(sm2.Sm2Key!.Xy));
        Assert.Equal(new DateOnly(2030, 12, 31), sm2.Expiry);
        Assert.False(sm2.IsTestKey);
        Assert.Equal(json, again.ToJson());
    }

    [Fact]
    public void Json_has_exactly_the_documented_shape()
    {
        var store = new CaPublicKeyStore();
        store.Add(CaPublicKey.Sm2(Hex.Parse("A000000333"), 0x18, Hex.Parse(UnionPaySm2Key)));
        store.Add(CaPublicKey.Rsa(Hex.Parse("A000000333"), 0x02, Hex.Parse("C1" + new string('5', 254) + "B3"), [0x03], isTestKey: true));
        Assert.Equal(
            "[{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"C1" + new string('5', 254) + "B3\",\"exponent\":\"03\",\"test\":true},"
            + "{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]",
            store.ToJson(indented: false));
    }

    [Fact]
    public void A_single_object_is_accepted_and_algorithm_case_is_ignored()
    {
        var store = CaPublicKeyStore.FromJson("{\"rid\":\"a000000333\",\"index\":\"18\",\"algorithm\":\"SM2\",\"publicKey\":\"" + UnionPaySm2Key[2..] + "\"}");
        Assert.True(store.TryGet(Hex.Parse("A000000333"), 0x18, out var key));
        Assert.Equal("A000000333 #18 SM2", key.ToString());
    }

    [Fact]
    public void Lookup_misses_other_rid_or_index_and_revocation_names_rid_index_serial()
    {
        var store = TestKeys.Store();
        Assert.False(store.TryGet(Hex.Parse("A000000004"), TestKeys.RsaCaIndex, out _));
        Assert.False(store.TryGet(TestKeys.Rid, 0x99, out _));
        Assert.True(store.Remove(TestKeys.Rid, TestKeys.Sm2CaIndex));
        Assert.False(store.TryGet(TestKeys.Rid, TestKeys.Sm2CaIndex, out _));

        store.Revoke(TestKeys.Rid, TestKeys.RsaCaIndex, Hex.Parse("000001"));
        Assert.True(store.IsRevoked(TestKeys.Rid, TestKeys.RsaCaIndex, Hex.Parse("000001")));
        Assert.False(store.IsRevoked(TestKeys.Rid, TestKeys.RsaCaIndex, Hex.Parse("000002")));
        Assert.False(store.IsRevoked(TestKeys.Rid, 0x18, Hex.Parse("000001")));
        Assert.Equal("A000000333 #E1 serial 000001", Assert.Single(store.Revocations).ToString());
        Assert.Throws<ArgumentException>(() => store.Revoke(TestKeys.Rid, 1, Hex.Parse("01")));
    }

    [Fact]
    public void Rsa_checksum_is_sha1_over_rid_index_modulus_exponent()
    {
        var key = CaPublicKey.Rsa(Hex.Parse("A000000333"), 0x02, Hex.Parse("C1B3"), [0x03]);
        Assert.Equal(System.Security.Cryptography.SHA1.HashData(Hex.Parse("A00000033302C1B303")), key.RsaChecksum());
        Assert.Null(CaPublicKey.Sm2(Hex.Parse("A000000333"), 0x18, Hex.Parse(UnionPaySm2Key)).RsaChecksum());
        Assert.True(CaPublicKey.Rsa(Hex.Parse("A000000333"), 2, Hex.Parse("C1B3"), [3], new DateOnly(2024, 1, 1)).IsExpiredOn(new DateOnly(2024, 1, 2)));
        Assert.False(CaPublicKey.Rsa(Hex.Parse("A000000333"), 2, Hex.Parse("C1B3"), [3], new DateOnly(2024, 1, 1)).IsExpiredOn(new DateOnly(2024, 1, 1)));
    }

    public static TheoryData<string, string, int?, string?, string> MalformedJson() => new()
    {
        { "not JSON", "[{\"rid\":", null, null, "not valid JSON" },
        { "a number", "42", null, null, "expected an array of keys or one key object; found a number" },
        { "entry is a string", "[\"A000000333\"]", 0, null, "expected an object; found a string" },
        { "rid missing", "[{\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "rid", "missing" },
        { "rid 4 bytes", "[{\"rid\":\"A0000003\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "rid", "10 hex digits" },
        { "rid not hex", "[{\"rid\":\"A00000033Z\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "rid", "not hex" },
        { "index a number", "[{\"rid\":\"A000000333\",\"index\":18,\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "index", "expected a string; found a number" },
        { "index 3 digits", "[{\"rid\":\"A000000333\",\"index\":\"018\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "index", "not hex" },
        { "algorithm ecc", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"ecc\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 0, "algorithm", "expected \"rsa\" or \"sm2\"" },
        { "rsa without exponent", "[{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"C1B3\"}]", 0, "exponent", "missing" },
        { "rsa even modulus", "[{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"C1B2\",\"exponent\":\"03\"}]", 0, "modulus", "RSA modulus is even" },
        { "rsa even exponent", "[{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"C1B3\",\"exponent\":\"04\"}]", 0, "exponent", "exponent must be odd" },
        { "rsa with publicKey", "[{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"C1B3\",\"exponent\":\"03\",\"publicKey\":\"04\"}]", 0, "publicKey", "not a field of an RSA key" },
        { "sm2 key off the curve", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key[..^2] + "8C\"}]", 0, "publicKey", "not a point on the SM2 curve" },
        { "sm2 key 63 bytes", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key[4..] + "\"}]", 0, "publicKey", "expected 64" },
        { "typo in a field", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publickey\":\"" + UnionPaySm2Key + "\"}]", 0, "publickey", "not a field of an SM2 key" },
        { "test not boolean", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\",\"test\":\"yes\"}]", 0, "test", "expected true or false" },
        { "expiry not a date", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\",\"expiry\":\"1230\"}]", 0, "expiry", "expected a date YYYY-MM-DD" },
        { "second entry bad", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"},{\"rid\":\"A000000333\",\"index\":\"02\",\"algorithm\":\"rsa\",\"modulus\":\"\",\"exponent\":\"03\"}]", 1, "modulus", "empty" },
        { "duplicate RID and index", "[{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"},{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}]", 1, "index", "already defined by entry 0" },
    };

    [Theory]
    [MemberData(nameof(MalformedJson))]
    public void Malformed_json_names_the_entry_and_field(string description, string json, int? entry, string? field, string problem)
    {
        _ = description;
        var error = Assert.Throws<CaPublicKeyFormatException>(() => CaPublicKeyStore.FromJson(json));
        Assert.Equal(entry, error.Entry);
        Assert.Equal(field, error.Field);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        if (entry is int e)
        {
            Assert.StartsWith($"CA key file, entry {e}{(field is null ? "" : $", field \"{field}\"")}: ", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_bad_document_adds_nothing()
    {
        var store = new CaPublicKeyStore();
        string good = "{\"rid\":\"A000000333\",\"index\":\"18\",\"algorithm\":\"sm2\",\"publicKey\":\"" + UnionPaySm2Key + "\"}";
        Assert.Throws<CaPublicKeyFormatException>(() => store.AddFromJson("[" + good + ",{\"rid\":\"A000000333\"}]"));
        Assert.Empty(store);
    }

    [Fact]
    public void Save_and_load_a_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"jinka-capk-{Guid.NewGuid():N}.json");
        try
        {
            TestKeys.Store().Save(path);
            var loaded = CaPublicKeyStore.Load(path);
            Assert.Equal(2, loaded.Count);
            Assert.Equal(TestKeys.Store().ToJson(), loaded.ToJson());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
