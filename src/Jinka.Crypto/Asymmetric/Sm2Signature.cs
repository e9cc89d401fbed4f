using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;

namespace Jinka.Crypto.Asymmetric;

/// <summary>
/// Converts SM2 signatures between raw r ‖ s (64 bytes; PBOC certificates and signed data carry this) and DER
/// SEQUENCE { INTEGER r, INTEGER s } (GM/T 0009 SM2Signature; OpenSSL's form).
/// </summary>
public static class Sm2Signature
{
    /// <summary>Length of raw r ‖ s.</summary>
    public const int Length = Sm2.SignatureLength;

    private const int ScalarLength = Length / 2;

    /// <summary>DER SEQUENCE { INTEGER r, INTEGER s } for a 64-byte r ‖ s.</summary>
    /// <exception cref="ArgumentException"><paramref name="rs"/> is not 64 bytes.</exception>
    public static byte[] ToDer(ReadOnlySpan<byte> rs)
    {
        if (rs.Length != Length)
        {
            throw new ArgumentException($"SM2 signature r‖s is {rs.Length} bytes; expected {Length}", nameof(rs));
        }

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(Sm2Numbers.TrimLeadingZeros(rs[..ScalarLength]));
            writer.WriteIntegerUnsigned(Sm2Numbers.TrimLeadingZeros(rs[ScalarLength..]));
        }

        return writer.Encode();
    }

    /// <summary>
    /// Reads a signature given either as DER SEQUENCE { INTEGER r, INTEGER s } or as 64 bytes r ‖ s, and returns r ‖ s.
    /// Input that parses completely as DER is taken as DER, even when it is 64 bytes long; any other 64-byte input is r ‖ s.
    /// Range checks (1 ≤ r, s &lt; n) are left to <see cref="Sm2.Verify(Sm2PublicKey, ReadOnlySpan{byte}, ReadOnlySpan{byte})"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out byte[]? rs, [NotNullWhen(false)] out string? error)
    {
        rs = new byte[Length];
        string? derError = null;
        if (encoded.Length > 0 && encoded[0] == 0x30 && TryReadDer(encoded, rs, out derError))
        {
            error = null;
            return true;
        }

        if (encoded.Length == Length)
        {
            encoded.CopyTo(rs);
            error = null;
            return true;
        }

        rs = null;
        error = encoded.Length == 0
            ? "SM2 signature is empty"
            : encoded[0] == 0x30
                ? $"SM2 signature: {derError}"
                : $"SM2 signature is {encoded.Length} bytes starting {encoded[0]:X2}; expected 64 bytes r‖s or a DER SEQUENCE (30)";
        return false;
    }

    /// <summary>Like <see cref="TryParse"/> but throws.</summary>
    /// <exception cref="FormatException">Neither DER nor 64 bytes; the message names the offset and what was expected.</exception>
    public static byte[] Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var rs, out var error) ? rs : throw new FormatException(error);

    private static bool TryReadDer(ReadOnlySpan<byte> der, Span<byte> rs, out string? error)
    {
        const AsnEncodingRules rules = AsnEncodingRules.DER;
        try
        {
            AsnDecoder.ReadSequence(der, rules, out int contentOffset, out int contentLength, out int consumed);
            if (consumed != der.Length)
            {
                error = $"{der.Length - consumed} extra bytes after the DER SEQUENCE at offset {consumed}";
                return false;
            }

            var content = der.Slice(contentOffset, contentLength);
            int offset = contentOffset;
            for (int i = 0; i < 2; i++)
            {
                string name = i == 0 ? "r" : "s";
                if (content.IsEmpty)
                {
                    error = $"INTEGER {name} missing at offset {offset}";
                    return false;
                }

                var value = AsnDecoder.ReadIntegerBytes(content, rules, out int read);
                if ((value[0] & 0x80) != 0)
                {
                    error = $"INTEGER {name} at offset {offset} is negative";
                    return false;
                }

                if (value.Length > 1 && value[0] == 0)
                {
                    value = value[1..];
                }

                if (value.Length > ScalarLength)
                {
                    error = $"INTEGER {name} at offset {offset} has {value.Length} bytes; at most {ScalarLength} expected";
                    return false;
                }

                var target = rs.Slice(i * ScalarLength, ScalarLength);
                target.Clear();
                value.CopyTo(target[^value.Length..]);
                content = content[read..];
                offset += read;
            }

            if (!content.IsEmpty)
            {
                error = $"{content.Length} extra bytes inside the SEQUENCE at offset {offset}";
                return false;
            }

            error = null;
            return true;
        }
        catch (AsnContentException e)
        {
            error = $"not a DER SEQUENCE of two INTEGERs ({e.Message})";
            return false;
        }
    }
}
