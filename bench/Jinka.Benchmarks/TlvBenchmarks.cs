using BenchmarkDotNet.Attributes;
using Jinka.Core;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;

namespace Jinka.Benchmarks;

/// <summary>
/// Parsing a realistic READ RECORD response with <see cref="TlvReader"/> (must show 0 B allocated),
/// merging it into a <see cref="TlvDatabase"/>, and building CDOL1 data.
/// </summary>
[MemoryDiagnoser]
public class TlvBenchmarks
{
    private byte[] _record = [];
    private byte[] _cdol1Data = [];
    private Dol _cdol1 = Dol.Empty;
    private TlvDatabase _terminalData = new();

    [GlobalSetup]
    public void Setup()
    {
        // 70 81 xx { 57, 5F20, 5F24, 5F25, 5F28, 5F30, 5F34, 8C, 8D, 8E, 9F07, 9F08, 9F0D, 9F0E, 9F0F, 9F42, 9F4A, 8F, 90 }
        using var writer = new TlvWriter();
        using (writer.PushConstructed(new Tag(0x70)))
        {
            writer.WritePrimitive(new Tag(0x57), Hex.Parse("6225880000000001D241222000000000000000"));
            writer.WritePrimitive(new Tag(0x5F20), "ZHANG/SAN"u8);
            writer.WritePrimitive(new Tag(0x5F24), Hex.Parse("241231"));
            writer.WritePrimitive(new Tag(0x5F25), Hex.Parse("190101"));
            writer.WritePrimitive(new Tag(0x5F28), Hex.Parse("0156"));
            writer.WritePrimitive(new Tag(0x5F30), Hex.Parse("0220"));
            writer.WritePrimitive(new Tag(0x5F34), Hex.Parse("01"));
            writer.WritePrimitive(new Tag(0x8C), Hex.Parse("9F02069F03069F1A0295055F2A029A039F21039C019F37049F4E14"));
            writer.WritePrimitive(new Tag(0x8D), Hex.Parse("8A029F02069F03069F1A0295055F2A029A039F21039C019F3704"));
            writer.WritePrimitive(new Tag(0x8E), Hex.Parse("000000000000000042031E031F00"));
            writer.WritePrimitive(new Tag(0x9F07), Hex.Parse("FF00"));
            writer.WritePrimitive(new Tag(0x9F08), Hex.Parse("0030"));
            writer.WritePrimitive(new Tag(0x9F0D), Hex.Parse("D84000A800"));
            writer.WritePrimitive(new Tag(0x9F0E), Hex.Parse("0010000000"));
            writer.WritePrimitive(new Tag(0x9F0F), Hex.Parse("D84004F800"));
            writer.WritePrimitive(new Tag(0x9F42), Hex.Parse("0156"));
            writer.WritePrimitive(new Tag(0x9F4A), Hex.Parse("82"));
            writer.WritePrimitive(new Tag(0x8F), Hex.Parse("80"));
            writer.WritePrimitive(new Tag(0x90), new byte[64]);
        }

        _record = writer.ToArray();

        _cdol1 = Dol.Parse(Hex.Parse("9F02069F03069F1A0295055F2A029A039F21039C019F37049F4E14"));
        _cdol1Data = new byte[_cdol1.DataLength];
        _terminalData = new TlvDatabase();
        _terminalData.Set(new Tag(0x9F02), Hex.Parse("000000000100"));
        _terminalData.Set(new Tag(0x9F03), Hex.Parse("000000000000"));
        _terminalData.Set(new Tag(0x9F1A), Hex.Parse("0156"));
        _terminalData.Set(new Tag(0x95), Hex.Parse("0000000000"));
        _terminalData.Set(new Tag(0x5F2A), Hex.Parse("0156"));
        _terminalData.Set(new Tag(0x9A), Hex.Parse("240101"));
        _terminalData.Set(new Tag(0x9F21), Hex.Parse("120000"));
        _terminalData.Set(new Tag(0x9C), [0x00]);
        _terminalData.Set(new Tag(0x9F37), Hex.Parse("12345678"));
        _terminalData.Set(new Tag(0x9F4E), "JINKA SHOP"u8);
    }

    /// <summary>Walks the record and every element inside it; allocation-free.</summary>
    [Benchmark(Baseline = true)]
    public int ReadRecord()
    {
        int sum = 0;
        var reader = new TlvReader(_record);
        while (reader.Read())
        {
            var children = reader.ReadChildren();
            while (children.Read())
            {
                sum += children.ValueSpan.Length ^ (int)children.Tag.Value;
            }
        }

        return sum;
    }

    /// <summary>Merges the record's leaves into a fresh database (copies every value).</summary>
    [Benchmark]
    public int MergeRecord()
    {
        var db = new TlvDatabase();
        return db.Merge(_record).Merged.Count;
    }

    /// <summary>Builds CDOL1 data into a preallocated buffer.</summary>
    [Benchmark]
    public byte BuildCdol1()
    {
        _cdol1.Build(_terminalData, _cdol1Data);
        return _cdol1Data[0];
    }
}
