using System.Globalization;
using System.Text;
using System.Text.Json;
using Jinka.Core;

namespace Jinka.Terminal.CaKeys;

/// <summary>The JSON form of CA public keys (the CLI's <c>jinka ca export --json</c> and <c>--capk FILE</c>).</summary>
internal static class CaPublicKeyJson
{
    private static readonly string[] s_rsaFields = ["rid", "index", "algorithm", "modulus", "exponent", "expiry", "test"];
    private static readonly string[] s_sm2Fields = ["rid", "index", "algorithm", "publicKey", "expiry", "test"];

    public static List<CaPublicKey> Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException exception)
        {
            throw new CaPublicKeyFormatException(null, null, $"not valid JSON (line {exception.LineNumber + 1}, byte {exception.BytePositionInLine + 1}): {exception.Message}", exception);
        }

        using (document)
        {
            var root = document.RootElement;
            var keys = new List<CaPublicKey>();
            var seen = new Dictionary<(string, byte), int>();
            switch (root.ValueKind)
            {
                case JsonValueKind.Object:
                    keys.Add(ReadEntry(root, 0));
                    break;
                case JsonValueKind.Array:
                    int i = 0;
                    foreach (var element in root.EnumerateArray())
                    {
                        var key = ReadEntry(element, i);
                        if (seen.TryGetValue((key.RidHex, key.Index), out int first))
                        {
                            throw new CaPublicKeyFormatException(i, "index", $"RID {key.RidHex} index {key.Index:X2} is already defined by entry {first}");
                        }

                        seen[(key.RidHex, key.Index)] = i;
                        keys.Add(key);
                        i++;
                    }

                    break;
                default:
                    throw new CaPublicKeyFormatException(null, null, $"expected an array of keys or one key object; found {Describe(root.ValueKind)}");
            }

            return keys;
        }
    }

    public static string Write(IEnumerable<CaPublicKey> keys, bool indented)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented }))
        {
            writer.WriteStartArray();
            foreach (var key in keys)
            {
                writer.WriteStartObject();
                writer.WriteString("rid", key.RidHex);
                writer.WriteString("index", key.Index.ToString("X2", CultureInfo.InvariantCulture));
                if (key.Algorithm == CaKeyAlgorithm.Rsa)
                {
                    writer.WriteString("algorithm", "rsa");
                    writer.WriteString("modulus", Hex.Encode(key.RsaKey!.Modulus));
                    writer.WriteString("exponent", Hex.Encode(key.RsaKey.Exponent));
                }
                else
                {
                    writer.WriteString("algorithm", "sm2");
                    writer.WriteString("publicKey", "04" + Hex.Encode(key.Sm2Key!.Xy));
                }

                if (key.Expiry is { } expiry)
                {
                    writer.WriteString("expiry", expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }

                if (key.IsTestKey)
                {
                    writer.WriteBoolean("test", true);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static CaPublicKey ReadEntry(JsonElement entry, int i)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            throw new CaPublicKeyFormatException(i, null, $"expected an object; found {Describe(entry.ValueKind)}");
        }

        var rid = HexField(entry, i, "rid", required: true)!;
        if (rid.Length != CaPublicKey.RidLength)
        {
            throw new CaPublicKeyFormatException(i, "rid", $"a RID is {CaPublicKey.RidLength} bytes (10 hex digits); got {rid.Length} bytes");
        }

        var indexBytes = HexField(entry, i, "index", required: true)!;
        if (indexBytes.Length != 1)
        {
            throw new CaPublicKeyFormatException(i, "index", $"expected two hex digits, e.g. \"18\"; got {indexBytes.Length} bytes");
        }

        string algorithm = StringField(entry, i, "algorithm", required: true)!;
        bool isRsa = algorithm.Equals("rsa", StringComparison.OrdinalIgnoreCase);
        if (!isRsa && !algorithm.Equals("sm2", StringComparison.OrdinalIgnoreCase))
        {
            throw new CaPublicKeyFormatException(i, "algorithm", $"expected \"rsa\" or \"sm2\"; got \"{algorithm}\"");
        }

        foreach (var property in entry.EnumerateObject())
        {
            if (Array.IndexOf(isRsa ? s_rsaFields : s_sm2Fields, property.Name) < 0)
            {
                throw new CaPublicKeyFormatException(i, property.Name, $"not a field of an {(isRsa ? "RSA" : "SM2")} key (expected {string.Join(", ", isRsa ? s_rsaFields : s_sm2Fields)})");
            }
        }

        DateOnly? expiry = null;
        if (StringField(entry, i, "expiry", required: false) is { } expiryText)
        {
            expiry = DateOnly.TryParseExact(expiryText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                ? date
                : throw new CaPublicKeyFormatException(i, "expiry", $"expected a date YYYY-MM-DD; got \"{expiryText}\"");
        }

        bool test = false;
        if (entry.TryGetProperty("test", out var testValue))
        {
            test = testValue.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw new CaPublicKeyFormatException(i, "test", $"expected true or false; found {Describe(testValue.ValueKind)}"),
            };
        }

        try
        {
            if (isRsa)
            {
                var modulus = HexField(entry, i, "modulus", required: true)!;
                var exponent = HexField(entry, i, "exponent", required: true)!;
                return CaPublicKey.Rsa(rid, indexBytes[0], modulus, exponent, expiry, test);
            }

            var publicKey = HexField(entry, i, "publicKey", required: true)!;
            return CaPublicKey.Sm2(rid, indexBytes[0], publicKey, expiry, test);
        }
        catch (ArgumentException exception)
        {
            string field = !isRsa ? "publicKey" : exception.Message.Contains("exponent", StringComparison.Ordinal) ? "exponent" : "modulus";
            throw new CaPublicKeyFormatException(i, field, exception.Message, exception);
        }
    }

    private static string? StringField(JsonElement entry, int i, string name, bool required)
    {
        if (!entry.TryGetProperty(name, out var value))
        {
            return required ? throw new CaPublicKeyFormatException(i, name, "missing") : null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new CaPublicKeyFormatException(i, name, $"expected a string; found {Describe(value.ValueKind)}");
    }

    private static byte[]? HexField(JsonElement entry, int i, string name, bool required)
    {
        var text = StringField(entry, i, name, required);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0)
        {
            throw new CaPublicKeyFormatException(i, name, "empty");
        }

        return Hex.TryParse(text, out var bytes, out var error)
            ? bytes
            : throw new CaPublicKeyFormatException(i, name, $"not hex: {error}");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };
}
