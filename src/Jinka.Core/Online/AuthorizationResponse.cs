namespace Jinka.Core.Online;

/// <summary>The host's answer to an <see cref="AuthorizationRequest"/>.</summary>
/// <param name="ResponseCode">Field 39, two characters: "00" approved; anything else declines (docs/spec-choices.md P12).</param>
/// <param name="IccData">Field 55 of the response: 91 (ARPC ‖ ARC) and any 71/72 issuer script templates, as BER-TLV.</param>
public sealed record AuthorizationResponse(string ResponseCode, ReadOnlyMemory<byte> IccData)
{
    /// <summary>Field 38, the approval code, when approved.</summary>
    public string? ApprovalCode { get; init; }

    /// <summary>Field 37, the retrieval reference number the host assigned.</summary>
    public string? RetrievalReference { get; init; }

    /// <summary>A human-readable reason for traces (never sent on the wire).</summary>
    public string? Reason { get; init; }

    public bool IsApproved => ResponseCode == "00";

    /// <summary>The authorisation response code as the card sees it in 8A: the two ASCII characters of field 39.</summary>
    public byte[] Arc => System.Text.Encoding.ASCII.GetBytes(ResponseCode.PadRight(2)[..2]);
}
