using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using Jinka.Card;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.PcSc.Vpcd;

/// <summary>How a <see cref="VpcdCardServer"/> connects and reports.</summary>
public sealed record VpcdServerOptions
{
    /// <summary>Where vpcd listens; 127.0.0.1:35963 ("Virtual PCD 00 00") by default.</summary>
    public VpcdEndPoint EndPoint { get; init; } = VpcdEndPoint.Default;

    /// <summary>First wait before reconnecting after vpcd went away; doubled on each failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Set TCP_QUICKACK before every receive (Linux). Without it the kernel delays the ACK of each frame, and with
    /// Nagle on vpcd's side every APDU waits for that delayed ACK (~40–48 ms a round trip instead of ~0.1 ms).
    /// </summary>
    public bool QuickAck { get; init; } = true;

    /// <summary>Report every command and response as a <see cref="VpcdEventKind.Apdu"/> event (a trace; costs a string per APDU).</summary>
    public bool ReportApdus { get; init; }

    /// <summary>
    /// Called on the serving loop, between commands, for each event: the card is idle then, so it is the place to save
    /// its image (e.g. on <see cref="VpcdEventKind.PowerOff"/> and <see cref="VpcdEventKind.Disconnected"/>). An
    /// exception thrown here stops the server and propagates from <see cref="VpcdCardServer.RunAsync"/>.
    /// </summary>
    public Action<VpcdEvent>? OnEvent { get; init; }
}

/// <summary>
/// Serves a <see cref="VirtualCard"/> to pcscd through the vsmartcard <c>vpcd</c> driver, so that every PC/SC client
/// (a terminal, opensc-tool, pyscard, our own <see cref="PcScTransport"/>) sees it as a card in a reader.
/// </summary>
/// <remarks>
/// <para>The card is the TCP client; vpcd listens. Each message either way is a 2-byte big-endian length, then the
/// payload. A 1-byte payload from vpcd is a control: 00 power off, 01 power on, 02 reset, 04 get ATR — only the last
/// is answered (with the ATR). A longer payload is a command APDU, answered with response data ‖ SW1 SW2.</para>
/// <para>Power semantics are a real card's: power off and reset end the session (selected application, PIN
/// verified, pending GET RESPONSE data) and keep NVM. A new connection is a card newly inserted: it starts unpowered.</para>
/// <para>Bad input from the peer never crashes the server: a malformed APDU is answered 6700; a zero-length or
/// truncated frame, or a closed or failed socket, ends the connection (the card leaves the reader) and the server
/// reconnects, with backoff, until <see cref="RunAsync"/>'s token is cancelled.</para>
/// <para>A card with <see cref="VirtualCardOptions.UseGetResponse"/> is served as a T=0 card (its ATR offers T=0): a
/// short case-3 command reaches it as case 4 with Le = 00, since on T=0 a case-4 command arrives without its Le.</para>
/// </remarks>
public sealed class VpcdCardServer
{
    private const byte PowerOffControl = 0x00;
    private const byte PowerOnControl = 0x01;
    private const byte ResetControl = 0x02;
    private const byte GetAtrControl = 0x04;
    private const int IpProtoTcp = 6;
    private const int TcpQuickAck = 12;

    private readonly byte[] _header = new byte[2];
    private readonly byte[] _payload = new byte[ushort.MaxValue];
    private readonly byte[] _answer = new byte[2 + ushort.MaxValue];
    private long _apdus;
    private int _connections;
    private int _running;

    public VpcdCardServer(VirtualCard card, VpcdServerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        Card = card;
        Options = options ?? new VpcdServerOptions();
    }

    public VirtualCard Card { get; }

    public VpcdServerOptions Options { get; }

    /// <summary>Commands answered so far.</summary>
    public long ApduCount => Interlocked.Read(ref _apdus);

    /// <summary>Connections to vpcd made so far.</summary>
    public int ConnectionCount => Volatile.Read(ref _connections);

    /// <summary>
    /// Connects to vpcd and serves the card until <paramref name="cancellationToken"/> is cancelled, reconnecting
    /// whenever vpcd goes away. Returns normally when cancelled; the card is then powered off and idle.
    /// </summary>
    /// <exception cref="TransportException">The very first connection failed (<see cref="TransportFailure.PeerClosed"/>): vpcd is not listening there.</exception>
    /// <exception cref="InvalidOperationException">The server is already running.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _running, 1) != 0)
        {
            throw new InvalidOperationException("this vpcd card server is already running");
        }

        try
        {
            await RunLoopAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Card.PowerOff();
            Volatile.Write(ref _running, 0);
        }
    }

    private async Task RunLoopAsync(CancellationToken cancellationToken)
    {
        var delay = Options.ReconnectDelay;
        bool failureReported = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                string message = $"cannot connect to vpcd at {Options.EndPoint}: {e.Message} (is pcscd running with the vsmartcard-vpcd driver?)";
                if (ConnectionCount == 0)
                {
                    throw new TransportException(TransportFailure.PeerClosed, message, e);
                }

                if (!failureReported)
                {
                    Raise(VpcdEventKind.ConnectFailed, $"{message}; retrying");
                    failureReported = true;
                }

                if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, Options.MaxReconnectDelay.Ticks));
                continue;
            }

            failureReported = false;
            delay = Options.ReconnectDelay;
            Interlocked.Increment(ref _connections);
            string reason;
            using (socket)
            {
                Card.PowerOff(); // a card newly inserted into the slot is unpowered
                Raise(VpcdEventKind.Connected, $"connected to vpcd at {Options.EndPoint}");
                reason = await ServeConnectionAsync(socket, cancellationToken).ConfigureAwait(false);
            }

            Card.PowerOff();
            Raise(VpcdEventKind.Disconnected, reason);
            if (!await DelayAsync(delay, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task<Socket> ConnectAsync(CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(Options.EndPoint.Host, Options.EndPoint.Port, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Serves one connection until it ends; returns why it ended.</summary>
    private async Task<string> ServeConnectionAsync(Socket socket, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                int got = await ReceiveExactAsync(socket, _header, cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    return "vpcd closed the connection";
                }

                if (got < _header.Length)
                {
                    return Violation("vpcd closed the connection inside a frame header (1 of 2 length bytes)");
                }

                int length = BinaryPrimitives.ReadUInt16BigEndian(_header);
                if (length == 0)
                {
                    return Violation("vpcd sent a zero-length frame, which is neither a control nor an APDU; reconnecting");
                }

                got = await ReceiveExactAsync(socket, _payload.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
                if (got < length)
                {
                    return Violation(string.Create(CultureInfo.InvariantCulture, $"truncated frame: vpcd announced {length} bytes and closed the connection after {got}"));
                }

                int answer = length == 1 ? Control(_payload[0]) : Apdu(_payload.AsSpan(0, length));
                if (answer > 0)
                {
                    await socket.SendAsync(_answer.AsMemory(0, answer), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return "the server stopped";
        }
        catch (SocketException e)
        {
            return $"the connection failed: {e.Message}";
        }
    }

    /// <summary>Handles a control byte; returns the length of the answer frame in <see cref="_answer"/> (0: none).</summary>
    private int Control(byte control)
    {
        switch (control)
        {
            case PowerOffControl:
                Card.PowerOff();
                Raise(VpcdEventKind.PowerOff, "session ended, persistent state kept");
                return 0;
            case PowerOnControl:
                var atr = Card.PowerOn();
                Raise(VpcdEventKind.PowerOn, $"new session, ATR {atr}");
                return 0;
            case ResetControl:
                atr = Card.IsPowered ? Card.Reset() : Card.PowerOn();
                Raise(VpcdEventKind.Reset, $"new session, ATR {atr}");
                return 0;
            case GetAtrControl:
                return Frame(Card.Atr.Span);
            default:
                Raise(VpcdEventKind.ProtocolError, string.Create(CultureInfo.InvariantCulture, $"unknown control byte {control:X2} ignored (known: 00 power off, 01 power on, 02 reset, 04 get ATR)"));
                return 0;
        }
    }

    /// <summary>Answers one command APDU; returns the length of the answer frame in <see cref="_answer"/>.</summary>
    private int Apdu(ReadOnlySpan<byte> apdu)
    {
        Interlocked.Increment(ref _apdus);
        ResponseApdu response;
        if (!CommandApdu.TryParse(apdu, out var command, out var error))
        {
            response = new ResponseApdu(StatusWord.WrongLength);
            Raise(VpcdEventKind.ProtocolError, $"malformed APDU {Hex.Encode(apdu)}: {error}; answered {response.StatusWord}");
            return Frame(response);
        }

        if (!Card.IsPowered)
        {
            // pcscd powers a card on before its first command; if vpcd skipped that, a real reader would have done it.
            Raise(VpcdEventKind.ProtocolError, "command before power-on: powering the card on");
            Card.PowerOn();
        }

        if (Card.Options.UseGetResponse && command.Case == ApduCase.Case3Short)
        {
            // A T=0 card cannot tell case 3 from case 4: the terminal leaves Le off a case-4 command on T=0 (ISO/IEC
            // 7816-3 §12.2.4), so the card answers as if Le were 00 and announces any data with 61xx.
            command = command.WithNe(CommandApdu.MaxShortNe);
        }

        try
        {
            response = Card.Process(command);
        }
        catch (CardTornException torn)
        {
            response = new ResponseApdu(new StatusWord(0x6F00));
            Raise(VpcdEventKind.ProtocolError, $"the card lost power during {command}: {torn.Message}; answered 6F00");
        }

        if (Options.ReportApdus)
        {
            Raise(VpcdEventKind.Apdu, $">> {command}\n<< {response}");
        }

        return Frame(response);
    }

    private int Frame(ResponseApdu response)
    {
        if (!response.TryWrite(_answer.AsSpan(2), out int written))
        {
            // A 2-byte length cannot frame it (only an extended Ne of 65536 could ask for that much).
            Raise(VpcdEventKind.ProtocolError, string.Create(CultureInfo.InvariantCulture, $"a response of {response.EncodedLength} bytes does not fit a vpcd frame; answered 6F00"));
            return Frame(new ResponseApdu(new StatusWord(0x6F00)));
        }

        BinaryPrimitives.WriteUInt16BigEndian(_answer, (ushort)written);
        return 2 + written;
    }

    private int Frame(ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_answer, (ushort)payload.Length);
        payload.CopyTo(_answer.AsSpan(2));
        return 2 + payload.Length;
    }

    /// <summary>Reads until <paramref name="buffer"/> is full or the peer closes; returns the bytes read.</summary>
    private async ValueTask<int> ReceiveExactAsync(Socket socket, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            if (Options.QuickAck && OperatingSystem.IsLinux())
            {
                // Not sticky: the kernel may fall back to delayed ACKs at any time, so it is set before every receive.
                socket.SetRawSocketOption(IpProtoTcp, TcpQuickAck, [1, 0, 0, 0]);
            }

            int n = await socket.ReceiveAsync(buffer[total..], SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return total;
            }

            total += n;
        }

        return total;
    }

    private string Violation(string message)
    {
        Raise(VpcdEventKind.ProtocolError, message);
        return message;
    }

    private void Raise(VpcdEventKind kind, string message) => Options.OnEvent?.Invoke(new VpcdEvent(kind, message));

    private static async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
