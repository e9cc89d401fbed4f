using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal;

/// <summary>How a transaction ended.</summary>
public enum TransactionOutcome
{
    /// <summary>The card produced a TC (offline or after going online).</summary>
    Approved,

    /// <summary>The card produced an AAC, or the terminal declined.</summary>
    Declined,

    /// <summary>The transaction ended early: the card failed, answered wrongly, was removed, or data was missing.</summary>
    Terminated,

    /// <summary>No application on the card is supported by the terminal (or all are blocked).</summary>
    NotAccepted,
}

/// <summary>The result of one contact transaction.</summary>
public sealed class TransactionResult
{
    internal TransactionResult(TransactionOutcome outcome, string reason, TlvDatabase data, TransactionTrace trace)
    {
        Outcome = outcome;
        Reason = reason;
        Data = data;
        Trace = trace;
    }

    public TransactionOutcome Outcome { get; }

    /// <summary>Why, in words: "card approved offline (TC)", "issuer declined: 05", "card answered 6A81 to SELECT PSE: card blocked" …</summary>
    public string Reason { get; }

    public bool IsApproved => Outcome == TransactionOutcome.Approved;

    public Tvr Tvr { get; init; }

    public Tsi Tsi { get; init; }

    /// <summary>9F34, when cardholder verification ran.</summary>
    public CvmResults? CvmResults { get; init; }

    /// <summary>True when the receipt needs the cardholder's signature (CVM 03, 05 or 1E succeeded).</summary>
    public bool SignatureRequired { get; init; }

    /// <summary>The AID of the selected application, hex; null before final selection.</summary>
    public string? Aid { get; init; }

    /// <summary>True when an authorisation request was answered by the host.</summary>
    public bool WentOnline { get; init; }

    /// <summary>The authorisation request sent, if any.</summary>
    public AuthorizationRequest? AuthorizationRequest { get; init; }

    /// <summary>The host's answer, if any.</summary>
    public AuthorizationResponse? AuthorizationResponse { get; init; }

    /// <summary>The advice sent after online processing, if any.</summary>
    public TransactionAdvice? Advice { get; init; }

    /// <summary>DF31: 5 bytes per issuer script processed (NOTES A.2).</summary>
    public ReadOnlyMemory<byte> ScriptResults { get; init; }

    /// <summary>Contactless only: the reader's limits or the card asked for another interface (contact or magstripe).</summary>
    public bool TryAnotherInterface { get; init; }

    /// <summary>Contactless only: the record of an offline approval to upload later (0320, NOTES F.2), or null.</summary>
    public Contactless.OfflineApprovalRecord? OfflineApproval { get; init; }

    /// <summary>The EC balance 9F79 read after the transaction (contactless EC purchase, or an EC load), minor units, or null.</summary>
    public long? EcBalance { get; init; }

    /// <summary>An EC load only: the balance 9F79 read before the card was asked for the ARQC, minor units.</summary>
    public long? EcBalanceBefore { get; init; }

    /// <summary>Every data element of the transaction at the end: terminal, card and issuer data.</summary>
    public TlvDatabase Data { get; }

    /// <summary>The trace: steps, APDUs, TVR/TSI, outcome and the field 55 data (serialise with <see cref="TransactionTrace.ToJson"/>).</summary>
    public TransactionTrace Trace { get; }

    public override string ToString() => $"{Outcome}: {Reason}";
}
