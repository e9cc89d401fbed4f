using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;

namespace Jinka.Card.Applications.Pboc;

/// <summary>The qPBOC GET PROCESSING OPTIONS (JR/T 0025.12; NOTES A.8, A.9; contract Q3–Q10).</summary>
public sealed partial class PbocApplication
{
    private const byte TtqQpbocSupported = 0x20;
    private const byte TtqOfflineOnlyReader = 0x08;
    private const byte TtqOnlineCryptogramRequired = 0x80;
    private const byte CtqOnlinePin = 0x80;
    private const byte CtqSignature = 0x40;
    private const byte CtqGoOnlineIfOdaFails = 0x20;
    private const int CardUnpredictableNumberLength = 4;
    private const int EcBalanceLength = 6;

    /// <summary>The largest RSA ICC modulus whose fDDA signature fits in the GPO response (Q4; NOTES A.8).</summary>
    private const int MaxFddaRsaModulusLength = 128;

    /// <summary>Q38: a longer RSA signature is read from the virtual record 1 of SFI 6, which the qPBOC AFL lists as 30 01 01 00 (NOTES A.8).</summary>
    private const int FddaRecordSfi = 6;

    private static readonly Tag s_ttq = new(0x9F66);
    private static readonly Tag s_ecBalance = new(0x9F79);
    private static readonly Tag s_ecSingleLimit = new(0x9F78);
    private static readonly Tag s_ecResetThreshold = new(0x9F6D);
    private static readonly Tag s_cvmLimit = new(0x9F6B);
    private static readonly Tag s_ctq = new(0x9F6C);

    /// <summary>Choice Q28: 9207 = 82 AIP ‖ 94 AFL (Q5: only the ODA records) ‖ optional 9F10, kept for the qPBOC GPO.</summary>
    private static StatusWord StoreQpbocGpoData(PersistentStore store, ReadOnlySpan<byte> value)
    {
        if (!TlvNode.TryParse(value.ToArray(), out var nodes, out _)
            || nodes.FirstOrDefault(n => n.Tag == new Tag(0x82)) is not { Value.Length: 2 } aip
            || nodes.FirstOrDefault(n => n.Tag == new Tag(0x94)) is not { } afl
            || afl.Value.Length % 4 != 0 || afl.Value.Length > 248 || !AreValidAflEntries(afl.Value.Span))
        {
            return StatusWord.IncorrectData;
        }

        store.Set(PbocCells.QpbocAip, aip.Value.Span);
        store.Set(PbocCells.QpbocAfl, afl.Value.Span);
        return StatusWord.Success;
    }

    /// <summary>The qPBOC AFL names record 1 of SFI 6 (Q38).</summary>
    private static bool ListsFddaRecord(PersistentStore store)
    {
        var afl = store.Get(PbocCells.QpbocAfl) ?? [];
        for (int i = 0; i + 4 <= afl.Length; i += 4)
        {
            if (afl[i] >> 3 == FddaRecordSfi && afl[i + 1] == 1)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// READ RECORD (EMV Book 3 §6.5.11) of the application's files, and of Q38's virtual record SFI 6 record 1, which
    /// exists only after a qPBOC offline approval signed with an RSA key too long for the GPO response.
    /// </summary>
    private static ResponseApdu ReadRecord(CommandContext context)
    {
        var command = context.Command;
        if (command.P1 == 1 && command.P2 == (FddaRecordSfi << 3 | 0x04) && context.Volatile<PbocSession>().FddaRecord is { } record)
        {
            return Responses.Ok(record);
        }

        return Files.FileCommands.ReadRecord(context);
    }

    /// <summary>Q3: the qPBOC path when the card has 9207 and the PDOL data's TTQ byte 1 has b6.</summary>
    private static bool TakesQpbocPath(PersistentStore store, IReadOnlyList<TlvElement> elements, out byte[] ttq)
    {
        ttq = [];
        if (!store.Contains(PbocCells.QpbocAip))
        {
            return false;
        }

        foreach (var element in elements)
        {
            if (element.Tag == s_ttq && element.Value.Length >= 2 && (element.Value.Span[0] & TtqQpbocSupported) != 0)
            {
                ttq = element.Value.ToArray();
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The qPBOC GPO after the ATC was incremented (Q4): decides offline approval, online or decline; an EC card debits
    /// 9F79 in this command's commit (Q9); answers format 2 with the TC/ARQC/AAC, 9F10 (with the EC IDD, Q10) and, for
    /// an offline approval, the fDDA signature over Q7's data.
    /// </summary>
    private static ResponseApdu QpbocGpo(CommandContext context, AlgorithmSuite suite, PbocSession session, IReadOnlyList<TlvElement> elements, byte[] ttq)
    {
        var values = new Dictionary<uint, byte[]>();
        foreach (var element in elements)
        {
            values.TryAdd(element.Tag.Value, element.Value.ToArray());
        }

        if (AcInputFromCdol.Any(t => !values.TryGetValue(t.Tag, out var v) || v.Length != t.Length)
            || !Bcd.TryToNumber(values[0x9F02], out long signedAmount))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        ulong amount = (ulong)signedAmount;
        var store = new PbocStore(context.Store);
        var parameters = RiskParameters.Load(store);
        bool currencyMatches = parameters.ApplicationCurrency is null || parameters.ApplicationCurrency.AsSpan().SequenceEqual(values[0x5F2A]);
        bool onlineRequired = (ttq[1] & TtqOnlineCryptogramRequired) != 0;
        using var key = PbocKeys.LoadIccKey(context.Store, suite);
        bool signatureInGpo = suite.Id == SuiteId.Sm || IccRsaModulusLength(context.Store) <= MaxFddaRsaModulusLength;
        bool canSignFdda = key is not null && (signatureInGpo || ListsFddaRecord(context.Store));

        ulong? balance = store.Data(s_ecBalance) is { } ec && Bcd.TryToNumber(ec, out long b) ? (ulong)b : null;
        CryptogramKind answered;
        if (balance is { } funds)
        {
            // Q9: the EC balance is the offline funds; anything it cannot pay goes online.
            bool offline = !onlineRequired && canSignFdda && EcApprovesOffline(store, amount, funds, currencyMatches, onlineCapable: (ttq[0] & TtqOfflineOnlyReader) == 0);
            answered = offline ? CryptogramKind.Tc : CryptogramKind.Arqc;
        }
        else
        {
            var facts = new RiskFacts(amount, currencyMatches, store.OfflineCount, store.OfflineAmount, store.Flags, store.HasPin && store.PinTries == 0, Blocked: false);
            answered = PbocRiskManagement.FirstAc(onlineRequired || !canSignFdda ? CryptogramKind.Arqc : CryptogramKind.Tc, parameters, facts, session);
            if (answered == CryptogramKind.Tc)
            {
                store.OfflineCount = facts.OfflineCount + 1;
                store.OfflineAmount = facts.OfflineAmount + amount;
            }
        }

        if (answered == CryptogramKind.Arqc && (ttq[0] & TtqOfflineOnlyReader) != 0)
        {
            // An offline-only reader cannot go online: the card declines (choice Q25).
            answered = CryptogramKind.Aac;
        }

        ulong? balanceAfter = balance is { } before && answered == CryptogramKind.Tc ? before - amount : balance;
        if (balanceAfter is { } after && answered == CryptogramKind.Tc)
        {
            store.Raw.Set(PbocCells.Data(s_ecBalance), Bcd.FromNumber((long)after, EcBalanceLength));
        }

        var cvr = PbocCvr.Build(first: true, answered, session, store);
        ushort atc = store.Atc;
        var aip = context.Store.Get(PbocCells.QpbocAip)!;
        var ac = ComputeQpbocAc(context, suite, values, aip, atc, cvr);
        var iad = BuildIad(context, suite, cvr);
        if (balanceAfter is { } idd)
        {
            iad = [.. iad, .. EcIssuerDiscretionaryData(context, suite, atc, idd)];
        }

        if (answered == CryptogramKind.Arqc)
        {
            session.Arqc = ac;
        }

        var ctq = BuildCtq(store, answered, amount);
        using var writer = new TlvWriter(512);
        using (writer.PushConstructed(new Tag(0x77)))
        {
            writer.WritePrimitive(new Tag(0x82), aip);
            writer.WritePrimitive(new Tag(0x94), context.Store.Get(PbocCells.QpbocAfl) ?? []);
            writer.WritePrimitive(new Tag(0x9F36), U16(atc));
            WriteFromRecords(context, writer, new Tag(0x57));
            WriteFromRecords(context, writer, new Tag(0x5F34));
            writer.WritePrimitive(new Tag(0x9F26), ac);
            writer.WritePrimitive(new Tag(0x9F10), iad);
            writer.WritePrimitive(s_ctq, ctq);
            if (balanceAfter is { } available)
            {
                writer.WritePrimitive(new Tag(0x9F5D), Bcd.FromNumber((long)available, EcBalanceLength));
            }

            if (answered == CryptogramKind.Tc && key is not null)
            {
                // Q6, Q7: 9F69 = 01 ‖ card UN ‖ CTQ ‖ 00; 9F4B signs 08 ‖ 8 random bytes with 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69.
                var cardUn = new byte[CardUnpredictableNumberLength];
                context.Random.Fill(cardUn);
                byte[] authenticationData = [0x01, .. cardUn, .. ctq, 0x00];
                var iccDynamicData = new byte[1 + ChallengeLength];
                iccDynamicData[0] = ChallengeLength;
                context.Random.Fill(iccDynamicData.AsSpan(1));
                byte[] terminalDynamicData = [.. values[0x9F37], .. values[0x9F02], .. values[0x5F2A], .. authenticationData];
                writer.WritePrimitive(new Tag(0x9F69), authenticationData);
                byte[] signature = key.SignDynamicData(iccDynamicData, terminalDynamicData);
                if (signatureInGpo)
                {
                    writer.WritePrimitive(new Tag(0x9F4B), signature);
                }
                else
                {
                    using var record = new TlvWriter(signature.Length + 8);
                    using (record.PushConstructed(new Tag(0x70)))
                    {
                        record.WritePrimitive(new Tag(0x9F4B), signature);
                    }

                    session.FddaRecord = record.ToArray();
                }
            }
        }

        // Q29: every qPBOC outcome goes to the transaction log (9F4D) with its cryptogram type.
        WriteLog(context, session, [], first: true, answered switch { CryptogramKind.Tc => 0x40, CryptogramKind.Arqc => 0x80, _ => 0x00 }, atc);
        context.SetPhase(PbocPhase.CompletedOffline);
        return Responses.Ok(writer.WrittenSpan);
    }

    /// <summary>
    /// Q9: amount ≤ 9F78, amount ≤ 9F79, currency the application's, and balance − amount ≥ 9F6D when 9F6D is
    /// personalised and the reader can go online (ADDENDUM 2.3: an offline-only reader still asks offline).
    /// </summary>
    private static bool EcApprovesOffline(PbocStore store, ulong amount, ulong balance, bool currencyMatches, bool onlineCapable)
    {
        ulong singleLimit = store.DataAmount(s_ecSingleLimit, 0);
        ulong? threshold = store.Data(s_ecResetThreshold) is null || !onlineCapable ? null : store.DataAmount(s_ecResetThreshold, 0);
        return currencyMatches && amount <= singleLimit && amount <= balance && (threshold is not { } t || balance - amount >= t);
    }

    /// <summary>The EC balance when this contact transaction is an EC one (PDOL data 9F7A = 01 on a card with 9F79), else null.</summary>
    private static ulong? ContactEcBalance(CommandContext context, PbocSession session)
    {
        if (new PbocStore(context.Store).Data(s_ecBalance) is not { } ec || !Bcd.TryToNumber(ec, out long balance)
            || !Dol.TryParse(context.Store.Get(PbocCells.Pdol) ?? [], out var pdol) || !pdol.TrySplit(session.PdolData, out var elements))
        {
            return null;
        }

        return elements.Any(e => e.Tag.Value == 0x9F7A && e.Value.Span is [0x01]) ? (ulong)balance : null;
    }

    /// <summary>Contract P3's AC input taken from the PDOL data, with the 9207 AIP.</summary>
    private static byte[] ComputeQpbocAc(CommandContext context, AlgorithmSuite suite, Dictionary<uint, byte[]> values, byte[] aip, ushort atc, byte[] cvr)
    {
        var input = new List<byte>(48);
        foreach (var (tag, _) in AcInputFromCdol)
        {
            input.AddRange(values[tag]);
        }

        input.AddRange(aip);
        input.AddRange(U16(atc));
        input.Add(PbocCvr.Length);
        input.AddRange(cvr);
        var sessionKey = PbocKeys.SessionKey(context.Store, suite, CardKey.Ac, atc);
        try
        {
            return suite.GenerateAc(sessionKey, input.ToArray());
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>Q10: 0A ‖ 01 ‖ low 5 bytes of the balance ‖ MAC 4 over ATC ‖ 5-byte balance ‖ 00 under the MAC session key.</summary>
    private static byte[] EcIssuerDiscretionaryData(CommandContext context, AlgorithmSuite suite, ushort atc, ulong balance)
    {
        var low5 = Bcd.FromNumber((long)balance, EcBalanceLength)[1..];
        var sessionKey = PbocKeys.SessionKey(context.Store, suite, CardKey.Mac, atc);
        try
        {
            var mac = suite.Mac(sessionKey, [.. U16(atc), .. low5, 0x00], 4);
            return [0x0A, 0x01, .. low5, .. mac];
        }
        finally
        {
            CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>Q8 (choice Q26): the personalised 9F6C keeps only "go online if ODA fails"; the card adds online PIN / signature.</summary>
    private static byte[] BuildCtq(PbocStore store, CryptogramKind answered, ulong amount)
    {
        byte[] ctq = store.Data(s_ctq) is { Length: 2 } personalised ? [(byte)(personalised[0] & CtqGoOnlineIfOdaFails), personalised[1]] : [0x00, 0x00];
        ulong? cvmLimit = store.Data(s_cvmLimit) is null ? null : store.DataAmount(s_cvmLimit, 0);
        if (cvmLimit is { } limit && amount >= limit && answered == CryptogramKind.Arqc)
        {
            ctq[0] |= CtqOnlinePin;
        }
        else if (cvmLimit is { } signatureLimit && amount > signatureLimit && answered == CryptogramKind.Tc)
        {
            ctq[0] |= CtqSignature;
        }

        return ctq;
    }

    /// <summary>Writes the first record object with <paramref name="tag"/> (57, 5F34) found in the application's records.</summary>
    private static void WriteFromRecords(CommandContext context, TlvWriter writer, Tag tag)
    {
        var files = context.Files;
        for (int sfi = 1; sfi <= 10; sfi++)
        {
            if (files.FindBySfi(files.Root, sfi) is not { } file || !file.Descriptor.IsRecordStructured)
            {
                continue;
            }

            for (int number = 1; number <= 16 && files.TryReadRecord(file, number, out var record); number++)
            {
                if (TryReadRecordTemplate(record, out var objects) && objects.TryGetValue(tag.Value, out var value))
                {
                    writer.WritePrimitive(tag, value);
                    return;
                }
            }
        }
    }

    private static int IccRsaModulusLength(PersistentStore store) => store.Get(PbocCells.RsaPrefix + "n")?.Length ?? 0;
}
