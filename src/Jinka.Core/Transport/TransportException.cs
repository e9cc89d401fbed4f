namespace Jinka.Core.Transport;

/// <summary>Why an exchange could not complete.</summary>
public enum TransportFailure
{
    /// <summary>Not classified.</summary>
    Other,

    /// <summary>The card left the field or the reader.</summary>
    CardRemoved,

    /// <summary>The other end (reader daemon, vpcd, remote card) closed the connection.</summary>
    PeerClosed,

    /// <summary>No answer in time.</summary>
    Timeout,

    /// <summary>The card's answers break ISO/IEC 7816 rules or exceed a safety bound (e.g. endless 61xx).</summary>
    ProtocolViolation,
}

/// <summary>
/// An exchange with the card could not complete. This is what a kernel catches to end a transaction cleanly with
/// a reason; status words, even errors, are never reported this way.
/// </summary>
public class TransportException : IOException
{
    public TransportException()
    {
    }

    public TransportException(string message)
        : base(message)
    {
    }

    public TransportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TransportException(TransportFailure failure, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
    }

    public TransportFailure Failure { get; }
}
