using Jinka.Core.Apdu;

namespace Jinka.Core.Transport;

/// <summary>
/// Records every exchange that passes through it, in order, and optionally reports each one as it completes
/// (live traces).
/// </summary>
/// <remarks>
/// <para>Where it sits decides what it records; the caller chooses:</para>
/// <list type="bullet">
/// <item><c>Recording(StatusWordHandling(card))</c> records the logical conversation: one exchange per command the
/// kernel sent, with the complete response it saw (GET RESPONSE data joined, 6Cxx resends hidden). Use it for
/// transaction traces and golden-trace comparisons.</item>
/// <item><c>StatusWordHandling(Recording(card))</c> records the wire: every APDU actually sent, including each
/// GET RESPONSE and the 6Cxx resend, each with its raw response. Use it to debug a card or reader.</item>
/// </list>
/// <para>An exchange that ends in an exception (a <see cref="TransportException"/> or cancellation) is not recorded.
/// Not thread-safe for concurrent transmits (one card, one conversation); <see cref="Exchanges"/> and
/// <see cref="Clear"/> may be called from another thread, e.g. a UI showing the trace.</para>
/// </remarks>
public sealed class RecordingTransport : IApduTransport
{
    private readonly IApduTransport _inner;
    private readonly Action<ApduExchange>? _onExchange;
    private readonly TimeProvider _timeProvider;
    private readonly bool _leaveOpen;
    private readonly List<ApduExchange> _exchanges = [];
    private readonly Lock _gate = new();

    /// <param name="inner">The transport to wrap.</param>
    /// <param name="onExchange">Called after each exchange, on the transmitting thread, after it is recorded.</param>
    /// <param name="timeProvider">Clock for <see cref="ApduExchange.Elapsed"/>; the system clock by default.</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> undisposed when this transport is disposed.</param>
    public RecordingTransport(IApduTransport inner, Action<ApduExchange>? onExchange = null, TimeProvider? timeProvider = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _onExchange = onExchange;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _leaveOpen = leaveOpen;
    }

    /// <summary>A snapshot of the exchanges recorded so far, oldest first.</summary>
    public IReadOnlyList<ApduExchange> Exchanges
    {
        get
        {
            lock (_gate)
            {
                return _exchanges.ToArray();
            }
        }
    }

    /// <summary>Forgets the recorded exchanges.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _exchanges.Clear();
        }
    }

    public async ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        long started = _timeProvider.GetTimestamp();
        var response = await _inner.TransmitAsync(command, cancellationToken).ConfigureAwait(false);
        var exchange = new ApduExchange(command, response, _timeProvider.GetElapsedTime(started));
        lock (_gate)
        {
            _exchanges.Add(exchange);
        }

        _onExchange?.Invoke(exchange);
        return response;
    }

    public ValueTask DisposeAsync() => _leaveOpen ? ValueTask.CompletedTask : _inner.DisposeAsync();
}
