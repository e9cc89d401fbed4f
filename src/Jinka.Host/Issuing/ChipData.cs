using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Core;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Host.Issuing;

/// <summary>
/// Issuer application data 9F10 as Jinka cards produce it (contract P1, NOTES A.4):
/// <c>07 ‖ DKI ‖ CVN ‖ CVR (03 + 3 bytes) ‖ algorithm id</c>, optionally followed by issuer discretionary data.
/// </summary>
/// <param name="Dki">Derivation key index.</param>
/// <param name="Cvn">Cryptogram version number (01).</param>
/// <param name="Cvr">The CVR with its length byte, 4 bytes: exactly what the AC input takes (P3).</param>
/// <param name="AlgorithmId">01 TDES, 04 SM4.</param>
/// <param name="DiscretionaryData">Anything after the JR/T part (the EC IDD: 0A ‖ 01 ‖ balance ‖ MAC), not interpreted.</param>
public sealed record IssuerApplicationData(byte Dki, byte Cvn, ReadOnlyMemory<byte> Cvr, byte AlgorithmId, ReadOnlyMemory<byte> DiscretionaryData)
{
    /// <summary>The JR/T-defined part: length byte 07 plus 7 bytes.</summary>
    public const int DefinedLength = 8;

    /// <summary>Parses a 9F10 value; false with the reason when it is not the P1 layout.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> value, [NotNullWhen(true)] out IssuerApplicationData? data, [NotNullWhen(false)] out string? error)
    {
        data = null;
        var span = value.Span;
        if (span.Length < DefinedLength)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"9F10 is {span.Length} bytes; the PBOC layout needs at least {DefinedLength} (07 DKI CVN CVR(4) algorithm)");
            return false;
        }

        if (span[0] != 0x07)
        {
            error = $"9F10 byte 1 is {span[0]:X2}; the PBOC layout starts with the length 07 (NOTES A.4)";
            return false;
        }

        if (span[3] != 0x03)
        {
            error = $"9F10 byte 4 (the CVR length) is {span[3]:X2}; 03 was expected";
            return false;
        }

        data = new IssuerApplicationData(span[1], span[2], value[3..7], span[7], value[DefinedLength..]);
        error = null;
        return true;
    }
}

/// <summary>
/// The CVN 01 application cryptogram input (contract P3, NOTES A.5.3):
/// <c>9F02 ‖ 9F03 ‖ 9F1A ‖ 95 ‖ 5F2A ‖ 9A ‖ 9C ‖ 9F37 ‖ 82 ‖ 9F36 ‖ CVR (4, with its 03)</c>.
/// </summary>
public static class PbocAcInput
{
    /// <summary>The data elements in input order, with their lengths; the CVR follows them.</summary>
    public static IReadOnlyList<(Tag Tag, int Length)> Elements { get; } =
    [
        (new Tag(0x9F02), 6), (new Tag(0x9F03), 6), (new Tag(0x9F1A), 2), (new Tag(0x95), 5), (new Tag(0x5F2A), 2),
        (new Tag(0x9A), 3), (new Tag(0x9C), 1), (new Tag(0x9F37), 4), (new Tag(0x82), 2), (new Tag(0x9F36), 2),
    ];

    /// <summary>Bytes of the whole input: 33 of data elements plus 4 of CVR.</summary>
    public const int Length = 37;

    /// <summary>Assembles the input; false naming the first element that is missing or has the wrong length.</summary>
    public static bool TryBuild(TlvDatabase data, ReadOnlySpan<byte> cvr, [NotNullWhen(true)] out byte[]? input, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(data);
        input = null;
        if (cvr.Length != 4)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the CVR is {cvr.Length} bytes; 4 (with its length byte) were expected");
            return false;
        }

        var buffer = new byte[Length];
        int offset = 0;
        foreach (var (tag, length) in Elements)
        {
            if (!ChipFields.TryGetExact(data, tag, length, out var value, out error))
            {
                return false;
            }

            value.CopyTo(buffer.AsSpan(offset));
            offset += length;
        }

        cvr.CopyTo(buffer.AsSpan(offset));
        input = buffer;
        error = null;
        return true;
    }
}

/// <summary>Checked access to field 55 values.</summary>
internal static class ChipFields
{
    public static bool TryGetExact(TlvDatabase data, Tag tag, int length, out ReadOnlySpan<byte> value, [NotNullWhen(false)] out string? error)
    {
        if (!data.TryGet(tag, out value))
        {
            error = $"field 55 lacks {tag} ({EmvDictionary.NameOf(tag)})";
            return false;
        }

        if (value.Length != length)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"{tag} ({EmvDictionary.NameOf(tag)}) is {value.Length} bytes; {length} expected");
            return false;
        }

        error = null;
        return true;
    }


    /// <summary>
    /// Parses field 55 into a database, tolerating unknown tags (they are kept but not used) and descending into
    /// templates. A duplicated data object or malformed TLV is a format error.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> field55, [NotNullWhen(true)] out TlvDatabase? data, [NotNullWhen(false)] out string? error)
    {
        data = null;
        if (field55.IsEmpty)
        {
            error = "field 55 is empty";
            return false;
        }

        var database = new TlvDatabase();
        try
        {
            var merge = database.Merge(field55.Span);
            if (merge.HasDuplicates)
            {
                error = $"field 55 carries {merge.Duplicates[0]} ({EmvDictionary.NameOf(merge.Duplicates[0])}) more than once";
                return false;
            }
        }
        catch (TlvException ex)
        {
            error = $"field 55 is not valid BER-TLV: {ex.Message}";
            return false;
        }

        data = database;
        error = null;
        return true;
    }

    /// <summary>
    /// Parses an advice's field 55: primitive data objects into a database (the first of a repeated tag wins) and
    /// every DF31 (issuer script results) value in order, since terminals may send one DF31 per script.
    /// </summary>
    public static bool TryParseAdvice(ReadOnlyMemory<byte> field55, [NotNullWhen(true)] out TlvDatabase? data, out IReadOnlyList<ReadOnlyMemory<byte>> scriptResults, [NotNullWhen(false)] out string? error)
    {
        data = null;
        var results = new List<ReadOnlyMemory<byte>>();
        scriptResults = results;
        IReadOnlyList<TlvNode> nodes;
        try
        {
            nodes = TlvNode.Parse(field55);
        }
        catch (TlvException ex)
        {
            error = $"field 55 of the advice is not valid BER-TLV: {ex.Message}";
            return false;
        }

        var database = new TlvDatabase();
        var stack = new Stack<TlvNode>(nodes.Reverse());
        while (stack.TryPop(out var node))
        {
            if (node.IsConstructed)
            {
                foreach (var child in node.Children.Reverse())
                {
                    stack.Push(child);
                }
            }
            else if (node.Tag == ScriptResultsTag)
            {
                results.Add(node.Value);
            }
            else if (!database.Contains(node.Tag))
            {
                database.Set(node.Tag, node.Value.Span);
            }
        }

        data = database;
        error = null;
        return true;
    }

    /// <summary>DF31, the issuer script results (NOTES A.2, F.2).</summary>
    public static Tag ScriptResultsTag => new(0xDF31);
}

/// <summary>
/// The chip data of an authorisation request, checked: the ARQC, its CID and ATC, the 9F10 fields and the
/// assembled AC input (P3).
/// </summary>
internal sealed record RequestChipData(TlvDatabase Data, byte[] Arqc, byte Cid, byte[] Atc, IssuerApplicationData Iad, byte[] AcInput, long AmountAuthorised, string Currency)
{
    public ushort AtcValue => BinaryPrimitives.ReadUInt16BigEndian(Atc);

    public string AtcHex => Hex.Encode(Atc);

    public static bool TryParse(ReadOnlyMemory<byte> field55, [NotNullWhen(true)] out RequestChipData? chip, [NotNullWhen(false)] out string? error)
    {
        chip = null;
        if (!ChipFields.TryParse(field55, out var data, out error))
        {
            return false;
        }

        if (!ChipFields.TryGetExact(data, new Tag(0x9F26), 8, out var arqc, out error)
            || !ChipFields.TryGetExact(data, new Tag(0x9F27), 1, out var cid, out error)
            || !ChipFields.TryGetExact(data, new Tag(0x9F36), 2, out var atc, out error))
        {
            return false;
        }

        if (!data.TryGetValue(new Tag(0x9F10), out var iadValue))
        {
            error = $"field 55 lacks 9F10 ({EmvDictionary.NameOf(new Tag(0x9F10))})";
            return false;
        }

        if (!IssuerApplicationData.TryParse(iadValue, out var iad, out error))
        {
            return false;
        }

        if ((cid[0] & 0xC0) != 0x80)
        {
            error = $"9F27 = {cid[0]:X2} is {CryptogramName(cid[0])}; an authorisation request carries an ARQC (80)";
            return false;
        }

        if (!PbocAcInput.TryBuild(data, iad.Cvr.Span, out byte[]? acInput, out error))
        {
            return false;
        }

        if (!Bcd.TryToNumber(data.Get(new Tag(0x9F02)), out long amount))
        {
            error = $"9F02 = {Hex.Encode(data.Get(new Tag(0x9F02)))} is not a BCD amount";
            return false;
        }

        var currency = data.Get(new Tag(0x5F2A));
        if (!Bcd.TryToNumber(currency, out long currencyCode))
        {
            error = $"5F2A = {Hex.Encode(currency)} is not a BCD currency code";
            return false;
        }

        chip = new RequestChipData(data, arqc.ToArray(), cid[0], atc.ToArray(), iad, acInput, amount, currencyCode.ToString("D3", CultureInfo.InvariantCulture));
        return true;
    }

    /// <summary>"AAC", "TC", "ARQC" or "RFU" for a CID byte (EMV Book 3 Table 14).</summary>
    public static string CryptogramName(byte cid) => (cid & 0xC0) switch
    {
        0x00 => "an AAC",
        0x40 => "a TC",
        0x80 => "an ARQC",
        _ => "RFU",
    };
}
