using System.Globalization;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.PcSc.Native;

namespace Jinka.PcSc;

/// <summary>
/// A card in a PC/SC reader as an <see cref="IApduTransport"/>: each command goes through SCardTransmit with the
/// protocol the reader negotiated, T=0 or T=1. Obtain one from <see cref="PcScContext.Connect"/>.
/// </summary>
/// <remarks>
/// <para>It sends the bytes it is given and returns the card's answer as is: 61xx and 6Cxx come back to the caller, to
/// be handled once, in <see cref="StatusWordHandlingTransport"/> (wrap this transport in it, as the kernels do).</para>
/// <para>T=0 (ISO/IEC 7816-3 §12.2.4, EMV Book 1 §9.3.1.1): a short case-4 command is sent as case 3 — its Le is left
/// off the C-TPDU and the card announces its data with 61xx. T=0 carries no extended lengths; such a command ends in a
/// <see cref="TransportException"/> (<see cref="TransportFailure.ProtocolViolation"/>).</para>
/// <para>SCardTransmit cannot be cancelled and a card answers in milliseconds, so <see cref="TransmitAsync"/> runs it
/// on the caller's thread; the token is checked before each command. One command at a time.</para>
/// <para>Disposing disconnects with <see cref="PcScConnectOptions.Disposition"/> (a reset by default).</para>
/// </remarks>
public sealed class PcScTransport : IApduTransport, IDisposable
{
    private const int ShortResponseBuffer = 256 + 2;

    private readonly IPcScApi _api;
    private readonly PcScCardHandle _card;
    private readonly PcScShareMode _shareMode;
    private readonly PcScProtocols _preferred;
    private byte[] _command = new byte[4 + 1 + 255 + 1];
    private byte[] _response = new byte[ShortResponseBuffer];
    private byte[] _atr = [];

    internal PcScTransport(IPcScApi api, PcScCardHandle card, string reader, PcScShareMode shareMode, PcScProtocols preferred, PcScProtocols active)
    {
        _api = api;
        _card = card;
        _shareMode = shareMode;
        _preferred = preferred;
        Reader = reader;
        Protocol = active;
        RefreshStatus();
    }

    /// <summary>The reader's name.</summary>
    public string Reader { get; }

    /// <summary>The protocol in use: <see cref="PcScProtocols.T0"/>, <see cref="PcScProtocols.T1"/> or <see cref="PcScProtocols.Raw"/>.</summary>
    public PcScProtocols Protocol { get; private set; }

    /// <summary>The card's answer to reset, as the reader got it at the last (re)connection.</summary>
    public ReadOnlyMemory<byte> Atr => _atr;

    /// <summary>What disposal does to the card (see <see cref="PcScConnectOptions.Disposition"/>).</summary>
    public PcScDisposition Disposition
    {
        get => _card.Disposition;
        set => _card.Disposition = value;
    }

    /// <summary>Number of commands sent (SCardTransmit calls).</summary>
    public long CommandCount { get; private set; }

    public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Transmit(command));
    }

    /// <summary>Sends one command and returns the card's answer (61xx/6Cxx included; see the remarks).</summary>
    /// <exception cref="TransportException">The card was removed, the reader or pcscd went away, or the answer has no status word (a <see cref="PcScException"/> when PC/SC reported it).</exception>
    public ResponseApdu Transmit(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        int length = EncodeForProtocol(command);
        int responseSize = command.IsExtended ? Math.Max(ShortResponseBuffer, command.Ne + 2) : ShortResponseBuffer;
        if (_response.Length < responseSize)
        {
            _response = new byte[responseSize];
        }

        int received = TransmitRaw(_command.AsSpan(0, length), _response.AsSpan(0, responseSize));
        if (!ResponseApdu.TryParse(_response.AsSpan(0, received), out var response, out var error))
        {
            throw new TransportException(TransportFailure.ProtocolViolation, $"'{Reader}' answered {Describe(command)} with {error}");
        }

        return response;
    }

    /// <summary>Sends already-encoded bytes as they are and writes the raw answer (data ‖ SW1 SW2) to <paramref name="response"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="PcScException">SCardTransmit failed (removed card, buffer too small …).</exception>
    public int TransmitRaw(ReadOnlySpan<byte> command, Span<byte> response)
    {
        ObjectDisposedException.ThrowIf(_card.IsClosed, this);
        CommandCount++;
        var error = _api.Transmit(_card, Protocol, command, response, out int received);
        if (error != PcScError.Success)
        {
            throw new PcScException(error, string.Create(CultureInfo.InvariantCulture, $"SCardTransmit of {command.Length} bytes to '{Reader}'"));
        }

        return received;
    }

    /// <summary>Resets the card (warm by default) and renegotiates the protocol: a new card session on the same connection.</summary>
    /// <exception cref="PcScException">The card was removed or does not answer.</exception>
    public void Reconnect(PcScDisposition initialization = PcScDisposition.ResetCard)
    {
        ObjectDisposedException.ThrowIf(_card.IsClosed, this);
        var error = _api.Reconnect(_card, _shareMode, _preferred, initialization, out var active);
        if (error != PcScError.Success)
        {
            throw new PcScException(error, $"SCardReconnect to '{Reader}'");
        }

        Protocol = active;
        RefreshStatus();
    }

    public void Dispose() => _card.Dispose();

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Writes the command as the negotiated protocol carries it into <see cref="_command"/>; returns its length.</summary>
    private int EncodeForProtocol(CommandApdu command)
    {
        if (Protocol == PcScProtocols.T0)
        {
            if (command.IsExtended)
            {
                throw new TransportException(
                    TransportFailure.ProtocolViolation,
                    $"{Describe(command)} uses extended lengths, which T=0 cannot carry (ISO/IEC 7816-3 §12.2; it would need ENVELOPE)");
            }

            if (command.Case == ApduCase.Case4Short)
            {
                command = command.WithNe(0);
            }
        }

        if (_command.Length < command.EncodedLength)
        {
            _command = new byte[command.EncodedLength];
        }

        command.TryWrite(_command, out int written);
        return written;
    }

    private void RefreshStatus()
    {
        var error = _api.Status(_card, out var protocol, out var atr);
        if (error != PcScError.Success)
        {
            throw new PcScException(error, $"SCardStatus of '{Reader}'");
        }

        _atr = atr;
        if (protocol != PcScProtocols.None)
        {
            Protocol = protocol;
        }
    }

    private static string Describe(CommandApdu command) =>
        string.Create(CultureInfo.InvariantCulture, $"{command.Cla:X2} {command.Ins:X2} {command.P1:X2} {command.P2:X2}");
}
