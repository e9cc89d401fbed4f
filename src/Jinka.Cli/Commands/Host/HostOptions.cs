using System.Globalization;
using System.Net;
using Jinka.Cli.Infrastructure;
using Jinka.Host.Issuing;
using Jinka.Host.Storage;

namespace Jinka.Cli.Commands.Host;

/// <summary>What the <c>jinka host</c> commands share: endpoints, store strings, keys files.</summary>
internal static class HostOptions
{
    /// <summary>The account a keys file's card is registered on: the same id the in-process bank file uses.</summary>
    public static string AccountIdFor(CardId card) => $"acct-{card.Pan}";

    /// <summary>"HOST:PORT" → (host, port); the host may be a name or an IP address ("[::1]:PORT" for IPv6).</summary>
    public static (string Host, int Port) ParseHostPort(string option, string? text)
    {
        int colon = text?.LastIndexOf(':') ?? -1;
        if (text is null || colon <= 0 || colon == text.Length - 1
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            throw new CliInputException($"{option}: '{text}' is not HOST:PORT (e.g. 127.0.0.1:5800)");
        }

        return (text[..colon].Trim('[', ']'), port);
    }

    /// <summary>"IP:PORT" to listen on; port 0 takes any free port (the bound one is printed).</summary>
    public static IPEndPoint ParseListen(string? text)
    {
        if (text is null || !IPEndPoint.TryParse(text, out var endpoint) || !text.Contains(':', StringComparison.Ordinal))
        {
            throw new CliInputException($"--listen: '{text}' is not IP:PORT (e.g. 127.0.0.1:5800; port 0 takes any free port)");
        }

        return endpoint;
    }

    public static StoreDurability ParseDurability(string? text) => text switch
    {
        "every-write" => StoreDurability.EveryWrite,
        "before-response" => StoreDurability.BeforeResponse,
        _ => throw new CliInputException($"--durability: '{text}' is not every-write or before-response"),
    };

    /// <summary>Opens (and migrates) a store, turning a bad string or an unreachable store into one line naming --store.</summary>
    public static async Task<IssuerStore> OpenStoreAsync(string store, StoreDurability durability, CancellationToken ct)
    {
        try
        {
            return await IssuerStorageFactory.OpenAsync(store, new IssuerStoreOptions { Durability = durability }, ct).ConfigureAwait(false);
        }
        catch (StoreException ex)
        {
            throw new CliInputException($"--store: {ex.Message}", ex);
        }
    }

    /// <summary>Reads a keys file of <c>jinka issue --keys-out</c>; a bad one is a one-line error naming the file.</summary>
    public static CardKeysFile LoadKeys(string path)
    {
        if (!File.Exists(path))
        {
            throw new CliInputException($"--cards: no file {path}");
        }

        try
        {
            return CardKeysFile.Load(path);
        }
        catch (CardKeysFileException ex)
        {
            throw new CliInputException($"--cards {ex.Message}", ex);
        }
    }

    /// <summary>An amount in yuan with at most two decimals, as minor units.</summary>
    public static long ParseYuan(string option, string? text)
    {
        if (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value)
            || value < 0 || decimal.Round(value, 2) != value || value >= 10_000_000_000m)
        {
            throw new CliInputException($"{option}: '{text}' is not an amount in yuan with at most two decimals (e.g. 1000000.00)");
        }

        return (long)(value * 100);
    }

    public static string Timestamp() => DateTimeOffset.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
