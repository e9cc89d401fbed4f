using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Terminal;
using Jinka.Terminal.Tracing;

namespace Jinka.EndToEnd.Tests;

/// <summary>Reading the card's answers back out of a result: CID, ARC, and the CVR inside 9F10 of either GENERATE AC.</summary>
internal static class ResultReading
{
    public static byte[] Value(this TransactionResult result, uint tag) => result.Data.Get(new Tag(tag)).ToArray();

    /// <summary>8A as text ("00", "Y1", "Z3" …).</summary>
    public static string Arc(this TransactionResult result) => System.Text.Encoding.ASCII.GetString(result.Value(0x8A));

    /// <summary>The final CID's cryptogram type: "AAC", "TC" or "ARQC".</summary>
    public static string Cryptogram(this TransactionResult result) => (result.Value(0x9F27)[0] & 0xC0) switch
    {
        0x00 => "AAC",
        0x40 => "TC",
        _ => "ARQC",
    };

    /// <summary>The CVR (3 bytes, contract P2) of the first or second GENERATE AC, from its response in the trace.</summary>
    public static byte[] Cvr(this TransactionResult result, bool first)
    {
        var apdu = GenerateAc(result.Trace, first) ?? throw new Xunit.Sdk.XunitException($"no {(first ? "first" : "second")} GENERATE AC in the trace");
        var response = Hex.Parse(apdu.Response)[..^2];
        var node = TlvNode.Parse(response).Single();
        byte[] iad = node.Tag.Value == 0x80 ? node.Value.Span[11..].ToArray() : node.Find(new Tag(0x9F10))!.Value.ToArray();
        return iad[4..7];
    }

    public static TraceApdu? GenerateAc(TransactionTrace trace, bool first) =>
        trace.Apdus.LastOrDefault(a => a.Purpose.StartsWith(first ? "first GENERATE AC" : "second GENERATE AC", StringComparison.Ordinal));

    /// <summary>TVR byte 1 from the request's field 55 as the issuer saw it.</summary>
    public static byte[] Field55(this Core.Online.AuthorizationRequest request, uint tag) =>
        TlvNode.Parse(request.IccData).Single(n => n.Tag.Value == tag).Value.ToArray();
}
