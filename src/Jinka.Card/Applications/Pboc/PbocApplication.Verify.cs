using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Applications.Pboc;

/// <summary>VERIFY: offline PIN, plaintext and enciphered.</summary>
public sealed partial class PbocApplication
{
    private const byte PlaintextPin = 0x80;
    private const byte EncipheredPin = 0x88;

    /// <summary>
    /// 00 20 00 80 08 PIN-block (plaintext) or 00 20 00 88 Lc enciphered-PIN (contract P7), EMV Book 3 §6.5.12:
    /// <list type="bullet">
    /// <item>6983 while the PIN try counter is 0 (the data is not even looked at);</item>
    /// <item>P2 88 needs the challenge of the GET CHALLENGE just before; it is used up by this VERIFY whatever the outcome
    /// (6985 without one); data that does not decipher to 7F ‖ PIN block ‖ that challenge is 6A80 (choice P25);</item>
    /// <item>a PIN block that is not ISO format 2 is 6A80; neither costs a try;</item>
    /// <item>a wrong PIN costs a try (persistent) and answers 63Cx, 63C0 on the last; the right one resets the counter.</item>
    /// </list>
    /// The CVR bits "offline PIN performed / failed" follow (contract P2). 6985 when no PIN was personalised.
    /// </summary>
    private static ResponseApdu Verify(CommandContext context)
    {
        var command = context.Command;
        bool enciphered = command.P2 == EncipheredPin;
        byte[] challenge = enciphered ? context.ConsumeChallenge() : [];
        var store = new PbocStore(context.Store);
        var session = context.Volatile<PbocSession>();
        if (!store.HasPin)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        if (store.PinTries == 0)
        {
            return Responses.Status(StatusWord.AuthenticationMethodBlocked);
        }

        byte[] pinBlock;
        if (!enciphered)
        {
            if (command.Nc != PinBlock.Length)
            {
                return Responses.Status(StatusWord.WrongLength);
            }

            pinBlock = command.Data.ToArray();
        }
        else
        {
            if (challenge.Length != ChallengeLength)
            {
                return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
            }

            using var key = PbocKeys.Suite(context.Store) is { } suite ? PbocKeys.LoadIccKey(context.Store, suite) : null;
            if (key is null)
            {
                return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
            }

            if (!key.TryDecipherPin(command.Data.Span, out var deciphered, out var carried)
                || !CryptographicOperations.FixedTimeEquals(carried, challenge))
            {
                return Responses.Status(StatusWord.IncorrectData);
            }

            pinBlock = deciphered;
        }

        try
        {
            if (!PinBlock.IsValid(pinBlock))
            {
                return Responses.Status(StatusWord.IncorrectData);
            }

            session.OfflinePinPerformed = true;
            var reference = context.Store.Get(PbocCells.PinBlock)!;
            bool match = PinBlock.Matches(pinBlock, reference);
            CryptographicOperations.ZeroMemory(reference);
            if (match)
            {
                if (store.PinTries != store.PinLimit)
                {
                    store.PinTries = store.PinLimit;
                }

                session.OfflinePinFailed = false;
                return Responses.Ok();
            }

            int left = store.PinTries - 1;
            store.PinTries = left;
            session.OfflinePinFailed = true;
            session.PinLimitExceededNow |= left == 0;
            return Responses.Status(StatusWord.VerificationFailed(left));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pinBlock);
        }
    }
}
