using Jinka.Host.Storage.Tests.Infrastructure;

namespace Jinka.Host.Storage.Tests;

public class StoreLocationTests
{
    [Theory]
    [InlineData("sqlite file", "sqlite:issuer.db", StoreKind.Sqlite, "issuer.db")]
    [InlineData("sqlite path with colon", "sqlite:/tmp/a:b.db", StoreKind.Sqlite, "/tmp/a:b.db")]
    [InlineData("kind in capitals", "SQLite:x.db", StoreKind.Sqlite, "x.db")]
    [InlineData("postgres", "postgres:Host=127.0.0.1;Database=jinka", StoreKind.Postgres, "Host=127.0.0.1;Database=jinka")]
    [InlineData("postgresql spelled out", "postgresql:Host=db;Username=u", StoreKind.Postgres, "Host=db;Username=u")]
    public void Store_strings_name_the_engine_and_the_target(string description, string store, StoreKind kind, string target)
    {
        _ = description;
        Assert.Equal(new StoreLocation(kind, target), StoreLocation.Parse(store));
    }

    [Theory]
    [InlineData("empty", "", "empty")]
    [InlineData("no kind", "issuer.db", "names no kind")]
    [InlineData("leading colon", ":issuer.db", "names no kind")]
    [InlineData("unknown kind", "mysql:Server=x", "'mysql' is unknown")]
    [InlineData("sqlite without a file", "sqlite:", "names no file")]
    [InlineData("postgres without a connection string", "postgres:  ", "no connection string")]
    [InlineData("postgres connection string with an unknown key", "postgres:Hots=x", "malformed")]
    public void Bad_store_strings_say_what_was_expected(string description, string store, string message)
    {
        _ = description;
        Assert.False(StoreLocation.TryParse(store, out var location, out string? error));
        Assert.Null(location);
        Assert.Contains(message, error, StringComparison.Ordinal);
        var ex = Assert.Throws<StoreException>(() => StoreLocation.Parse(store));
        Assert.Equal(error, ex.Message);
    }

    [Fact]
    public void The_password_never_shows()
    {
        string shown = StoreLocation.Parse("postgres:Host=h;Username=u;Password=secret").ToString();
        Assert.DoesNotContain("secret", shown, StringComparison.Ordinal);
        Assert.Contains("Host=h", shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_opened_is_a_store_exception()
    {
        string missing = Path.Combine(Path.GetTempPath(), $"jinka-missing-{Guid.NewGuid():N}", "issuer.db");
        var sqlite = await Assert.ThrowsAsync<StoreException>(() => IssuerStorageFactory.OpenAsync($"sqlite:{missing}"));
        Assert.Contains("Cannot open the sqlite store", sqlite.Message, StringComparison.Ordinal);

        var postgres = await Assert.ThrowsAsync<StoreException>(() => IssuerStorageFactory.OpenAsync("postgres:Host=127.0.0.1;Port=1;Database=none;Username=u;Password=secret;Timeout=3"));
        Assert.Contains("Cannot open the postgres store at 127.0.0.1:1/none", postgres.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", postgres.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_factory_opens_an_sqlite_file_and_its_storage_works()
    {
        await using var target = new SqliteTarget();
        await using var store = await IssuerStorageFactory.OpenAsync(target.StoreString);
        Assert.Equal(StoreKind.Sqlite, store.Location.Kind);
        Assert.StartsWith("sqlite:", store.Description, StringComparison.Ordinal);
        await store.Storage.Accounts.OpenAccountAsync("A", "156", 1);
        Assert.Equal(1, (await store.Storage.Accounts.FindAsync("A"))!.Balance);
        Assert.True(File.Exists(target.Path));
    }
}
