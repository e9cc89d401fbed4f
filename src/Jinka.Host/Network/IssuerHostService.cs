using System.Globalization;
using System.Net;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Iso8583;
using Jinka.Iso8583.Framing;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Network;

/// <summary>
/// The issuer as an ISO 8583 (CUP POS) service: each request MTI goes to the <see cref="Issuer"/> — 0100/0200 to
/// <see cref="Issuer.DecideAsync"/>, 0400 and 0320/0620 completions to <see cref="Issuer.HandleAdviceAsync"/>, 0320
/// offline uploads to the ledger, 0500 to the batch totals, 0800 to the working-key exchange. Every financial message
/// must carry a MAC under the terminal's MAK from its last sign-on ("A0" otherwise, "77" when the terminal has not
/// signed on); answers carry the host's MAC. A repeated request (same terminal, STAN, card, ATC, within a day) gets the
/// original answer. Malformed frames, unknown messages and failures are answered or dropped with a log line; nothing a
/// terminal sends stops the service. The issuer's stores commit before the answer is written.
/// </summary>
public sealed partial class IssuerHostService : ICupPosHandler, IAsyncDisposable
{
    private readonly Issuer _issuer;
    private readonly ITerminalKeyStore _keys;
    private readonly IssuerHostOptions _options;
    private readonly BatchTotals _totals = new();
    private CupPosServer? _server;
    private long _referenceCounter;

    /// <param name="issuer">The issuer and its stores.</param>
    /// <param name="keys">The key store holding the terminals' master keys (and, via the issuer, the card keys).
    /// With <see cref="IssuerHostOptions.TestTerminalMasterKeys"/> it must also be an <see cref="IKeyStoreAdministration"/>.</param>
    /// <param name="options">Limits, logging, clock.</param>
    public IssuerHostService(Issuer issuer, ITerminalKeyStore keys, IssuerHostOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        ArgumentNullException.ThrowIfNull(keys);
        _issuer = issuer;
        _keys = keys;
        _options = options ?? new IssuerHostOptions();
        if (_options.TestTerminalMasterKeys && keys is not IKeyStoreAdministration)
        {
            throw new ArgumentException("Test terminal master keys need a key store that can import keys (IKeyStoreAdministration).", nameof(keys));
        }
    }

    public IssuerHostStatistics Statistics { get; } = new();

    /// <summary>Where the service listens, once started.</summary>
    public IPEndPoint LocalEndPoint => _server?.LocalEndPoint ?? throw new InvalidOperationException("The host is not started.");

    /// <summary>Frames that were not well-formed messages.</summary>
    public long MalformedFrames => _server?.MalformedFrames ?? 0;

    /// <summary>
    /// Declines and unwinds what a previous run left pending (<see cref="Issuer.RecoverAsync"/>, one log line each),
    /// then listens on <paramref name="endpoint"/>: how a host that may have been stopped mid-decision starts.
    /// </summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public async Task<IPEndPoint> StartAsync(IPEndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var recovered = await _issuer.RecoverAsync(cancellationToken).ConfigureAwait(false);
        foreach (var r in recovered)
        {
            _options.Log?.Invoke(string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"recovery: authorisation {r.Reference} (ATC {r.Atc:X4}, amount {r.Amount}) was pending when the host stopped: declined 96{(r.HoldReleased ? ", hold released" : string.Empty)}"));
        }

        return Start(endpoint);
    }

    /// <summary>Listens on <paramref name="endpoint"/> (port 0: any free port) and returns the address bound.</summary>
    /// <exception cref="System.Net.Sockets.SocketException">The address cannot be bound.</exception>
    public IPEndPoint Start(IPEndPoint endpoint)
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("The host is already started.");
        }

        _server = new CupPosServer(this, new CupPosServerOptions
        {
            Frames = _options.Frames,
            MaxConnections = _options.MaxConnections,
            MaxInFlightPerConnection = _options.MaxInFlightPerConnection,
            Log = _options.Log,
        });
        _server.Start(endpoint);
        return _server.LocalEndPoint;
    }

    /// <summary>Stops listening and closes every connection (requests in progress finish first).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<CupPosReply?> HandleAsync(CupPosRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = request.Message;
        Statistics.Request();
        if (!message.Mti.IsRequest)
        {
            Statistics.UnknownMessage();
            Log(request, $"dropped: {message.Mti} is a response, not a request");
            return null;
        }

        var kind = CupPosMapping.Classify(message);
        if (kind == CupPosTransaction.SignOn)
        {
            return SignOn(request);
        }

        if (kind == CupPosTransaction.Unknown)
        {
            return Unknown(request);
        }

        string? terminal = message.TerminalId;
        if (terminal is null || message.Stan is null)
        {
            Statistics.UnknownMessage();
            Log(request, "answered 30: no terminal ID (41) or STAN (11)");
            return Answer(message, CupPosCodes.FormatError, mac: false);
        }

        if (!_keys.TryGetInfo(TerminalKeyLabels.Mac(terminal), out _))
        {
            Log(request, "answered 77: the terminal has not signed on");
            return Answer(message, CupPosCodes.SignOnAgain, mac: false, header: request.Envelope.Header.WithProcessingRequirement(CupPosHeader.SignOnAgain));
        }

        if (message.Mac.IsEmpty || !_keys.VerifyCupPosMac(TerminalKeyLabels.Mac(terminal), message.MacBlock, message.Mac))
        {
            Statistics.BadMac();
            Log(request, message.Mac.IsEmpty ? "answered A0: no MAC (field 64)" : "answered A0: the MAC does not verify under the terminal's MAK");
            return Answer(message, CupPosCodes.MacError, mac: false);
        }

        return kind switch
        {
            CupPosTransaction.Purchase or CupPosTransaction.BalanceInquiry or CupPosTransaction.PreAuthorization or CupPosTransaction.EcLoad
                => await AuthorizeAsync(request, terminal, cancellationToken).ConfigureAwait(false),
            CupPosTransaction.Reversal or CupPosTransaction.TcUpload or CupPosTransaction.ScriptResult
                => await AdviseAsync(request, terminal, cancellationToken).ConfigureAwait(false),
            CupPosTransaction.OfflineUpload => await BookOfflineAsync(request, terminal, cancellationToken).ConfigureAwait(false),
            CupPosTransaction.Settlement => Settle(request, terminal),
            _ => Unknown(request),
        };
    }

    private CupPosReply Unknown(CupPosRequest request)
    {
        Statistics.UnknownMessage();
        Log(request, $"answered 12: {request.Message.Mti} with field 3 '{request.Message.ProcessingCode}' is not a transaction this host serves");
        bool signedOn = request.Message.TerminalId is { } terminal && _keys.TryGetInfo(TerminalKeyLabels.Mac(terminal), out _);
        return Answer(request.Message, CupPosCodes.InvalidTransaction, mac: signedOn);
    }

    private CupPosReply Answer(Iso8583Message request, string code, bool mac, CupPosHeader? header = null) =>
        Reply(CupPosResponses.Echo(request, code, Now, NewReference()), request.TerminalId, mac, header);

    private CupPosReply Reply(Iso8583MessageBuilder response, string? terminal, bool mac, CupPosHeader? header = null) =>
        new(response, mac && terminal is not null ? MacFor(terminal) : null, header);

    private MacGenerator MacFor(string terminal)
    {
        string label = TerminalKeyLabels.Mac(terminal);
        return (block, mac) => _keys.GenerateCupPosMac(label, block, mac);
    }

    private DateTimeOffset Now => _options.Time.GetLocalNow();

    /// <summary>A retrieval reference for answers the issuer gave none: "H" and 11 digits, unique in this process.</summary>
    private string NewReference() =>
        string.Create(CultureInfo.InvariantCulture, $"H{Interlocked.Increment(ref _referenceCounter) % 100_000_000_000:D11}");

    private void Log(CupPosRequest request, string what) =>
        _options.Log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"{request.Remote} {request.Message.Mti} terminal {request.Message.TerminalId ?? "-"} STAN {request.Message.Stan?.ToString("D6", CultureInfo.InvariantCulture) ?? "-"}: {what}"));
}
