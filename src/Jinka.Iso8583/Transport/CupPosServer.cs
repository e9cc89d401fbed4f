using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Transport;

/// <summary>A parsed request frame as the server hands it to its handler.</summary>
/// <param name="Envelope">TPDU and header as received.</param>
/// <param name="Message">The message.</param>
/// <param name="Remote">Who sent it.</param>
public sealed record CupPosRequest(CupPosEnvelope Envelope, Iso8583Message Message, EndPoint? Remote);

/// <summary>What to send back: the message, its MAC generator, and the header (the request's when null).</summary>
public sealed record CupPosReply(Iso8583MessageBuilder Message, MacGenerator? Mac = null, CupPosHeader? Header = null);

/// <summary>Answers the requests a <see cref="CupPosServer"/> receives. Null: send nothing (drop).</summary>
public interface ICupPosHandler
{
    ValueTask<CupPosReply?> HandleAsync(CupPosRequest request, CancellationToken cancellationToken);
}

/// <summary>Server limits and logging.</summary>
public sealed record CupPosServerOptions
{
    public FrameOptions Frames { get; init; } = new();

    /// <summary>Connections served at once; further ones are closed at accept with a log line.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>Requests of one connection handled at once (terminals that pipeline; responses match by STAN).</summary>
    public int MaxInFlightPerConnection { get; init; } = 64;

    /// <summary>Where log lines go (one line per event; never the PIN block or keys).</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>
/// A TCP server for CUP POS frames: accepts concurrent connections, reads frames through System.IO.Pipelines, parses
/// them and passes each to the handler, writing the replies back. Malformed messages are dropped with a log line;
/// broken framing, slow or idle peers close their connection with a log line; a handler that throws is logged and its
/// request dropped. Nothing a peer sends can stop the server.
/// </summary>
public sealed class CupPosServer : IAsyncDisposable
{
    private readonly ICupPosHandler _handler;
    private readonly CupPosServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private long _nextConnection;
    private long _malformed;

    public CupPosServer(ICupPosHandler handler, CupPosServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _handler = handler;
        _options = options ?? new CupPosServerOptions();
    }

    /// <summary>The address the server listens on (with the port chosen when 0 was asked).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("The server is not started."));

    /// <summary>Connections being served.</summary>
    public int ActiveConnections => _connections.Count;

    /// <summary>Frames received that were not well-formed messages.</summary>
    public long MalformedFrames => Interlocked.Read(ref _malformed);

    /// <summary>Binds and starts accepting.</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public void Start(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (_listener is not null)
        {
            throw new InvalidOperationException("The server is already started.");
        }

        _listener = new TcpListener(endpoint);
        _listener.Start(backlog: 512);
        Log($"listening on {LocalEndPoint}");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Stops accepting, closes every connection and waits for them to finish.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(false);
        }

        await Task.WhenAll(_connections.Values).ConfigureAwait(false);
        _listener?.Dispose();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                Log($"accept failed: {ex.Message}");
                continue;
            }

            if (_connections.Count >= _options.MaxConnections)
            {
                Log($"refused {socket.RemoteEndPoint}: {_options.MaxConnections} connections already");
                socket.Dispose();
                continue;
            }

            long id = Interlocked.Increment(ref _nextConnection);
            var task = ServeAsync(id, socket);
            _connections[id] = task;
            _ = task.ContinueWith(_ => _connections.TryRemove(id, out Task? _), TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(long id, Socket socket)
    {
        await Task.Yield();
        socket.NoDelay = true;
        var remote = socket.RemoteEndPoint;
        var channel = new FrameChannel(new NetworkStream(socket, ownsSocket: true), _options.Frames);
        using var inFlight = new SemaphoreSlim(_options.MaxInFlightPerConnection);
        var pending = new List<Task>();
        string who = string.Create(CultureInfo.InvariantCulture, $"#{id} {remote}");
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                byte[]? frame = await channel.ReadFrameAsync(_stopping.Token).ConfigureAwait(false);
                if (frame is null)
                {
                    break;
                }

                if (!CupPosFrame.TryRead(frame.AsMemory(), out var envelope, out var message, out var error))
                {
                    Interlocked.Increment(ref _malformed);
                    Log($"{who}: dropped a malformed frame ({frame.Length} bytes): {error}");
                    continue;
                }

                await inFlight.WaitAsync(_stopping.Token).ConfigureAwait(false);
                pending.RemoveAll(t => t.IsCompleted);
                pending.Add(HandleOneAsync(channel, new CupPosRequest(envelope, message, remote), who, inFlight));
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception ex) when (ex is FrameException or TimeoutException or IOException or SocketException)
        {
            Log($"{who}: closed: {ex.Message}");
        }
#pragma warning disable CA1031 // A connection must never take the server down; the cause is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log($"{who}: closed after an unexpected {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            await Task.WhenAll(pending).ConfigureAwait(false);
            await channel.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task HandleOneAsync(FrameChannel channel, CupPosRequest request, string who, SemaphoreSlim inFlight)
    {
        try
        {
            var reply = await _handler.HandleAsync(request, _stopping.Token).ConfigureAwait(false);
            if (reply is null)
            {
                return;
            }

            var envelope = new CupPosEnvelope(request.Envelope.Tpdu.Reply(), reply.Header ?? request.Envelope.Header);
            await channel.WriteFrameAsync(envelope, reply.Message, reply.Mac, _stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Shutting down.
        }
#pragma warning disable CA1031 // A failing request is logged and dropped; the connection and the server go on.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log($"{who}: {request.Message.Mti} STAN {request.Message.Stan?.ToString(CultureInfo.InvariantCulture) ?? "-"} not answered: {ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            inFlight.Release();
        }
    }

    private void Log(string line) => _options.Log?.Invoke(line);
}
