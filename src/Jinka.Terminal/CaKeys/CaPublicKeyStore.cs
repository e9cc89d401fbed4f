using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Jinka.Core;

namespace Jinka.Terminal.CaKeys;

/// <summary>A revoked issuer certificate: the CA key that signed it and the certificate serial (EMV Book 2 §5.3 step 10).</summary>
public readonly record struct CertificateRevocation(string RidHex, byte Index, string SerialHex)
{
    public override string ToString() => $"{RidHex} #{Index:X2} serial {SerialHex}";
}

/// <summary>
/// The terminal's CA public keys, looked up by (RID, index), and the certificate revocation list of (RID, index,
/// issuer certificate serial). Loads and saves the JSON form the CLI uses (<see cref="FromJson"/>, <see cref="ToJson"/>).
/// Thread-safe: a terminal may update it while kernels read it.
/// </summary>
public sealed class CaPublicKeyStore : IReadOnlyCollection<CaPublicKey>
{
    private readonly Dictionary<(string Rid, byte Index), CaPublicKey> _keys = [];
    private readonly HashSet<CertificateRevocation> _revocations = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _keys.Count;
            }
        }
    }

    /// <summary>The revoked certificates.</summary>
    public IReadOnlyCollection<CertificateRevocation> Revocations
    {
        get
        {
            lock (_gate)
            {
                return [.. _revocations];
            }
        }
    }

    /// <summary>Adds a key, replacing any key with the same RID and index.</summary>
    public void Add(CaPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            _keys[(key.RidHex, key.Index)] = key;
        }
    }

    public bool Remove(ReadOnlySpan<byte> rid, byte index)
    {
        var ridHex = Hex.Encode(rid);
        lock (_gate)
        {
            return _keys.Remove((ridHex, index));
        }
    }

    /// <summary>The key for RID and index (8F), if held.</summary>
    public bool TryGet(ReadOnlySpan<byte> rid, byte index, [NotNullWhen(true)] out CaPublicKey? key)
    {
        var ridHex = Hex.Encode(rid);
        lock (_gate)
        {
            return _keys.TryGetValue((ridHex, index), out key);
        }
    }

    /// <summary>Revokes the issuer certificate with <paramref name="serialNumber"/> (3 bytes) signed by CA key (RID, index).</summary>
    public void Revoke(ReadOnlySpan<byte> rid, byte index, ReadOnlySpan<byte> serialNumber)
    {
        CaPublicKey.CheckRid(rid);
        if (serialNumber.Length != 3)
        {
            throw new ArgumentException($"a certificate serial number is 3 bytes; got {serialNumber.Length}", nameof(serialNumber));
        }

        lock (_gate)
        {
            _revocations.Add(new CertificateRevocation(Hex.Encode(rid), index, Hex.Encode(serialNumber)));
        }
    }

    /// <summary>True when the issuer certificate (RID, index, serial) is on the revocation list.</summary>
    public bool IsRevoked(ReadOnlySpan<byte> rid, byte index, ReadOnlySpan<byte> serialNumber)
    {
        var entry = new CertificateRevocation(Hex.Encode(rid), index, Hex.Encode(serialNumber));
        lock (_gate)
        {
            return _revocations.Contains(entry);
        }
    }

    /// <summary>
    /// Parses the JSON form: an array of <c>{"rid","index","algorithm":"rsa","modulus","exponent"}</c> or
    /// <c>{"rid","index","algorithm":"sm2","publicKey":"04…"}</c> objects (hex strings, index two hex digits,
    /// optional <c>"test": true</c> and <c>"expiry": "YYYY-MM-DD"</c>), or a single such object.
    /// </summary>
    /// <exception cref="CaPublicKeyFormatException">The JSON is malformed; the message names the entry and field.</exception>
    public static CaPublicKeyStore FromJson(string json)
    {
        var store = new CaPublicKeyStore();
        store.AddFromJson(json);
        return store;
    }

    /// <summary>Adds (replacing same RID and index) every key of a JSON document; nothing is added if any entry is bad.</summary>
    /// <exception cref="CaPublicKeyFormatException">The JSON is malformed; the message names the entry and field.</exception>
    public void AddFromJson(string json)
    {
        foreach (var key in CaPublicKeyJson.Read(json))
        {
            Add(key);
        }
    }

    /// <summary>Reads a JSON file (see <see cref="FromJson"/>).</summary>
    public static CaPublicKeyStore Load(string path) => FromJson(File.ReadAllText(path));

    /// <summary>The keys as a JSON array, sorted by RID and index.</summary>
    public string ToJson(bool indented = true) => CaPublicKeyJson.Write(Sorted(), indented);

    /// <summary>Writes <see cref="ToJson"/> to a file.</summary>
    public void Save(string path) => File.WriteAllText(path, ToJson() + "\n");

    public IEnumerator<CaPublicKey> GetEnumerator() => ((IEnumerable<CaPublicKey>)Sorted()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private CaPublicKey[] Sorted()
    {
        lock (_gate)
        {
            return [.. _keys.OrderBy(k => k.Key.Rid, StringComparer.Ordinal).ThenBy(k => k.Key.Index).Select(k => k.Value)];
        }
    }
}
