using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>The kernel's side of the card conversation: sends commands and records each exchange in the trace.</summary>
internal sealed class CardChannel(IApduTransport transport, TransactionTrace trace)
{
    /// <summary>The step now running, recorded with each APDU.</summary>
    public string Step { get; set; } = "";

    /// <summary>Sends a command; any status word is returned as data.</summary>
    /// <exception cref="TransportException">The card could not be reached.</exception>
    public async ValueTask<ResponseApdu> SendAsync(CommandApdu command, string purpose, CancellationToken cancellationToken)
    {
        var response = await transport.TransmitAsync(command, cancellationToken).ConfigureAwait(false);
        trace.Apdus.Add(new TraceApdu
        {
            Step = Step,
            Purpose = purpose,
            Command = Hex.Encode(command.ToArray()),
            Response = Hex.Encode(response.ToArray()),
            StatusWord = response.StatusWord.ToString(),
            Meaning = response.StatusWord.Meaning,
        });
        return response;
    }

    /// <summary>Sends a command that must answer 9000; anything else ends the transaction with a reason.</summary>
    /// <exception cref="KernelTerminationException">The status word is not 9000.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> SendExpectingSuccessAsync(CommandApdu command, string purpose, CancellationToken cancellationToken)
    {
        var response = await SendAsync(command, purpose, cancellationToken).ConfigureAwait(false);
        return response.StatusWord.IsSuccess
            ? response.Data
            : throw new KernelTerminationException(UnexpectedStatus(response.StatusWord, purpose));
    }

    public static string UnexpectedStatus(StatusWord statusWord, string purpose) => $"card answered {statusWord} ({statusWord.Meaning}) to {purpose}";
}
