using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583.Messages;

/// <summary>From received CUP POS messages back to <see cref="Jinka.Core.Online"/> types.</summary>
public static class CupPosMapping
{
    private static readonly int[] s_required =
    [
        Iso8583Field.Pan, Iso8583Field.ProcessingCode, Iso8583Field.Stan, Iso8583Field.TerminalId, Iso8583Field.MerchantId, Iso8583Field.Currency,
    ];

    /// <summary>What <paramref name="request"/> asks for (MTI, field 3, 60.1, 8A in field 55).</summary>
    public static CupPosTransaction Classify(Iso8583Message request)
    {
        ArgumentNullException.ThrowIfNull(request);
        bool offline = IccDataSets.TryFind(request.IccData.Span, new Tag(0x8A), out var arc) && arc.Length == 2 && arc[0] == (byte)'Y';
        return CupPosRequests.Classify(request.Mti, request.ProcessingCode, request.Reserved60?.MessageType, offline);
    }

    /// <summary>
    /// The request a host passes to the issuer: PAN (2), PSN (the last two digits of 23), amount (4; 0 when absent),
    /// currency (49), field 3, field 55, terminal and merchant (41, 42), STAN (11), local date and time (13, 12, the year
    /// the one that puts the date nearest <paramref name="hostTime"/>), expiry (14), track 2 (35), entry mode (22) and
    /// field 52 as received (still encrypted under the PIK).
    /// </summary>
    public static bool TryToAuthorizationRequest(Iso8583Message message, DateTimeOffset hostTime, [NotNullWhen(true)] out AuthorizationRequest? request, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(message);
        request = null;
        foreach (int field in s_required)
        {
            if (!message.Has(field))
            {
                error = string.Create(CultureInfo.InvariantCulture, $"{message.Mti} without field {field} ({message.Spec[field].Name})");
                return false;
            }
        }

        string psn = message.PanSequenceNumber is { } sequence ? sequence[^2..] : "00";
        request = new AuthorizationRequest(
            message.Pan!,
            psn,
            message.Amount ?? 0,
            message.Currency!,
            message.ProcessingCode!,
            message.IccData.ToArray(),
            message.TerminalId!,
            message.MerchantId!,
            message.Stan!.Value,
            LocalTime(message, hostTime))
        {
            Expiry = message.Expiry,
            Track2 = message.Track2,
            PinBlock = message.PinData is { } pin ? pin.ToArray() : default(ReadOnlyMemory<byte>?),
            EntryMode = message.EntryMode ?? "051",
        };
        error = null;
        return true;
    }

    /// <summary>The advice a 0400 (reversal), 0320 TC upload or 0620 script result carries, for the issuer.</summary>
    public static bool TryToAdvice(Iso8583Message message, DateTimeOffset hostTime, [NotNullWhen(true)] out TransactionAdvice? advice, [NotNullWhen(false)] out string? error)
    {
        advice = null;
        if (!TryToAuthorizationRequest(message, hostTime, out var original, out error))
        {
            return false;
        }

        var kind = message.Mti == Mti.ReversalRequest ? AdviceKind.Reversal : AdviceKind.Completion;
        advice = new TransactionAdvice(kind, original, original.IccData);
        return true;
    }

    /// <summary>The issuer's answer as the terminal reads a 0110/0210: 39, 55, 38, 37.</summary>
    /// <exception cref="Iso8583Exception">No field 39.</exception>
    public static AuthorizationResponse ToAuthorizationResponse(Iso8583Message response)
    {
        ArgumentNullException.ThrowIfNull(response);
        string code = response.ResponseCode ?? throw new Iso8583Exception($"{response.Mti} without field 39 (response code)");
        return new AuthorizationResponse(code, response.IccData.ToArray())
        {
            ApprovalCode = response.ApprovalCode,
            RetrievalReference = response.RetrievalReference,
        };
    }

    private static DateTime LocalTime(Iso8583Message message, DateTimeOffset hostTime)
    {
        var host = hostTime.DateTime;
        if (message.LocalDate is not { } mmdd || !int.TryParse(mmdd[..2], CultureInfo.InvariantCulture, out int month) || !int.TryParse(mmdd[2..], CultureInfo.InvariantCulture, out int day))
        {
            return host;
        }

        var time = message.LocalTime is { } hhmmss && TimeOnly.TryParseExact(hhmmss, "HHmmss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : TimeOnly.MinValue;
        DateTime? best = null;
        foreach (int year in new[] { host.Year - 1, host.Year, host.Year + 1 })
        {
            if (month is >= 1 and <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month))
            {
                var candidate = new DateTime(new DateOnly(year, month, day), time, DateTimeKind.Unspecified);
                if (best is null || Math.Abs((candidate - host).Ticks) < Math.Abs((best.Value - host).Ticks))
                {
                    best = candidate;
                }
            }
        }

        return best ?? host;
    }
}
