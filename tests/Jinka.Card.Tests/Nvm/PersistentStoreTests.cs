using Jinka.Card.Nvm;

namespace Jinka.Card.Tests.Nvm;

public class PersistentStoreTests
{
    [Theory]
    [InlineData("empty", "")]
    [InlineData("leading slash", "/a")]
    [InlineData("trailing slash", "a/")]
    [InlineData("empty segment", "a//b")]
    [InlineData("parent segment", "../apps/X/data/pin")]
    [InlineData("dot segment", "a/./b")]
    [InlineData("space", "a b")]
    [InlineData("non-ASCII", "键")]
    public void Keys_that_could_escape_or_confuse_the_layout_are_refused(string description, string key)
    {
        var memory = new NvmMemory();
        using var tx = memory.BeginTransaction();
        var store = new PersistentStore(tx, "apps/A0/data");
        Assert.True(Assert.Throws<ArgumentException>(() => store.Set(key, [1])) is not null, description);
    }

    [Fact]
    public void Keys_are_relative_to_the_owner_prefix()
    {
        var memory = new NvmMemory();
        var tx = memory.BeginTransaction();
        new PersistentStore(tx, "apps/A0/data").Set("atc", [0, 1]);
        new PersistentStore(tx, "apps/A1/data").Set("atc", [0, 2]);
        tx.Commit();

        Assert.True(memory.TryReadCell("apps/A0/data/atc", out var a0));
        Assert.Equal([0, 1], a0.ToArray());
        using var read = memory.BeginTransaction();
        var store = new PersistentStore(read, "apps/A1/data");
        Assert.Equal(["atc"], store.Keys());
        Assert.Equal(2u, store.GetUInt("atc"));
    }

    [Theory]
    [InlineData(0u, 1, "00")]
    [InlineData(0xFFu, 1, "FF")]
    [InlineData(0x0102u, 2, "0102")]
    [InlineData(0x010203u, 3, "010203")]
    [InlineData(0xFFFFFFFFu, 4, "FFFFFFFF")]
    public void Counters_are_big_endian_in_their_width(uint value, int width, string hex)
    {
        var memory = new NvmMemory();
        using var tx = memory.BeginTransaction();
        var store = new PersistentStore(tx, "o");
        store.SetUInt("n", value, width);
        Assert.Equal(hex, Convert.ToHexString(store.Get("n")!));
        Assert.Equal(value, store.GetUInt("n"));
    }

    [Fact]
    public void A_counter_that_does_not_fit_is_refused_and_a_missing_one_has_its_default()
    {
        var memory = new NvmMemory();
        using var tx = memory.BeginTransaction();
        var store = new PersistentStore(tx, "o");
        Assert.Throws<ArgumentOutOfRangeException>(() => store.SetUInt("n", 0x10000, 2));
        Assert.Equal(7u, store.GetUInt("missing", 7));
        store.Set("long", new byte[5]);
        Assert.Throws<InvalidOperationException>(() => store.GetUInt("long"));
    }
}
