using System.Collections.Concurrent;
using System.Net;
using Jinka.Host.Network;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Tests.Network;

/// <summary>An issuer behind the ISO 8583 service on a loopback port, with test terminal master keys.</summary>
internal sealed class HostFixture : IAsyncDisposable
{
    public const string TerminalId = "JINKA001";
    public const string MerchantId = "898310048990001";

    private HostFixture(IssuerHarness harness, IssuerHostService service)
    {
        Harness = harness;
        Service = service;
    }

    public IssuerHarness Harness { get; }

    public IssuerHostService Service { get; }

    public ConcurrentQueue<string> Logs { get; } = new();

    public int Port => Service.LocalEndPoint.Port;

    public static HostFixture Start(FrameOptions? frames = null)
    {
        var harness = new IssuerHarness();
        HostFixture? fixture = null;
        var service = new IssuerHostService(harness.Issuer, harness.Keys, new IssuerHostOptions
        {
            TestTerminalMasterKeys = true,
            Time = harness.Time,
            Frames = frames ?? new FrameOptions(),
            Log = line => fixture?.Logs.Enqueue(line),
        });
        fixture = new HostFixture(harness, service);
        service.Start(new IPEndPoint(IPAddress.Loopback, 0));
        return fixture;
    }

    public Iso8583AuthorizationClient Client(string terminalId = TerminalId) =>
        Iso8583AuthorizationClient.Create(
            new Iso8583ClientOptions { Host = "127.0.0.1", Port = Port, Terminal = new CupPosTerminal(terminalId, MerchantId), ResponseTimeout = TimeSpan.FromSeconds(5) },
            TestTerminalKeys.MasterKeyFor(terminalId));

    public async ValueTask DisposeAsync()
    {
        await Service.DisposeAsync();
        Harness.Dispose();
    }
}
