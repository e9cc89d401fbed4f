using Jinka.Core;
using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto.Emv;

namespace Jinka.Card.Applications.Pboc;

/// <summary>EXTERNAL AUTHENTICATE and the issuer script commands (contract P8, P9).</summary>
public sealed partial class PbocApplication
{
    private const int ExternalAuthenticateLength = EmvCryptograms.CryptogramLength + 2;
    private const byte PinUnblockOnly = 0x00;
    private const byte PinChangeWithoutCurrentPin = 0x02;

    /// <summary>
    /// 00 82 00 00 0A ARPC(8) ‖ ARC(2) (contract P8, NOTES A.5.4): ARPC method 1 over this transaction's ARQC under the
    /// AC session key of its ATC. Once per transaction (6985 the second time); a wrong ARPC answers 6300, sets the CVR's
    /// "issuer authentication failed" and the persistent flag the next transaction reports.
    /// </summary>
    private static ResponseApdu ExternalAuthenticate(CommandContext context)
    {
        var session = context.Volatile<PbocSession>();
        if (session.IssuerAuthenticationPerformed || session.Arqc is not { } arqc || PbocKeys.Suite(context.Store) is not { } suite)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        session.IssuerAuthenticationPerformed = true;
        var data = context.Command.Data.Span;
        var store = new PbocStore(context.Store);
        var sessionKey = PbocKeys.SessionKey(context.Store, suite, CardKey.Ac, store.Atc);
        byte[] expected;
        try
        {
            expected = suite.Arpc1(sessionKey, arqc, data[EmvCryptograms.CryptogramLength..]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }

        session.IssuerAuthenticationPassed = CryptographicOperations.FixedTimeEquals(expected, data[..EmvCryptograms.CryptogramLength]);
        if (!session.IssuerAuthenticationPassed)
        {
            store.Set(PbocFlags.IssuerAuthenticationFailed, true);
            return Responses.Status(StatusWord.AuthenticationFailed);
        }

        return Responses.Ok();
    }

    /// <summary>84 1E 00 00 04 MAC: APPLICATION BLOCK (EMV Book 3 §6.5.1; choice P32): SELECT answers 6283, GPO 6985, GENERATE AC an AAC.</summary>
    private static ResponseApdu ApplicationBlock(CommandContext context)
    {
        if (context.LifeCycle == ApplicationLifeCycle.Personalized)
        {
            context.LifeCycle = ApplicationLifeCycle.Blocked;
        }

        return Responses.Ok();
    }

    /// <summary>84 18 00 00 04 MAC: APPLICATION UNBLOCK (EMV Book 3 §6.5.2): back to PERSONALIZED (a card block stays).</summary>
    private static ResponseApdu ApplicationUnblock(CommandContext context)
    {
        if (context.LifeCycle == ApplicationLifeCycle.Blocked)
        {
            context.LifeCycle = ApplicationLifeCycle.Personalized;
        }

        return Responses.Ok();
    }

    /// <summary>
    /// 84 16 00 00 04 MAC: CARD BLOCK (EMV Book 3 §6.5.3): this application and every application of its security
    /// domain become LOCKED, so SELECT no longer finds them (6A82); other issuers' applications stay (choice P32).
    /// </summary>
    private static ResponseApdu CardBlock(CommandContext context)
    {
        context.LockApplicationsOfSameDomain();
        return Responses.Ok();
    }

    /// <summary>
    /// 84 24 00 P2 Lc data MAC: PIN CHANGE/UNBLOCK (EMV Book 3 §6.5.10). P2 00 resets the PIN try counter (no data);
    /// P2 02 sets a new PIN without the current one: the data is the format 2 PIN block enciphered under the ENC
    /// session key (choice 11), and the counter is reset too. P2 01 (with the current PIN) is not offered (6A86).
    /// </summary>
    private static ResponseApdu PinChangeUnblock(CommandContext context)
    {
        var command = context.Command;
        var store = new PbocStore(context.Store);
        if (!store.HasPin)
        {
            return ScriptFailure(context, StatusWord.ConditionsOfUseNotSatisfied);
        }

        if (command.P2 == PinUnblockOnly)
        {
            if (command.Nc != 0)
            {
                return ScriptFailure(context, StatusWord.WrongLength);
            }

            store.PinTries = store.PinLimit;
            return Responses.Ok();
        }

        if (command.Nc == 0)
        {
            return ScriptFailure(context, StatusWord.WrongLength);
        }

        var suite = PbocKeys.Suite(context.Store)!;
        var sessionKey = PbocKeys.SessionKey(context.Store, suite, CardKey.Enc, store.Atc);
        var plain = new byte[command.Nc];
        try
        {
            if (!suite.TryDecryptScriptData(sessionKey, command.Data.Span, plain, out int written)
                || !PinBlock.IsValid(plain.AsSpan(0, written)))
            {
                return ScriptFailure(context, StatusWord.IncorrectData);
            }

            context.Store.Set(PbocCells.PinBlock, plain.AsSpan(0, written));
            store.PinTries = store.PinLimit;
            return Responses.Ok();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// 04 DA P1P2 Lc value MAC: PUT DATA (EMV Book 3 §6.5.11) of a personalised internal data object that
    /// <see cref="PbocDataObjects.Updatable"/> lists (6A88 otherwise), with a value as long as the current one (6700)
    /// and valid digits for a numeric one (6A80).
    /// </summary>
    private static ResponseApdu PutData(CommandContext context)
    {
        var command = context.Command;
        var tag = new Tag((uint)((command.P1 << 8) | command.P2));
        var store = new PbocStore(context.Store);
        if (!PbocDataObjects.Updatable.Contains(tag.Value) || store.Data(tag) is not { } current)
        {
            return ScriptFailure(context, StatusWord.ReferencedDataNotFound);
        }

        var value = command.Data.Span;
        if (value.Length != current.Length)
        {
            return ScriptFailure(context, StatusWord.WrongLength);
        }

        if (PbocDataObjects.IsNumeric(tag) && !Bcd.IsValid(value))
        {
            return ScriptFailure(context, StatusWord.IncorrectData);
        }

        if (tag == s_ecBalance)
        {
            return LoadElectronicCash(context, current, value);
        }

        context.Store.Set(PbocCells.Data(tag), value);
        return Responses.Ok();
    }

    /// <summary>
    /// 04 DC record (SFI‖100) Lc record MAC: UPDATE RECORD (EMV Book 3 §6.5.13) of a personalised record, whole, as a
    /// 70 template (6A80). The log file is not updatable (6981). A new record that carries CDOL1/CDOL2 must carry valid
    /// ones, and a record that held them must keep them (6A80): the card reads its CDOLs from the records.
    /// </summary>
    private static ResponseApdu UpdateRecord(CommandContext context)
    {
        var command = context.Command;
        var files = context.Files;
        if (files.FindBySfi(files.Root, command.P2 >> 3) is not { } file)
        {
            return ScriptFailure(context, StatusWord.FileNotFound);
        }

        if (file.Descriptor.Structure == Files.FileStructure.Cyclic)
        {
            return ScriptFailure(context, CardStatus.IncompatibleFileStructure);
        }

        if (!files.TryReadRecord(file, command.P1, out var old))
        {
            return ScriptFailure(context, StatusWord.RecordNotFound);
        }

        var record = command.Data.Span;
        if (!TryReadRecordTemplate(record, out var newObjects) || !TryReadRecordTemplate(old, out var oldObjects))
        {
            return ScriptFailure(context, StatusWord.IncorrectData);
        }

        var updates = new List<(string Cell, byte[] Dol)>();
        foreach (var (tag, cell) in new[] { (0x8Cu, PbocCells.Cdol1), (0x8Du, PbocCells.Cdol2) })
        {
            bool had = oldObjects.ContainsKey(tag);
            if (newObjects.TryGetValue(tag, out var dol))
            {
                if (!IsUsableCdol(dol, second: tag == 0x8D))
                {
                    return ScriptFailure(context, StatusWord.IncorrectData);
                }

                updates.Add((cell, dol));
            }
            else if (had)
            {
                return ScriptFailure(context, StatusWord.IncorrectData);
            }
        }

        var status = files.UpdateRecord(file, command.P1, record);
        if (status != StatusWord.Success)
        {
            return ScriptFailure(context, status);
        }

        foreach (var (cell, dol) in updates)
        {
            context.Store.Set(cell, dol);
        }

        return Responses.Ok();
    }

    /// <summary>A script command that the card refused after its MAC was verified: the CVR reports it (contract P2).</summary>
    private static ResponseApdu ScriptFailure(CommandContext context, StatusWord statusWord)
    {
        new PbocStore(context.Store).Set(PbocFlags.ScriptFailed, true);
        return Responses.Status(statusWord);
    }
}
