using System.Text;
using System.Text.Json;
using Jinka.Core;

namespace Jinka.Issuance.Ca;

/// <summary>The CA keys data preparation can sign issuer certificates with, found by RID and index.</summary>
public sealed class CaKeyStore : IDisposable
{
    private readonly List<CaKey> _keys;

    /// <exception cref="ArgumentException">Two keys share a RID and index.</exception>
    public CaKeyStore(IEnumerable<CaKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        _keys = [.. keys];
        var duplicate = _keys.GroupBy(k => (k.Rid, k.Index)).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"CA key {duplicate.Key.Rid}/{duplicate.Key.Index:X2} appears twice", nameof(keys));
        }
    }

    public IReadOnlyList<CaKey> Keys => _keys.AsReadOnly();

    /// <summary>Loads every *.json file of <paramref name="directory"/> (e.g. profiles/ca) as a CA key.</summary>
    /// <exception cref="InvalidDataException">A file is not a valid CA key.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static CaKeyStore LoadDirectory(string directory)
    {
        var files = Directory.GetFiles(directory, "*.json").Order(StringComparer.Ordinal);
        return new CaKeyStore(files.Select(CaKey.Load));
    }

    /// <summary>The key with this RID and index.</summary>
    /// <exception cref="KeyNotFoundException">None.</exception>
    public CaKey Get(string rid, byte index) =>
        _keys.Find(k => string.Equals(k.Rid, rid, StringComparison.OrdinalIgnoreCase) && k.Index == index)
        ?? throw new KeyNotFoundException($"no CA key {rid}/{index:X2} (have: {string.Join(", ", _keys)})");

    public void Dispose()
    {
        foreach (var key in _keys)
        {
            key.Dispose();
        }
    }
}

/// <summary>
/// The CA public keys as the terminal side loads them: a JSON array of
/// <c>{"rid","index","algorithm":"rsa","modulus","exponent","test"}</c> or
/// <c>{"rid","index","algorithm":"sm2","publicKey":"04…","test"}</c>, hex strings, index as two hex digits.
/// </summary>
public static class CaKeyExport
{
    /// <summary>The JSON array for <paramref name="keys"/>, indented, in the given order.</summary>
    public static string ToJson(IEnumerable<CaKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var key in keys)
            {
                writer.WriteStartObject();
                writer.WriteString("rid", key.Rid);
                writer.WriteString("index", Hex.Encode([key.Index]));
                if (key.Rsa is { } rsa)
                {
                    writer.WriteString("algorithm", "rsa");
                    writer.WriteString("modulus", Hex.Encode(rsa.PublicKey.Modulus));
                    writer.WriteString("exponent", Hex.Encode(rsa.PublicKey.Exponent));
                }
                else
                {
                    writer.WriteString("algorithm", "sm2");
                    writer.WriteString("publicKey", Hex.Encode(key.Sm2!.PublicKey.ExportUncompressed()));
                }

                writer.WriteBoolean("test", key.IsTest);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The JSON array for every key of <paramref name="store"/>.</summary>
    public static string ToJson(CaKeyStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return ToJson(store.Keys);
    }
}
