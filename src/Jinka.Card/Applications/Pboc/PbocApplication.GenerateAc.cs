using Jinka.Core;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Certificates;

namespace Jinka.Card.Applications.Pboc;

/// <summary>GENERATE AC, first and second.</summary>
public sealed partial class PbocApplication
{
    private const byte ReferenceTypeMask = 0xC0;
    private const byte CdaRequested = 0x10;
    private const byte AipCda = 0x01;

    /// <summary>The tags of the AC input in their order (contract P3), with the length each must have in CDOL1 and CDOL2.</summary>
    internal static readonly (uint Tag, int Length)[] AcInputFromCdol =
    [
        (0x9F02, 6), (0x9F03, 6), (0x9F1A, 2), (0x95, 5), (0x5F2A, 2), (0x9A, 3), (0x9C, 1), (0x9F37, 4),
    ];

    /// <summary>P1 b8–b7 = 00 AAC, 01 TC, 10 ARQC (11 RFU), b5 = CDA, the other bits RFU; P2 = 00 (EMV Book 3 §6.5.5.2).</summary>
    private static bool IsGenerateAcReference(byte p1, byte p2) => p2 == 0 && (p1 & 0x2F) == 0 && (p1 & ReferenceTypeMask) != ReferenceTypeMask;

    /// <summary>
    /// 80 AE P1 00 Lc CDOL-data (EMV Book 3 §6.5.5; contract P3–P6, P10, P11). The data must be as long as CDOL1 (first)
    /// or CDOL2 (second) says (6700). Card risk management decides, never above what was asked (AAC &lt; ARQC &lt; TC,
    /// Book 3 table 13); the second GENERATE AC cannot ask for an ARQC (6A86, choice P28). The AC is computed under the
    /// session key of the current ATC over the P3 input with this answer's CVR. Format 1 without CDA, format 2 with a
    /// CDA signature when it was asked, the AIP offers CDA and the answer is not an AAC (choice P29). The offline
    /// counters, flags and the transaction log change in the same atomic commit as the answer.
    /// </summary>
    private static ResponseApdu GenerateAc(CommandContext context)
    {
        var command = context.Command;
        bool first = context.GetPhase<PbocPhase>() == PbocPhase.Initiated;
        var requested = (command.P1 & ReferenceTypeMask) switch
        {
            0x00 => CryptogramKind.Aac,
            0x40 => CryptogramKind.Tc,
            _ => CryptogramKind.Arqc,
        };
        if (!first && requested == CryptogramKind.Arqc)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (PbocKeys.Suite(context.Store) is not { } suite
            || !Dol.TryParse(context.Store.Get(first ? PbocCells.Cdol1 : PbocCells.Cdol2) ?? [], out var cdol))
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var cdolData = command.Data.ToArray();
        if (!cdol.TrySplit(cdolData, out var elements))
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        var values = new Dictionary<uint, byte[]>();
        foreach (var element in elements)
        {
            values.TryAdd(element.Tag.Value, element.Value.ToArray());
        }

        if (!Bcd.TryToNumber(values[0x9F02], out long signedAmount))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        ulong amount = (ulong)signedAmount;

        var store = new PbocStore(context.Store);
        var session = context.Volatile<PbocSession>();
        if (first)
        {
            session.Cdol1Data = cdolData;
        }
        else
        {
            session.UnableToGoOnline = values.TryGetValue(0x8A, out var arc) && arc is [0x59 or 0x5A, 0x33];
        }

        var parameters = RiskParameters.Load(store);
        var currency = parameters.ApplicationCurrency;
        var facts = new RiskFacts(
            amount,
            currency is null || currency.AsSpan().SequenceEqual(values[0x5F2A]),
            store.OfflineCount,
            store.OfflineAmount,
            store.Flags,
            store.HasPin && store.PinTries == 0,
            context.LifeCycle != ApplicationLifeCycle.Personalized);
        var answered = first
            ? PbocRiskManagement.FirstAc(requested, parameters, facts, session)
            : PbocRiskManagement.SecondAc(requested, parameters, facts, session);
        if (first)
        {
            session.EcLoad = IsEcLoad(store, values);
        }

        ulong? ecBalance = first ? (session.EcLoad ? CurrentEcBalance(store) : ContactEcBalance(context, session)) : null;
        if (session.EcLoad)
        {
            // Q36: a load is authorised online only; the IDD tells the issuer the balance the new one is added to.
            answered = first
                ? (requested == CryptogramKind.Aac || facts.Blocked ? CryptogramKind.Aac : CryptogramKind.Arqc)
                : answered;
        }
        else if (ecBalance is { } funds)
        {
            // Q9 on the contact path (9F7A = 01): the EC balance replaces the velocity checks (ADDENDUM 2.3).
            answered = requested == CryptogramKind.Aac || facts.Blocked ? CryptogramKind.Aac
                : requested == CryptogramKind.Tc && EcApprovesOffline(store, amount, funds, facts.CurrencyIsApplicationCurrency, onlineCapable: true) ? CryptogramKind.Tc
                : CryptogramKind.Arqc;
        }

        // The AC and 9F10 carry the CVR as it is before this answer changes any persistent state (contract P1–P3).
        var cvr = PbocCvr.Build(first, answered, session, store);
        ushort atc = store.Atc;
        var ac = ComputeAc(context, suite, values, atc, cvr);
        var iad = BuildIad(context, suite, cvr);
        if (ecBalance is { } balance)
        {
            ulong after = answered == CryptogramKind.Tc ? balance - amount : balance;
            if (answered == CryptogramKind.Tc)
            {
                context.Store.Set(PbocCells.Data(s_ecBalance), Bcd.FromNumber((long)after, EcBalanceLength));
            }

            iad = [.. iad, .. EcIssuerDiscretionaryData(context, suite, atc, after)];
        }

        byte cid = answered switch { CryptogramKind.Tc => 0x40, CryptogramKind.Arqc => 0x80, _ => 0x00 };
        session.EcLoadAuthorised = session.EcLoad && !first && answered == CryptogramKind.Tc;

        UpdateAfterGenerateAc(store, session, first, answered, parameters, facts, values, ac, electronicCash: ecBalance is not null);
        var response = BuildGenerateAcResponse(context, suite, session, first, cdolData, values, cid, atc, ac, iad, cdaWanted: (command.P1 & CdaRequested) != 0);
        if (!first || answered != CryptogramKind.Arqc)
        {
            WriteLog(context, session, cdolData, first, cid, atc);
        }

        context.SetPhase(first && answered == CryptogramKind.Arqc ? PbocPhase.Online : first ? PbocPhase.CompletedOffline : PbocPhase.Completed);
        return Responses.Ok(response);
    }

    /// <summary>AC input (contract P3): 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 from the CDOL data ‖ AIP ‖ ATC ‖ 03 ‖ CVR.</summary>
    private static byte[] ComputeAc(CommandContext context, AlgorithmSuite suite, Dictionary<uint, byte[]> values, ushort atc, byte[] cvr)
    {
        var input = new List<byte>(48);
        foreach (var (tag, _) in AcInputFromCdol)
        {
            input.AddRange(values[tag]);
        }

        input.AddRange(context.Store.Get(PbocCells.Aip) ?? [0, 0]);
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
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(sessionKey);
        }
    }

    /// <summary>9F10 (contract P1, choice P36): the personalised fixed part 07 ‖ DKI ‖ CVN ‖ 03 ‖ CVR ‖ algorithm identifier.</summary>
    private static byte[] BuildIad(CommandContext context, AlgorithmSuite suite, byte[] cvr)
        => [.. context.Store.Get(PbocCells.IadFixedPart) ?? DefaultIadFixedPart, PbocCvr.Length, .. cvr, suite.AlgorithmIdentifier];

    private static void UpdateAfterGenerateAc(PbocStore store, PbocSession session, bool first, CryptogramKind answered, in RiskParameters parameters, in RiskFacts facts, Dictionary<uint, byte[]> values, byte[] ac, bool electronicCash)
    {
        bool offline = first ? answered != CryptogramKind.Arqc : session.UnableToGoOnline;
        if (first)
        {
            session.FirstCryptogram = answered;
        }

        if (first && answered == CryptogramKind.Arqc)
        {
            session.Arqc = ac;
            store.Flags = (store.Flags | PbocFlags.LastOnlineNotCompleted) & ~PbocFlags.ScriptFailed;
            store.ScriptCount = 0;
            return;
        }

        if (!first)
        {
            store.Set(PbocFlags.LastOnlineNotCompleted, false);
        }

        if (offline && answered == CryptogramKind.Tc && electronicCash)
        {
            // An EC approval spends the EC balance, not the offline velocity counters (ADDENDUM 2.3).
        }
        else if (offline && answered == CryptogramKind.Tc)
        {
            store.OfflineCount = facts.OfflineCount + 1;
            store.OfflineAmount = facts.OfflineAmount + facts.Amount;
        }
        else if (offline)
        {
            // VIS: what the terminal saw of offline data authentication in an offline decline is reported next time.
            byte tvr1 = values[0x95][0];
            store.Set(PbocFlags.SdaFailedOnDecline, (tvr1 & 0x40) != 0);
            store.Set(PbocFlags.DdaFailedOnDecline, (tvr1 & 0x0C) != 0);
        }
        else if (session.IssuerAuthenticationPassed || (!session.IssuerAuthenticationPerformed && !parameters.IssuerAuthenticationRequired))
        {
            // Back in touch with the issuer: the velocity counters and the last-online register start again (choice P27).
            store.OfflineCount = 0;
            store.OfflineAmount = 0;
            store.LastOnlineAtc = store.Atc;
            store.Flags &= ~(PbocFlags.IssuerAuthenticationFailed | PbocFlags.SdaFailedOnDecline | PbocFlags.DdaFailedOnDecline);
            store.Set(PbocFlags.IssuerAuthenticationNotPerformed, !session.IssuerAuthenticationPerformed);
        }
        else
        {
            store.Set(PbocFlags.IssuerAuthenticationNotPerformed, !session.IssuerAuthenticationPerformed);
        }
    }

    private static byte[] BuildGenerateAcResponse(CommandContext context, AlgorithmSuite suite, PbocSession session, bool first, byte[] cdolData, Dictionary<uint, byte[]> values, byte cid, ushort atc, byte[] ac, byte[] iad, bool cdaWanted)
    {
        var aip = context.Store.Get(PbocCells.Aip) ?? [0, 0];
        using var key = cdaWanted && cid != 0x00 && (aip[0] & AipCda) != 0 ? PbocKeys.LoadIccKey(context.Store, suite) : null;
        using var writer = new TlvWriter(256);
        if (key is null)
        {
            // Format 1 (contract P5): 80 { CID ‖ ATC ‖ AC ‖ IAD }.
            writer.WritePrimitive(new Tag(0x80), [cid, .. U16(atc), .. ac, .. iad]);
            return writer.ToArray();
        }

        using var objects = new TlvWriter(64);
        objects.WritePrimitive(new Tag(0x9F27), [cid]);
        objects.WritePrimitive(new Tag(0x9F36), U16(atc));
        objects.WritePrimitive(new Tag(0x9F26), ac);
        objects.WritePrimitive(new Tag(0x9F10), iad);

        // Contract P6: the hash over PDOL data ‖ CDOL1 data ‖ (CDOL2 data) ‖ the response's other objects, signed with 9F37.
        var hash = CdaTransactionData.ComputeHash(key.TransactionDataHash, session.PdolData, session.Cdol1Data, first ? [] : cdolData, objects.WrittenSpan);
        var iccDynamicNumber = new byte[ChallengeLength];
        context.Random.Fill(iccDynamicNumber);
        var dynamicData = new CdaIccDynamicData(iccDynamicNumber, cid, ac, hash).Encode();
        var signature = key.SignDynamicData(dynamicData, values[0x9F37]);
        using (writer.PushConstructed(new Tag(0x77)))
        {
            writer.WriteEncoded(objects.WrittenSpan);
            writer.WritePrimitive(new Tag(0x9F4B), signature);
        }

        return writer.ToArray();
    }

    /// <summary>
    /// The transaction log record (contract P11, choice P38): the 9F4F data of this transaction, appended to the cyclic log file
    /// (record 1 = newest). Values come from the card (9F36 ATC, 9F27 CID, 82 AIP), then this GENERATE AC's CDOL data,
    /// the first one's, and the PDOL data; anything else is zeros (EMV Book 3 §5.4).
    /// </summary>
    private static void WriteLog(CommandContext context, PbocSession session, byte[] cdolData, bool first, byte cid, ushort atc)
    {
        if (context.Store.Get(PbocCells.LogEntry) is not [byte sfi, _]
            || !Dol.TryParse(context.Store.Get(PbocCells.LogFormat) ?? [], out var format)
            || context.Files.FindBySfi(context.Files.Root, sfi) is not { } logFile)
        {
            return;
        }

        var known = new Dictionary<uint, byte[]>();
        void Merge(Dol? dol, byte[] data)
        {
            if (dol is not null && dol.TrySplit(data, out var elements))
            {
                foreach (var element in elements)
                {
                    known[element.Tag.Value] = element.Value.ToArray();
                }
            }
        }

        Merge(Dol.TryParse(context.Store.Get(PbocCells.Pdol) ?? [], out var pdol) ? pdol : null, session.PdolData);
        Merge(Dol.TryParse(context.Store.Get(PbocCells.Cdol1) ?? [], out var cdol1) ? cdol1 : null, session.Cdol1Data);
        if (!first)
        {
            Merge(Dol.TryParse(context.Store.Get(PbocCells.Cdol2) ?? [], out var cdol2) ? cdol2 : null, cdolData);
        }

        known[0x9F36] = U16(atc);
        known[0x9F27] = [cid];
        known[0x82] = context.Store.Get(PbocCells.Aip) ?? [0, 0];
        var record = format.Build((Tag tag, out ReadOnlySpan<byte> value) =>
        {
            bool found = known.TryGetValue(tag.Value, out var bytes);
            value = bytes;
            return found;
        });
        context.Files.AppendRecord(logFile, record);
    }

    private static byte[] DefaultIadFixedPart => [0x07, 0x01, 0x01];
}
