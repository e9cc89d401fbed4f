using System.Collections.Immutable;

namespace Jinka.Core.Apdu;

/// <summary>The describer's scratch pad for one command: the decoders fill it in, <see cref="Build"/> freezes it.</summary>
internal sealed class CommandParts
{
    private readonly List<ApduField> _dataParts = [];
    private readonly Func<uint, string?>? _tagNames;

    public CommandParts(CommandApdu command, Func<uint, string?>? tagNames)
    {
        Command = command;
        _tagNames = tagNames;
    }

    public CommandApdu Command { get; }

    public ReadOnlySpan<byte> Data => Command.Data.Span;

    public string Name { get; private set; } = "unknown command";

    public string Standard { get; private set; } = "";

    public bool IsKnown { get; private set; }

    public string P1 { get; set; } = "";

    public string P2 { get; set; } = "";

    public string DataMeaning { get; set; } = "";

    /// <summary>Show the data length only (PIN blocks).</summary>
    public bool HideData { get; set; }

    public string? LeMeaning { get; set; }

    public void Known(string name, string standard)
    {
        Name = name;
        Standard = standard;
        IsKnown = true;
    }

    public void Part(string name, ReadOnlySpan<byte> value, string meaning = "")
        => _dataParts.Add(new ApduField(name, Hex.Encode(value), meaning));

    /// <summary>Splits the data into consecutive named parts when its length is exactly the sum of <paramref name="layout"/>.</summary>
    public bool Split(params ReadOnlySpan<(string Name, int Length)> layout)
    {
        int total = 0;
        foreach (var (_, length) in layout)
        {
            total += length;
        }

        if (total != Data.Length)
        {
            return false;
        }

        int offset = 0;
        foreach (var (name, length) in layout)
        {
            Part(name, Data.Slice(offset, length), DescribePart(name, Data.Slice(offset, length)));
            offset += length;
        }

        return true;
    }

    /// <summary>"9F79 (EC balance)" using the caller's dictionary first, then the describer's small table.</summary>
    public string TagText(uint tag)
    {
        string hex = tag <= 0xFF ? $"{tag:X2}" : $"{tag:X4}";
        string? name = _tagNames?.Invoke(tag) ?? DescriberText.WellKnownTagName(tag);
        return name is null ? $"tag {hex}" : $"tag {hex} ({name})";
    }

    public ApduDescription Build()
    {
        var c = Command;
        var fields = ImmutableArray.CreateBuilder<ApduField>(8 + _dataParts.Count);
        fields.Add(new ApduField("CLA", $"{c.Cla:X2}", DescriberText.ClassMeaning(c.Cla)));
        fields.Add(new ApduField("INS", $"{c.Ins:X2}", IsKnown ? Name : DescriberText.UnknownInstruction(c.Ins)));
        fields.Add(new ApduField("P1", $"{c.P1:X2}", P1));
        fields.Add(new ApduField("P2", $"{c.P2:X2}", P2));
        if (c.Nc > 0)
        {
            string lc = c.IsExtended ? $"00{c.Nc:X4}" : $"{c.Nc:X2}";
            fields.Add(new ApduField("Lc", lc, c.Nc == 1 ? "1 byte" : $"{c.Nc} bytes"));
            string data = HideData ? $"({c.Nc} bytes, not shown)" : Hex.Encode(Data);
            fields.Add(new ApduField("Data", data, DataMeaning));
            fields.AddRange(_dataParts);
        }

        if (c.Ne > 0)
        {
            string le = (c.IsExtended, c.Nc) switch
            {
                (false, _) => $"{c.Ne & 0xFF:X2}",
                (true, 0) => $"00{c.Ne & 0xFFFF:X4}",
                (true, _) => $"{c.Ne & 0xFFFF:X4}",
            };
            string meaning = (c.IsExtended ? c.Ne == CommandApdu.MaxExtendedNe : c.Ne == CommandApdu.MaxShortNe)
                ? $"up to {c.Ne} bytes"
                : $"{c.Ne} byte{(c.Ne == 1 ? "" : "s")}";
            fields.Add(new ApduField("Le", le, LeMeaning is null ? meaning : $"{meaning}: {LeMeaning}"));
        }

        return new ApduDescription(Name, Standard, IsKnown, fields.ToImmutable());
    }

    private static string DescribePart(string name, ReadOnlySpan<byte> value) => name switch
    {
        "amount" or "balance" => DescriberText.Amount(value),
        "date" or "date and time" => DescriberText.BcdDateTime(value),
        "time" => DescriberText.BcdDateTime(value),
        "terminal transaction serial" or "ATC" or "online ATC" or "offline ATC" => DescriberText.Unsigned(value),
        _ => "",
    };
}
