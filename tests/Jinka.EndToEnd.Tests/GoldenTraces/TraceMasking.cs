using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Terminal.Tracing;

namespace Jinka.EndToEnd.Tests.GoldenTraces;

/// <summary>
/// Masks the randomised SM2 signatures of an SM-suite trace, explicitly and only them: the last 64 bytes (r ‖ s) of
/// the issuer certificate 90, the ICC certificate 9F46, the signed static data 93 (data preparation signs them,
/// D18) and the signed dynamic data 9F4B (the card signs it at each CDA GENERATE AC), wherever they appear: inside
/// the card's responses and in the final data elements. Everything else — the certificate bodies, the ICC dynamic
/// number, cryptograms, field 55 — stays as it is.
/// </summary>
internal static class TraceMasking
{
    public const int Sm2SignatureLength = 64;

    public static readonly uint[] SignatureTags = [0x90, 0x9F46, 0x93, 0x9F4B];

    /// <summary>Masks <paramref name="trace"/> in place; returns how many signatures were masked.</summary>
    public static int MaskSm2Signatures(TransactionTrace trace)
    {
        int masked = 0;
        foreach (var apdu in trace.Apdus)
        {
            var response = Hex.Parse(apdu.Response);
            if (response.Length > 2 && TlvNode.TryParse(response.AsMemory(0, response.Length - 2), out var nodes, out _))
            {
                // INTERNAL AUTHENTICATE answers in format 1: the 80 value is the signed dynamic data itself (P24).
                masked += MaskNodes(response, nodes, apdu.Purpose == "INTERNAL AUTHENTICATE" ? [.. SignatureTags, 0x80] : SignatureTags);
                apdu.Response = Hex.Encode(response);
            }
        }

        foreach (var element in trace.Data.Where(e => SignatureTags.Contains(Convert.ToUInt32(e.Tag, 16))))
        {
            var value = Hex.Parse(element.Value);
            Mask(value, 0, value.Length);
            element.Value = Hex.Encode(value);
            masked++;
        }

        return masked;
    }

    private static int MaskNodes(byte[] buffer, IReadOnlyList<TlvNode> nodes, uint[] tags)
    {
        int masked = 0;
        foreach (var node in nodes)
        {
            if (node.IsConstructed)
            {
                masked += MaskNodes(buffer, node.Children, tags);
            }
            else if (tags.Contains(node.Tag.Value))
            {
                int start = node.Offset + node.HeaderLength;
                Assert.True(buffer.AsSpan(start, node.Value.Length).SequenceEqual(node.Value.Span), $"{node.Tag} is not where its offset says");
                Mask(buffer, start, node.Value.Length);
                masked++;
            }
        }

        return masked;
    }

    private static void Mask(byte[] buffer, int start, int length)
    {
        Assert.True(length > Sm2SignatureLength, $"a signed object of {length} bytes cannot end in a 64-byte SM2 signature");
        buffer.AsSpan(start + length - Sm2SignatureLength, Sm2SignatureLength).Clear();
    }
}
