using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Sockets;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Transport;

/// <summary>
/// A terminal's connection to the host: sends requests and matches each response by its MTI and STAN (field 11), so
/// several requests may be outstanding. A frame that is not a well-formed message, a broken frame or a closed
/// connection fails every outstanding request and the connection; the owner opens a new one.
/// </summary>
public sealed class CupPosConnection : IAsyncDisposable
{
    private readonly FrameChannel _channel;
    private readonly ConcurrentDictionary<(int Mti, long Stan), TaskCompletionSource<(CupPosEnvelope, Iso8583Message)>> _pending = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly Task _readLoop;
    private Exception? _failure;

    private CupPosConnection(Socket socket, FrameOptions options)
    {
        socket.NoDelay = true;
        _channel = new FrameChannel(new NetworkStream(socket, ownsSocket: true), options);
        _readLoop = ReadLoopAsync();
    }

    /// <summary>True until the connection failed or was closed.</summary>
    public bool IsOpen => _failure is null && !_closing.IsCancellationRequested;

    /// <summary>Connects within <paramref name="timeout"/>.</summary>
    /// <exception cref="SocketException">The host refused or could not be reached.</exception>
    /// <exception cref="TimeoutException">No connection within the timeout.</exception>
    public static async Task<CupPosConnection> ConnectAsync(string host, int port, TimeSpan timeout, FrameOptions? options = null, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(host, port, limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"No connection to {host}:{port} within {timeout.TotalSeconds:0.###} s."));
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new CupPosConnection(socket, (options ?? new FrameOptions()) with { IdleTimeout = Timeout.InfiniteTimeSpan });
    }

    /// <summary>
    /// Sends <paramref name="request"/> (which must carry field 11) and waits for the response with the response MTI and
    /// the same STAN.
    /// </summary>
    /// <exception cref="TimeoutException">No response within <paramref name="timeout"/>.</exception>
    /// <exception cref="IOException">The connection failed (the inner exception says how).</exception>
    public async Task<(CupPosEnvelope Envelope, Iso8583Message Message)> ExchangeAsync(
        CupPosEnvelope envelope, Iso8583MessageBuilder request, MacGenerator? mac, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.TryGetNumber(Iso8583Field.Stan, out long stan))
        {
            throw new ArgumentException("The request has no STAN (field 11) to match the response by.", nameof(request));
        }

        ThrowIfFailed();
        var key = (request.Mti.Response.Value, stan);
        var waiter = new TaskCompletionSource<(CupPosEnvelope, Iso8583Message)>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(key, waiter))
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"A {request.Mti} with STAN {stan} is already waiting for its response."));
        }

        try
        {
            ThrowIfFailed();
            await _channel.WriteFrameAsync(envelope, request, mac, cancellationToken).ConfigureAwait(false);
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"No {request.Mti.Response} for STAN {stan} within {timeout.TotalSeconds:0.###} s."));
        }
        catch (IOException ex)
        {
            Fail(ex);
            throw;
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            Fail(ex);
            throw new IOException($"The connection failed: {ex.Message}", ex);
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        await _channel.DisposeAsync().ConfigureAwait(false);
        await _readLoop.ConfigureAwait(false);
        Fail(new ObjectDisposedException(nameof(CupPosConnection)));
        _closing.Dispose();
    }

    private async Task ReadLoopAsync()
    {
        await Task.Yield();
        try
        {
            while (!_closing.IsCancellationRequested)
            {
                byte[]? frame = await _channel.ReadFrameAsync(_closing.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    Fail(new IOException("The host closed the connection."));
                    return;
                }

                if (!CupPosFrame.TryRead(frame.AsMemory(), out var envelope, out var message, out var error))
                {
                    Fail(new Iso8583Exception(error));
                    return;
                }

                if (message.Stan is { } stan && _pending.TryGetValue((message.Mti.Value, stan), out var waiter))
                {
                    waiter.TrySetResult((envelope, message));
                }
            }
        }
#pragma warning disable CA1031 // Every failure of the read loop is handed to the waiting requests.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(_closing.IsCancellationRequested ? new ObjectDisposedException(nameof(CupPosConnection)) : ex);
        }
    }

    private void Fail(Exception cause)
    {
        Interlocked.CompareExchange(ref _failure, cause, null);
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(Failure());
        }
    }

    private void ThrowIfFailed()
    {
        if (_failure is not null)
        {
            throw Failure();
        }
    }

    private IOException Failure() => _failure as IOException ?? new IOException($"The connection failed: {_failure!.Message}", _failure);
}
