using System.Net.Sockets;
using Jinka.Core;
using Jinka.Iso8583.Framing;
using Jinka.Iso8583.Transport;

namespace Jinka.Iso8583.Tests.Transport;

/// <summary>Frames over loopback sockets: matching by STAN, malformed input, slow and oversized peers.</summary>
public sealed class ServerAndConnectionTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Concurrent_requests_on_one_connection_are_matched_by_STAN()
    {
        await using var host = new TestHost();
        host.BeforeAnswer = request => Task.Delay((int)(request.Message.Stan!.Value % 3) * 20);
        for (int i = 0; i < 30; i++)
        {
            host.Scripted.Enqueue("00");
        }

        await using var connection = await CupPosConnection.ConnectAsync("127.0.0.1", host.Port, Wait);
        var answers = await Task.WhenAll(Enumerable.Range(1, 30).Select(stan =>
            connection.ExchangeAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(stan), null, Wait)));

        Assert.Equal(Enumerable.Range(1, 30), answers.Select(a => a.Message.Stan!.Value));
        Assert.All(answers, a => Assert.Equal(Mti.FinancialResponse, a.Message.Mti));
        Assert.All(answers, a => Assert.Equal(new Tpdu(0x60, 0x0000, 0x0003), a.Envelope.Tpdu));
    }

    [Fact]
    public async Task A_malformed_frame_is_dropped_with_a_log_line_and_the_connection_goes_on()
    {
        await using var host = new TestHost();
        host.Scripted.Enqueue("00");
        using var socket = await ConnectAsync(host.Port);
        await using var channel = new FrameChannel(new NetworkStream(socket), new FrameOptions { IdleTimeout = Wait });

        await channel.WriteRawAsync(Hex.Parse("0015" + "6000030000" + "603100000001" + "0200" + "0800000000000000"));
        await channel.WriteFrameAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(5));
        byte[]? answer = await channel.ReadFrameAsync();

        Assert.NotNull(answer);
        Assert.Equal(5, CupPosFrame.Read(answer).Message.Stan);
        Assert.Equal(1, host.Server.MalformedFrames);
        Assert.Contains(host.Logs, line => line.Contains("malformed frame", StringComparison.Ordinal) && line.Contains("field 5", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_frame_over_the_size_limit_closes_the_connection_with_a_log_line()
    {
        await using var host = new TestHost(new CupPosServerOptions { Frames = new FrameOptions { MaxFrameLength = 512 } });
        using var socket = await ConnectAsync(host.Port);

        await socket.SendAsync(Hex.Parse("0801" + "60000300"));

        Assert.Equal(0, await ReceiveUntilClosedAsync(socket));
        Assert.Contains(host.Logs, line => line.Contains("2049 bytes was announced", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_slow_sender_is_dropped_after_the_frame_timeout()
    {
        await using var host = new TestHost(new CupPosServerOptions { Frames = new FrameOptions { FrameTimeout = TimeSpan.FromMilliseconds(200) } });
        using var socket = await ConnectAsync(host.Port);

        await socket.SendAsync(Hex.Parse("0030" + "600003"));

        Assert.Equal(0, await ReceiveUntilClosedAsync(socket));
        Assert.Contains(host.Logs, line => line.Contains("did not arrive whole", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_idle_connection_is_closed_after_the_idle_timeout()
    {
        await using var host = new TestHost(new CupPosServerOptions { Frames = new FrameOptions { IdleTimeout = TimeSpan.FromMilliseconds(200) } });
        using var socket = await ConnectAsync(host.Port);

        Assert.Equal(0, await ReceiveUntilClosedAsync(socket));
        Assert.Contains(host.Logs, line => line.Contains("Nothing arrived", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_handler_that_throws_is_logged_and_the_next_request_is_answered()
    {
        await using var host = new TestHost();
        host.Scripted.Enqueue("00");
        int calls = 0;
        host.BeforeAnswer = _ => Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("boom") : Task.CompletedTask;
        await using var connection = await CupPosConnection.ConnectAsync("127.0.0.1", host.Port, Wait);

        await Assert.ThrowsAsync<TimeoutException>(() => connection.ExchangeAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(1), null, TimeSpan.FromMilliseconds(300)));
        var (_, answer) = await connection.ExchangeAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(2), null, Wait);

        Assert.Equal(2, answer.Stan);
        Assert.Contains(host.Logs, line => line.Contains("not answered: InvalidOperationException: boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Garbage_from_the_host_fails_the_waiting_request_with_an_IO_error()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var serve = Task.Run(async () =>
        {
            using var peer = await listener.AcceptSocketAsync();
            byte[] buffer = new byte[256];
            await peer.ReceiveAsync(buffer);
            await peer.SendAsync(Hex.Parse("0005" + "FFFFFFFFFF"));
            await Task.Delay(500);
        });
        await using var connection = await CupPosConnection.ConnectAsync("127.0.0.1", port, Wait);

        var ex = await Assert.ThrowsAsync<IOException>(() => connection.ExchangeAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(1), null, Wait));

        Assert.IsType<Iso8583Exception>(ex.InnerException);
        Assert.Contains("frame at offset 0", ex.Message, StringComparison.Ordinal);
        Assert.False(connection.IsOpen);
        await serve;
    }

    [Fact]
    public async Task A_keep_alive_of_length_zero_is_skipped()
    {
        await using var host = new TestHost();
        host.Scripted.Enqueue("00");
        using var socket = await ConnectAsync(host.Port);
        await using var channel = new FrameChannel(new NetworkStream(socket), new FrameOptions { IdleTimeout = Wait });

        await channel.WriteRawAsync(Hex.Parse("0000"));
        await channel.WriteFrameAsync(CupPosEnvelope.ToHost(), TestRequests.Echo(9));

        Assert.Equal(9, CupPosFrame.Read((await channel.ReadFrameAsync())!).Message.Stan);
        Assert.Equal(0, host.Server.MalformedFrames);
    }

    private static async Task<Socket> ConnectAsync(int port)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        return socket;
    }

    /// <summary>Reads until the peer closes; returns the bytes received (fails the test after 5 s).</summary>
    private static async Task<int> ReceiveUntilClosedAsync(Socket socket)
    {
        byte[] buffer = new byte[1024];
        int total = 0;
        using var limit = new CancellationTokenSource(Wait);
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, limit.Token);
            }
            catch (SocketException)
            {
                return total;
            }

            if (read == 0)
            {
                return total;
            }

            total += read;
        }
    }
}
