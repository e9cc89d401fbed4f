using System.Globalization;
using System.Net.Sockets;
using Jinka.Core.Online;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Iso8583.Framing;
using Jinka.Iso8583.Messages;

namespace Jinka.Iso8583.Transport;

/// <summary>Where a terminal's host is and how the terminal talks to it.</summary>
public sealed record Iso8583ClientOptions
{
    /// <summary>Host name or address.</summary>
    public required string Host { get; init; }

    public required int Port { get; init; }

    /// <summary>Fields 41, 42 and the batch in 60.2.</summary>
    public required CupPosTerminal Terminal { get; init; }

    /// <summary>TPDU and header of every request.</summary>
    public CupPosEnvelope Envelope { get; init; } = CupPosEnvelope.ToHost();

    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long to wait for each response.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public FrameOptions Frames { get; init; } = new();

    /// <summary>Field 63 of the sign-on: the operator.</summary>
    public string OperatorCode { get; init; } = "001";

    /// <summary>Where the client's own messages (sign-on, settlement) take their STANs from; starts at 900001 by default.</summary>
    public int FirstManagementStan { get; init; } = 900_001;
}

/// <summary>
/// The terminal side of ISO 8583: an <see cref="IAuthorizationClient"/> that signs on (0800, working keys from field 62
/// imported under the terminal master key), MACs every financial message with the MAK, checks the MAC of every
/// response that carries one (an approval must), encrypts the online PIN under the PIK, and matches responses by STAN.
/// It signs on again and retries once when the host answers 77 (sign on again) or A0 (MAC error). Connection failures,
/// timeouts and garbage raise <see cref="OnlineException"/>; declines are response codes.
/// </summary>
public sealed class Iso8583AuthorizationClient : IAuthorizationClient, IAsyncDisposable
{
    /// <summary>Labels of the keys the client uses in its key store.</summary>
    public const string MasterKeyLabel = "tmk";
    public const string PinKeyLabel = "pik";
    public const string MacKeyLabel = "mak";

    private readonly Iso8583ClientOptions _options;
    private readonly ITerminalKeyStore _keys;
    private readonly SoftwareKeyStore? _ownedKeys;
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private readonly SemaphoreSlim _signingOn = new(1, 1);
    private int _keyGeneration;
    private CupPosConnection? _connection;
    private int _managementStan;
    private volatile bool _signedOn;

    /// <summary>A client whose key store holds the TMK as <see cref="MasterKeyLabel"/>; PIK and MAK are added at sign-on.</summary>
    public Iso8583AuthorizationClient(Iso8583ClientOptions options, ITerminalKeyStore keys)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(keys);
        options.Terminal.Validate();
        _options = options;
        _keys = keys;
        _managementStan = options.FirstManagementStan - 1;
    }

    private Iso8583AuthorizationClient(Iso8583ClientOptions options, SoftwareKeyStore ownedKeys)
        : this(options, (ITerminalKeyStore)ownedKeys)
    {
        _ownedKeys = ownedKeys;
    }

    /// <summary>A client with its own software key store (a PIN pad) loaded with the clear terminal master key.</summary>
    public static Iso8583AuthorizationClient Create(Iso8583ClientOptions options, ReadOnlySpan<byte> terminalMasterKey)
    {
        var store = new SoftwareKeyStore();
        store.ImportClearKey(MasterKeyLabel, KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, terminalMasterKey);
        return new Iso8583AuthorizationClient(options, store);
    }

    /// <summary>True once the working keys of a sign-on are loaded.</summary>
    public bool IsSignedOn => _signedOn;

    /// <summary>Signs on: 0800 → 0810 with 39 "00"; imports the PIK and MAK of field 62 (their check values must match).</summary>
    /// <exception cref="OnlineException">No answer, a refusal, or keys that do not check.</exception>
    public async Task SignOnAsync(CancellationToken cancellationToken = default) =>
        await EnsureSignedOnAsync(Volatile.Read(ref _keyGeneration), force: true, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Signs on unless signed on already; with <paramref name="force"/>, signs on again unless another caller did since
    /// <paramref name="seenGeneration"/>. Returns the key generation now in use.
    /// </summary>
    private async Task<int> EnsureSignedOnAsync(int seenGeneration, bool force, CancellationToken cancellationToken)
    {
        await _signingOn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_signedOn && (!force || _keyGeneration != seenGeneration))
            {
                return _keyGeneration;
            }

            _signedOn = false;
            await SignOnCoreAsync(cancellationToken).ConfigureAwait(false);
            _signedOn = true;
            return Interlocked.Increment(ref _keyGeneration);
        }
        finally
        {
            _signingOn.Release();
        }
    }

    private async Task SignOnCoreAsync(CancellationToken cancellationToken)
    {
        var request = CupPosRequests.SignOn(_options.Terminal, NextManagementStan(), _options.OperatorCode);
        var (_, response) = await ExchangeAsync(request, mac: null, cancellationToken).ConfigureAwait(false);
        if (response.ResponseCode != CupPosCodes.Approved)
        {
            throw new OnlineException($"The host refused the sign-on with response code {response.ResponseCode ?? "(none)"}.");
        }

        if (!SignOnKeys.TryParse(response.Reserved62.Span, out var keys))
        {
            throw new OnlineException(string.Create(CultureInfo.InvariantCulture, $"The sign-on response's field 62 is {response.Reserved62.Length} bytes; 24 or 40 were expected."));
        }

        try
        {
            _keys.ImportWorkingKey(MasterKeyLabel, PinKeyLabel, KeyUsage.PinEncryption, keys.Pin.Ciphertext, keys.Pin.CheckValue);
            _keys.ImportWorkingKey(MasterKeyLabel, MacKeyLabel, KeyUsage.MessageAuthentication, keys.Mac.Ciphertext, keys.Mac.CheckValue);
        }
        catch (Exception ex) when (ex is KeyStoreException or ArgumentException)
        {
            throw new OnlineException($"The working keys of the sign-on do not check under the terminal master key: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = await SendFinancialAsync(() => CupPosRequests.Authorization(request, _options.Terminal, EncryptPin(request)), cancellationToken).ConfigureAwait(false);
        try
        {
            return CupPosMapping.ToAuthorizationResponse(response);
        }
        catch (Iso8583Exception ex)
        {
            throw new OnlineException($"The host's answer is unusable: {ex.Message}", ex);
        }
    }

    /// <inheritdoc/>
    /// <remarks>A reversal is a 0400; a completion a 0620 (with script results) or a 0320 TC upload. Any answer but A0 or 77 counts
    /// as delivered (25, original unknown, included: there is nothing more to do).</remarks>
    public async ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(advice);
        var response = await SendFinancialAsync(
            () => advice.Kind == AdviceKind.Reversal ? CupPosRequests.Reversal(advice, _options.Terminal) : CupPosRequests.Completion(advice, _options.Terminal),
            cancellationToken).ConfigureAwait(false);
        if (response.ResponseCode is CupPosCodes.MacError or CupPosCodes.SignOnAgain)
        {
            throw new OnlineException($"The host did not take the {advice.Kind} advice: response code {response.ResponseCode}.");
        }
    }

    /// <summary>Uploads an offline approved EC/IC purchase (0320, 8A "Y1"); returns field 39 of the 0330.</summary>
    public async Task<string> UploadOfflineAsync(AuthorizationRequest offline, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(offline);
        var response = await SendFinancialAsync(() => CupPosRequests.OfflineUpload(offline, _options.Terminal), cancellationToken).ConfigureAwait(false);
        return response.ResponseCode ?? string.Empty;
    }

    /// <summary>Settles the batch (0500): the host's result and its totals.</summary>
    public async Task<(SettlementResult Result, SettlementTotals? HostTotals)> SettleAsync(SettlementTotals totals, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(totals);
        int stan = NextManagementStan();
        var response = await SendFinancialAsync(() => CupPosRequests.Settlement(_options.Terminal, stan, totals), cancellationToken).ConfigureAwait(false);
        string field63 = response.Reserved63 ?? string.Empty;
        SettlementTotals.TryParse(field63, out var hostTotals);
        var result = field63.Length > SettlementTotals.Length && int.TryParse(field63.AsSpan(SettlementTotals.Length, 1), CultureInfo.InvariantCulture, out int digit) && Enum.IsDefined((SettlementResult)digit)
            ? (SettlementResult)digit
            : SettlementResult.Error;
        return (response.ResponseCode == CupPosCodes.Approved ? result : SettlementResult.Error, hostTotals);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }

        _connecting.Dispose();
        _signingOn.Dispose();
        _ownedKeys?.Dispose();
    }

    /// <summary>Signs on when needed, sends with a MAC, checks the response MAC; once more after 77 or A0.</summary>
    private async Task<Iso8583Message> SendFinancialAsync(Func<Iso8583MessageBuilder> build, CancellationToken cancellationToken)
    {
        int generation = await EnsureSignedOnAsync(0, force: false, cancellationToken).ConfigureAwait(false);
        for (int attempt = 0; ; attempt++)
        {

            Iso8583MessageBuilder request;
            try
            {
                request = build();
            }
            catch (Exception ex) when (ex is ArgumentException or KeyStoreException)
            {
                throw new OnlineException($"The request cannot be sent: {ex.Message}", ex);
            }

            var (_, response) = await ExchangeAsync(request, GenerateMac, cancellationToken).ConfigureAwait(false);
            if (attempt == 0 && response.ResponseCode is CupPosCodes.SignOnAgain or CupPosCodes.MacError)
            {
                generation = await EnsureSignedOnAsync(generation, force: true, cancellationToken).ConfigureAwait(false);
                continue;
            }

            bool hasMac = !response.Mac.IsEmpty;
            if (hasMac && !_keys.VerifyCupPosMac(MacKeyLabel, response.MacBlock, response.Mac))
            {
                throw new OnlineException($"The MAC of the host's {response.Mti} does not verify: the answer is not trusted.");
            }

            if (!hasMac && response.ResponseCode == CupPosCodes.Approved)
            {
                throw new OnlineException($"The host's {response.Mti} approves without a MAC: the answer is not trusted.");
            }

            return response;
        }
    }

    private void GenerateMac(ReadOnlySpan<byte> macBlock, Span<byte> mac) => _keys.GenerateCupPosMac(MacKeyLabel, macBlock, mac);

    private byte[] EncryptPin(AuthorizationRequest request)
    {
        if (request.PinBlock is not { } clear)
        {
            return [];
        }

        byte[] encrypted = new byte[IsoPinBlock.Length];
        _keys.EncryptPinBlock(PinKeyLabel, clear.Span, encrypted);
        return encrypted;
    }

    private async Task<(CupPosEnvelope, Iso8583Message)> ExchangeAsync(Iso8583MessageBuilder request, MacGenerator? mac, CancellationToken cancellationToken)
    {
        try
        {
            var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            return await connection.ExchangeAsync(_options.Envelope, request, mac, _options.ResponseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or Iso8583Exception)
        {
            throw new OnlineException($"{request.Mti} to {_options.Host}:{_options.Port} failed: {ex.Message}", ex);
        }
    }

    private async Task<CupPosConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { IsOpen: true } open)
        {
            return open;
        }

        await _connecting.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is { IsOpen: true } other)
            {
                return other;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync().ConfigureAwait(false);
            }

            _connection = await CupPosConnection.ConnectAsync(_options.Host, _options.Port, _options.ConnectTimeout, _options.Frames, cancellationToken).ConfigureAwait(false);
            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }

    private int NextManagementStan()
    {
        int stan = Interlocked.Increment(ref _managementStan);
        return stan > 999_999 ? Interlocked.Exchange(ref _managementStan, 1) : stan;
    }
}
