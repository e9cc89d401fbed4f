using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Jinka.Core.Online;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Iso8583.Load;

/// <summary>What a load run does.</summary>
public sealed record LoadOptions
{
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Connections, each a terminal of its own ("{prefix}{n:D3}", signed on separately).</summary>
    public int Connections { get; init; } = 16;

    /// <summary>Authorisations in all.</summary>
    public int Count { get; init; } = 10_000;

    /// <summary>Requests each connection keeps outstanding (1: as a real terminal does).</summary>
    public int InFlightPerConnection { get; init; } = 1;

    /// <summary>Minor units per purchase.</summary>
    public long Amount { get; init; } = 1;

    public string Currency { get; init; } = "156";

    /// <summary>Terminal IDs are this prefix and a 3-digit number (8 characters in all).</summary>
    public string TerminalPrefix { get; init; } = "BENCH";

    public string MerchantId { get; init; } = "898310048990001";

    /// <summary>The TMK of a terminal ID; the <see cref="TestTerminalKeys"/> one by default.</summary>
    public Func<string, byte[]> MasterKeyFor { get; init; } = TestTerminalKeys.MasterKeyFor;

    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Called about four times a second, and once at the end, from a timer thread.</summary>
    public Action<LoadProgress>? Progress { get; init; }

    /// <summary>
    /// Where each approval goes as one JSON line (<see cref="LoadAck"/>), so a crash test can check every acknowledged
    /// approval against the ledger. Written under a lock; flushed at each progress tick and at the end.
    /// </summary>
    public TextWriter? Acks { get; init; }
}

/// <summary>Where a run stands.</summary>
public sealed record LoadProgress(long Completed, long Approved, long Declined, long Failed, int Total, TimeSpan Elapsed)
{
    public double Fraction => Total == 0 ? 1 : (double)Completed / Total;
}

/// <summary>One approval as the acks file records it.</summary>
/// <param name="Terminal">Field 41.</param>
/// <param name="Stan">Field 11.</param>
/// <param name="Pan">The card.</param>
/// <param name="Psn">PAN sequence number.</param>
/// <param name="Atc">The ATC of the ARQC, hex.</param>
/// <param name="Amount">Minor units.</param>
/// <param name="ApprovalCode">Field 38.</param>
/// <param name="Rrn">Field 37: the issuer's journal reference.</param>
public sealed record LoadAck(string Terminal, int Stan, string Pan, string Psn, string Atc, long Amount, string? ApprovalCode, string? Rrn);

/// <summary>The result of a run.</summary>
public sealed record LoadReport(
    int Count,
    long Approved,
    long Declined,
    long Failed,
    TimeSpan Elapsed,
    TimeSpan P50,
    TimeSpan P99,
    TimeSpan Max,
    IReadOnlyDictionary<string, long> ResponseCodes,
    IReadOnlyList<string> Failures)
{
    /// <summary>Answered authorisations (approved or declined) per second.</summary>
    public double Tps => Elapsed.TotalSeconds > 0 ? (Approved + Declined) / Elapsed.TotalSeconds : 0;
}

/// <summary>
/// Drives a host with authorisations from many terminals at once through <see cref="Iso8583AuthorizationClient"/>
/// (sign-on, MAC, response MAC check), with ARQCs from <see cref="LoadCard"/>s, and measures throughput and latency.
/// </summary>
public static class LoadGenerator
{
    private const int MaxFailuresKept = 20;

    /// <exception cref="ArgumentException">No cards, or options out of range.</exception>
    public static async Task<LoadReport> RunAsync(IReadOnlyList<LoadCard> cards, LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cards);
        ArgumentNullException.ThrowIfNull(options);
        if (cards.Count == 0 || options.Connections < 1 || options.Count < 0 || options.InFlightPerConnection < 1 || options.Connections > 999)
        {
            throw new ArgumentException("A load run needs cards, 1–999 connections, a count of 0 or more and at least one request in flight per connection.", nameof(options));
        }

        var state = new RunState(options, cards);
        var clock = Stopwatch.StartNew();
        using var ticks = new CancellationTokenSource();
        var reporter = ReportAsync(state, clock, ticks.Token);
        var connections = Enumerable.Range(1, options.Connections).Select(n => RunConnectionAsync(state, n, cancellationToken)).ToArray();
        await Task.WhenAll(connections).ConfigureAwait(false);
        clock.Stop();
        await ticks.CancelAsync().ConfigureAwait(false);
        await reporter.ConfigureAwait(false);
        state.FlushAcks();
        options.Progress?.Invoke(state.Snapshot(clock.Elapsed));
        return state.Report(clock.Elapsed);
    }

    private static async Task RunConnectionAsync(RunState state, int number, CancellationToken cancellationToken)
    {
        var options = state.Options;
        string terminalId = string.Create(CultureInfo.InvariantCulture, $"{options.TerminalPrefix}{number:D3}");
        var terminal = new CupPosTerminal(terminalId, options.MerchantId);
        await using var client = Iso8583AuthorizationClient.Create(
            new Iso8583ClientOptions { Host = options.Host, Port = options.Port, Terminal = terminal, ResponseTimeout = options.ResponseTimeout },
            options.MasterKeyFor(terminalId));
        int stan = 0;
        try
        {
            await client.SignOnAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OnlineException ex)
        {
            state.Failure($"{terminalId} sign-on: {ex.Message}");
        }

        await Task.WhenAll(Enumerable.Range(0, options.InFlightPerConnection).Select(async _ =>
        {
            while (!cancellationToken.IsCancellationRequested && state.TryTake(out var card))
            {
                int thisStan = Interlocked.Increment(ref stan) % 999_999 + 1;
                AuthorizationRequest request;
                try
                {
                    request = card.NextRequest(options.Amount, thisStan, DateTime.Now, terminalId, options.MerchantId, currency: options.Currency);
                }
                catch (InvalidOperationException ex)
                {
                    state.Failure(ex.Message);
                    continue;
                }

                long started = Stopwatch.GetTimestamp();
                try
                {
                    var response = await client.AuthorizeAsync(request, cancellationToken).ConfigureAwait(false);
                    state.Answered(response, request, Stopwatch.GetElapsedTime(started));
                }
                catch (OnlineException ex)
                {
                    state.Failure($"{terminalId} STAN {thisStan}: {ex.Message}");
                }
            }
        })).ConfigureAwait(false);
    }

    private static async Task ReportAsync(RunState state, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (state.Options.Progress is not { } progress && state.Options.Acks is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                state.FlushAcks();
                state.Options.Progress?.Invoke(state.Snapshot(clock.Elapsed));
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }

    /// <summary>Counters, latencies and the acks sink shared by the connections of a run.</summary>
    private sealed class RunState(LoadOptions options, IReadOnlyList<LoadCard> cards)
    {
        private readonly long[] _latencies = new long[options.Count];
        private readonly ConcurrentDictionary<string, long> _codes = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _failures = new();
        private readonly Lock _acksLock = new();
        private int _taken;
        private int _latencyCount;
        private long _approved;
        private long _declined;
        private long _failed;

        public LoadOptions Options => options;

        /// <summary>Takes the next authorisation to send and the card for it (round robin over cards that still have ATCs).</summary>
        public bool TryTake(out LoadCard card)
        {
            card = cards[0];
            int index = Interlocked.Increment(ref _taken) - 1;
            if (index >= options.Count)
            {
                return false;
            }

            for (int i = 0; i < cards.Count; i++)
            {
                card = cards[(index + i) % cards.Count];
                if (!card.IsExhausted)
                {
                    return true;
                }
            }

            return true;
        }

        public void Answered(AuthorizationResponse response, AuthorizationRequest request, TimeSpan latency)
        {
            int slot = Interlocked.Increment(ref _latencyCount) - 1;
            if (slot < _latencies.Length)
            {
                _latencies[slot] = latency.Ticks;
            }

            _codes.AddOrUpdate(response.ResponseCode, 1, (_, n) => n + 1);
            if (!response.IsApproved)
            {
                Interlocked.Increment(ref _declined);
                return;
            }

            Interlocked.Increment(ref _approved);
            if (options.Acks is { } acks)
            {
                string atc = IccDataSets.TryFind(request.IccData.Span, new Core.Tlv.Tag(0x9F36), out var value) ? Convert.ToHexString(value) : string.Empty;
                string line = JsonSerializer.Serialize(new LoadAck(request.TerminalId, request.Stan, request.Pan, request.PanSequenceNumber, atc, request.Amount, response.ApprovalCode, response.RetrievalReference), LoadJson.Default.LoadAck);
                lock (_acksLock)
                {
                    acks.WriteLine(line);
                }
            }
        }

        public void Failure(string what)
        {
            Interlocked.Increment(ref _failed);
            if (_failures.Count < MaxFailuresKept)
            {
                _failures.Enqueue(what);
            }
        }

        public void FlushAcks()
        {
            if (options.Acks is { } acks)
            {
                lock (_acksLock)
                {
                    acks.Flush();
                }
            }
        }

        public LoadProgress Snapshot(TimeSpan elapsed)
        {
            long approved = Interlocked.Read(ref _approved), declined = Interlocked.Read(ref _declined), failed = Interlocked.Read(ref _failed);
            return new LoadProgress(approved + declined + failed, approved, declined, failed, options.Count, elapsed);
        }

        public LoadReport Report(TimeSpan elapsed)
        {
            int count = Math.Min(Volatile.Read(ref _latencyCount), _latencies.Length);
            long[] sorted = _latencies[..count];
            Array.Sort(sorted);
            TimeSpan At(double quantile) => count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(sorted[Math.Min(count - 1, (int)Math.Ceiling(quantile * count) - 1)]);
            return new LoadReport(
                options.Count,
                Interlocked.Read(ref _approved),
                Interlocked.Read(ref _declined),
                Interlocked.Read(ref _failed),
                elapsed,
                At(0.50),
                At(0.99),
                count == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(sorted[^1]),
                new SortedDictionary<string, long>(_codes, StringComparer.Ordinal),
                [.. _failures]);
        }
    }
}
