using System.Globalization;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.Online;

/// <summary>The chip data and plain fields of the messages to the host (NOTES F.2).</summary>
internal static class AuthorizationMessages
{
    /// <summary>Field 55 of an authorisation or purchase request (NOTES F.2), in that order; absent optional tags are left out.</summary>
    public static readonly Tag[] RequestTags =
    [
        new(0x9F26), new(0x9F27), new(0x9F10), new(0x9F37), new(0x9F36), new(0x95), new(0x9A), new(0x9C), new(0x9F02), new(0x5F2A),
        new(0x82), new(0x9F1A), new(0x9F03), new(0x9F33), new(0x9F34), new(0x9F35), new(0x9F1E), new(0x84), new(0x9F09), new(0x9F41),
        new(0x9F63), new(0x9F74),
    ];

    /// <summary>Field 55 of a completion advice: the final cryptogram and the script results (NOTES F.2 script-result list plus 9F27).</summary>
    public static readonly Tag[] CompletionTags =
    [
        new(0x9F26), new(0x9F27), new(0x9F10), new(0x9F36), new(0x95), new(0x9F37), new(0x9F1E), new(0x82), new(0x9F1A), new(0x9A), new(0x9F33), new(0xDF31),
    ];

    /// <summary>Field 55 of a reversal (NOTES F.2).</summary>
    public static readonly Tag[] ReversalTags = [new(0x95), new(0x9F1E), new(0x9F10), new(0x9F36), new(0xDF31)];

    public static AuthorizationRequest BuildRequest(TransactionContext context)
    {
        var config = context.Config;
        var request = context.Request;
        string psn = context.TryGet(Tags.PanSequenceNumber, out var psnBytes) && psnBytes.Length == 1 ? Hex.Encode(psnBytes) : "00";
        return new AuthorizationRequest(
            context.Pan,
            psn,
            request.Amount,
            config.CurrencyCode.ToString("D3", CultureInfo.InvariantCulture),
            ProcessingCode(request.TransactionType),
            context.Data.Encode(RequestTags),
            config.TerminalId,
            config.MerchantId,
            request.SequenceCounter,
            context.TransactionDateTime)
        {
            Expiry = context.TryGet(Tags.ExpiryDate, out var expiry) && expiry.Length == 3 ? Hex.Encode(expiry[..2]) : null,
            Track2 = context.TryGet(Tags.Track2, out var track2) ? Hex.Encode(track2) : null,
            PinBlock = context.OnlinePinBlock is { } pinBlock ? pinBlock : default(ReadOnlyMemory<byte>?),
        };
    }

    /// <summary>Field 3 from 9C: "000000" purchase, "010000" cash, "310000" balance inquiry, "600000" EC load (NOTES F.1).</summary>
    public static string ProcessingCode(byte transactionType) => string.Create(CultureInfo.InvariantCulture, $"{transactionType:X2}0000");
}
