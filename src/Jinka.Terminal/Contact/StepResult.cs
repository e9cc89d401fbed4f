using System.Diagnostics.CodeAnalysis;

namespace Jinka.Terminal.Contact;

/// <summary>What a kernel step decided.</summary>
internal enum StepKind
{
    /// <summary>Go on to the next step.</summary>
    Continue,

    /// <summary>The transaction ends here with an outcome.</summary>
    End,

    /// <summary>Drop the current candidate and select the next one (GPO answered 6985, EMV Book 3 §10.1).</summary>
    Reselect,
}

/// <summary>A step's result: continue, end with an outcome and a reason, or reselect.</summary>
internal readonly record struct StepResult(StepKind Kind, TransactionOutcome Outcome, string? Reason)
{
    public static StepResult Continue => default;

    public static StepResult End(TransactionOutcome outcome, string reason) => new(StepKind.End, outcome, reason);

    public static StepResult Reselect(string reason) => new(StepKind.Reselect, default, reason);

    public override string ToString() => Kind switch
    {
        StepKind.Continue => "continue",
        StepKind.Reselect => $"reselect: {Reason}",
        _ => $"{Outcome}: {Reason}",
    };
}

/// <summary>
/// Ends the transaction from deep inside a step (an unexpected status word, malformed card data). The kernel's
/// runner catches it and returns <see cref="TransactionOutcome.Terminated"/> with the reason; it never reaches the caller.
/// </summary>
[SuppressMessage("Design", "CA1064:Exceptions should be public", Justification = "Internal control flow of the kernel; caught by the runner and never escapes.")]
internal sealed class KernelTerminationException : Exception
{
    public KernelTerminationException()
    {
    }

    public KernelTerminationException(string message)
        : base(message)
    {
    }

    public KernelTerminationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
