using System.Formats.Asn1;
using System.Security.Cryptography;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// DER key containers OpenSSL understands for SM2: SubjectPublicKeyInfo (RFC 5480) and PKCS#8 PrivateKeyInfo with an
/// RFC 5915 ECPrivateKey, both naming id-ecPublicKey with the SM2 curve OID (GM/T 0006: 1.2.156.10197.1.301).
/// </summary>
internal static class Sm2KeyEncoding
{
    internal const string EcPublicKeyOid = "1.2.840.10045.2.1";
    internal const string Sm2CurveOid = "1.2.156.10197.1.301";

    public static byte[] WriteSubjectPublicKeyInfo(Sm2PublicKey key)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            WriteAlgorithm(writer);
            writer.WriteBitString(key.ExportUncompressed());
        }

        return writer.Encode();
    }

    public static Sm2PublicKey ReadSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var spki = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            ReadAlgorithm(spki);
            var point = spki.ReadBitString(out int unused);
            spki.ThrowIfNotEmpty();
            if (unused != 0)
            {
                throw new FormatException("SubjectPublicKeyInfo: the key BIT STRING has unused bits");
            }

            return CreatePublicKey(point, "SubjectPublicKeyInfo");
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"SubjectPublicKeyInfo: malformed DER ({e.Message})", e);
        }
    }

    public static byte[] WritePkcs8(ReadOnlySpan<byte> d, Sm2PublicKey publicKey)
    {
        var inner = new AsnWriter(AsnEncodingRules.DER);
        using (inner.PushSequence())
        {
            inner.WriteInteger(1);
            inner.WriteOctetString(d);
            using (inner.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true)))
            {
                inner.WriteBitString(publicKey.ExportUncompressed());
            }
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            WriteAlgorithm(writer);
            var ecPrivateKey = inner.Encode();
            writer.WriteOctetString(ecPrivateKey);
            CryptographicOperations.ZeroMemory(ecPrivateKey);
        }

        return writer.Encode();
    }

    public static Sm2PrivateKey ReadPkcs8(ReadOnlySpan<byte> der)
    {
        byte[]? ecPrivateKey = null;
        try
        {
            var outer = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            var info = outer.ReadSequence();
            outer.ThrowIfNotEmpty();
            if (!info.TryReadInt32(out int version) || version != 0)
            {
                throw new FormatException("PKCS#8: version is not 0");
            }

            ReadAlgorithm(info);
            ecPrivateKey = info.ReadOctetString();
            info.ThrowIfNotEmpty();
            return ReadEcPrivateKey(ecPrivateKey, curveRequired: false);
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"PKCS#8: malformed DER ({e.Message})", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ecPrivateKey);
        }
    }

    /// <summary>RFC 5915 / SEC 1 ECPrivateKey. Standalone (as <c>openssl pkey -outform DER</c> writes) it must name the SM2 curve.</summary>
    public static Sm2PrivateKey ReadEcPrivateKey(ReadOnlySpan<byte> der, bool curveRequired)
    {
        Span<byte> d = stackalloc byte[Sm2PrivateKey.Length];
        byte[]? copy = null;
        byte[]? scalar = null;
        try
        {
            copy = der.ToArray();
            var ecReader = new AsnReader(copy, AsnEncodingRules.DER);
            var ec = ecReader.ReadSequence();
            ecReader.ThrowIfNotEmpty();
            if (!ec.TryReadInt32(out int ecVersion) || ecVersion != 1)
            {
                throw new FormatException("ECPrivateKey: version is not 1");
            }

            scalar = ec.ReadOctetString();
            if (scalar.Length is 0 or > Sm2PrivateKey.Length)
            {
                throw new FormatException($"ECPrivateKey: private key is {scalar.Length} bytes; expected at most {Sm2PrivateKey.Length}");
            }

            d.Clear();
            scalar.CopyTo(d[^scalar.Length..]);
            byte[]? embeddedPoint = null;
            var parametersTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            var publicKeyTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
            bool curveSeen = false;
            if (ec.HasData && ec.PeekTag().HasSameClassAndValue(parametersTag))
            {
                var parameters = ec.ReadSequence(parametersTag);
                string curve = parameters.ReadObjectIdentifier();
                parameters.ThrowIfNotEmpty();
                if (curve != Sm2CurveOid)
                {
                    throw new FormatException($"ECPrivateKey: curve {curve} is not the SM2 curve ({Sm2CurveOid})");
                }

                curveSeen = true;
            }

            if (curveRequired && !curveSeen)
            {
                throw new FormatException("ECPrivateKey: no curve parameters; expected the SM2 curve OID");
            }

            if (ec.HasData && ec.PeekTag().HasSameClassAndValue(publicKeyTag))
            {
                var publicKey = ec.ReadSequence(publicKeyTag);
                embeddedPoint = publicKey.ReadBitString(out _);
                publicKey.ThrowIfNotEmpty();
            }

            ec.ThrowIfNotEmpty();
            Sm2PrivateKey key;
            try
            {
                key = new Sm2PrivateKey(d);
            }
            catch (ArgumentException e)
            {
                throw new FormatException($"ECPrivateKey: {e.Message}", e);
            }

            if (embeddedPoint is not null && !embeddedPoint.AsSpan().SequenceEqual(key.PublicKey.ExportUncompressed()))
            {
                key.Dispose();
                throw new FormatException("ECPrivateKey: the embedded public key does not match the private key");
            }

            return key;
        }
        catch (AsnContentException e)
        {
            throw new FormatException($"ECPrivateKey: malformed DER ({e.Message})", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(d);
            CryptographicOperations.ZeroMemory(copy);
            CryptographicOperations.ZeroMemory(scalar);
        }
    }

    private static void WriteAlgorithm(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(EcPublicKeyOid);
            writer.WriteObjectIdentifier(Sm2CurveOid);
        }
    }

    private static void ReadAlgorithm(AsnReader reader)
    {
        var algorithm = reader.ReadSequence();
        string oid = algorithm.ReadObjectIdentifier();
        string? curve = algorithm.HasData ? algorithm.ReadObjectIdentifier() : null;
        algorithm.ThrowIfNotEmpty();
        if (oid != EcPublicKeyOid || curve != Sm2CurveOid)
        {
            throw new FormatException($"algorithm is {oid} with parameters {curve ?? "none"}; expected id-ecPublicKey ({EcPublicKeyOid}) on the SM2 curve ({Sm2CurveOid})");
        }
    }

    private static Sm2PublicKey CreatePublicKey(ReadOnlySpan<byte> point, string container)
    {
        if (!Sm2PublicKey.TryCreate(point, out var key, out var error) || point.Length != Sm2PublicKey.UncompressedLength)
        {
            throw new FormatException($"{container}: {error ?? "the point is not in uncompressed form 04‖x‖y"}");
        }

        return key;
    }
}
