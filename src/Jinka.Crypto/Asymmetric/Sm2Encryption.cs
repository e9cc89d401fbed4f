using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography;
using Jinka.Crypto.Hashing;
using Org.BouncyCastle.Math;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace Jinka.Crypto.Asymmetric;

/// <summary>SM2 public-key encryption (GM/T 0003.4-2012 / GB/T 32918.4) with SM3 as hash and KDF hash.</summary>
public static partial class Sm2
{
    private const int PointLength = Sm2PublicKey.UncompressedLength;

    /// <summary>Encrypts <paramref name="plaintext"/> (at least one byte) to <paramref name="publicKey"/>.</summary>
    public static byte[] Encrypt(Sm2PublicKey publicKey, ReadOnlySpan<byte> plaintext, Sm2CiphertextFormat format = Sm2CiphertextFormat.C1C3C2)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        CheckPlaintext(plaintext);
        var domain = publicKey.Domain;
        Span<byte> kBytes = stackalloc byte[Sm2Domain.ElementLength];
        try
        {
            while (true)
            {
                RandomNumberGenerator.Fill(kBytes);
                var k = Sm2Numbers.FromUnsigned(kBytes);
                if (k.SignValue != 0 && k.CompareTo(domain.N) < 0 && TryEncrypt(publicKey, plaintext, k, format, out var ciphertext))
                {
                    return ciphertext;
                }
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(kBytes);
        }
    }

    /// <summary>Test-only: encrypts with a given k, to replay GM/T 0003.5 / GB/T 32918.4 examples.</summary>
    internal static byte[] EncryptWithK(Sm2PublicKey publicKey, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> k, Sm2CiphertextFormat format)
    {
        CheckPlaintext(plaintext);
        return TryEncrypt(publicKey, plaintext, Sm2Numbers.FromUnsigned(k), format, out var ciphertext)
            ? ciphertext
            : throw new ArgumentException("this k gives an all-zero KDF output; choose another", nameof(k));
    }

    /// <summary>Decrypts an SM2 ciphertext in <paramref name="format"/>.</summary>
    /// <exception cref="CryptographicException">Malformed ciphertext, a C1 not on the curve, or C3 does not match (wrong key or tampered).</exception>
    public static byte[] Decrypt(Sm2PrivateKey privateKey, ReadOnlySpan<byte> ciphertext, Sm2CiphertextFormat format = Sm2CiphertextFormat.C1C3C2) =>
        TryDecrypt(privateKey, ciphertext, format, out var plaintext, out var error)
            ? plaintext
            : throw new CryptographicException($"SM2 decryption failed: {error}");

    /// <summary>Like <see cref="Decrypt"/> but returns false with a reason instead of throwing.</summary>
    public static bool TryDecrypt(
        Sm2PrivateKey privateKey,
        ReadOnlySpan<byte> ciphertext,
        Sm2CiphertextFormat format,
        [NotNullWhen(true)] out byte[]? plaintext,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(privateKey);
        plaintext = null;
        if (!TrySplit(ciphertext, format, out var x1, out var y1, out var c3, out var c2, out error))
        {
            return false;
        }

        var domain = privateKey.Domain;
        // B1: C1 must be a curve point; with cofactor 1 that also rules out [h]C1 = O (B2).
        var c1 = domain.TryCreatePoint(x1, y1);
        if (c1 is null)
        {
            error = "C1 is not a point on the SM2 curve";
            return false;
        }

        var shared = c1.Multiply(privateKey.D).Normalize();
        var result = c2.ToArray();
        Span<byte> x2y2 = stackalloc byte[2 * Sm2Domain.ElementLength];
        Span<byte> check = stackalloc byte[DigestLength];
        try
        {
            WriteCoordinates(shared, x2y2);
            if (!KdfXor(x2y2, result))
            {
                error = "the KDF output is all zero";
                return false;
            }

            HashC3(x2y2, result, check);
            if (!CryptographicOperations.FixedTimeEquals(check, c3))
            {
                error = "C3 does not match (wrong key or altered ciphertext)";
                CryptographicOperations.ZeroMemory(result);
                return false;
            }

            plaintext = result;
            error = null;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x2y2);
        }
    }

    private static bool TryEncrypt(Sm2PublicKey publicKey, ReadOnlySpan<byte> plaintext, BigInteger k, Sm2CiphertextFormat format, [NotNullWhen(true)] out byte[]? ciphertext)
    {
        ciphertext = null;
        var domain = publicKey.Domain;
        var c1 = domain.MultiplyBase(k);                        // A2
        var shared = publicKey.Point.Multiply(k).Normalize();   // A4 (A3 is implied: cofactor 1, validated key)
        Span<byte> x2y2 = stackalloc byte[2 * Sm2Domain.ElementLength];
        Span<byte> c1Bytes = stackalloc byte[PointLength];
        Span<byte> c3 = stackalloc byte[DigestLength];
        var c2 = plaintext.ToArray();
        try
        {
            WriteCoordinates(shared, x2y2);
            if (!KdfXor(x2y2, c2))                             // A5–A6
            {
                return false;
            }

            HashC3(x2y2, plaintext, c3);                         // A7
            c1Bytes[0] = 0x04;
            WriteCoordinates(c1, c1Bytes[1..]);
            ciphertext = format switch
            {
                Sm2CiphertextFormat.C1C3C2 => [.. c1Bytes, .. c3, .. c2],
                Sm2CiphertextFormat.C1C2C3 => [.. c1Bytes, .. c2, .. c3],
                Sm2CiphertextFormat.Der => WriteDer(c1Bytes, c3, c2),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown SM2 ciphertext format"),
            };
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(x2y2);
        }
    }

    /// <summary>XORs KDF(x2 ‖ y2, len) into <paramref name="data"/> (GM/T 0003.4 §5.4.3); false if the KDF output was all zero.</summary>
    private static bool KdfXor(ReadOnlySpan<byte> x2y2, Span<byte> data)
    {
        Span<byte> block = stackalloc byte[DigestLength];
        Span<byte> counter = stackalloc byte[4];
        using var sm3 = new Sm3();
        int nonZero = 0;
        for (uint ct = 1, offset = 0; offset < data.Length; ct++, offset += DigestLength)
        {
            BinaryPrimitives.WriteUInt32BigEndian(counter, ct);
            sm3.Append(x2y2);
            sm3.Append(counter);
            sm3.GetHashAndReset(block);
            int take = Math.Min(DigestLength, data.Length - (int)offset);
            for (int i = 0; i < take; i++)
            {
                nonZero |= block[i];
                data[(int)offset + i] ^= block[i];
            }
        }

        CryptographicOperations.ZeroMemory(block);
        return nonZero != 0;
    }

    private static void HashC3(ReadOnlySpan<byte> x2y2, ReadOnlySpan<byte> message, Span<byte> destination)
    {
        using var sm3 = new Sm3();
        sm3.Append(x2y2[..Sm2Domain.ElementLength]);
        sm3.Append(message);
        sm3.Append(x2y2[Sm2Domain.ElementLength..]);
        sm3.GetHashAndReset(destination);
    }

    private static void WriteCoordinates(ECPoint point, Span<byte> destination)
    {
        Sm2Numbers.WriteFixed(point.AffineXCoord.ToBigInteger(), destination[..Sm2Domain.ElementLength]);
        Sm2Numbers.WriteFixed(point.AffineYCoord.ToBigInteger(), destination[Sm2Domain.ElementLength..(2 * Sm2Domain.ElementLength)]);
    }

    private static byte[] WriteDer(ReadOnlySpan<byte> c1, ReadOnlySpan<byte> c3, ReadOnlySpan<byte> c2)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Sm2Numbers.TrimLeadingZeros(c1.Slice(1, Sm2Domain.ElementLength)));
            writer.WriteIntegerUnsigned(Sm2Numbers.TrimLeadingZeros(c1.Slice(1 + Sm2Domain.ElementLength, Sm2Domain.ElementLength)));
            writer.WriteOctetString(c3);
            writer.WriteOctetString(c2);
        }

        return writer.Encode();
    }

    private static bool TrySplit(
        ReadOnlySpan<byte> ciphertext,
        Sm2CiphertextFormat format,
        out ReadOnlySpan<byte> x1,
        out ReadOnlySpan<byte> y1,
        out ReadOnlySpan<byte> c3,
        out ReadOnlySpan<byte> c2,
        [NotNullWhen(false)] out string? error)
    {
        x1 = y1 = c3 = c2 = default;
        if (format == Sm2CiphertextFormat.Der)
        {
            return TrySplitDer(ciphertext, out x1, out y1, out c3, out c2, out error);
        }

        if (format is not (Sm2CiphertextFormat.C1C3C2 or Sm2CiphertextFormat.C1C2C3))
        {
            throw new ArgumentOutOfRangeException(nameof(format), format, "unknown SM2 ciphertext format");
        }

        if (ciphertext.Length < PointLength + DigestLength + 1)
        {
            error = $"ciphertext is {ciphertext.Length} bytes; at least {PointLength + DigestLength + 1} expected (C1 65, C3 32, C2 ≥ 1)";
            return false;
        }

        if (ciphertext[0] != 0x04)
        {
            error = $"byte 0 is {ciphertext[0]:X2}; expected 04 (uncompressed C1)";
            return false;
        }

        x1 = ciphertext.Slice(1, Sm2Domain.ElementLength);
        y1 = ciphertext.Slice(1 + Sm2Domain.ElementLength, Sm2Domain.ElementLength);
        var rest = ciphertext[PointLength..];
        if (format == Sm2CiphertextFormat.C1C3C2)
        {
            c3 = rest[..DigestLength];
            c2 = rest[DigestLength..];
        }
        else
        {
            c3 = rest[^DigestLength..];
            c2 = rest[..^DigestLength];
        }

        error = null;
        return true;
    }

    private static bool TrySplitDer(
        ReadOnlySpan<byte> der,
        out ReadOnlySpan<byte> x1,
        out ReadOnlySpan<byte> y1,
        out ReadOnlySpan<byte> c3,
        out ReadOnlySpan<byte> c2,
        [NotNullWhen(false)] out string? error)
    {
        x1 = y1 = c3 = c2 = default;
        try
        {
            var rules = AsnEncodingRules.DER;
            AsnDecoder.ReadSequence(der, rules, out int contentOffset, out int contentLength, out int consumed);
            if (consumed != der.Length)
            {
                error = $"{der.Length - consumed} bytes follow the SM2Cipher SEQUENCE at offset {consumed}";
                return false;
            }

            var content = der.Slice(contentOffset, contentLength);
            int offset = contentOffset;
            if (!TryReadCoordinate(content, offset, "x1", out x1, out int read, out error))
            {
                return false;
            }

            content = content[read..];
            offset += read;
            if (!TryReadCoordinate(content, offset, "y1", out y1, out read, out error))
            {
                return false;
            }

            content = content[read..];
            offset += read;

            if (!AsnDecoder.TryReadPrimitiveOctetString(content, rules, out c3, out int c3Read))
            {
                error = $"C3 at offset {offset} is not a primitive OCTET STRING";
                return false;
            }

            content = content[c3Read..];
            offset += c3Read;
            if (!AsnDecoder.TryReadPrimitiveOctetString(content, rules, out c2, out int c2Read))
            {
                error = $"C2 at offset {offset} is not a primitive OCTET STRING";
                return false;
            }

            if (c2Read != content.Length)
            {
                error = $"unexpected data after C2 at offset {offset + c2Read}";
                return false;
            }

            if (c3.Length != DigestLength || c2.IsEmpty)
            {
                error = $"C3 is {c3.Length} bytes (expected {DigestLength}) or C2 is empty";
                return false;
            }

            error = null;
            return true;
        }
        catch (AsnContentException e)
        {
            error = $"not a DER SM2Cipher SEQUENCE ({e.Message})";
            return false;
        }
    }

    /// <summary>Reads a non-negative INTEGER of at most 32 significant bytes and returns its magnitude.</summary>
    private static bool TryReadCoordinate(ReadOnlySpan<byte> content, int offset, string name, out ReadOnlySpan<byte> magnitude, out int read, [NotNullWhen(false)] out string? error)
    {
        magnitude = AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out read);
        if ((magnitude[0] & 0x80) != 0)
        {
            error = $"INTEGER {name} at offset {offset} is negative";
            return false;
        }

        magnitude = Sm2Numbers.TrimLeadingZeros(magnitude);
        if (magnitude.Length > Sm2Domain.ElementLength)
        {
            error = $"INTEGER {name} at offset {offset} is longer than {Sm2Domain.ElementLength} bytes";
            return false;
        }

        error = null;
        return true;
    }

    private static void CheckPlaintext(ReadOnlySpan<byte> plaintext)
    {
        if (plaintext.IsEmpty)
        {
            throw new ArgumentException("SM2 cannot encrypt an empty message", nameof(plaintext));
        }
    }
}
