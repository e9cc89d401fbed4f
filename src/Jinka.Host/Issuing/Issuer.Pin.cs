using Jinka.Crypto.Keys;

namespace Jinka.Host.Issuing;

/// <summary>Online PIN verification (choices P51–P53).</summary>
public sealed partial class Issuer
{
    /// <summary>
    /// When field 52 carries a PIN block and the card has a PVV reference: verifies it through the key store. A wrong
    /// PIN (or a block that does not decode) counts one try and declines "55"; once the count reaches
    /// <see cref="IssuerOptions.OnlinePinTryLimit"/>, "75". A correct PIN resets the count. Null: carry on.
    /// </summary>
    private async ValueTask<BusinessDecision?> CheckOnlinePinAsync(Core.Online.AuthorizationRequest request, CardRecord card, Trace trace, CancellationToken cancellationToken)
    {
        if (request.PinBlock is not { } pinBlock)
        {
            return null;
        }

        if (card.PinVerification is not { } reference)
        {
            trace.Add(IssuerEventKind.OnlinePinNotVerifiable, "online PIN not verifiable: no reference (the card has no PVV at the issuer); decided without it (P52)");
            return null;
        }

        if (!_keys.TryGetInfo(reference.PvkLabel, out var info) || info.Usage != KeyUsage.PinVerification)
        {
            return new(IssuerResponseCodes.SystemError, IssuerEventKind.KeyConfigurationError,
                $"the card's PIN verification key '{reference.PvkLabel}' is {(info is null ? "not in the key store" : $"a {info.Usage} key")}");
        }

        bool verified;
        try
        {
            verified = _keys.VerifyPinBlock(reference.PvkLabel, pinBlock.Span, card.Id.Pan, reference.Pvki, reference.Pvv);
        }
        catch (KeyStoreException ex)
        {
            return new(IssuerResponseCodes.SystemError, IssuerEventKind.KeyConfigurationError, ex.Message);
        }

        var pinTries = Storage.PinTries;
        if (verified)
        {
            int earlier = await pinTries.GetAsync(card.Id, cancellationToken).ConfigureAwait(false);
            if (earlier > 0)
            {
                await pinTries.ResetAsync(card.Id, cancellationToken).ConfigureAwait(false);
            }

            trace.Add(IssuerEventKind.OnlinePinVerified, earlier > 0
                ? Invariant($"online PIN verified (Visa PVV, PVKI {reference.Pvki}); the {earlier} wrong PIN(s) before it are forgotten")
                : Invariant($"online PIN verified (Visa PVV, PVKI {reference.Pvki})"));
            return null;
        }

        int failures = await pinTries.RecordFailureAsync(card.Id, cancellationToken).ConfigureAwait(false);
        int limit = Math.Max(1, _options.OnlinePinTryLimit);
        return failures >= limit
            ? new(IssuerResponseCodes.PinTriesExceeded, IssuerEventKind.OnlinePinTriesExceeded,
                Invariant($"wrong online PIN: {failures} in a row, the limit is {limit}; PIN tries exceeded until a correct PIN"))
            : new(IssuerResponseCodes.IncorrectPin, IssuerEventKind.OnlinePinIncorrect,
                Invariant($"wrong online PIN ({failures} of {limit} tries)"));
    }
}
