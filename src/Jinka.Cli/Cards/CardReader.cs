using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Jinka.Terminal.Logs;

namespace Jinka.Cli.Cards;

/// <summary>What a terminal can read from a PBOC card without paying: its applications, their public records, counters and logs.</summary>
internal sealed record CardApplicationInfo(string Aid, string? Label, TlvDatabase Records, IReadOnlyDictionary<string, string> Counters, CardLogs Logs, string? Error);

/// <summary>
/// Reads a card the way a terminal's "card information" screen does (EMV Book 1 §12, Book 3 §10.2): SELECT the PSE and
/// read its directory, then for each application SELECT, GET PROCESSING OPTIONS (zeros for the PDOL), READ RECORD
/// along the AFL, GET DATA of the counters, the transaction log (9F4D, 9F4F) and the EC load log (DF4D, DF4F).
/// </summary>
internal static class CardReader
{
    private static readonly (ushort Tag, string Name)[] s_counters =
    [
        (0x9F36, "ATC"), (0x9F13, "last online ATC"), (0x9F17, "PIN tries left"), (0x9F79, "EC balance"),
    ];

    public static async Task<IReadOnlyList<CardApplicationInfo>> ReadAsync(IApduTransport card, CancellationToken ct)
    {
        var applications = new List<(byte[] Aid, string? Label)>();
        var pse = await card.TransmitAsync(ApduCommands.SelectByName(ApduCommands.Pse), ct).ConfigureAwait(false);
        if (pse.StatusWord.IsSuccess && TlvNode.TryParse(pse.Data, out var fci, out _) && fci.Count > 0 && fci[0].Find(new Tag(0x88)) is { } sfiNode)
        {
            int sfi = sfiNode.Value.Span[0];
            for (int record = 1; record <= 16; record++)
            {
                var response = await card.TransmitAsync(ApduCommands.ReadRecord(record, sfi), ct).ConfigureAwait(false);
                if (!response.StatusWord.IsSuccess || !TlvNode.TryParse(response.Data, out var entries, out _))
                {
                    break;
                }

                foreach (var entry in entries.SelectMany(e => e.Children).Where(c => c.Tag == new Tag(0x61)))
                {
                    if (entry.Find(new Tag(0x4F)) is { } aid)
                    {
                        applications.Add((aid.Value.ToArray(), entry.Find(new Tag(0x50)) is { } label ? System.Text.Encoding.ASCII.GetString(label.Value.Span) : null));
                    }
                }
            }
        }

        var result = new List<CardApplicationInfo>();
        foreach (var (aid, label) in applications)
        {
            result.Add(await ReadApplicationAsync(card, aid, label, ct).ConfigureAwait(false));
        }

        return result;
    }

    private static async Task<CardApplicationInfo> ReadApplicationAsync(IApduTransport card, byte[] aid, string? label, CancellationToken ct)
    {
        var records = new TlvDatabase();
        var counters = new Dictionary<string, string>(StringComparer.Ordinal);
        var select = await card.TransmitAsync(ApduCommands.SelectByName(aid), ct).ConfigureAwait(false);
        if (!select.StatusWord.IsSuccess)
        {
            return new(Hex.Encode(aid), label, records, counters, new CardLogs(null, [], null, [], []), $"SELECT answered {select.StatusWord}: {select.StatusWord.Meaning}");
        }

        records.Merge(select.Data.Span, new TlvMergeOptions(TlvDuplicatePolicy.Replace));

        // Counters first: GET PROCESSING OPTIONS below increments the ATC, and the card's own value is what is wanted.
        foreach (var (tag, name) in s_counters)
        {
            var data = await card.TransmitAsync(ApduCommands.GetData(tag), ct).ConfigureAwait(false);
            if (data.StatusWord.IsSuccess && TlvNode.TryParse(data.Data, out var nodes, out _) && nodes.Count > 0)
            {
                counters[name] = Hex.Encode(nodes[0].Value.Span);
            }
        }

        byte[] pdolData = records.TryGet(new Tag(0x9F38), out var pdol) ? new byte[Dol.Parse(pdol).DataLength] : [];
        var gpo = await card.TransmitAsync(ApduCommands.GetProcessingOptions(pdolData), ct).ConfigureAwait(false);
        if (gpo.StatusWord.IsSuccess)
        {
            var afl = GpoAfl(gpo.Data.Span);
            for (int i = 0; i + 4 <= afl.Length; i += 4)
            {
                for (int record = afl[i + 1]; record <= afl[i + 2]; record++)
                {
                    var read = await card.TransmitAsync(ApduCommands.ReadRecord(record, afl[i] >> 3), ct).ConfigureAwait(false);
                    if (read.StatusWord.IsSuccess)
                    {
                        records.Merge(read.Data.Span, new TlvMergeOptions(TlvDuplicatePolicy.Replace));
                    }
                }
            }
        }

        var logs = await CardLogReader.ReadAsync(card, select.Data, ct).ConfigureAwait(false);
        return new(Hex.Encode(aid), label, records, counters, logs, null);
    }

    private static byte[] GpoAfl(ReadOnlySpan<byte> response)
    {
        if (!TlvNode.TryParse(response.ToArray(), out var nodes, out _) || nodes.Count == 0)
        {
            return [];
        }

        var top = nodes[0];
        if (top.Tag == new Tag(0x80))
        {
            return top.Value.Length > 2 ? top.Value[2..].ToArray() : [];
        }

        return top.Find(new Tag(0x94))?.Value.ToArray() ?? [];
    }
}
