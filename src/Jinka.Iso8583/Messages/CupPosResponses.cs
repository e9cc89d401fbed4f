using System.Globalization;
using Jinka.Core.Online;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583.Messages;

/// <summary>
/// The host's answers: the response MTI, the request fields a CUP response repeats (2, 3, 4, 11, 14, 22, 23, 25, 41,
/// 42, 49, 60), the host's date and time (12, 13) and settlement date (15), the retrieval reference (37) and field 39.
/// </summary>
public static class CupPosResponses
{
    private static readonly int[] s_echoed =
    [
        Iso8583Field.Pan, Iso8583Field.ProcessingCode, Iso8583Field.Amount, Iso8583Field.Stan, Iso8583Field.Expiry,
        Iso8583Field.EntryMode, Iso8583Field.PanSequenceNumber, Iso8583Field.ConditionCode, Iso8583Field.TerminalId,
        Iso8583Field.MerchantId, Iso8583Field.Currency, Iso8583Field.Reserved60,
    ];

    /// <summary>The response skeleton with <paramref name="responseCode"/>.</summary>
    /// <exception cref="InvalidOperationException">The request is itself a response.</exception>
    public static Iso8583MessageBuilder Echo(Iso8583Message request, string responseCode, DateTimeOffset hostTime, string? retrievalReference = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        var builder = new Iso8583MessageBuilder(request.Mti.Response, request.Spec);
        foreach (int field in s_echoed)
        {
            if (request.Has(field))
            {
                builder.CopyFrom(request, field);
            }
        }

        builder.Set(Iso8583Field.LocalTime, hostTime.ToString("HHmmss", CultureInfo.InvariantCulture))
            .Set(Iso8583Field.LocalDate, hostTime.ToString("MMdd", CultureInfo.InvariantCulture));
        if (request.Mti.Value is 100 or 200 or 400 or 500)
        {
            builder.Set(Iso8583Field.SettlementDate, hostTime.ToString("MMdd", CultureInfo.InvariantCulture));
        }

        if (retrievalReference is { Length: > 0 })
        {
            builder.Set(Iso8583Field.RetrievalReference, retrievalReference);
        }

        return builder.Set(Iso8583Field.ResponseCode, responseCode);
    }

    /// <summary>0110/0210: the issuer's answer, with 38 when approved and 55 (91, 71/72) when the issuer sent chip data.</summary>
    public static Iso8583MessageBuilder Authorization(Iso8583Message request, AuthorizationResponse response, DateTimeOffset hostTime, string retrievalReference)
    {
        ArgumentNullException.ThrowIfNull(response);
        var builder = Echo(request, response.ResponseCode, hostTime, response.RetrievalReference ?? retrievalReference);
        if (response.ApprovalCode is { Length: > 0 } approval)
        {
            builder.Set(Iso8583Field.ApprovalCode, approval);
        }

        if (!response.IccData.IsEmpty)
        {
            builder.Set(Iso8583Field.IccData, response.IccData.Span);
        }

        return builder;
    }

    /// <summary>
    /// Field 54 of a balance inquiry answer: account type 10 (default), amount type 02 (available balance), the
    /// currency, C or D, and 12 digits — 20 characters.
    /// </summary>
    public static string AvailableBalance(long amount, string currency) =>
        string.Create(CultureInfo.InvariantCulture, $"1002{currency}{(amount < 0 ? 'D' : 'C')}{Math.Abs(amount):D12}");

    /// <summary>The available balance of a balance inquiry answer's field 54; null when absent or not in that layout.</summary>
    public static long? ReadAvailableBalance(Iso8583Message response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.GetString(Iso8583Field.AdditionalAmounts) is { Length: 20 } text && text[7] is 'C' or 'D'
            && long.TryParse(text.AsSpan(8, 12), NumberStyles.None, CultureInfo.InvariantCulture, out long amount)
            ? (text[7] == 'D' ? -amount : amount)
            : null;
    }

    /// <summary>0810 with the new working keys in field 62.</summary>
    public static Iso8583MessageBuilder SignOn(Iso8583Message request, SignOnKeys keys, DateTimeOffset hostTime, string retrievalReference)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return Echo(request, CupPosCodes.Approved, hostTime, retrievalReference).Set(Iso8583Field.Reserved62, keys.ToField62());
    }

    /// <summary>0510: field 63 = the host's totals ‖ the result digit.</summary>
    public static Iso8583MessageBuilder Settlement(Iso8583Message request, SettlementTotals hostTotals, SettlementResult result, DateTimeOffset hostTime, string retrievalReference)
    {
        ArgumentNullException.ThrowIfNull(hostTotals);
        return Echo(request, CupPosCodes.Approved, hostTime, retrievalReference)
            .Set(Iso8583Field.Reserved63, hostTotals.ToField63() + ((int)result).ToString(CultureInfo.InvariantCulture));
    }
}
