using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Keys;

public sealed class CardKeyCacheTests
{
    private static readonly byte[] s_mdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_otherMdk = Hex.Parse("1123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_acData = Hex.Parse("00000000010000000000000001560000000000015624010100123456787C00000103A00000");

    [Theory]
    [InlineData("3DES, NOTES A.3 card", CipherAlgorithm.TripleDes)]
    [InlineData("SM4, NOTES A.4 suite", CipherAlgorithm.Sm4)]
    public void Cached_card_keys_give_the_same_cryptograms_as_derivation_every_time(string description, CipherAlgorithm algorithm)
    {
        Assert.NotEmpty(description);
        using var cached = new SoftwareKeyStore();
        using var uncached = new SoftwareKeyStore(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = 0 });
        foreach (var store in new[] { cached, uncached })
        {
            store.ImportClearKey("ac", KeyUsage.MdkAc, algorithm, s_mdk);
            store.ImportClearKey("mac", KeyUsage.MdkMac, algorithm, s_mdk);
            store.ImportClearKey("enc", KeyUsage.MdkEnc, algorithm, s_mdk);
        }

        var suite = algorithm == CipherAlgorithm.Sm4 ? AlgorithmSuite.Sm : AlgorithmSuite.International;
        string[] pans = ["6225880000000001", "6225880000000002", "62258800000000019"];
        foreach (var scheme in new[] { EmvKeyScheme.Pboc, EmvKeyScheme.EmvCommon })
        {
            foreach (string pan in pans)
            {
                for (int atcValue = 1; atcValue <= 3; atcValue++)
                {
                    byte[] atc = [0x00, (byte)atcValue];
                    byte[] udk = suite.DeriveUdk(s_mdk, pan, 0x01, scheme.UdkOption);
                    byte[] arqc = suite.GenerateAc(suite.DeriveSessionKey(udk, atc, scheme.SessionKeyMethod), s_acData);
                    Assert.True(cached.VerifyArqc("ac", pan, 0x01, atc, s_acData, arqc, scheme));
                    Assert.False(cached.VerifyArqc("ac", pan, 0x00, atc, s_acData, arqc, scheme));
                    Assert.Equal(Arpc(uncached, pan, 0x01, atc, arqc, scheme), Arpc(cached, pan, 0x01, atc, arqc, scheme));

                    byte[] macInput = [0x04, 0xDA, 0x9F, 0x79, 0x0A, .. atc, .. arqc];
                    byte[] expectedMac = new byte[4];
                    byte[] actualMac = new byte[4];
                    uncached.GenerateScriptMac("mac", pan, 0x01, atc, macInput, scheme, expectedMac);
                    cached.GenerateScriptMac("mac", pan, 0x01, atc, macInput, scheme, actualMac);
                    Assert.Equal(expectedMac, actualMac);
                    Assert.Equal(
                        uncached.EncryptScriptData("enc", pan, 0x01, atc, Hex.Parse("241234FFFFFFFFFF"), scheme),
                        cached.EncryptScriptData("enc", pan, 0x01, atc, Hex.Parse("241234FFFFFFFFFF"), scheme));
                }
            }
        }

        var cache = Assert.IsType<CardKeyCache>(cached.CardKeys);
        Assert.True(cache.Hits > cache.Misses, $"{cache.Hits} hits, {cache.Misses} misses");
        Assert.Null(uncached.CardKeys);
    }

    [Fact]
    public void The_NOTES_A3_vector_holds_on_a_cache_hit()
    {
        using var store = new SoftwareKeyStore();
        store.ImportClearKey("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdk);
        for (int i = 0; i < 2; i++)
        {
            Assert.True(store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.Pboc));
            Assert.Equal("BB4244A6AA844C52", Hex.Encode(Arpc(store, "6225880000000001", 0x00, Hex.Parse("0001"), Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.Pboc)));
        }

        Assert.Equal(3, store.CardKeys!.Hits);
        Assert.Equal(1, store.CardKeys.Misses);
    }

    [Fact]
    public void Eviction_zeroes_the_evicted_key_and_spares_a_key_used_since()
    {
        using var cache = new CardKeyCache(2);
        byte[] a = Key(0xA1), b = Key(0xB2), c = Key(0xC3), d = Key(0xD4);
        cache.Add(Id(1), a);
        cache.Add(Id(2), b);
        cache.Add(Id(3), c);
        Assert.Equal(2, cache.Count);
        Assert.False(cache.TryGet(Id(1), new byte[16]));
        Assert.False(Holds(cache, a), "the evicted key's bytes are still in the cache's memory");

        Assert.True(cache.TryGet(Id(2), new byte[16]));
        cache.Add(Id(4), d);
        byte[] found = new byte[16];
        Assert.True(cache.TryGet(Id(2), found));
        Assert.Equal(b, found);
        Assert.False(cache.TryGet(Id(3), found));
        Assert.False(Holds(cache, c));
        Assert.True(Holds(cache, d));
    }

    [Fact]
    public void Dispose_zeroes_every_slab()
    {
        var cache = new CardKeyCache(CardKeyCache.SlotsPerSlab + 10);
        for (int i = 0; i < CardKeyCache.SlotsPerSlab + 5; i++)
        {
            cache.Add(Id(i), Key((byte)(i | 1)));
        }

        var slabs = cache.SlabsForTesting;
        Assert.Equal(2, slabs.Count);
        cache.Dispose();
        Assert.All(slabs, slab => Assert.All(slab, x => Assert.Equal(0, x)));
        Assert.False(cache.TryGet(Id(1), new byte[16]));
    }

    [Fact]
    public void Invalidation_drops_only_the_keys_of_that_master_key_and_frees_their_slots()
    {
        using var cache = new CardKeyCache(3);
        cache.Add(new CardKeyId(1, 10), Key(0x11));
        cache.Add(new CardKeyId(2, 10), Key(0x22));
        cache.Add(new CardKeyId(1, 11), Key(0x33));
        Assert.Equal(2, cache.Invalidate(1));
        Assert.Equal(1, cache.Count);
        Assert.False(Holds(cache, Key(0x11)));
        Assert.False(Holds(cache, Key(0x33)));
        cache.Add(new CardKeyId(3, 10), Key(0x44));
        cache.Add(new CardKeyId(3, 11), Key(0x55));
        Assert.Equal(3, cache.Count);
        Assert.True(cache.TryGet(new CardKeyId(2, 10), new byte[16]));
    }

    [Fact]
    public void Replacing_the_master_key_invalidates_its_cached_card_keys()
    {
        using var store = new SoftwareKeyStore(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = 10 });
        store.ImportClearKey("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdk);
        byte[] atc = Hex.Parse("0001");
        byte[] oldArqc = Hex.Parse("A6364607F31A5DB3");
        Assert.True(store.VerifyArqc("ac", "6225880000000001", 0x00, atc, s_acData, oldArqc, EmvKeyScheme.Pboc));
        byte[] oldUdk = AlgorithmSuite.International.DeriveUdk(s_mdk, "6225880000000001");
        Assert.Equal(1, store.CardKeys!.Count);
        Assert.True(Holds(store.CardKeys, oldUdk));

        Assert.True(store.Remove("ac"));
        Assert.Equal(0, store.CardKeys.Count);
        Assert.False(Holds(store.CardKeys, oldUdk), "the removed MDK's card key is still in the cache's memory");

        store.ImportClearKey("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_otherMdk);
        var suite = AlgorithmSuite.International;
        byte[] newArqc = suite.GenerateAc(suite.DeriveSessionKey(suite.DeriveUdk(s_otherMdk, "6225880000000001"), atc), s_acData);
        Assert.False(store.VerifyArqc("ac", "6225880000000001", 0x00, atc, s_acData, oldArqc, EmvKeyScheme.Pboc));
        Assert.True(store.VerifyArqc("ac", "6225880000000001", 0x00, atc, s_acData, newArqc, EmvKeyScheme.Pboc));
    }

    [Fact]
    public void Options_are_checked()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SoftwareKeyStore(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CardKeyCache(0));
        using var cache = new CardKeyCache(1);
        Assert.Throws<ArgumentException>(() => cache.Add(Id(1), new byte[8]));
    }

    private static byte[] Arpc(SoftwareKeyStore store, string pan, byte psn, byte[] atc, byte[] arqc, EmvKeyScheme scheme)
    {
        byte[] arpc = new byte[8];
        store.GenerateArpc("ac", pan, psn, atc, arqc, "00"u8, scheme, arpc);
        return arpc;
    }

    private static CardKeyId Id(long y) => new(7, (ulong)y);

    private static byte[] Key(byte fill) => Enumerable.Repeat(fill, 16).ToArray();

    private static bool Holds(CardKeyCache cache, byte[] key) =>
        cache.SlabsForTesting.Any(slab => slab.AsSpan().IndexOf(key) >= 0);
}
