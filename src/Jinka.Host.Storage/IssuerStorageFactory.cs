using System.Diagnostics.CodeAnalysis;
using Jinka.Host.Storage.Postgres;
using Jinka.Host.Storage.Sql;
using Jinka.Host.Storage.Sqlite;

namespace Jinka.Host.Storage;

/// <summary>The kinds of durable store.</summary>
public enum StoreKind
{
    /// <summary>An SQLite file (the embedded default).</summary>
    Sqlite,

    /// <summary>A PostgreSQL database.</summary>
    Postgres,
}

/// <summary>A parsed store string: <c>sqlite:FILE</c> or <c>postgres:CONNECTION STRING</c>.</summary>
/// <param name="Kind">Which engine.</param>
/// <param name="Target">The file path, or the Npgsql connection string.</param>
public sealed record StoreLocation(StoreKind Kind, string Target)
{
    /// <summary>Parses a store string; false with a message naming what was expected.</summary>
    public static bool TryParse(string? store, [NotNullWhen(true)] out StoreLocation? location, [NotNullWhen(false)] out string? error)
    {
        location = null;
        const string Expected = "expected sqlite:FILE or \"postgres:Host=...;Database=...;Username=...\"";
        if (string.IsNullOrWhiteSpace(store))
        {
            error = $"The store string is empty; {Expected}.";
            return false;
        }

        int colon = store.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = $"The store '{store}' names no kind; {Expected}.";
            return false;
        }

        string kind = store[..colon].Trim().ToUpperInvariant();
        string target = store[(colon + 1)..].Trim();
        StoreKind? parsed = kind switch
        {
            "SQLITE" => StoreKind.Sqlite,
            "POSTGRES" or "POSTGRESQL" => StoreKind.Postgres,
            _ => null,
        };
        if (parsed is null)
        {
            error = $"The store kind '{store[..colon]}' is unknown; {Expected}.";
            return false;
        }

        if (target.Length == 0)
        {
            error = parsed == StoreKind.Sqlite ? "The sqlite store names no file: sqlite:FILE." : "The postgres store has no connection string: postgres:Host=...;Database=...";
            return false;
        }

        if (parsed == StoreKind.Postgres)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(target);
            }
            catch (ArgumentException ex)
            {
                error = $"The postgres connection string is malformed: {ex.Message}";
                return false;
            }
        }

        location = new StoreLocation(parsed.Value, target);
        error = null;
        return true;
    }

    /// <summary>Like <see cref="TryParse"/>, throwing.</summary>
    /// <exception cref="StoreException">The string is malformed.</exception>
    public static StoreLocation Parse(string store) =>
        TryParse(store, out var location, out string? error) ? location : throw new StoreException(error);

    /// <summary>The store string, with any password hidden.</summary>
    public override string ToString()
    {
        if (Kind == StoreKind.Sqlite)
        {
            return $"sqlite:{Target}";
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(Target);
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = "***";
        }

        return $"postgres:{builder}";
    }
}

/// <summary>Opens durable issuer storage from a store string.</summary>
public static class IssuerStorageFactory
{
    /// <summary>
    /// Opens (creating an SQLite file if needed) and migrates the store named by <paramref name="store"/>:
    /// <c>sqlite:FILE</c> or <c>postgres:CONNECTION STRING</c>. Dispose the result to close it.
    /// </summary>
    /// <exception cref="StoreException">The string is malformed, or the store cannot be opened or migrated.</exception>
    public static Task<IssuerStore> OpenAsync(string store, IssuerStoreOptions? options = null, CancellationToken cancellationToken = default) =>
        OpenAsync(StoreLocation.Parse(store), options, cancellationToken);

    /// <inheritdoc cref="OpenAsync(string, IssuerStoreOptions?, CancellationToken)"/>
    public static async Task<IssuerStore> OpenAsync(StoreLocation location, IssuerStoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        SqlDialect dialect;
        try
        {
            dialect = location.Kind == StoreKind.Sqlite ? new SqliteDialect(Path.GetFullPath(location.Target)) : new PostgresDialect(location.Target);
        }
        catch (ArgumentException ex)
        {
            throw new StoreException($"The store {location} cannot be used: {ex.Message}", ex);
        }

        var engine = await SqlStoreEngine.OpenAsync(dialect, options ?? new IssuerStoreOptions(), cancellationToken).ConfigureAwait(false);
        return new IssuerStore(engine, location);
    }
}
