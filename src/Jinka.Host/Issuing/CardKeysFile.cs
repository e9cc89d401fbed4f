using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Host.Issuing;

/// <summary>
/// A card's test issuer keys as <c>jinka issue --keys-out</c> writes them, so the issuer can authorise a card issued
/// elsewhere: <c>{"suite": "intl"|"sm", "pan": "…", "psn": "00", "mdkAc": hex, "mdkMac": hex, "mdkEnc": hex}</c>.
/// The three issuer master keys are 16 bytes each (two-key 3DES or SM4); the issuer derives the card's UDKs from
/// them with the PAN and PSN. Clear keys: for tests and demos only. <see cref="ToString"/> shows KCVs, never keys.
/// </summary>
public sealed class CardKeysFile
{
    private const int KeyLength = 16;
    private readonly byte[] _mdkAc;
    private readonly byte[] _mdkMac;
    private readonly byte[] _mdkEnc;

    /// <exception cref="ArgumentException">A key is not 16 bytes.</exception>
    public CardKeysFile(SuiteId suite, CardId card, ReadOnlySpan<byte> mdkAc, ReadOnlySpan<byte> mdkMac, ReadOnlySpan<byte> mdkEnc)
    {
        _mdkAc = RequireKey(mdkAc, nameof(mdkAc));
        _mdkMac = RequireKey(mdkMac, nameof(mdkMac));
        _mdkEnc = RequireKey(mdkEnc, nameof(mdkEnc));
        Suite = suite;
        Card = card;
    }

    public SuiteId Suite { get; }

    public CardId Card { get; }

    public ReadOnlySpan<byte> MdkAc => _mdkAc;

    public ReadOnlySpan<byte> MdkMac => _mdkMac;

    public ReadOnlySpan<byte> MdkEnc => _mdkEnc;

    /// <summary>Parses the JSON text.</summary>
    /// <exception cref="CardKeysFileException">The text is not a valid keys file; the message names the field.</exception>
    public static CardKeysFile Parse(string json) =>
        TryParse(json, out var file, out string? error) ? file : throw new CardKeysFileException(error);

    /// <summary>Like <see cref="Parse"/>, returning false with the reason.</summary>
    public static bool TryParse(string? json, [NotNullWhen(true)] out CardKeysFile? file, [NotNullWhen(false)] out string? error)
    {
        file = null;
        if (string.IsNullOrWhiteSpace(json))
        {
            error = "the keys file is empty";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"not JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}): {ex.Message}");
            return false;
        }

        using (document)
        {
            return TryRead(document.RootElement, out file, out error);
        }
    }

    /// <summary>Reads a keys file from disk.</summary>
    /// <exception cref="CardKeysFileException">The file is not a valid keys file (the message names the path).</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static CardKeysFile Load(string path)
    {
        string json = File.ReadAllText(path, Encoding.UTF8);
        return TryParse(json, out var file, out string? error) ? file : throw new CardKeysFileException($"{path}: {error}");
    }

    /// <summary>The JSON text, indented, keys in upper-case hex.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("suite", Suite == SuiteId.Sm ? "sm" : "intl");
            writer.WriteString("pan", Card.Pan);
            writer.WriteString("psn", Card.Psn);
            writer.WriteString("mdkAc", Hex.Encode(_mdkAc));
            writer.WriteString("mdkMac", Hex.Encode(_mdkMac));
            writer.WriteString("mdkEnc", Hex.Encode(_mdkEnc));
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>Writes <see cref="ToJson"/> to <paramref name="path"/>.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson(), new UTF8Encoding(false));

    /// <summary>
    /// Imports the three keys as issuer master keys under <see cref="CardKeyLabels.ForCard"/> labels. Importing the
    /// same keys again reuses them; a label that holds a different key is an error.
    /// </summary>
    /// <exception cref="KeyStoreException">A label already holds another key.</exception>
    public CardKeyLabels ImportKeys(IKeyStoreAdministration store, string labelPrefix = "card")
    {
        ArgumentNullException.ThrowIfNull(store);
        var labels = CardKeyLabels.ForCard(Card, labelPrefix);
        var algorithm = AlgorithmSuite.Get(Suite).Cipher;
        Import(store, labels.Ac, KeyUsage.MdkAc, algorithm, _mdkAc);
        Import(store, labels.Mac, KeyUsage.MdkMac, algorithm, _mdkMac);
        Import(store, labels.Enc, KeyUsage.MdkEnc, algorithm, _mdkEnc);
        return labels;
    }

    /// <summary>Imports the keys and registers the card (active, PBOC key scheme) on <paramref name="accountId"/>.</summary>
    public async ValueTask<CardRecord> ImportAsync(IKeyStoreAdministration store, ICardRegistry registry, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var card = new CardRecord(Card, Suite, ImportKeys(store), accountId);
        await registry.RegisterAsync(card, cancellationToken).ConfigureAwait(false);
        return card;
    }

    public override string ToString()
    {
        var cipher = AlgorithmSuite.Get(Suite).Cipher;
        return $"{(Suite == SuiteId.Sm ? "sm" : "intl")} keys for {Card}: KCV AC {Kcv(cipher, _mdkAc)}, MAC {Kcv(cipher, _mdkMac)}, ENC {Kcv(cipher, _mdkEnc)}";
    }

    private static string Kcv(CipherAlgorithm cipher, byte[] key) => Hex.Encode(KeyCheckValue.Compute(cipher, key));

    private static void Import(IKeyStoreAdministration store, string label, KeyUsage usage, CipherAlgorithm algorithm, byte[] key)
    {
        if (store.TryGetInfo(label, out var existing))
        {
            string kcv = Hex.Encode(KeyCheckValue.Compute(algorithm, key));
            if (existing.Usage == usage && existing.Algorithm == algorithm && string.Equals(existing.KeyCheckValue, kcv, StringComparison.Ordinal))
            {
                return;
            }

            throw new KeyStoreException($"Key label '{label}' already holds a different key (KCV {existing.KeyCheckValue}, {existing.Algorithm} {existing.Usage}); remove it before importing this card's keys.");
        }

        store.ImportClearKey(label, usage, algorithm, key);
    }

    private static byte[] RequireKey(ReadOnlySpan<byte> key, string name) => key.Length == KeyLength
        ? key.ToArray()
        : throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"{name} must be {KeyLength} bytes; got {key.Length}."), name);

    private static bool TryRead(JsonElement root, [NotNullWhen(true)] out CardKeysFile? file, [NotNullWhen(false)] out string? error)
    {
        file = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"the top level is a JSON {root.ValueKind.ToString().ToLowerInvariant()}; an object was expected";
            return false;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name is not ("suite" or "pan" or "psn" or "mdkAc" or "mdkMac" or "mdkEnc"))
            {
                continue;
            }

            if (property.Value.ValueKind != JsonValueKind.String)
            {
                error = $"\"{property.Name}\" is a JSON {property.Value.ValueKind.ToString().ToLowerInvariant()}; a string was expected";
                return false;
            }

            if (!fields.TryAdd(property.Name, property.Value.GetString()!))
            {
                error = $"\"{property.Name}\" appears more than once";
                return false;
            }
        }

        foreach (string name in (string[])["suite", "pan", "psn", "mdkAc", "mdkMac", "mdkEnc"])
        {
            if (!fields.ContainsKey(name))
            {
                error = $"\"{name}\" is missing";
                return false;
            }
        }

        SuiteId suite;
        switch (fields["suite"])
        {
            case "intl":
                suite = SuiteId.International;
                break;
            case "sm":
                suite = SuiteId.Sm;
                break;
            default:
                error = $"\"suite\" is \"{fields["suite"]}\"; \"intl\" or \"sm\" was expected";
                return false;
        }

        if (!CardId.TryCreate(fields["pan"], fields["psn"], out var card, out string? cardError))
        {
            error = $"\"pan\"/\"psn\": {cardError}";
            return false;
        }

        if (fields["psn"].Length == 0)
        {
            error = "\"psn\" is empty; two digits such as \"00\" were expected";
            return false;
        }

        var keys = new byte[3][];
        string[] keyNames = ["mdkAc", "mdkMac", "mdkEnc"];
        for (int i = 0; i < keyNames.Length; i++)
        {
            if (!Hex.TryParse(fields[keyNames[i]], out var key, out string? hexError))
            {
                error = $"\"{keyNames[i]}\" is not hex: {hexError}";
                return false;
            }

            if (key.Length != KeyLength)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"\"{keyNames[i]}\" is {key.Length} bytes; {KeyLength} bytes (32 hex digits) were expected");
                return false;
            }

            keys[i] = key;
        }

        file = new CardKeysFile(suite, card, keys[0], keys[1], keys[2]);
        foreach (byte[] key in keys)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        error = null;
        return true;
    }
}

/// <summary>A card keys file that cannot be used; the message names the field and what was expected.</summary>
public sealed class CardKeysFileException : FormatException
{
    public CardKeysFileException()
    {
    }

    public CardKeysFileException(string message)
        : base(message)
    {
    }

    public CardKeysFileException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
