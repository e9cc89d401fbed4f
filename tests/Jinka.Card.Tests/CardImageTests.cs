using System.Text;
using Jinka.Card.Applications;
using Jinka.Card.Nvm;
using Jinka.Core;

namespace Jinka.Card.Tests;

public sealed class CardImageTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("jinka-card-image-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf(string name) => Path.Combine(_directory, name);

    [Fact]
    public void A_saved_card_loads_with_the_same_state_and_its_atc_goes_on()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Sw("801000000400000100");
        card.Sw("801000000400000200");
        string path = PathOf("card.json");
        CardImage.Save(card, path);

        var loaded = CardImage.LoadCard(path, TestCards.Catalog());
        loaded.PowerOn();
        Assert.Equal(card.Nvm.SnapshotCells().Select(c => (c.Key, Hex.Encode(c.Value))), loaded.Nvm.SnapshotCells().Select(c => (c.Key, Hex.Encode(c.Value))));
        loaded.Select(TestCards.App1);
        Assert.Equal("000300000400" + "9000", loaded.Exchange("801000000400000100"));

        // The next session sees the ATC the previous one left: save, load again, credit again.
        CardImage.Save(loaded, path);
        var again = CardImage.LoadCard(path, TestCards.Catalog());
        again.PowerOn();
        again.Select(TestCards.App1);
        Assert.Equal("000400000500" + "9000", again.Exchange("801000000400000100"));
    }

    [Fact]
    public void The_image_is_versioned_readable_json_with_hex_values_and_serialises_stably()
    {
        var card = TestCards.Standard();
        var json = CardImage.Serialize(card.Nvm);
        string text = Encoding.UTF8.GetString(json);

        Assert.Contains("\"format\": \"jinka-card-image\"", text, StringComparison.Ordinal);
        Assert.Contains("\"version\": 1", text, StringComparison.Ordinal);
        Assert.Contains("\"apps/A0000009990101/data/pin\": \"1234\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("journal", text, StringComparison.Ordinal);
        Assert.Equal(json, CardImage.Serialize(CardImage.Deserialize(json)));
    }

    [Fact]
    public void Saving_replaces_the_file_whole_and_leaves_no_temporary_file()
    {
        string path = PathOf("card.json");
        File.WriteAllText(path, "old contents");
        var card = TestCards.Standard();

        CardImage.Save(card, path);

        Assert.Equal([path], Directory.GetFiles(_directory));
        Assert.True(CardImage.TryLoad(path, out var nvm, out var error), error);
        Assert.Equal(card.Nvm.SnapshotCells().Count, nvm.SnapshotCells().Count);
    }

    [Fact]
    public void An_image_saved_after_a_tear_keeps_the_journal_and_recovers_on_power_on()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        card.Nvm.TearController = TearController.AtWrite(7); // after the flip, during the copy home
        Assert.Throws<CardTornException>(() => card.Send("801000000400000001"));
        card.Nvm.TearController = null;
        string path = PathOf("torn.json");
        CardImage.Save(card.Nvm, path);
        Assert.Contains("\"committed\": true", File.ReadAllText(path), StringComparison.Ordinal);

        var loaded = CardImage.LoadCard(path, TestCards.Catalog());
        Assert.True(loaded.Nvm.NeedsRecovery);
        loaded.PowerOn();
        Assert.Equal(1u, loaded.Atc(TestCards.App1));
        Assert.Equal(1u, loaded.Balance(TestCards.App1));
    }

    [Theory]
    [InlineData("truncated", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"a\": \"01\"", "truncated")]
    [InlineData("empty file", "", "not valid JSON")]
    [InlineData("not JSON", "hello", "not valid JSON at line 1")]
    [InlineData("top level array", "[]", "not an object")]
    [InlineData("wrong format", "{\"format\": \"other\", \"version\": 1, \"cells\": {}}", "\"format\" must be \"jinka-card-image\"")]
    [InlineData("no version", "{\"format\": \"jinka-card-image\", \"cells\": {}}", "\"version\" is missing")]
    [InlineData("newer version", "{\"format\": \"jinka-card-image\", \"version\": 2, \"cells\": {}}", "version 2 is newer than this Jinka reads (1)")]
    [InlineData("no cells", "{\"format\": \"jinka-card-image\", \"version\": 1}", "\"cells\" is missing")]
    [InlineData("value not hex", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"apps/A0/data/atc\": \"00ZZ\"}}", "cell 'apps/A0/data/atc': 'Z' at offset 2 is not a hex digit")]
    [InlineData("odd hex", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"apps/A0/data/atc\": \"001\"}}", "cell 'apps/A0/data/atc': odd number of hex digits")]
    [InlineData("value not a string", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"a\": 12}}", "cell 'a' is a JSON Number, not a hex string")]
    [InlineData("bad key", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"apps/../x\": \"01\"}}", "'..' segment")]
    [InlineData("corrupt FCP", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"apps/A0/fs/0015/fcp\": \"6203820107\"}}", "cell 'apps/A0/fs/0015/fcp' FCP file descriptor 07")]
    [InlineData("corrupt registry entry", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"registry/A0000009990101\": \"E0034F01A0\"}}", "cell 'registry/A0000009990101' registry entry lacks the module (C1)")]
    [InlineData("registry entry under another AID", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {\"registry/A0000009990102\": \"E01A4F07A0000009990101C10C746573742E636F756E746572C20107\"}}", "holds the entry of A0000009990101")]
    [InlineData("journal without records", "{\"format\": \"jinka-card-image\", \"version\": 1, \"cells\": {}, \"journal\": {\"committed\": true}}", "\"journal\" must be")]
    public void A_damaged_image_is_refused_with_a_message_naming_the_problem(string description, string json, string expected)
    {
        string path = PathOf("bad.json");
        File.WriteAllText(path, json);

        var error = Assert.Throws<CardImageException>(() => CardImage.Load(path));
        Assert.True(error.Message.Contains(expected, StringComparison.Ordinal), $"{description}: {error.Message}");
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.False(CardImage.TryLoad(path, out _, out var message));
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void A_real_image_cut_anywhere_is_refused_not_half_loaded()
    {
        var json = CardImage.Serialize(TestCards.Standard().Nvm);
        foreach (int cut in new[] { 1, json.Length / 3, json.Length / 2, json.Length - 3 })
        {
            var error = Assert.Throws<CardImageException>(() => CardImage.Deserialize(json.AsSpan(0, cut), "cut.json"));
            Assert.Contains("cut.json", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Loading_needs_every_module_the_registry_names()
    {
        string path = PathOf("card.json");
        CardImage.Save(TestCards.Standard(), path);

        var error = Assert.Throws<CardImageException>(() => CardImage.LoadCard(path, new ApplicationCatalog()));
        Assert.Contains("needs module 'test.counter'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_an_io_error_and_try_load_reports_it()
    {
        Assert.Throws<FileNotFoundException>(() => CardImage.Load(PathOf("none.json")));
        Assert.False(CardImage.TryLoad(PathOf("none.json"), out _, out var error));
        Assert.Contains("none.json", error, StringComparison.Ordinal);
    }
}
