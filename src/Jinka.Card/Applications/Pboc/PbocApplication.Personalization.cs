using Jinka.Core;
using System.Diagnostics.CodeAnalysis;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core.Apdu;
using Jinka.Core.Dictionary;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Card.Applications.Pboc;

/// <summary>Personalisation through DGIs (contract D1–D10).</summary>
public sealed partial class PbocApplication
{
    /// <summary>Record size and count of the AEFs that record DGIs create (linear variable, SFI only).</summary>
    private const int RecordFileSize = FileDescriptor.MaxRecordSize;
    private const int RecordFileCount = FileDescriptor.MaxRecordCount;

    /// <summary>DGIs this card accepts and keeps for the contactless and EC interfaces of later issues (choice P33).</summary>
    private static readonly HashSet<ushort> s_keptForLater = [0x9203, 0x9206];

    /// <summary>
    /// Stores one plain DGI (contract D1–D10). Answers 6985 once personalised, 6A80 for a DGI it does not know or whose
    /// value is malformed or contradicts what it already holds (a key of the other suite, a KCV that does not match).
    /// On a DGI of the last block the data must be complete (keys and KCVs, 9104, 9102, the AFL's records with CDOL1
    /// and CDOL2, the ICC key when the AIP offers DDA or CDA, the log format when a log entry is given): then the
    /// counters are seeded and the life cycle becomes PERSONALIZED; else 6A88 (missing) or 6A80 (inconsistent) and the
    /// application stays unpersonalised (choice P34). Pass <paramref name="isLastBlock"/> with the final DGI only.
    /// </summary>
    public StatusWord StoreDgi(ApplicationContext context, ushort dgi, ReadOnlySpan<byte> value, bool isLastBlock)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsPersonalized(context.LifeCycle))
        {
            return StatusWord.ConditionsOfUseNotSatisfied;
        }

        var status = StoreOne(context, dgi, value);
        return status == StatusWord.Success && isLastBlock ? Complete(context) : status;
    }

    private static StatusWord StoreOne(ApplicationContext context, ushort dgi, ReadOnlySpan<byte> value)
    {
        var store = context.Store;
        switch (dgi)
        {
            case 0x9102 or 0x9103:
                return StoreFci(context, value, contactless: dgi == 0x9103);
            case 0x9207:
                return StoreQpbocGpoData(store, value);
            case 0x9104:
                return StoreGpoData(store, value);
            case 0x9200:
                return StoreGenerateAcConstants(store, value);
            case 0x0D01 or 0x0E01:
                return StoreInternalData(store, value);
            case 0x8000 or 0x8030:
                return StoreKeys(store, dgi == 0x8000 ? AlgorithmSuite.International : AlgorithmSuite.Sm, value, PbocCells.Keys);
            case 0x9000 or 0x9030:
                return StoreKeys(store, dgi == 0x9000 ? AlgorithmSuite.International : AlgorithmSuite.Sm, value, PbocCells.KeyCheckValues);
            case >= 0x8201 and <= 0x8207:
                if (value.IsEmpty || !ClaimSuite(store, AlgorithmSuite.International))
                {
                    return StatusWord.IncorrectData;
                }

                store.Set(PbocCells.RsaPrefix + PbocKeys.RsaParts[dgi - 0x8201], value);
                return StatusWord.Success;
            case 0x8100:
                return StoreSm2Key(store, value);
            case 0x8010:
                if (!PinBlock.IsValid(value))
                {
                    return StatusWord.IncorrectData;
                }

                store.Set(PbocCells.PinBlock, value);
                return StatusWord.Success;
            case 0x9010:
                // Try limit ‖ try counter (contract D10), each 1–15 as 63Cx can say.
                if (value.Length != 2 || value[0] is < 1 or > 15 || value[1] > value[0])
                {
                    return StatusWord.IncorrectData;
                }

                store.SetUInt(PbocCells.PinLimit, value[0], 1);
                store.SetUInt(PbocCells.PinTries, value[1], 1);
                return StatusWord.Success;
            default:
                if (s_keptForLater.Contains(dgi))
                {
                    store.Set(PbocCells.OtherDgiPrefix + dgi.ToString("X4", System.Globalization.CultureInfo.InvariantCulture), value);
                    return StatusWord.Success;
                }

                return StoreRecord(context, dgi >> 8, dgi & 0xFF, value);
        }
    }

    /// <summary>D1: SSRR = SFI ‖ record; the value is the whole 70 template. The SFI's file is made on first use.</summary>
    private static StatusWord StoreRecord(ApplicationContext context, int sfi, int number, ReadOnlySpan<byte> value)
    {
        if (sfi is < 1 or > 30 || number is < 1 or > RecordFileCount || value.Length > RecordFileSize || !TryReadRecordTemplate(value, out _))
        {
            return StatusWord.IncorrectData;
        }

        var files = context.Files;
        var file = files.FindBySfi(files.Root, sfi)
            ?? files.CreateEf(files.Root, FileDescriptor.Records(FileStructure.LinearVariable, null, sfi, RecordFileSize, RecordFileCount, AccessCondition.Always, AccessCondition.SecureMessaging));
        if (file.Descriptor.Structure != FileStructure.LinearVariable)
        {
            return StatusWord.IncorrectData;
        }

        files.WriteRecord(file, number, value);
        return StatusWord.Success;
    }

    /// <summary>
    /// D2: the contents of A5; the PDOL (9F38) is kept apart for GPO. A contactless FCI (9103, contract Q2) wins over the
    /// contact one whatever their order: its PDOL is the union of both, so one FCI serves both paths (choice Q24).
    /// </summary>
    private static StatusWord StoreFci(ApplicationContext context, ReadOnlySpan<byte> value, bool contactless)
    {
        if (!TlvNode.TryParse(value.ToArray(), out var nodes, out _))
        {
            return StatusWord.IncorrectData;
        }

        byte[] pdol = [];
        if (nodes.FirstOrDefault(n => n.Tag == new Tag(0x9F38)) is { } pdolNode)
        {
            pdol = pdolNode.Value.ToArray();
            if (!Dol.TryParse(pdol, out var parsed) || parsed.DataLength > 252
                || parsed.Entries.Any(e => e.Tag == s_smSupportIndicator && e.Length != 1))
            {
                return StatusWord.IncorrectData;
            }
        }

        if (!contactless && context.Store.Contains(PbocCells.ContactlessFci))
        {
            return StatusWord.Success;
        }

        if (contactless)
        {
            context.Store.Set(PbocCells.ContactlessFci, [0x01]);
        }

        context.Files.SetFci(context.Files.Root, Fci.Build(context.Aid!, value));
        context.Store.Set(PbocCells.Pdol, pdol);
        return StatusWord.Success;
    }

    /// <summary>D3: 82 AIP ‖ 94 AFL; each AFL entry is SFI&lt;&lt;3 ‖ first ‖ last ‖ records for ODA (EMV Book 3 §10.2).</summary>
    private static StatusWord StoreGpoData(PersistentStore store, ReadOnlySpan<byte> value)
    {
        if (!TlvNode.TryParse(value.ToArray(), out var nodes, out _)
            || nodes.FirstOrDefault(n => n.Tag == new Tag(0x82)) is not { Value.Length: 2 } aip
            || nodes.FirstOrDefault(n => n.Tag == new Tag(0x94)) is not { } afl
            || afl.Value.Length == 0 || afl.Value.Length % 4 != 0 || afl.Value.Length > 248)
        {
            return StatusWord.IncorrectData;
        }

        var entries = afl.Value.Span;
        if (!AreValidAflEntries(entries))
        {
            return StatusWord.IncorrectData;
        }

        store.Set(PbocCells.Aip, aip.Value.Span);
        store.Set(PbocCells.Afl, entries);
        return StatusWord.Success;
    }

    /// <summary>Each 4-byte AFL entry: SFI 1–30 in b8–b4 (b3–b1 zero), first record ≥ 1, last ≥ first, ODA count ≤ the records.</summary>
    private static bool AreValidAflEntries(ReadOnlySpan<byte> entries)
    {
        for (int i = 0; i < entries.Length; i += 4)
        {
            if ((entries[i] & 0x07) != 0 || entries[i] >> 3 is < 1 or > 30 || entries[i + 1] == 0 || entries[i + 2] < entries[i + 1]
                || entries[i + 3] > entries[i + 2] - entries[i + 1] + 1)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>D4: 9F10 = 07 ‖ DKI ‖ CVN 01 (3 bytes; an 8-byte template is cut to them). The card fills the rest (P1).</summary>
    private static StatusWord StoreGenerateAcConstants(PersistentStore store, ReadOnlySpan<byte> value)
    {
        if (!TlvNode.TryParse(value.ToArray(), out var nodes, out _)
            || nodes.FirstOrDefault(n => n.Tag == new Tag(0x9F10)) is not { Value.Length: 3 or 8 } iad
            || iad.Value.Span[0] != 0x07 || iad.Value.Span[2] != 0x01)
        {
            return StatusWord.IncorrectData;
        }

        store.Set(PbocCells.IadFixedPart, iad.Value.Span[..3]);
        return StatusWord.Success;
    }

    /// <summary>D5: primitive data objects, each as long as the dictionary allows and, when numeric, valid digits. 9F17 comes from 9010.</summary>
    private static StatusWord StoreInternalData(PersistentStore store, ReadOnlySpan<byte> value)
    {
        if (!TlvNode.TryParse(value.ToArray(), out var nodes, out _))
        {
            return StatusWord.IncorrectData;
        }

        foreach (var node in nodes)
        {
            var bytes = node.Value.Span;
            bool known = EmvDictionary.TryGet(node.Tag, out var element);
            if (node.IsConstructed || node.Tag == new Tag(0x9F17)
                || (known && (bytes.Length < element!.MinLength || bytes.Length > element.MaxLength))
                || (PbocDataObjects.IsNumeric(node.Tag) && !Bcd.IsValid(bytes)))
            {
                return StatusWord.IncorrectData;
            }
        }

        foreach (var node in nodes)
        {
            store.Set(PbocCells.Data(node.Tag), node.Value.Span);
        }

        return StatusWord.Success;
    }

    /// <summary>D6/D7: the three UDKs (48 bytes) or their KCVs (9 bytes), each checked against the other when both are in.</summary>
    private static StatusWord StoreKeys(PersistentStore store, AlgorithmSuite suite, ReadOnlySpan<byte> value, string cell)
    {
        bool keys = cell == PbocCells.Keys;
        if (value.Length != (keys ? 3 * PbocKeys.UdkLength : 9) || !ClaimSuite(store, suite))
        {
            return StatusWord.IncorrectData;
        }

        var udks = keys ? value.ToArray() : store.Get(PbocCells.Keys);
        var kcvs = keys ? store.Get(PbocCells.KeyCheckValues) : value.ToArray();
        if (udks is not null && kcvs is not null)
        {
            for (int i = 0; i < 3; i++)
            {
                if (!suite.KeyCheckValue(udks.AsSpan(i * PbocKeys.UdkLength, PbocKeys.UdkLength)).AsSpan().SequenceEqual(kcvs.AsSpan(i * 3, 3)))
                {
                    return StatusWord.IncorrectData;
                }
            }
        }

        store.Set(cell, value);
        return StatusWord.Success;
    }

    /// <summary>D9: the SM2 private key d, checked to lie on [1, n − 2].</summary>
    private static StatusWord StoreSm2Key(PersistentStore store, ReadOnlySpan<byte> value)
    {
        if (value.Length != Sm2PrivateKey.Length || !ClaimSuite(store, AlgorithmSuite.Sm))
        {
            return StatusWord.IncorrectData;
        }

        try
        {
            using var key = new Sm2PrivateKey(value);
        }
        catch (ArgumentException)
        {
            return StatusWord.IncorrectData;
        }

        store.Set(PbocCells.Sm2Key, value);
        return StatusWord.Success;
    }

    /// <summary>The first key DGI decides the suite; a key DGI of the other suite is refused (mixing suites).</summary>
    private static bool ClaimSuite(PersistentStore store, AlgorithmSuite suite)
    {
        var chosen = PbocKeys.Suite(store);
        if (chosen is null)
        {
            store.SetUInt(PbocCells.Suite, suite.AlgorithmIdentifier, 1);
            return true;
        }

        return chosen == suite;
    }

    /// <summary>A record as personalised and as READ RECORD returns it: one 70 template, nothing after it; its data objects by tag.</summary>
    internal static bool TryReadRecordTemplate(ReadOnlySpan<byte> record, [NotNullWhen(true)] out Dictionary<uint, byte[]>? objects)
    {
        objects = null;
        if (record.IsEmpty || record[0] != 0x70
            || !TlvDecoder.TryReadElement(record, out _, out int header, out int length, out _) || header + length != record.Length
            || !TlvNode.TryParse(record[header..].ToArray(), out var nodes, out _))
        {
            return false;
        }

        objects = [];
        foreach (var node in nodes)
        {
            objects.TryAdd(node.Tag.Value, node.Value.ToArray());
        }

        return true;
    }

    /// <summary>A CDOL this card can serve (contract P3, P4): the AC input tags at their lengths, 8A in CDOL2, at most 255 bytes.</summary>
    internal static bool IsUsableCdol(ReadOnlySpan<byte> encoded, bool second)
    {
        if (!Dol.TryParse(encoded, out var dol) || dol.DataLength > CommandApdu.MaxShortNc)
        {
            return false;
        }

        bool Has(uint tag, int length) => dol.Entries.FirstOrDefault(e => e.Tag.Value == tag) is { } entry && entry.Tag.Value == tag && entry.Length == length;
        return AcInputFromCdol.All(t => Has(t.Tag, t.Length)) && (!second || Has(0x8A, 2));
    }
}
