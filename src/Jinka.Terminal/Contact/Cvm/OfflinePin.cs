using System.Globalization;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Terminal.Contact.Oda;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Contact.Cvm;

/// <summary>
/// Offline PIN (EMV Book 3 §10.5.1): the PIN try counter 9F17 by GET DATA, PIN entry, then VERIFY with the
/// format 2 PIN block in plaintext (P2 80) or enciphered (P2 88, contract P7: RSA per EMV Book 2 §7, SM2 encryption
/// of 7F ‖ PIN block ‖ ICC challenge with the ICC key). 63Cx prompts again while tries remain.
/// </summary>
internal static class OfflinePin
{
    private const int MaxPrompts = 15;

    public static bool PinPadReady(TransactionContext context)
    {
        if (context.Config.PinPadPresent && context.PinEntry is not null)
        {
            if (!context.PinBypassed)
            {
                return true;
            }

            context.Set(TvrBit.PinNotEntered);
            context.Note("PIN entry was bypassed earlier in this transaction");
            return false;
        }

        context.Set(TvrBit.PinPadNotPresentOrNotWorking);
        return false;
    }

    public static async ValueTask<bool> VerifyAsync(TransactionContext context, bool enciphered, CancellationToken cancellationToken)
    {
        if (!PinPadReady(context))
        {
            return false;
        }

        int? triesLeft = await ReadTryCounterAsync(context, cancellationToken).ConfigureAwait(false);
        if (triesLeft == 0)
        {
            context.Set(TvrBit.PinTryLimitExceeded);
            context.Note("the PIN try counter is 0");
            return false;
        }

        CardPublicKey? key = null;
        if (enciphered && (key = PinEnciphermentKey(context)) is null)
        {
            return false;
        }

        for (int attempt = 1; attempt <= MaxPrompts; attempt++)
        {
            var kind = enciphered ? PinKind.OfflineEnciphered : PinKind.OfflinePlaintext;
            var entry = await context.PinEntry!.EnterPinAsync(new PinRequest(kind, context.Request.Amount, triesLeft, attempt), cancellationToken).ConfigureAwait(false);
            if (entry.IsBypass || !PinBlock.IsValidPin(entry.Pin))
            {
                context.Set(TvrBit.PinNotEntered);
                context.PinBypassed = true;
                context.Note(entry.IsBypass ? "PIN entry bypassed" : "the PIN entered is not 4–12 digits: treated as not entered");
                return false;
            }

            var block = PinBlock.Format2(entry.Pin!);
            var command = enciphered
                ? await EncipheredVerifyAsync(context, key!, block, cancellationToken).ConfigureAwait(false)
                : ApduCommands.Verify(block, PinFormat.Plaintext);
            if (command is null)
            {
                return false;
            }

            var response = await context.Card.SendAsync(command, enciphered ? "VERIFY (enciphered PIN)" : "VERIFY (plaintext PIN)", cancellationToken).ConfigureAwait(false);
            var sw = response.StatusWord;
            if (sw.IsSuccess)
            {
                return true;
            }

            if (sw.RetriesLeft is int left)
            {
                context.Note(string.Create(CultureInfo.InvariantCulture, $"wrong PIN: {left} tries left"));
                if (left == 0)
                {
                    context.Set(TvrBit.PinTryLimitExceeded);
                    return false;
                }

                triesLeft = left;
                continue;
            }

            if (sw == StatusWord.AuthenticationMethodBlocked || sw == StatusWord.ReferenceDataNotUsable)
            {
                context.Set(TvrBit.PinTryLimitExceeded);
                context.Note($"VERIFY answered {sw}: PIN blocked");
                return false;
            }

            context.Note($"VERIFY answered {sw} ({sw.Meaning})");
            return false;
        }

        return false;
    }

    private static async ValueTask<int?> ReadTryCounterAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var response = await context.Card.SendAsync(ApduCommands.GetData(0x9F17), "GET DATA 9F17 (PIN try counter)", cancellationToken).ConfigureAwait(false);
        if (response.StatusWord.IsSuccess && TlvNode.TryParse(response.Data, out var nodes, out _)
            && nodes is [{ Tag.Value: 0x9F17, Value.Length: 1 } counter])
        {
            context.Data.Set(Tags.PinTryCounter, counter.Value.Span);
            return counter.Value.Span[0];
        }

        context.Note("the PIN try counter could not be read");
        return null;
    }

    /// <summary>The key to encipher with: SM2 cards use the ICC key; RSA cards the 9F2D key when present, else the ICC key.</summary>
    private static CardPublicKey? PinEnciphermentKey(TransactionContext context)
    {
        var issuer = context.IssuerKey ?? CardKeyRetrieval.RetrieveIssuerKey(context).Key;
        if (issuer is null)
        {
            context.Note("enciphered PIN: the issuer key cannot be recovered");
            return null;
        }

        context.IssuerKey = issuer;
        if (!issuer.IsSm2 && context.Data.Contains(Tags.PinCertificate))
        {
            var pinKey = CardKeyRetrieval.RetrievePinKey(context, issuer);
            if (pinKey.Key is null)
            {
                context.Note($"enciphered PIN: {pinKey.Failure}");
            }

            return pinKey.Key;
        }

        var icc = context.IccKey is { } known ? new KeyRetrieval(known, false, null) : CardKeyRetrieval.RetrieveIccKey(context, issuer, context.StaticData.ToArray());
        if (icc.Key is null)
        {
            context.Note($"enciphered PIN: {icc.Failure}");
        }

        context.IccKey ??= icc.Key;
        return icc.Key;
    }

    private static async ValueTask<CommandApdu?> EncipheredVerifyAsync(TransactionContext context, CardPublicKey key, byte[] pinBlock, CancellationToken cancellationToken)
    {
        var challenge = await context.Card.SendAsync(ApduCommands.GetChallenge(8), "GET CHALLENGE", cancellationToken).ConfigureAwait(false);
        if (!challenge.StatusWord.IsSuccess || challenge.Data.Length != EmvRsaPinEncipherment.ChallengeLength)
        {
            context.Note($"GET CHALLENGE answered {challenge.StatusWord} with {challenge.Data.Length} bytes; expected 8 bytes and 9000");
            return null;
        }

        byte[] enciphered;
        if (key.Sm2 is { } sm2)
        {
            enciphered = Sm2.Encrypt(sm2, [EmvRsaPinEncipherment.Header, .. pinBlock, .. challenge.Data.Span]);
        }
        else
        {
            var pad = new byte[EmvRsaPinEncipherment.PadLength(key.Rsa!.ModulusLength)];
            context.Random.NextBytes(pad);
            enciphered = EmvRsaPinEncipherment.Encipher(key.Rsa, pinBlock, challenge.Data.Span, pad);
        }

        return ApduCommands.Verify(enciphered, PinFormat.Enciphered);
    }
}
