using System.Globalization;

namespace Jinka.Iso8583.Messages;

/// <summary>Who a terminal is on the wire: field 41, field 42, and the batch number it reports in 60.2.</summary>
/// <param name="TerminalId">8 characters.</param>
/// <param name="MerchantId">15 characters.</param>
/// <param name="Batch">6 digits.</param>
public sealed record CupPosTerminal(string TerminalId, string MerchantId, string Batch = "000001")
{
    /// <summary>Checks the lengths and characters the message fields need.</summary>
    /// <exception cref="ArgumentException">A value does not fit its field.</exception>
    public CupPosTerminal Validate()
    {
        if (TerminalId is not { Length: 8 } || MerchantId is not { Length: 15 } || Batch is not { Length: 6 } || !Batch.All(char.IsAsciiDigit))
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"A terminal ID is 8 characters, a merchant ID 15, a batch 6 digits; got '{TerminalId}', '{MerchantId}', '{Batch}'."));
        }

        return this;
    }
}

/// <summary>What a CUP POS message asks for (NOTES F.1), from its MTI, field 3 and 60.1.</summary>
public enum CupPosTransaction
{
    Unknown,

    /// <summary>0800 sign-on with working key exchange.</summary>
    SignOn,

    /// <summary>0200, field 3 00xxxx (60.1 22): purchase.</summary>
    Purchase,

    /// <summary>0200, field 3 31xxxx (60.1 01): balance inquiry.</summary>
    BalanceInquiry,

    /// <summary>0100, field 3 03xxxx (60.1 10): pre-authorisation.</summary>
    PreAuthorization,

    /// <summary>0200, field 3 60/62/63xxxx (60.1 45/47/46): electronic cash load.</summary>
    EcLoad,

    /// <summary>0400: reversal of an earlier request.</summary>
    Reversal,

    /// <summary>0320 with a final cryptogram of an online transaction (TC upload, completion).</summary>
    TcUpload,

    /// <summary>0320 with 60.1 36 or 8A "Y1"/"Y3": an offline EC/IC purchase to book.</summary>
    OfflineUpload,

    /// <summary>0620 with 60.3 951: issuer script results.</summary>
    ScriptResult,

    /// <summary>0500: batch settlement totals.</summary>
    Settlement,
}

/// <summary>The CUP POS codes this implementation writes.</summary>
public static class CupPosCodes
{
    /// <summary>60.1 by transaction (NOTES F.1).</summary>
    public const string TypePurchase = "22";
    public const string TypeBalanceInquiry = "01";
    public const string TypePreAuthorization = "10";
    public const string TypeEcLoadDesignated = "45";
    public const string TypeEcLoadCash = "46";
    public const string TypeEcLoadNonDesignated = "47";
    public const string TypeOfflineUpload = "36";
    public const string TypeManagement = "00";

    /// <summary>60.3 network management codes.</summary>
    public const string NetworkNone = "000";
    public const string NetworkSignOnDoubleLength = "003";
    public const string NetworkSettlement = "201";
    public const string NetworkScriptResult = "951";

    /// <summary>Field 39 values the host answers with beyond the issuer's (docs/spec-choices.md).</summary>
    public const string Approved = "00";
    public const string InvalidTransaction = "12";
    public const string OriginalNotFound = "25";
    public const string FormatError = "30";
    public const string SignOnAgain = "77";
    public const string SystemError = "96";
    public const string MacError = "A0";

    /// <summary>Field 39 of a reversal when the terminal had no answer ("98") or for any other reason ("06").</summary>
    public const string ReversalOther = "06";
    public const string ReversalNoResponse = "98";
}
