using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jinka.Cli.Infrastructure;
using Jinka.Host.Issuing;

namespace Jinka.Cli.Commands.Host;

/// <summary>
/// The next ATC a bench card uses, kept beside its keys file as <c>KEYS.json.atc</c>
/// (<c>{"pan", "psn", "nextAtc"}</c>), written atomically. The host declines a repeated ATC (94), so ATCs must never go
/// back between runs: before a run the file is moved past every ATC the run may use, after it back to the first unused.
/// A run that is killed leaves the reservation, so the next run starts beyond anything the host may have seen.
/// </summary>
internal sealed class AtcStateFile
{
    /// <summary>ATC is two bytes (9F36); 0 is never used.</summary>
    public const int LastAtc = ushort.MaxValue;

    private AtcStateFile(string path, CardId card, int nextAtc)
    {
        Path = path;
        Card = card;
        NextAtc = nextAtc;
    }

    public string Path { get; }

    public CardId Card { get; }

    /// <summary>The first ATC not yet used (1 for a card never benched).</summary>
    public int NextAtc { get; private set; }

    /// <summary>ATCs still free.</summary>
    public int Remaining => Math.Max(0, LastAtc + 1 - NextAtc);

    public static string PathFor(string keysPath) => keysPath + ".atc";

    /// <summary>The state beside <paramref name="keysPath"/>; a card never benched starts at ATC 1.</summary>
    public static AtcStateFile Load(string keysPath, CardId card)
    {
        string path = PathFor(keysPath);
        if (!File.Exists(path))
        {
            return new AtcStateFile(path, card, 1);
        }

        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path));
            string? pan = root?["pan"]?.GetValue<string>();
            string? psn = root?["psn"]?.GetValue<string>();
            int next = root?["nextAtc"]?.GetValue<int>() ?? throw new CliInputException($"{path}: no \"nextAtc\"");
            if (pan != card.Pan || psn != card.Psn)
            {
                throw new CliInputException($"{path}: the ATC state is for another card ({pan}/{psn}); the keys file is for {card.Masked}");
            }

            if (next is < 1 or > LastAtc + 1)
            {
                throw new CliInputException(string.Create(CultureInfo.InvariantCulture, $"{path}: \"nextAtc\" {next} is not 1–{LastAtc + 1}"));
            }

            return new AtcStateFile(path, card, next);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new CliInputException($"{path}: not an ATC state file ({ex.Message})", ex);
        }
    }

    /// <summary>Records <paramref name="nextAtc"/> (never lower than a value this run has already recorded as used).</summary>
    public void Save(int nextAtc)
    {
        NextAtc = nextAtc;
        var root = new JsonObject { ["pan"] = Card.Pan, ["psn"] = Card.Psn, ["nextAtc"] = nextAtc };
        AtomicFile.WriteAllText(Path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
