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
/// them with the PAN and PSN. Optionally the card's online PIN reference (choice P54): <c>"pvk"</c> (16-byte 3DES PIN
/// verification key, hex), <c>"pvki"</c> (one digit 0–6) and <c>"pvv"</c> (4 digits), all three or none. Clear keys:
/// for tests and demos only. <see cref="ToString"/> shows KCVs, never keys.
/// </summary>
public sealed class CardKeysFile
{
    private const int KeyLength = 16;
    private readonly byte[] _mdkAc;
    private readonly byte[] _mdkMac;
    private readonly byte[] _mdkEnc;
    private readonly byte[]? _pvk;

    /// <exception cref="ArgumentException">A key is not 16 bytes.</exception>
    public CardKeysFile(SuiteId suite, CardId card, ReadOnlySpan<byte> mdkAc, ReadOnlySpan<byte> mdkMac, ReadOnlySpan<byte> mdkEnc)
    {
        _mdkAc = RequireKey(mdkAc, nameof(mdkAc));
        _mdkMac = RequireKey(mdkMac, nameof(mdkMac));
        _mdkEnc = RequireKey(mdkEnc, nameof(mdkEnc));
        Suite = suite;
        Card = card;
    }

    /// <summary>The keys and the card's online PIN reference: PVK, PVKI and PVV (Visa method, choice P51).</summary>
    /// <exception cref="ArgumentException">A key is not 16 bytes, the PVKI is not 0–6 or the PVV not 4 digits.</exception>
    public CardKeysFile(SuiteId suite, CardId card, ReadOnlySpan<byte> mdkAc, ReadOnlySpan<byte> mdkMac, ReadOnlySpan<byte> mdkEnc, ReadOnlySpan<byte> pvk, int pvki, string pvv)
        : this(suite, card, mdkAc, mdkMac, mdkEnc)
    {
        if (!PinVerificationReference.IsValid(pvki, pvv))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The PVKI must be 0–6 and the PVV 4 digits; got PVKI {pvki}, PVV of {pvv?.Length ?? 0} characters."), nameof(pvv));
        }

        _pvk = RequireKey(pvk, nameof(pvk));
        Pvki = pvki;
        Pvv = pvv;
    }

    public SuiteId Suite { get; }

    public CardId Card { get; }

    public ReadOnlySpan<byte> MdkAc => _mdkAc;

    public ReadOnlySpan<byte> MdkMac => _mdkMac;

    public ReadOnlySpan<byte> MdkEnc => _mdkEnc;

    /// <summary>True when the file carries the online PIN reference (<see cref="Pvk"/>, <see cref="Pvki"/>, <see cref="Pvv"/>).</summary>
    public bool HasPinVerification => _pvk is not null;

    /// <summary>The PIN verification key (3DES), empty when absent.</summary>
    public ReadOnlySpan<byte> Pvk => _pvk;

    /// <summary>The PIN verification key index, when present.</summary>
    public int? Pvki { get; }

    /// <summary>The card's PIN verification value, when present.</summary>
    public string? Pvv { get; }

    /// <summary>This file with the online PIN reference added (or replaced).</summary>
    public CardKeysFile WithPinVerification(ReadOnlySpan<byte> pvk, int pvki, string pvv) =>
        new(Suite, Card, _mdkAc, _mdkMac, _mdkEnc, pvk, pvki, pvv);

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
            if (_pvk is not null)
            {
                writer.WriteString("pvk", Hex.Encode(_pvk));
                writer.WriteString("pvki", Pvki!.Value.ToString(CultureInfo.InvariantCulture));
                writer.WriteString("pvv", Pvv);
            }

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

    /// <summary>
    /// Imports the PVK (3DES, usage PinVerification, whatever the suite) as "{prefix}-{pan}-{psn}-pvk" and returns the
    /// card's online PIN reference; null when the file has none.
    /// </summary>
    /// <exception cref="KeyStoreException">The label already holds another key.</exception>
    public PinVerificationReference? ImportPinVerification(IKeyStoreAdministration store, string labelPrefix = "card")
    {
        ArgumentNullException.ThrowIfNull(store);
        if (_pvk is null)
        {
            return null;
        }

        string label = $"{labelPrefix}-{Card.Pan}-{Card.Psn}-pvk";
        Import(store, label, KeyUsage.PinVerification, CipherAlgorithm.TripleDes, _pvk);
        return new PinVerificationReference(label, Pvki!.Value, Pvv!);
    }

    /// <summary>
    /// Imports the keys and registers the card (active, PBOC key scheme) on <paramref name="accountId"/>, with its
    /// online PIN reference when the file has one.
    /// </summary>
    public async ValueTask<CardRecord> ImportAsync(IKeyStoreAdministration store, ICardRegistry registry, string accountId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var card = new CardRecord(Card, Suite, ImportKeys(store), accountId) { PinVerification = ImportPinVerification(store) };
        await registry.RegisterAsync(card, cancellationToken).ConfigureAwait(false);
        return card;
    }

    public override string ToString()
    {
        var cipher = AlgorithmSuite.Get(Suite).Cipher;
        string pin = _pvk is null ? string.Empty : string.Create(CultureInfo.InvariantCulture, $", PVK {Kcv(CipherAlgorithm.TripleDes, _pvk)} (PVKI {Pvki})");
        return $"{(Suite == SuiteId.Sm ? "sm" : "intl")} keys for {Card}: KCV AC {Kcv(cipher, _mdkAc)}, MAC {Kcv(cipher, _mdkMac)}, ENC {Kcv(cipher, _mdkEnc)}{pin}";
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
            if (property.Name is not ("suite" or "pan" or "psn" or "mdkAc" or "mdkMac" or "mdkEnc" or "pvk" or "pvki" or "pvv"))
            {
                continue;
            }

            if (property.Name == "pvki" && property.Value.ValueKind == JsonValueKind.Number)
            {
                // A digit may come as a JSON number too.
                if (!fields.TryAdd(property.Name, property.Value.GetRawText()))
                {
                    error = "\"pvki\" appears more than once";
                    return false;
                }

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

        if (!TryReadPinVerification(fields, out byte[]? pvk, out int pvki, out string? pvv, out error))
        {
            foreach (byte[] key in keys)
            {
                CryptographicOperations.ZeroMemory(key);
            }

            return false;
        }

        file = pvk is null
            ? new CardKeysFile(suite, card, keys[0], keys[1], keys[2])
            : new CardKeysFile(suite, card, keys[0], keys[1], keys[2], pvk, pvki, pvv!);
        if (pvk is not null)
        {
            CryptographicOperations.ZeroMemory(pvk);
        }

        foreach (byte[] key in keys)
        {
            CryptographicOperations.ZeroMemory(key);
        }

        error = null;
        return true;
    }

    /// <summary>The optional "pvk", "pvki", "pvv" (choice P54): all three or none.</summary>
    private static bool TryReadPinVerification(Dictionary<string, string> fields, out byte[]? pvk, out int pvki, out string? pvv, [NotNullWhen(false)] out string? error)
    {
        pvk = null;
        pvki = 0;
        pvv = null;
        string[] names = ["pvk", "pvki", "pvv"];
        int present = names.Count(fields.ContainsKey);
        if (present == 0)
        {
            error = null;
            return true;
        }

        if (present != names.Length)
        {
            error = $"\"{names.First(n => !fields.ContainsKey(n))}\" is missing; \"pvk\", \"pvki\" and \"pvv\" come together";
            return false;
        }

        if (fields["pvki"] is not { Length: 1 } index || index[0] is < '0' or > '6')
        {
            error = $"\"pvki\" is \"{fields["pvki"]}\"; one digit 0–6 was expected";
            return false;
        }

        if (!PinVerificationReference.IsValid(0, fields["pvv"]))
        {
            error = $"\"pvv\" is \"{fields["pvv"]}\"; 4 decimal digits were expected";
            return false;
        }

        if (!Hex.TryParse(fields["pvk"], out var key, out string? hexError))
        {
            error = $"\"pvk\" is not hex: {hexError}";
            return false;
        }

        if (key.Length != KeyLength)
        {
            CryptographicOperations.ZeroMemory(key);
            error = string.Create(CultureInfo.InvariantCulture, $"\"pvk\" is {key.Length} bytes; {KeyLength} bytes (32 hex digits, a two-key 3DES PIN verification key) were expected");
            return false;
        }

        pvk = key;
        pvki = index[0] - '0';
        pvv = fields["pvv"];
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
