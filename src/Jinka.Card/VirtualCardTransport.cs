using Jinka.Card.Nvm;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.Card;

/// <summary>
/// A <see cref="VirtualCard"/> as an <see cref="IApduTransport"/>, so kernels talk to it exactly as to a card in a
/// reader. Powers the card on when created (if it is off); disposing powers it off, as removing it from the reader
/// would. A tear, or a command to a card that is off, surfaces as <see cref="TransportException"/>
/// (<see cref="TransportFailure.CardRemoved"/>), which is what a reader reports when the card loses power.
/// </summary>
public sealed class VirtualCardTransport : IApduTransport
{
    private readonly bool _leavePowered;

    /// <param name="card">The card to talk to.</param>
    /// <param name="leavePowered">True to leave the card powered when this transport is disposed.</param>
    public VirtualCardTransport(VirtualCard card, bool leavePowered = false)
    {
        ArgumentNullException.ThrowIfNull(card);
        Card = card;
        _leavePowered = leavePowered;
        if (!card.IsPowered)
        {
            card.PowerOn();
        }
    }

    public VirtualCard Card { get; }

    public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        cancellationToken.ThrowIfCancellationRequested();
        if (!Card.IsPowered)
        {
            throw new TransportException(TransportFailure.CardRemoved, "the virtual card is not powered");
        }

        try
        {
            return ValueTask.FromResult(Card.Process(command));
        }
        catch (CardTornException torn)
        {
            throw new TransportException(TransportFailure.CardRemoved, $"the virtual card lost power: {torn.Message}", torn);
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_leavePowered)
        {
            Card.PowerOff();
        }

        return ValueTask.CompletedTask;
    }
}
