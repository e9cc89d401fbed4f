using Jinka.Core.Online;
using Jinka.Core.Transport;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Pin;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Contact;

/// <summary>
/// What a kernel (contact or qPBOC) is built with, checked once, and how it opens a transaction over a card: the
/// 61xx/6Cxx housekeeping when configured, the transaction date from the request or the clock, a fresh trace.
/// </summary>
internal sealed class KernelSetup
{
    private readonly CaPublicKeyStore _caKeys;
    private readonly IAuthorizationClient? _authorization;
    private readonly IPinEntry? _pinEntry;
    private readonly TimeProvider _clock;
    private readonly ITerminalRandom _random;

    /// <exception cref="ArgumentException">The configuration is invalid; the message names the field.</exception>
    public KernelSetup(TerminalConfig config, CaPublicKeyStore caKeys, IAuthorizationClient? authorizationClient, IPinEntry? pinEntry, TimeProvider? clock, ITerminalRandom? random)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(caKeys);
        config.Validate();
        Config = config;
        _caKeys = caKeys;
        _authorization = authorizationClient;
        _pinEntry = pinEntry;
        _clock = clock ?? TimeProvider.System;
        _random = random ?? TerminalRandom.Secure;
    }

    public TerminalConfig Config { get; }

    /// <summary>A new transaction over <paramref name="card"/> (which the caller keeps owning).</summary>
    public TransactionContext Open(IApduTransport card, TransactionRequest request)
    {
        var trace = new TransactionTrace();
        IApduTransport transport = Config.HandleStatusWords ? new StatusWordHandlingTransport(card, leaveOpen: true) : card;
        var when = request.DateTime ?? _clock.GetLocalNow().DateTime;
        return new TransactionContext(Config, request, _caKeys, _authorization, _pinEntry, _random, when, new CardChannel(transport, trace), trace);
    }
}
