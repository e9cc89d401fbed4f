namespace Jinka.Terminal.Contact;

/// <summary>One step of the kernel over the transaction context (STYLE: "terminal kernel as steps over one context").</summary>
internal interface IKernelStep
{
    /// <summary>The step's name in the trace.</summary>
    string Name { get; }

    ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken);
}
