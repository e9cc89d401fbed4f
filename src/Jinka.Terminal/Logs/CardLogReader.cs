using System.Buffers.Binary;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;

namespace Jinka.Terminal.Logs;

/// <summary>One record of the EC load log (choice Q29): the PUT DATA P1P2 that loaded, the balance before and after, and DF4F's data.</summary>
/// <param name="Tag">The data object the issuer set (9F79 for the EC balance).</param>
/// <param name="Before">The balance before, minor units.</param>
/// <param name="After">The balance after, minor units.</param>
/// <param name="Elements">The record's DF4F elements (date, time, country, merchant, ATC for Jinka cards, Q37).</param>
public sealed record LoadLogRecord(ushort Tag, long Before, long After, IReadOnlyList<TlvElement> Elements);

/// <summary>The logs of one application, newest first.</summary>
/// <param name="TransactionFormat">9F4F, or null when the card keeps no transaction log.</param>
/// <param name="Transactions">The transaction log records, split by 9F4F.</param>
/// <param name="LoadFormat">DF4F, or null when the card keeps no load log.</param>
/// <param name="Loads">The load log records.</param>
/// <param name="Problems">What could not be read, in words (a record of the wrong length, a format that does not parse …).</param>
public sealed record CardLogs(Dol? TransactionFormat, IReadOnlyList<IReadOnlyList<TlvElement>> Transactions, Dol? LoadFormat, IReadOnlyList<LoadLogRecord> Loads, IReadOnlyList<string> Problems);

/// <summary>
/// Reads the transaction log (9F4D SFI ‖ records from the FCI, format by GET DATA 9F4F; EMV Book 3 Annex D, JR/T 0025
/// P11) and the EC load log (GET DATA DF4D and DF4F; NOTES A.9, choice Q29) of the application the card has selected.
/// Reading changes nothing on the card. Card trouble is reported in <see cref="CardLogs.Problems"/>, never thrown,
/// except a transport failure.
/// </summary>
public static class CardLogReader
{
    private const int LoadPrefixLength = 2 + 6 + 6;

    /// <param name="card">The card with the application selected.</param>
    /// <param name="fci">The SELECT response (its BF0C names the transaction log); empty to ask by GET DATA 9F4D.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async ValueTask<CardLogs> ReadAsync(IApduTransport card, ReadOnlyMemory<byte> fci, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(card);
        var problems = new List<string>();
        byte[]? entry = FindInFci(fci, 0x9F4D) ?? await GetDataAsync(card, 0x9F4D, cancellationToken).ConfigureAwait(false);
        var transactionFormat = entry is null ? null : await FormatAsync(card, 0x9F4F, problems, cancellationToken).ConfigureAwait(false);
        var transactions = new List<IReadOnlyList<TlvElement>>();
        if (entry is not null && transactionFormat is not null)
        {
            await foreach (var data in RecordsAsync(card, entry, transactionFormat.DataLength, "transaction log", problems, cancellationToken).ConfigureAwait(false))
            {
                transactions.Add(transactionFormat.Split(data));
            }
        }

        byte[]? loadEntry = await GetDataAsync(card, 0xDF4D, cancellationToken).ConfigureAwait(false);
        var loadFormat = loadEntry is null ? null : await FormatAsync(card, 0xDF4F, problems, cancellationToken).ConfigureAwait(false);
        var loads = new List<LoadLogRecord>();
        if (loadEntry is not null && loadFormat is not null)
        {
            await foreach (var data in RecordsAsync(card, loadEntry, LoadPrefixLength + loadFormat.DataLength, "load log", problems, cancellationToken).ConfigureAwait(false))
            {
                if (!Bcd.TryToNumber(data.AsSpan(2, 6), out long before) || !Bcd.TryToNumber(data.AsSpan(8, 6), out long after))
                {
                    problems.Add($"load log record {Hex.Encode(data)}: the balances are not BCD");
                    continue;
                }

                loads.Add(new LoadLogRecord(BinaryPrimitives.ReadUInt16BigEndian(data), before, after, loadFormat.Split(data.AsSpan(LoadPrefixLength))));
            }
        }

        return new CardLogs(transactionFormat, transactions, loadFormat, loads, problems);
    }

    private static byte[]? FindInFci(ReadOnlyMemory<byte> fci, uint tag) =>
        !fci.IsEmpty && TlvNode.TryParse(fci, out var nodes, out _) && nodes.Count > 0 && nodes[0].Find(new Tag(tag)) is { } node ? node.Value.ToArray() : null;

    private static async ValueTask<byte[]?> GetDataAsync(IApduTransport card, ushort tag, CancellationToken cancellationToken)
    {
        var response = await card.TransmitAsync(ApduCommands.GetData(tag), cancellationToken).ConfigureAwait(false);
        return response.StatusWord.IsSuccess && TlvNode.TryParse(response.Data, out var nodes, out _) && nodes is [{ } node] && node.Tag.Value == tag
            ? node.Value.ToArray()
            : null;
    }

    private static async ValueTask<Dol?> FormatAsync(IApduTransport card, ushort tag, List<string> problems, CancellationToken cancellationToken)
    {
        var value = await GetDataAsync(card, tag, cancellationToken).ConfigureAwait(false);
        if (value is null || !Dol.TryParse(value, out var format))
        {
            problems.Add(value is null ? $"the card names a log but GET DATA {tag:X4} gives no format" : $"the log format {tag:X4} = {Hex.Encode(value)} is not a DOL");
            return null;
        }

        return format;
    }

    /// <summary>Records 1, 2 … of the log file (record 1 is the newest in a cyclic file) until the card answers 6A83 or the count is reached.</summary>
    private static async IAsyncEnumerable<byte[]> RecordsAsync(IApduTransport card, byte[] entry, int length, string name, List<string> problems, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (entry is not [byte sfi, byte count] || sfi is < 1 or > 30)
        {
            problems.Add($"the {name} entry {Hex.Encode(entry)} is not SFI ‖ record count");
            yield break;
        }

        for (int record = 1; record <= count; record++)
        {
            var read = await card.TransmitAsync(ApduCommands.ReadRecord(record, sfi), cancellationToken).ConfigureAwait(false);
            if (!read.StatusWord.IsSuccess)
            {
                if (read.StatusWord != StatusWord.RecordNotFound)
                {
                    problems.Add($"READ RECORD {record} of the {name} (SFI {sfi}) answered {read.StatusWord}");
                }

                yield break;
            }

            if (read.Data.Length != length)
            {
                problems.Add($"{name} record {record} is {read.Data.Length} bytes; its format says {length}");
                continue;
            }

            yield return read.Data.ToArray();
        }
    }
}
