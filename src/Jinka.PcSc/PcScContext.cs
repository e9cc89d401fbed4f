using System.Diagnostics.CodeAnalysis;
using Jinka.PcSc.Native;

namespace Jinka.PcSc;

/// <summary>How <see cref="PcScContext.Connect"/> connects to a card.</summary>
public sealed record PcScConnectOptions
{
    /// <summary>Shared by default: other applications may talk to the card between our commands.</summary>
    public PcScShareMode ShareMode { get; init; } = PcScShareMode.Shared;

    /// <summary>The protocols we accept; the reader picks one the card's ATR offers. T=0 or T=1 by default.</summary>
    public PcScProtocols Protocols { get; init; } = PcScProtocols.Any;

    /// <summary>
    /// What disposing the transport does to the card. Reset by default: the next application starts a fresh card
    /// session, as after a card removal; persistent state (counters, logs, balances) is the card's to keep.
    /// </summary>
    public PcScDisposition Disposition { get; init; } = PcScDisposition.ResetCard;
}

/// <summary>
/// A connection to the PC/SC resource manager (pcscd): lists readers, watches slots, connects to cards.
/// </summary>
/// <remarks>
/// <para>Linux only: it calls <c>libpcsclite.so.1</c> (package libpcsclite1), which needs a running pcscd.</para>
/// <para>Thread-safety: pcsclite serialises the calls made on one context, so use a context from one thread at a time;
/// a wait (<see cref="WaitForCardAsync"/>) is the exception: cancelling it from another thread is how it ends early.
/// Disposing the context releases it once the last <see cref="PcScTransport"/> connected through it is disposed.</para>
/// </remarks>
public sealed class PcScContext : IDisposable
{
    private readonly IPcScApi _api;
    private readonly PcScContextHandle _handle;

    private PcScContext(IPcScApi api, PcScContextHandle handle)
    {
        _api = api;
        _handle = handle;
    }

    /// <summary>Establishes a context with pcscd.</summary>
    /// <exception cref="PcScException">pcscd is not running (<see cref="PcScError.NoService"/>), or libpcsclite cannot be loaded.</exception>
    /// <exception cref="PlatformNotSupportedException">Not Linux.</exception>
    public static PcScContext Establish(PcScScope scope = PcScScope.System)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("Jinka's PC/SC transport calls libpcsclite, which it supports on Linux only");
        }

        try
        {
            return Establish(PcScLiteApi.Instance, scope);
        }
        catch (DllNotFoundException e)
        {
            throw new PcScException(PcScError.NoService, $"{PcScLiteApi.Library} cannot be loaded (install the libpcsclite1 and pcscd packages): {e.Message}", e);
        }
    }

    /// <summary>Like <see cref="Establish(PcScScope)"/>, returning false with the reason (pcscd not running, library missing, not Linux).</summary>
    public static bool TryEstablish([NotNullWhen(true)] out PcScContext? context, [NotNullWhen(false)] out string? error)
    {
        try
        {
            context = Establish();
            error = null;
            return true;
        }
        catch (Exception e) when (e is PcScException or PlatformNotSupportedException)
        {
            context = null;
            error = e.Message;
            return false;
        }
    }

    internal static PcScContext Establish(IPcScApi api, PcScScope scope)
    {
        var error = api.EstablishContext(scope, out nint raw);
        if (error != PcScError.Success)
        {
            throw new PcScException(error, $"SCardEstablishContext ({api.Name})");
        }

        return new PcScContext(api, new PcScContextHandle(api, raw));
    }

    /// <summary>The names of the readers pcscd knows, in its order; empty when none is connected.</summary>
    public IReadOnlyList<string> ListReaders()
    {
        Check(_api.ListReaders(_handle, out var readers), "SCardListReaders");
        return readers;
    }

    /// <summary>Every reader with its slot's state and the card's ATR, as of now.</summary>
    public IReadOnlyList<PcScReaderState> GetReaderStates()
    {
        var readers = ListReaders();
        if (readers.Count == 0)
        {
            return [];
        }

        var queries = readers.Select(r => new ReaderStateQuery(r)).ToArray();
        Check(_api.GetStatusChange(_handle, 0, queries), "SCardGetStatusChange");
        return [.. queries.Select(q => q.ToState())];
    }

    /// <summary>One reader's state as of now.</summary>
    /// <exception cref="PcScException">No such reader (<see cref="PcScError.UnknownReader"/>), or pcscd failed.</exception>
    public PcScReaderState GetReaderState(string reader)
    {
        ArgumentException.ThrowIfNullOrEmpty(reader);
        var query = new[] { new ReaderStateQuery(reader) };
        Check(_api.GetStatusChange(_handle, 0, query), $"SCardGetStatusChange for '{reader}'");
        if ((query[0].Flags & PcScReaderFlags.Unknown) != 0)
        {
            throw new PcScException(PcScError.UnknownReader, $"reader '{reader}'");
        }

        return query[0].ToState();
    }

    /// <summary>Waits until a card is present in <paramref name="reader"/> (returns at once if one is).</summary>
    /// <exception cref="PcScException"><see cref="PcScError.Timeout"/> when no card came in time; <see cref="PcScError.UnknownReader"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<PcScReaderState> WaitForCardAsync(string reader, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitAsync(reader, static s => s.CardPresent, "a card", timeout, cancellationToken);

    /// <summary>Waits until <paramref name="reader"/>'s slot is empty (returns at once if it is).</summary>
    /// <exception cref="PcScException"><see cref="PcScError.Timeout"/> when the card stayed; <see cref="PcScError.UnknownReader"/>.</exception>
    public Task<PcScReaderState> WaitForRemovalAsync(string reader, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitAsync(reader, static s => (s.Flags & PcScReaderFlags.Empty) != 0, "the card's removal", timeout, cancellationToken);

    /// <summary>Waits until <paramref name="reader"/>'s state satisfies <paramref name="until"/>; <paramref name="what"/> names it in messages.</summary>
    private async Task<PcScReaderState> WaitAsync(string reader, Func<PcScReaderState, bool> until, string what, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reader);
        ArgumentNullException.ThrowIfNull(until);
        cancellationToken.ThrowIfCancellationRequested();
        using var registration = cancellationToken.Register(() => _api.Cancel(_handle));
        return await Task.Run(() => WaitBlocking(reader, until, what, timeout, cancellationToken), CancellationToken.None).ConfigureAwait(false);
    }

    private PcScReaderState WaitBlocking(string reader, Func<PcScReaderState, bool> until, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var query = new[] { new ReaderStateQuery(reader) };
        long deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        uint wait = 0; // the first call reports the current state at once (current state "unaware")
        while (true)
        {
            var error = _api.GetStatusChange(_handle, wait, query);
            if (error == PcScError.Cancelled || cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"waiting for {what} in '{reader}' was cancelled", cancellationToken);
            }

            if (error != PcScError.Timeout)
            {
                Check(error, $"SCardGetStatusChange for '{reader}'");
                if ((query[0].Flags & PcScReaderFlags.Unknown) != 0)
                {
                    throw new PcScException(PcScError.UnknownReader, $"reader '{reader}'");
                }

                var state = query[0].ToState();
                if (until(state))
                {
                    return state;
                }

                query[0].CurrentState = query[0].EventState;
            }

            long left = deadline - Environment.TickCount64;
            if (left <= 0)
            {
                throw new PcScException(PcScError.Timeout, $"waiting {timeout.TotalSeconds:0.#} s for {what} in '{reader}'");
            }

            wait = (uint)Math.Min(left, int.MaxValue);
        }
    }

    /// <summary>Connects to the card in <paramref name="reader"/>: the transport a kernel runs over.</summary>
    /// <exception cref="PcScException">No card (<see cref="PcScError.NoSmartCard"/>), unknown reader, the card held exclusively, no common protocol …</exception>
    public PcScTransport Connect(string reader, PcScConnectOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(reader);
        options ??= new PcScConnectOptions();
        Check(_api.Connect(_handle, reader, options.ShareMode, options.Protocols, out nint raw, out var active), $"SCardConnect to '{reader}'");
        var card = new PcScCardHandle(_handle, raw, options.Disposition);
        try
        {
            return new PcScTransport(_api, card, reader, options.ShareMode, options.Protocols, active);
        }
        catch
        {
            card.Dispose();
            throw;
        }
    }

    public void Dispose() => _handle.Dispose();

    private static void Check(PcScError error, string operation)
    {
        if (error != PcScError.Success)
        {
            throw new PcScException(error, operation);
        }
    }
}
