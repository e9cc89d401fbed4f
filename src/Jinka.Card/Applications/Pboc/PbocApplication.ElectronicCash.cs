using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.Pboc;

/// <summary>Electronic cash (NOTES A.9; ADDENDUM 2.2, 2.3; contract Q9–Q11): the load by script and the load log.</summary>
public sealed partial class PbocApplication
{
    /// <summary>A load-log record starts with the PUT DATA P1P2, the balance before and after (n12 each), then DF4F's data (choice Q29).</summary>
    internal const int LoadLogPrefixLength = 2 + EcBalanceLength + EcBalanceLength;

    private static readonly Tag s_ecBalanceLimit = new(0x9F77);
    private static readonly Tag s_loadLogEntry = new(0xDF4D);
    private static readonly Tag s_loadLogFormat = new(0xDF4F);

    /// <summary>
    /// Personalisation check of the load log (DF4D = SFI ‖ records, DF4F a DOL, both in 0D01/0E01): absent is fine, half
    /// present or an SFI already in use is 6A80. Writes nothing.
    /// </summary>
    private static StatusWord CheckLoadLog(ApplicationContext context, byte[]? transactionLogEntry, out byte[]? entry, out Dol? format)
    {
        var store = context.Store;
        entry = store.Get(PbocCells.Data(s_loadLogEntry));
        format = null;
        var encodedFormat = store.Get(PbocCells.Data(s_loadLogFormat));
        if (entry is null && encodedFormat is null)
        {
            return StatusWord.Success;
        }

        if (entry is not [byte sfi, byte count] || sfi is < 1 or > 30 || count == 0
            || encodedFormat is null || !Dol.TryParse(encodedFormat, out format) || LoadLogPrefixLength + format.DataLength > FileDescriptor.MaxRecordSize
            || context.Files.FindBySfi(context.Files.Root, sfi) is not null || transactionLogEntry is [byte logSfi, _] && logSfi == sfi)
        {
            return StatusWord.IncorrectData;
        }

        return StatusWord.Success;
    }

    /// <summary>An EC load: CDOL1's 9C is 60 (designated account), 62 (non-designated account) or 63 (cash) on a card with 9F79.</summary>
    private static bool IsEcLoad(PbocStore store, Dictionary<uint, byte[]> cdolValues) =>
        store.Data(s_ecBalance) is not null && cdolValues.TryGetValue(0x9C, out var type) && type is [0x60 or 0x62 or 0x63];

    private static ulong? CurrentEcBalance(PbocStore store) =>
        store.Data(s_ecBalance) is { } ec && Bcd.TryToNumber(ec, out long balance) ? (ulong)balance : null;

    private static void CreateLoadLog(ApplicationContext context, byte[] entry, Dol format)
        => context.Files.CreateEf(context.Files.Root, FileDescriptor.Records(FileStructure.Cyclic, null, entry[0], LoadLogPrefixLength + format.DataLength, entry[1], AccessCondition.Always, AccessCondition.Never));

    /// <summary>
    /// PUT DATA 9F79 (Q11): a new balance above 9F77 is refused (6A80); otherwise it is set and a load-log record written,
    /// in the same commit.
    /// </summary>
    private static ResponseApdu LoadElectronicCash(CommandContext context, byte[] current, ReadOnlySpan<byte> value)
    {
        // Q36: the balance moves only in the load transaction the card itself approved (9C 60/62/63, TC at the 2nd GAC).
        if (!context.Volatile<PbocSession>().EcLoadAuthorised)
        {
            return ScriptFailure(context, StatusWord.ConditionsOfUseNotSatisfied);
        }

        var store = new PbocStore(context.Store);
        if (!Bcd.TryToNumber(value, out long newBalance) || (ulong)newBalance > store.DataAmount(s_ecBalanceLimit, 0))
        {
            return ScriptFailure(context, StatusWord.IncorrectData);
        }

        context.Store.Set(PbocCells.Data(s_ecBalance), value);
        AppendLoadLog(context, current, value.ToArray());
        return Responses.Ok();
    }

    private static void AppendLoadLog(CommandContext context, byte[] before, byte[] after)
    {
        var store = context.Store;
        if (store.Get(PbocCells.Data(s_loadLogEntry)) is not [byte sfi, _]
            || !Dol.TryParse(store.Get(PbocCells.Data(s_loadLogFormat)) ?? [], out var format)
            || context.Files.FindBySfi(context.Files.Root, sfi) is not { } file)
        {
            return;
        }

        var session = context.Volatile<PbocSession>();
        var known = KnownTransactionData(store, session);
        known[0x9F36] = U16(new PbocStore(store).Atc);
        var data = format.Build((Tag tag, out ReadOnlySpan<byte> value) =>
        {
            bool found = known.TryGetValue(tag.Value, out var bytes);
            value = bytes;
            return found;
        });
        byte[] record = [context.Command.P1, context.Command.P2, .. before, .. after, .. data];
        context.Files.AppendRecord(file, record);
    }

    /// <summary>The values the terminal sent in this transaction: PDOL data, then CDOL1 data.</summary>
    private static Dictionary<uint, byte[]> KnownTransactionData(PersistentStore store, PbocSession session)
    {
        var known = new Dictionary<uint, byte[]>();
        void Merge(string cell, byte[] data)
        {
            if (Dol.TryParse(store.Get(cell) ?? [], out var dol) && dol.TrySplit(data, out var elements))
            {
                foreach (var element in elements)
                {
                    known[element.Tag.Value] = element.Value.ToArray();
                }
            }
        }

        Merge(PbocCells.Pdol, session.PdolData);
        Merge(PbocCells.Cdol1, session.Cdol1Data);
        return known;
    }
}
