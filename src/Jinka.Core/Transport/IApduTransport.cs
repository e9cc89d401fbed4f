using Jinka.Core.Apdu;

namespace Jinka.Core.Transport;

/// <summary>
/// One conversation with one card: send a command, get its response. Implementations: the in-process virtual
/// card, PC/SC, vpcd, trace replay; decorators (<see cref="StatusWordHandlingTransport"/>,
/// <see cref="RecordingTransport"/>, secure channels) wrap another transport.
/// </summary>
/// <remarks>
/// <para>Asynchronous because real transports wait on I/O (a reader, a socket); kernels and card logic stay
/// synchronous and only the transport awaits.</para>
/// <para><see cref="IAsyncDisposable"/> rather than <see cref="IDisposable"/>: releasing a transport is itself I/O
/// (SCardDisconnect with a card reset, closing a vpcd socket, flushing a trace file), and decorators forward
/// disposal to what they wrap, so <c>await using</c> is the one honest shape.</para>
/// <para>Thread-safety: a card answers one command at a time, so a transport serves one caller at a time. Do not
/// call <see cref="TransmitAsync"/> again before the previous call has completed; implementations need not (and
/// the decorators here do not) serialise concurrent calls.</para>
/// </remarks>
public interface IApduTransport : IAsyncDisposable
{
    /// <summary>Sends <paramref name="command"/> and returns the card's response. A status word other than 9000 is a normal result, not an exception.</summary>
    /// <exception cref="TransportException">The exchange could not complete (card removed, peer closed, timeout, protocol violation).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default);
}
