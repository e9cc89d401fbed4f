using Jinka.Card;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;

namespace Jinka.EndToEnd.Tests;

/// <summary>The card's persistent state as a test tool reads it after a transaction: through APDUs, in a new power cycle.</summary>
/// <param name="SelectStatus">What SELECT of the application answered (9000, or 6283 when blocked).</param>
/// <param name="Atc">GET DATA 9F36.</param>
/// <param name="LastOnlineAtc">GET DATA 9F13.</param>
/// <param name="PinTries">GET DATA 9F17, when the card has a PIN.</param>
/// <param name="Log">The transaction log (SFI of 9F4D), newest first, each record cut by 9F4F.</param>
internal sealed record CardState(StatusWord SelectStatus, ushort Atc, ushort LastOnlineAtc, int? PinTries, IReadOnlyList<LogRecord> Log);

/// <summary>One transaction log record (contract P11), by tag.</summary>
internal sealed record LogRecord(IReadOnlyDictionary<uint, byte[]> Values)
{
    public byte[] this[uint tag] => Values[tag];

    public long Amount => long.Parse(Convert.ToHexString(Values[0x9F02]), System.Globalization.CultureInfo.InvariantCulture);

    public ushort Atc => (ushort)((Values[0x9F36][0] << 8) | Values[0x9F36][1]);
}

/// <summary>Reads a card's state through APDUs (SELECT, GET DATA, READ RECORD), the way the kernel's peers would.</summary>
internal sealed class CardProbe(VirtualCard card, Aid aid)
{
    public async Task<CardState> ReadAsync()
    {
        await using var reader = new VirtualCardTransport(card);
        var select = await reader.TransmitAsync(ApduCommands.SelectByName(aid.Span));
        ushort atc = (ushort)(await GetDataAsync(reader, 0x9F36) is [byte hi, byte lo] ? (hi << 8) | lo : -1);
        ushort lastOnline = (ushort)(await GetDataAsync(reader, 0x9F13) is [byte hi2, byte lo2] ? (hi2 << 8) | lo2 : -1);
        int? tries = await GetDataAsync(reader, 0x9F17) is [byte counter] ? counter : null;
        var log = new List<LogRecord>();
        if (await GetDataAsync(reader, 0x9F4D) is [byte sfi, byte records] && await GetDataAsync(reader, 0x9F4F) is { } format)
        {
            var dol = Dol.Parse(format);
            for (int n = 1; n <= records; n++)
            {
                var response = await reader.TransmitAsync(ApduCommands.ReadRecord(n, sfi));
                if (!response.StatusWord.IsSuccess)
                {
                    break;
                }

                log.Add(new LogRecord(dol.Split(response.Data.Span).ToDictionary(e => e.Tag.Value, e => e.Value.ToArray())));
            }
        }

        return new CardState(select.StatusWord, atc, lastOnline, tries, log);
    }

    /// <summary>GET DATA of one tag in a new power cycle, or null when the card refuses.</summary>
    public async Task<byte[]?> GetDataAsync(ushort tag)
    {
        await using var reader = new VirtualCardTransport(card);
        await reader.TransmitAsync(ApduCommands.SelectByName(aid.Span));
        return await GetDataAsync(reader, tag);
    }

    private static async Task<byte[]?> GetDataAsync(VirtualCardTransport reader, ushort tag)
    {
        var response = await reader.TransmitAsync(ApduCommands.GetData(tag));
        return response.StatusWord.IsSuccess && TlvNode.TryParse(response.Data, out var nodes, out _) && nodes is [var node] && node.Tag.Value == tag
            ? node.Value.ToArray()
            : null;
    }
}
