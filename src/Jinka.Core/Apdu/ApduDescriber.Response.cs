using System.Collections.Immutable;

namespace Jinka.Core.Apdu;

/// <summary>Responses: the status word's meaning and, given the command, the parts of fixed-layout answers.</summary>
public static partial class ApduDescriber
{
    /// <summary>Describes a response: its name is the status word's meaning.</summary>
    /// <param name="response">The response.</param>
    /// <param name="command">The command it answers, if known: fixed-layout answers (purse, GP INITIALIZE UPDATE, EMV format 1) are then split into parts.</param>
    public static ApduDescription DescribeResponse(ResponseApdu response, CommandApdu? command = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var sw = response.StatusWord;
        var fields = ImmutableArray.CreateBuilder<ApduField>();
        var data = response.Data.Span;
        if (!data.IsEmpty)
        {
            fields.Add(new ApduField("Data", Hex.Encode(data), data.Length == 1 ? "1 byte" : $"{data.Length} bytes"));
            if (command is not null && sw.IsSuccess)
            {
                AddResponseParts(fields, command, data);
            }
        }

        fields.Add(new ApduField("SW", sw.ToString(), sw.Meaning));
        return new ApduDescription(sw.Meaning, "", true, fields.ToImmutable());
    }

    private static void AddResponseParts(ImmutableArray<ApduField>.Builder fields, CommandApdu command, ReadOnlySpan<byte> data)
    {
        (string Name, int Length)[]? layout = (command.IsProprietaryClass, command.Ins, command.P1, data.Length) switch
        {
            (true, 0x5C, _, 4) => [("balance", 4)],
            (true, 0x50, 0x00, 16) => [("old balance", 4), ("online ATC", 2), ("key version", 1), ("algorithm ID", 1), ("card random", 4), ("MAC1", 4)],
            (true, 0x50, 0x01 or 0x03, 15) => [("balance", 4), ("offline ATC", 2), ("overdraft limit", 3), ("key version", 1), ("algorithm ID", 1), ("card random", 4)],
            (true, 0x50, _, 28) => [("key diversification data", 10), ("key version number", 1), ("secure channel protocol", 1), ("sequence counter", 2), ("card challenge", 6), ("card cryptogram", 8)],
            (true, 0x52, _, 4) => [("TAC", 4)],
            (true, 0x54, _, 8) => [("TAC", 4), ("MAC2", 4)],
            (true, 0x5A, _, 8) => [("MAC2", 4), ("TAC", 4)],
            (true, 0x70, _, 8) => [("terminal transaction serial", 4), ("MAC1", 4)],
            (_, 0x84, _, _) => [("random", data.Length)],
            _ => null,
        };

        if (layout is not null)
        {
            int offset = 0;
            foreach (var (name, length) in layout)
            {
                var value = data.Slice(offset, length);
                string meaning = name switch
                {
                    "balance" or "old balance" => DescriberText.Amount(value),
                    "online ATC" or "offline ATC" or "terminal transaction serial" => DescriberText.Unsigned(value),
                    _ => "",
                };
                fields.Add(new ApduField(name, Hex.Encode(value), meaning));
                offset += length;
            }

            return;
        }

        // EMV Book 3 §6.5.5.4 / §6.5.8.4: response format 1 (template 80) of GENERATE AC and GPO.
        if (command.Ins is 0xAE or 0xA8 && data.Length >= 2 && data[0] == 0x80 && data[1] < 0x80 && data[1] + 2 == data.Length)
        {
            var value = data[2..];
            if (command.Ins == 0xAE && value.Length >= 11)
            {
                fields.Add(new ApduField("CID", Hex.Encode(value[..1]), CryptogramInformation(value[0])));
                fields.Add(new ApduField("ATC", Hex.Encode(value.Slice(1, 2)), DescriberText.Unsigned(value.Slice(1, 2))));
                fields.Add(new ApduField("AC", Hex.Encode(value.Slice(3, 8)), ""));
                if (value.Length > 11)
                {
                    fields.Add(new ApduField("IAD", Hex.Encode(value[11..]), "issuer application data"));
                }
            }
            else if (command.Ins == 0xA8 && value.Length >= 2 && (value.Length - 2) % 4 == 0)
            {
                fields.Add(new ApduField("AIP", Hex.Encode(value[..2]), "application interchange profile"));
                fields.Add(new ApduField("AFL", Hex.Encode(value[2..]), $"{(value.Length - 2) / 4} entries"));
            }
        }
    }

    /// <summary>CID (9F27, EMV Book 3 §6.5.5.4): b8–b7 cryptogram type.</summary>
    private static string CryptogramInformation(byte cid) => (cid & 0xC0) switch
    {
        0x00 => "AAC",
        0x40 => "TC",
        0x80 => "ARQC",
        _ => "RFU",
    };
}
