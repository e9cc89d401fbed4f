namespace Jinka.Core.Online;

/// <summary>
/// The kernel's one door to the issuer: an in-process issuer, or an ISO 8583 client over TCP. Implementations never
/// throw for a business outcome (a decline is a response code); they throw <see cref="OnlineException"/> when the host
/// cannot be reached or answers garbage, which the kernel treats as "unable to go online".
/// </summary>
public interface IAuthorizationClient
{
    ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sends a completion (with script results) or a reversal advice. Idempotent for the same original.</summary>
    ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default);
}

/// <summary>The host could not be reached or did not answer properly.</summary>
public sealed class OnlineException : IOException
{
    public OnlineException(string message)
        : base(message)
    {
    }

    public OnlineException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public OnlineException()
    {
    }
}
