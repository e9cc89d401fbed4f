using Jinka.Core.Tlv;

namespace Jinka.Issuance.Preparation;

/// <summary>One application record as READ RECORD returns it: the template <c>70 L …</c> (D1).</summary>
public sealed record CardRecord(int Sfi, int Number, byte[] Template)
{
    /// <summary>The record's DGI: SFI ‖ record number (D1).</summary>
    public ushort Dgi => (ushort)((Sfi << 8) | Number);
}

/// <summary>One AFL entry (EMV Book 3 §10.2): SFI, first and last record, and how many records from the first are signed.</summary>
public sealed record AflEntry(int Sfi, int First, int Last, int OdaCount)
{
    public byte[] Encode() => [(byte)(Sfi << 3), (byte)First, (byte)Last, (byte)OdaCount];
}

/// <summary>
/// The application's files as records and the AFL that lists them: data objects are packed in order into records
/// of at most <see cref="MaxRecordLength"/> bytes, so that every record DGI fits one STORE DATA (D16); a file is
/// either wholly signed (its AFL ODA count equals its record count) or not signed at all.
/// </summary>
public sealed class RecordLayout
{
    /// <summary>Longest record template: its DGI (2 + 1 + 244 = 247 bytes) fits a short STORE DATA with an 8-byte C-MAC.</summary>
    public const int MaxRecordLength = 244;

    private readonly List<CardRecord> _records = [];
    private readonly List<AflEntry> _afl = [];

    public IReadOnlyList<CardRecord> Records => _records.AsReadOnly();

    public IReadOnlyList<AflEntry> Afl => _afl.AsReadOnly();

    /// <summary>The AFL (94): the entries in order.</summary>
    public byte[] EncodeAfl() => [.. _afl.SelectMany(e => e.Encode())];

    /// <summary>Adds file <paramref name="sfi"/> holding <paramref name="dataObjects"/> (each an encoded TLV) in as few records as they fit.</summary>
    /// <exception cref="ArgumentException">The SFI is taken or outside 1–30, there are no data objects, or one is too long for a record.</exception>
    public void AddFile(int sfi, IEnumerable<byte[]> dataObjects, bool signed)
    {
        ArgumentNullException.ThrowIfNull(dataObjects);
        if (sfi is < 1 or > 30 || _afl.Exists(e => e.Sfi == sfi))
        {
            throw new ArgumentException($"SFI {sfi} is outside 1–30 or already used", nameof(sfi));
        }

        var contents = new List<List<byte>>();
        foreach (var dataObject in dataObjects)
        {
            if (TemplateLength(dataObject.Length) > MaxRecordLength)
            {
                throw new ArgumentException($"a {dataObject.Length}-byte data object does not fit a {MaxRecordLength}-byte record", nameof(dataObjects));
            }

            if (contents.Count == 0 || TemplateLength(contents[^1].Count + dataObject.Length) > MaxRecordLength)
            {
                contents.Add([]);
            }

            contents[^1].AddRange(dataObject);
        }

        if (contents.Count == 0)
        {
            throw new ArgumentException("a file needs at least one data object", nameof(dataObjects));
        }

        for (int i = 0; i < contents.Count; i++)
        {
            using var writer = new TlvWriter(MaxRecordLength);
            writer.WriteConstructed(new Tag(0x70), [.. contents[i]]);
            _records.Add(new CardRecord(sfi, i + 1, writer.ToArray()));
        }

        _afl.Add(new AflEntry(sfi, 1, contents.Count, signed ? contents.Count : 0));
    }

    /// <summary>
    /// The static data to be authenticated, exactly as a terminal builds it (NOTES A.2; EMV Book 3 §10.3): for each AFL
    /// entry, its first ODA-count records — from SFI 1–10 only the value of the 70 template, from SFI 11–30 the whole
    /// record — then the AIP when the static data authentication tag list 9F4A names 82.
    /// </summary>
    /// <exception cref="InvalidOperationException">A signed record is missing, or a signed record of SFI 1–10 is not a 70 template.</exception>
    public static byte[] StaticData(IReadOnlyList<CardRecord> records, IEnumerable<AflEntry> afl, ReadOnlySpan<byte> aip)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(afl);
        var data = new List<byte>();
        foreach (var entry in afl)
        {
            for (int number = entry.First; number < entry.First + entry.OdaCount; number++)
            {
                var record = records.FirstOrDefault(r => r.Sfi == entry.Sfi && r.Number == number)
                    ?? throw new InvalidOperationException($"the AFL signs SFI {entry.Sfi} record {number}, which does not exist");
                if (entry.Sfi <= 10)
                {
                    var reader = new TlvReader(record.Template);
                    if (!reader.TryRead(out _) || reader.Tag != new Tag(0x70) || reader.BytesConsumed != record.Template.Length)
                    {
                        throw new InvalidOperationException($"signed record SFI {entry.Sfi} record {number} is not one 70 template");
                    }

                    data.AddRange(reader.ValueSpan);
                }
                else
                {
                    data.AddRange(record.Template);
                }
            }
        }

        data.AddRange(aip);
        return [.. data];
    }

    /// <summary>The static data of this layout's records.</summary>
    public byte[] StaticData(ReadOnlySpan<byte> aip) => StaticData(_records, _afl, aip);

    private static int TemplateLength(int contentLength) => 1 + TlvDecoder.LengthFieldSize(contentLength) + contentLength;
}
