using System.Collections.Concurrent;
using Jinka.Card;
using Jinka.PcSc.Vpcd;

namespace Jinka.PcSc.Tests.Support;

/// <summary>
/// A virtual card served to the real pcscd through vpcd for the length of a test: started, waited for until the
/// reader shows it, then stopped and waited for until the reader is empty again (so the next test starts clean).
/// </summary>
internal sealed class ServedCard : IAsyncDisposable
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);
    private readonly CancellationTokenSource _stop = new();
    private readonly PcScContext _context;
    private Task _run = Task.CompletedTask;

    private ServedCard(VirtualCard card, PcScContext context, VpcdEndPoint endPoint, bool reportApdus)
    {
        _context = context;
        Server = new VpcdCardServer(card, new VpcdServerOptions { EndPoint = endPoint, ReportApdus = reportApdus, OnEvent = Events.Enqueue });
        Reader = endPoint.LikelyReaderName!;
    }

    public VpcdCardServer Server { get; }

    public string Reader { get; }

    public ConcurrentQueue<VpcdEvent> Events { get; } = new();

    public static async Task<ServedCard> StartAsync(VirtualCard card, PcScContext context, VpcdEndPoint? endPoint = null, bool reportApdus = false)
    {
        var served = new ServedCard(card, context, endPoint ?? PcScd.EndPoint, reportApdus);
        await context.WaitForRemovalAsync(served.Reader, s_wait); // a card served by an earlier test has left
        served._run = served.Server.RunAsync(served._stop.Token);
        await context.WaitForCardAsync(served.Reader, s_wait);
        return served;
    }

    public int Count(VpcdEventKind kind) => Events.Count(e => e.Kind == kind);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _run;
        _stop.Dispose();
        await _context.WaitForRemovalAsync(Reader, s_wait);
    }
}
