using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.Pboc;

/// <summary>
/// The card's risk parameters (internal data, contract D5; NOTES A.3), read once per GENERATE AC. A limit that was not
/// personalised is 0, so a card without limits never approves offline (choice P27).
/// </summary>
internal readonly record struct RiskParameters(
    int LowerConsecutiveOfflineLimit,
    int UpperConsecutiveOfflineLimit,
    ulong CumulativeOfflineLimit,
    ulong CumulativeOfflineUpperLimit,
    byte ApplicationDefaultAction,
    bool IssuerAuthenticationRequired,
    byte[]? ApplicationCurrency)
{
    /// <summary>ADA byte 1 (VIS layout, contract P10): b7 decline when issuer authentication failed.</summary>
    public const byte DeclineIfIssuerAuthenticationFailed = 0x40;

    /// <summary>ADA byte 1 b6: decline when issuer authentication is required and no ARPC came.</summary>
    public const byte DeclineIfIssuerAuthenticationMissing = 0x20;

    /// <summary>ADA byte 1 b4: decline when the PIN try limit was exceeded in this transaction.</summary>
    public const byte DeclineIfPinLimitExceededNow = 0x08;

    /// <summary>ADA byte 1 b3: decline when the PIN try limit was exceeded before this transaction.</summary>
    public const byte DeclineIfPinLimitExceededBefore = 0x04;

    public static RiskParameters Load(PbocStore store) => new(
        store.DataByte(new Tag(0x9F58), 0),
        store.DataByte(new Tag(0x9F59), 0),
        store.DataAmount(new Tag(0x9F54), 0),
        store.DataAmount(new Tag(0x9F5C), 0),
        store.Data(new Tag(0x9F52)) is { Length: >= 1 } ada ? ada[0] : (byte)0,
        (store.DataByte(new Tag(0x9F56), 0) & 0x80) != 0,
        store.Data(new Tag(0x9F51)));

    public bool Declines(byte adaBit) => (ApplicationDefaultAction & adaBit) != 0;
}

/// <summary>What the card knows about the transaction in front of it when it decides.</summary>
internal readonly record struct RiskFacts(
    ulong Amount,
    bool CurrencyIsApplicationCurrency,
    int OfflineCount,
    ulong OfflineAmount,
    PbocFlags Flags,
    bool PinLimitExceeded,
    bool Blocked);

/// <summary>
/// Card risk management (contract P10; EMV Book 3 §10.6, VIS CRM as NOTES A.3 names the PBOC tags). The go-online
/// conditions of P10 always apply; ADA byte 1 b7, b6, b4 and b3 add declines (choice P26). Counting: an offline approval
/// is the (count + 1)-th consecutive one; a limit is exceeded when that number is above it, and the cumulative amount
/// when the approved amount plus this one is above it (equal passes). A blocked application answers AAC.
/// </summary>
internal static class PbocRiskManagement
{
    public static CryptogramKind FirstAc(CryptogramKind requested, in RiskParameters parameters, in RiskFacts facts, PbocSession session)
    {
        int consecutive = facts.OfflineCount + 1;
        bool amountExceeded = !facts.CurrencyIsApplicationCurrency || facts.OfflineAmount + facts.Amount > parameters.CumulativeOfflineLimit;
        session.VelocityExceeded = consecutive > parameters.LowerConsecutiveOfflineLimit || amountExceeded;

        bool decline = facts.Blocked
            || (session.PinLimitExceededNow && parameters.Declines(RiskParameters.DeclineIfPinLimitExceededNow))
            || (session.PinLimitExceededAtStart && parameters.Declines(RiskParameters.DeclineIfPinLimitExceededBefore));
        if (requested == CryptogramKind.Aac || decline)
        {
            return CryptogramKind.Aac;
        }

        bool goOnline = session.VelocityExceeded
            || consecutive > parameters.UpperConsecutiveOfflineLimit
            || facts.Flags.HasFlag(PbocFlags.LastOnlineNotCompleted)
            || facts.Flags.HasFlag(PbocFlags.IssuerAuthenticationFailed)
            || session.NewCard
            || facts.PinLimitExceeded;
        return requested == CryptogramKind.Tc && !goOnline ? CryptogramKind.Tc : CryptogramKind.Arqc;
    }

    /// <summary>
    /// The second GENERATE AC (TC or AAC asked). With ARC Y3/Z3 the terminal could not go online: the card approves
    /// offline up to the upper limits (9F59, 9F5C). Online: the issuer's answer stands unless ADA declines for issuer
    /// authentication.
    /// </summary>
    public static CryptogramKind SecondAc(CryptogramKind requested, in RiskParameters parameters, in RiskFacts facts, PbocSession session)
    {
        if (requested == CryptogramKind.Aac || facts.Blocked)
        {
            return CryptogramKind.Aac;
        }

        if (session.UnableToGoOnline)
        {
            bool overUpper = facts.OfflineCount + 1 > parameters.UpperConsecutiveOfflineLimit
                || !facts.CurrencyIsApplicationCurrency
                || facts.OfflineAmount + facts.Amount > parameters.CumulativeOfflineUpperLimit;
            return overUpper ? CryptogramKind.Aac : CryptogramKind.Tc;
        }

        if (session.IssuerAuthenticationFailed && parameters.Declines(RiskParameters.DeclineIfIssuerAuthenticationFailed))
        {
            return CryptogramKind.Aac;
        }

        bool missing = !session.IssuerAuthenticationPerformed && parameters.IssuerAuthenticationRequired;
        return missing && parameters.Declines(RiskParameters.DeclineIfIssuerAuthenticationMissing) ? CryptogramKind.Aac : CryptogramKind.Tc;
    }
}

/// <summary>
/// The card verification results, 3 bytes (contract P2, Visa VIS layout), as this transaction stands. The CVR in 9F10
/// and in the AC input is preceded by its length byte 03 (P1, P3); when each bit is set is choice P35.
/// </summary>
internal static class PbocCvr
{
    public const byte Length = 3;

    public static byte[] Build(bool first, CryptogramKind answered, PbocSession session, PbocStore store)
    {
        var cvr = new byte[Length];
        var firstKind = first ? answered : session.FirstCryptogram;
        cvr[0] = (byte)((first ? 0x80 : answered == CryptogramKind.Tc ? 0x40 : 0x00)
            | firstKind switch { CryptogramKind.Tc => 0x10, CryptogramKind.Arqc => 0x20, _ => 0x00 }
            | (session.IssuerAuthenticationFailed ? 0x08 : 0)
            | (session.OfflinePinPerformed ? 0x04 : 0)
            | (session.OfflinePinFailed ? 0x02 : 0)
            | (session.UnableToGoOnline ? 0x01 : 0));

        var before = session.FlagsAtStart;
        cvr[1] = (byte)((before.HasFlag(PbocFlags.LastOnlineNotCompleted) ? 0x80 : 0)
            | (store.HasPin && store.PinTries == 0 ? 0x40 : 0)
            | (session.VelocityExceeded ? 0x20 : 0)
            | (session.NewCard ? 0x10 : 0)
            | (before.HasFlag(PbocFlags.IssuerAuthenticationFailed) ? 0x08 : 0)
            | (before.HasFlag(PbocFlags.IssuerAuthenticationNotPerformed) ? 0x04 : 0)
            | (before.HasFlag(PbocFlags.SdaFailedOnDecline) ? 0x01 : 0));

        cvr[2] = (byte)((store.ScriptCount << 4)
            | (store.Flags.HasFlag(PbocFlags.ScriptFailed) ? 0x08 : 0)
            | (before.HasFlag(PbocFlags.DdaFailedOnDecline) ? 0x04 : 0)
            | (session.DdaPerformed ? 0x02 : 0));
        return cvr;
    }
}
