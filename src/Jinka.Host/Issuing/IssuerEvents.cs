using System.Text;

namespace Jinka.Host.Issuing;

/// <summary>Everything the issuer decides or notices, as a kind tests and tools can match on.</summary>
public enum IssuerEventKind
{
    // Authorisation: why a request was declined, or what was approved.
    FormatError,
    UnknownCard,
    SuiteMismatch,
    UnsupportedCryptogramVersion,
    KeyConfigurationError,
    ArqcVerified,
    ArqcInvalid,
    AtcReplayed,
    CardBlocked,
    ApplicationBlocked,
    UnsupportedTransaction,
    CurrencyMismatch,
    InsufficientFunds,
    Approved,
    BalanceInquiry,
    SystemError,

    // Scripts.
    ScriptQueued,
    ScriptDelivered,
    ScriptDeferred,
    ScriptSucceeded,
    ScriptFailed,
    ScriptNotPerformed,
    ScriptResultUnknown,
    ScriptCancelled,

    // Advices.
    Completed,
    FinalCryptogramVerified,
    FinalCryptogramInvalid,
    DeclinedByCard,
    Reversed,
    AdviceRepeated,
    AdviceUnknownOriginal,
    AdviceMalformed,

    // Online PIN (P51–P53), after the others so stored numeric values keep their meaning.
    OnlinePinVerified,
    OnlinePinIncorrect,
    OnlinePinTriesExceeded,
    OnlinePinNotVerifiable,

    // Electronic cash loads (Q11, Q36).
    EcLoadApproved,
    EcLoadRefused,
}

/// <summary>One thing the issuer decided or noticed, with the reason in words.</summary>
/// <param name="Sequence">Order within the log.</param>
/// <param name="At">When.</param>
/// <param name="Kind">What.</param>
/// <param name="Message">Why, for traces.</param>
public sealed record IssuerEvent(long Sequence, DateTimeOffset At, IssuerEventKind Kind, string Message)
{
    /// <summary>The card, masked (<see cref="CardId.Masked"/>).</summary>
    public string? Card { get; init; }

    /// <summary>The ATC (9F36) in hex.</summary>
    public string? Atc { get; init; }

    /// <summary>The authorisation reference (field 37).</summary>
    public string? Reference { get; init; }

    /// <summary>Field 39, when the event decided it.</summary>
    public string? ResponseCode { get; init; }

    /// <summary>The 9F18 script ID, for script events.</summary>
    public uint? ScriptId { get; init; }

    public override string ToString()
    {
        var text = new StringBuilder().Append(Kind);
        if (ResponseCode is not null)
        {
            text.Append(" [").Append(ResponseCode).Append(']');
        }

        if (Card is not null)
        {
            text.Append(' ').Append(Card);
        }

        if (Atc is not null)
        {
            text.Append(" ATC ").Append(Atc);
        }

        if (ScriptId is { } id)
        {
            text.Append(" script ").Append(id.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.Append(": ").Append(Message).ToString();
    }
}

/// <summary>
/// The issuer's structured log: the last <c>capacity</c> events, in order, safe for concurrent writers.
/// <see cref="Recorded"/> lets a host forward them to its own logging.
/// </summary>
public sealed class IssuerEventLog(int capacity = 10_000)
{
    private readonly Lock _lock = new();
    private readonly Queue<IssuerEvent> _events = new();
    private long _sequence;

    /// <summary>Raised after each event is stored (on the thread that recorded it).</summary>
    public event Action<IssuerEvent>? Recorded;

    /// <summary>A copy of the stored events, oldest first.</summary>
    public IReadOnlyList<IssuerEvent> Snapshot()
    {
        lock (_lock)
        {
            return [.. _events];
        }
    }

    /// <summary>Drops every stored event.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _events.Clear();
        }
    }

    internal IssuerEvent Add(Func<long, IssuerEvent> create)
    {
        IssuerEvent recorded;
        lock (_lock)
        {
            recorded = create(++_sequence);
            _events.Enqueue(recorded);
            while (_events.Count > Math.Max(1, capacity))
            {
                _events.Dequeue();
            }
        }

        Recorded?.Invoke(recorded);
        return recorded;
    }
}
