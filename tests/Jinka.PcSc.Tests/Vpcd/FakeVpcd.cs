using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Jinka.PcSc.Vpcd;

namespace Jinka.PcSc.Tests.Vpcd;

/// <summary>The reader side of the vpcd protocol, scripted by a test: listens, accepts the card server, sends frames.</summary>
internal sealed class FakeVpcd : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private Socket? _peer;

    public FakeVpcd() => _listener.Start();

    public VpcdEndPoint EndPoint => new("127.0.0.1", ((IPEndPoint)_listener.LocalEndpoint).Port);

    private Socket Peer => _peer ?? throw new InvalidOperationException("no card server connected yet");

    /// <summary>Waits for the card server to connect (again).</summary>
    public async Task AcceptAsync()
    {
        _peer?.Dispose();
        using var timeout = new CancellationTokenSource(s_timeout);
        _peer = await _listener.AcceptSocketAsync(timeout.Token);
    }

    public Task SendControlAsync(byte control) => SendRawAsync([0x00, 0x01, control]);

    public async Task SendRawAsync(byte[] bytes) => await Peer.SendAsync(bytes, SocketFlags.None);

    /// <summary>Sends a framed payload and reads the framed answer.</summary>
    public async Task<byte[]> ExchangeAsync(byte[] payload)
    {
        var frame = new byte[2 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)payload.Length);
        payload.CopyTo(frame, 2);
        await SendRawAsync(frame);
        return await ReceiveFrameAsync();
    }

    public async Task<byte[]> ReceiveFrameAsync()
    {
        byte[] header = await ReceiveExactAsync(2) ?? throw new IOException("the card server closed the connection");
        return await ReceiveExactAsync(BinaryPrimitives.ReadUInt16BigEndian(header)) ?? throw new IOException("truncated answer");
    }

    /// <summary>True when the card server has closed its end (reads end of stream).</summary>
    public async Task<bool> PeerClosedAsync()
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var buffer = new byte[16];
        return await Peer.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0;
    }

    public void Drop()
    {
        _peer?.Dispose();
        _peer = null;
    }

    public void Dispose()
    {
        _peer?.Dispose();
        _listener.Stop();
        _listener.Dispose();
    }

    private async Task<byte[]?> ReceiveExactAsync(int length)
    {
        using var timeout = new CancellationTokenSource(s_timeout);
        var buffer = new byte[length];
        int got = 0;
        while (got < length)
        {
            int n = await Peer.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                return null;
            }

            got += n;
        }

        return buffer;
    }
}
