using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Applications.Pboc;

/// <summary>
/// Secure messaging of issuer script commands (contract P9; NOTES A.5.5): CLA 84/04, data ‖ MAC(4), the MAC being the
/// suite MAC under the MAC session key of this transaction's ATC over <c>CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data</c>
/// (Lc counting the MAC). Every command received counts into the CVR's script counter; a refused one also sets the
/// "script processing failed" flag (contract P2), and has no other effect.
/// </summary>
internal sealed class PbocScriptMessaging : ISecureMessaging
{
    public const int MacLength = 4;

    /// <summary>
    /// 6985 without an ARQC in this session (choice P30), 6987 without room for a MAC, 6988 for a wrong MAC
    /// (choice P31); else the plain command with CLA 80/00.
    /// </summary>
    public SecureMessagingResult Unwrap(CommandContext context, CommandApdu command)
    {
        var session = context.Volatile<PbocSession>();
        if (session.Arqc is not { } arqc || PbocKeys.Suite(context.Store) is not { } suite)
        {
            return SecureMessagingResult.Refused(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var store = new PbocStore(context.Store);
        store.ScriptCount++;
        if (command.Nc < MacLength || command.Nc > CommandApdu.MaxShortNc)
        {
            store.Set(PbocFlags.ScriptFailed, true);
            return SecureMessagingResult.Refused(StatusWord.SecureMessagingDataMissing);
        }

        var data = command.Data.Span[..^MacLength];
        ushort atc = store.Atc;
        byte[] input = [command.Cla, command.Ins, command.P1, command.P2, (byte)command.Nc, (byte)(atc >> 8), (byte)atc, .. arqc, .. data];
        var sessionKey = PbocKeys.SessionKey(context.Store, suite, CardKey.Mac, atc);
        Span<byte> mac = stackalloc byte[MacLength];
        try
        {
            suite.ScriptMac(sessionKey, input, mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }

        if (!CryptographicOperations.FixedTimeEquals(mac, command.Data.Span[^MacLength..]))
        {
            store.Set(PbocFlags.ScriptFailed, true);
            return SecureMessagingResult.Refused(StatusWord.SecureMessagingDataIncorrect);
        }

        return SecureMessagingResult.Verified(new CommandApdu((byte)(command.Cla & ~0x0C), command.Ins, command.P1, command.P2, data));
    }
}
