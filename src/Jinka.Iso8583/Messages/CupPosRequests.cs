using System.Globalization;
using Jinka.Core.Online;
using Jinka.Iso8583.Fields;

namespace Jinka.Iso8583.Messages;

/// <summary>
/// The terminal's messages (NOTES F.1, F.2): sign-on, authorisation/purchase/balance/EC load, reversal, TC upload,
/// script result, offline upload and settlement, from <see cref="Jinka.Core.Online"/> types. The MAC is added when
/// packing (<see cref="Framing.CupPosFrame"/>).
/// </summary>
public static class CupPosRequests
{
    /// <summary>53 for a PIN block: ANSI X9.8 format with the PAN (2), double-length PIK (6).</summary>
    public const string PinSecurityControl = "2600000000000000";

    /// <summary>0800 sign-on asking for double-length working keys (60.3 003); field 63 is the operator code.</summary>
    public static Iso8583MessageBuilder SignOn(CupPosTerminal terminal, int stan, string operatorCode = "001")
    {
        ArgumentNullException.ThrowIfNull(terminal);
        terminal.Validate();
        return new Iso8583MessageBuilder(Mti.SignOnRequest)
            .SetNumber(Iso8583Field.Stan, stan)
            .Set(Iso8583Field.TerminalId, terminal.TerminalId)
            .Set(Iso8583Field.MerchantId, terminal.MerchantId)
            .Set(Iso8583Field.Reserved60, Field60.Create(CupPosCodes.TypeManagement, terminal.Batch, CupPosCodes.NetworkSignOnDoubleLength).Digits)
            .Set(Iso8583Field.Reserved63, operatorCode);
    }

    /// <summary>
    /// 0200 purchase (00xxxx), balance inquiry (31xxxx, no field 4) or EC load (60/62/63xxxx), or 0100
    /// pre-authorisation (03xxxx). <paramref name="encryptedPinBlock"/> (field 52, under the PIK) when the cardholder
    /// entered an online PIN.
    /// </summary>
    /// <exception cref="ArgumentException">A request value does not fit its field.</exception>
    public static Iso8583MessageBuilder Authorization(AuthorizationRequest request, CupPosTerminal terminal, ReadOnlySpan<byte> encryptedPinBlock = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var kind = Classify(Mti.FinancialRequest, request.ProcessingCode);
        var builder = new Iso8583MessageBuilder(kind == CupPosTransaction.PreAuthorization ? Mti.AuthorizationRequest : Mti.FinancialRequest);
        SetCard(builder, request, terminal, withAmount: kind != CupPosTransaction.BalanceInquiry);
        builder.Set(Iso8583Field.ConditionCode, kind == CupPosTransaction.PreAuthorization ? "06" : "00");
        if (!encryptedPinBlock.IsEmpty)
        {
            builder.Set(Iso8583Field.PinCaptureCode, "12").Set(Iso8583Field.PinData, encryptedPinBlock).Set(Iso8583Field.SecurityControl, PinSecurityControl);
        }

        builder.Set(Iso8583Field.IccData, request.IccData.Span);
        builder.Set(Iso8583Field.Reserved60, TransactionField60(request, terminal, TypeCode(request.ProcessingCode)).Digits);
        return builder;
    }

    /// <summary>0400 reversal of <paramref name="advice"/>'s original: its fields and STAN, field 39 the reason, field 55 per NOTES F.2.</summary>
    public static Iso8583MessageBuilder Reversal(TransactionAdvice advice, CupPosTerminal terminal, string reason = CupPosCodes.ReversalOther)
    {
        ArgumentNullException.ThrowIfNull(advice);
        var original = advice.Original;
        var kind = Classify(Mti.FinancialRequest, original.ProcessingCode);
        var builder = new Iso8583MessageBuilder(Mti.ReversalRequest);
        SetCard(builder, original, terminal, withAmount: kind != CupPosTransaction.BalanceInquiry);
        builder.Set(Iso8583Field.ConditionCode, kind == CupPosTransaction.PreAuthorization ? "06" : "00");
        builder.Set(Iso8583Field.ResponseCode, reason);
        builder.Set(Iso8583Field.IccData, IccDataSets.Merge(original.IccData.Span, advice.IccData.Span, IccDataSets.Reversal));
        builder.Set(Iso8583Field.Reserved60, TransactionField60(original, terminal, TypeCode(original.ProcessingCode)).Digits);
        return builder;
    }

    /// <summary>
    /// A completion advice: 0620 script result notification (60.3 951) when it carries script results (DF31), otherwise
    /// a 0320 TC upload whose field 55 is the original request's with the final cryptogram (9F26, 9F27), 95, 9F10 and
    /// 9F36 of the advice. Both keep the original STAN in field 11.
    /// </summary>
    public static Iso8583MessageBuilder Completion(TransactionAdvice advice, CupPosTerminal terminal)
    {
        ArgumentNullException.ThrowIfNull(advice);
        var original = advice.Original;
        bool scriptResults = IccDataSets.TryFind(advice.IccData.Span, new Core.Tlv.Tag(0xDF31), out _);
        var builder = new Iso8583MessageBuilder(scriptResults ? Mti.ScriptResultRequest : Mti.BatchUploadRequest);
        SetCard(builder, original, terminal, withAmount: true);
        builder.Set(Iso8583Field.ConditionCode, "00");
        var (tags, network) = scriptResults
            ? (IccDataSets.ScriptResult, CupPosCodes.NetworkScriptResult)
            : (IccDataSets.TcUpload, CupPosCodes.NetworkNone);
        builder.Set(Iso8583Field.IccData, IccDataSets.Merge(original.IccData.Span, advice.IccData.Span, tags));
        builder.Set(Iso8583Field.Reserved60, TransactionField60(original, terminal, TypeCode(original.ProcessingCode), network).Digits);
        return builder;
    }

    /// <summary>
    /// 0320 upload of an offline approved EC/IC purchase (NOTES F.2): field 3 000000, field 55 the stored chip data with
    /// 8A "Y1" appended, 60 = 36 ‖ batch ‖ 000 ‖ 5|6 ‖ 0, field 63 "CUP".
    /// </summary>
    public static Iso8583MessageBuilder OfflineUpload(AuthorizationRequest offline, CupPosTerminal terminal)
    {
        ArgumentNullException.ThrowIfNull(offline);
        var builder = new Iso8583MessageBuilder(Mti.BatchUploadRequest);
        SetCard(builder, offline with { ProcessingCode = "000000" }, terminal, withAmount: true);
        builder.Set(Iso8583Field.ConditionCode, "00");
        builder.Set(Iso8583Field.IccData, [.. offline.IccData.Span, .. IccDataSets.OfflineApproved]);
        builder.Set(Iso8583Field.Reserved60, TransactionField60(offline, terminal, CupPosCodes.TypeOfflineUpload).Digits);
        builder.Set(Iso8583Field.Reserved63, "CUP");
        return builder;
    }

    /// <summary>0500 batch settlement with the terminal's totals in field 63 (<see cref="SettlementTotals"/>).</summary>
    public static Iso8583MessageBuilder Settlement(CupPosTerminal terminal, int stan, SettlementTotals totals)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(totals);
        terminal.Validate();
        return new Iso8583MessageBuilder(Mti.SettlementRequest)
            .SetNumber(Iso8583Field.Stan, stan)
            .Set(Iso8583Field.TerminalId, terminal.TerminalId)
            .Set(Iso8583Field.MerchantId, terminal.MerchantId)
            .Set(Iso8583Field.Currency, "156")
            .Set(Iso8583Field.Reserved60, Field60.Create(CupPosCodes.TypeManagement, terminal.Batch, CupPosCodes.NetworkSettlement).Digits)
            .Set(Iso8583Field.Reserved63, totals.ToField63());
    }

    /// <summary>What a request MTI with field 3 (and, for 0320, 60.1 and 8A) asks for.</summary>
    public static CupPosTransaction Classify(Mti mti, string? processingCode, string? typeCode = null, bool offlineApproved = false) => mti.Value switch
    {
        800 => CupPosTransaction.SignOn,
        400 => CupPosTransaction.Reversal,
        500 => CupPosTransaction.Settlement,
        620 => CupPosTransaction.ScriptResult,
        320 => typeCode == CupPosCodes.TypeOfflineUpload || offlineApproved ? CupPosTransaction.OfflineUpload : CupPosTransaction.TcUpload,
        100 when processingCode is ['0', '3', ..] => CupPosTransaction.PreAuthorization,
        200 => processingCode?.Length == 6 ? processingCode[..2] switch
        {
            "00" or "01" => CupPosTransaction.Purchase,
            "30" or "31" => CupPosTransaction.BalanceInquiry,
            "60" or "62" or "63" => CupPosTransaction.EcLoad,
            "03" => CupPosTransaction.PreAuthorization,
            _ => CupPosTransaction.Unknown,
        } : CupPosTransaction.Unknown,
        _ => CupPosTransaction.Unknown,
    };

    /// <summary>60.1 for a processing code (NOTES F.1).</summary>
    public static string TypeCode(string processingCode) => processingCode is { Length: 6 } ? processingCode[..2] switch
    {
        "03" => CupPosCodes.TypePreAuthorization,
        "30" or "31" => CupPosCodes.TypeBalanceInquiry,
        "60" => CupPosCodes.TypeEcLoadDesignated,
        "62" => CupPosCodes.TypeEcLoadNonDesignated,
        "63" => CupPosCodes.TypeEcLoadCash,
        _ => CupPosCodes.TypePurchase,
    } : CupPosCodes.TypePurchase;

    private static Field60 TransactionField60(AuthorizationRequest request, CupPosTerminal terminal, string typeCode, string network = CupPosCodes.NetworkNone)
    {
        char read = request.EntryMode.StartsWith("07", StringComparison.Ordinal) ? '6' : '5';
        char condition = request.EntryMode.StartsWith("80", StringComparison.Ordinal) ? '2' : '0';
        return Field60.Create(typeCode, terminal.Batch, network, read, condition);
    }

    private static void SetCard(Iso8583MessageBuilder builder, AuthorizationRequest request, CupPosTerminal terminal, bool withAmount)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        builder.Set(Iso8583Field.Pan, request.Pan.TrimEnd('F', 'f'))
            .Set(Iso8583Field.ProcessingCode, request.ProcessingCode);
        if (withAmount)
        {
            builder.SetNumber(Iso8583Field.Amount, request.Amount);
        }

        builder.SetNumber(Iso8583Field.Stan, request.Stan)
            .Set(Iso8583Field.LocalTime, request.LocalTime.ToString("HHmmss", CultureInfo.InvariantCulture))
            .Set(Iso8583Field.LocalDate, request.LocalTime.ToString("MMdd", CultureInfo.InvariantCulture));
        if (request.Expiry is { Length: 4 } expiry)
        {
            builder.Set(Iso8583Field.Expiry, expiry);
        }

        builder.Set(Iso8583Field.EntryMode, request.EntryMode)
            .Set(Iso8583Field.PanSequenceNumber, request.PanSequenceNumber.PadLeft(3, '0'));
        if (request.Track2 is { } track2 && track2.TrimEnd('F', 'f') is { Length: > 0 and <= 37 } trimmed)
        {
            builder.Set(Iso8583Field.Track2, trimmed);
        }

        // Fields 41 and 42 are the signed-on terminal's: its MAK is the one the host checks the MAC with.
        builder.Set(Iso8583Field.TerminalId, terminal.TerminalId)
            .Set(Iso8583Field.MerchantId, terminal.MerchantId)
            .Set(Iso8583Field.Currency, request.CurrencyCode);
    }
}
