using System.Globalization;
using Jinka.Core.Apdu;

namespace Jinka.Core.Transport;

/// <summary>
/// The one place for ISO/IEC 7816 transmission housekeeping (7816-3 §12.2, 7816-4 §5.3): on 61xx it sends
/// GET RESPONSE and concatenates the data until a final status word; on 6Cxx it resends the same command once
/// with Le = xx. Callers above see one command and one complete response.
/// </summary>
/// <remarks>
/// Bounded so that a broken or hostile card cannot keep a terminal looping: more than
/// <see cref="MaxGetResponses"/> GET RESPONSE commands for one command, or a second 6Cxx after the resend, end
/// the exchange with a <see cref="TransportException"/> (<see cref="TransportFailure.ProtocolViolation"/>).
/// Not thread-safe: one command at a time (see <see cref="IApduTransport"/>).
/// </remarks>
public sealed class StatusWordHandlingTransport : IApduTransport
{
    /// <summary>Default bound on GET RESPONSE commands per command (64 × 256 bytes = 16 KiB of response).</summary>
    public const int DefaultMaxGetResponses = 64;

    private const byte GetResponseIns = 0xC0;

    private readonly IApduTransport _inner;
    private readonly bool _leaveOpen;

    /// <param name="inner">The transport to wrap.</param>
    /// <param name="maxGetResponses">Largest number of GET RESPONSE commands sent for one command (1 or more).</param>
    /// <param name="leaveOpen">True to leave <paramref name="inner"/> undisposed when this transport is disposed.</param>
    public StatusWordHandlingTransport(IApduTransport inner, int maxGetResponses = DefaultMaxGetResponses, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxGetResponses, 1);
        _inner = inner;
        MaxGetResponses = maxGetResponses;
        _leaveOpen = leaveOpen;
    }

    public int MaxGetResponses { get; }

    public async ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var response = await _inner.TransmitAsync(command, cancellationToken).ConfigureAwait(false);

        if (response.StatusWord.CorrectLength is int exactLength)
        {
            // 6Cxx: the command was refused for its Le alone; resend it once with the length the card names.
            response = await _inner.TransmitAsync(command.WithNe(exactLength), cancellationToken).ConfigureAwait(false);
            if (response.StatusWord.CorrectLength is not null)
            {
                throw new TransportException(
                    TransportFailure.ProtocolViolation,
                    string.Create(CultureInfo.InvariantCulture, $"card answered {response.StatusWord} to {Name(command)} again after the resend with Le = {exactLength & 0xFF:X2}"));
            }
        }

        if (response.StatusWord.BytesAvailable is null)
        {
            return response;
        }

        return await CollectAsync(command, response, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<ResponseApdu> CollectAsync(CommandApdu command, ResponseApdu first, CancellationToken cancellationToken)
    {
        var collected = new List<byte>(first.Data.Length + 256);
        var response = first;
        int sent = 0;
        byte cla = ClassByte.ForChannel(command.LogicalChannel);
        while (response.StatusWord.BytesAvailable is int available)
        {
            EnsureBudget(sent, command, response, collected.Count);
            collected.AddRange(response.Data.Span);
            var getResponse = new CommandApdu(cla, GetResponseIns, 0x00, 0x00, ne: available);
            response = await _inner.TransmitAsync(getResponse, cancellationToken).ConfigureAwait(false);
            sent++;

            if (response.StatusWord.CorrectLength is int exactLength)
            {
                // A GET RESPONSE with a wrong Le gets 6Cxx like any case 2 command; ask again with the right length.
                EnsureBudget(sent, command, response, collected.Count);
                response = await _inner.TransmitAsync(getResponse.WithNe(exactLength), cancellationToken).ConfigureAwait(false);
                sent++;
                if (response.StatusWord.CorrectLength is not null)
                {
                    throw new TransportException(
                        TransportFailure.ProtocolViolation,
                        string.Create(CultureInfo.InvariantCulture, $"card answered {response.StatusWord} to GET RESPONSE again after the resend with Le = {exactLength & 0xFF:X2}"));
                }
            }
        }

        collected.AddRange(response.Data.Span);
        return new ResponseApdu(collected.ToArray(), response.StatusWord);
    }

    private void EnsureBudget(int sent, CommandApdu command, ResponseApdu last, int collectedBytes)
    {
        if (sent >= MaxGetResponses)
        {
            throw new TransportException(
                TransportFailure.ProtocolViolation,
                string.Create(CultureInfo.InvariantCulture, $"card still answered {last.StatusWord} after {sent} GET RESPONSE commands for {Name(command)} ({collectedBytes + last.Data.Length} bytes so far); giving up"));
        }
    }

    private static string Name(CommandApdu command)
        => string.Create(CultureInfo.InvariantCulture, $"{command.Cla:X2} {command.Ins:X2} {command.P1:X2} {command.P2:X2}");

    public ValueTask DisposeAsync() => _leaveOpen ? ValueTask.CompletedTask : _inner.DisposeAsync();
}
