using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Jinka.Crypto.Asymmetric;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Ca;

/// <summary>
/// A certification authority key pair as Jinka's test CA files hold it (profiles/ca/*.json, D13): RID, index, expiry,
/// and an RSA or SM2 key with its private part. These keys are TEST ONLY — their private parts are public.
/// </summary>
public sealed class CaKey : IDisposable
{
    private CaKey(string rid, byte index, string expiry, bool test, EmvRsaPrivateKey? rsa, Sm2PrivateKey? sm2)
    {
        Rid = rid;
        Index = index;
        Expiry = expiry;
        IsTest = test;
        Rsa = rsa;
        Sm2 = sm2;
    }

    /// <summary>Registered application provider identifier, 10 hex digits (A000000333).</summary>
    public string Rid { get; }

    /// <summary>The CA public key index (tag 8F).</summary>
    public byte Index { get; }

    /// <summary>Expiry MMYY, as terminals store it with the key.</summary>
    public string Expiry { get; }

    /// <summary>Marked "test": true in its file.</summary>
    public bool IsTest { get; }

    /// <summary>The RSA key pair, or null for an SM2 CA.</summary>
    public EmvRsaPrivateKey? Rsa { get; }

    /// <summary>The SM2 key pair, or null for an RSA CA.</summary>
    public Sm2PrivateKey? Sm2 { get; }

    public bool IsRsa => Rsa is not null;

    /// <summary>Reads a CA key file.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid CA key; the message names the field.</exception>
    public static CaKey Load(string path) => Parse(File.ReadAllText(path), path);

    /// <summary>Reads a CA key from JSON text.</summary>
    /// <exception cref="InvalidDataException">Not a valid CA key; the message names the field.</exception>
    public static CaKey Parse(string json, string source = "(text)")
    {
        var errors = new List<ProfileError>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"CA key {source} is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = new JsonFields(document.RootElement, "", errors);
            string? rid = root.String("rid", required: true);
            var index = root.Hex("index", 1, 1, required: true);
            string? algorithm = root.String("algorithm", required: true);
            string expiry = root.String("expiry") ?? "1249";
            bool test = root.IsTrue("test");
            var key = algorithm switch
            {
                "rsa" => ReadRsa(root),
                "sm2" => ReadSm2(root),
                null => null,
                _ => Fail(root, "algorithm", $"expected \"rsa\" or \"sm2\", found \"{algorithm}\""),
            };
            root.ReportUnknown();
            if (rid is not null && (rid.Length != 10 || !Core.Hex.TryParse(rid, out _, out _)))
            {
                root.Error("rid", "expected 5 bytes in hex");
            }

            if (errors.Count > 0 || key is null || rid is null || index is null)
            {
                (key as IDisposable)?.Dispose();
                throw new InvalidDataException($"CA key {source} is not valid: " + string.Join("; ", errors));
            }

            return new CaKey(rid.ToUpperInvariant(), index[0], expiry, test, key as EmvRsaPrivateKey, key as Sm2PrivateKey);
        }
    }

    public void Dispose()
    {
        Rsa?.Dispose();
        Sm2?.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Rid}/{Index:X2} ({(IsRsa ? $"RSA {Rsa!.ModulusLength * 8}" : "SM2")}{(IsTest ? ", TEST" : "")})");

    private static object? Fail(JsonFields root, string name, string message)
    {
        root.Error(name, message);
        return null;
    }

    private static EmvRsaPrivateKey? ReadRsa(JsonFields root)
    {
        var modulus = root.Hex("modulus", 64, 248, required: true);
        var exponent = root.Hex("exponent", 1, 3, required: true);
        var secret = root.Object("private", required: true);
        var parts = new[] { "d", "p", "q", "dp", "dq", "qinv" }.Select(name => secret?.Hex(name, 1, 248, required: true)).ToArray();
        secret?.ReportUnknown();
        if (modulus is null || exponent is null || parts.Any(p => p is null))
        {
            return null;
        }

        var parameters = new RSAParameters
        {
            Modulus = modulus,
            Exponent = exponent,
            D = parts[0],
            P = parts[1],
            Q = parts[2],
            DP = parts[3],
            DQ = parts[4],
            InverseQ = parts[5],
        };
        try
        {
            return new EmvRsaPrivateKey(parameters);
        }
        catch (ArgumentException e)
        {
            root.Error("private", e.Message);
            return null;
        }
        finally
        {
            foreach (var part in parts)
            {
                CryptographicOperations.ZeroMemory(part);
            }
        }
    }

    private static Sm2PrivateKey? ReadSm2(JsonFields root)
    {
        var publicKey = root.Hex("publicKey", 64, 65, required: true);
        var secret = root.Object("private", required: true);
        var d = secret?.Hex("d", 32, 32, required: true);
        secret?.ReportUnknown();
        if (publicKey is null || d is null)
        {
            return null;
        }

        try
        {
            var key = new Sm2PrivateKey(d);
            if (!key.PublicKey.Equals(new Sm2PublicKey(publicKey)))
            {
                key.Dispose();
                root.Error("publicKey", "is not [d]G for the private key d");
                return null;
            }

            return key;
        }
        catch (ArgumentException e)
        {
            root.Error("private.d", e.Message);
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
        }
    }
}
