using Jinka.Core.Tlv;

namespace Jinka.Iso8583.Messages;

/// <summary>
/// Field 55 tag sets (NOTES F.2) and the top-level TLV selection and merging the messages need. Works on top-level
/// data objects only, so proprietary tags whose first byte has the constructed bit (DF31) stay whole.
/// </summary>
public static class IccDataSets
{
    /// <summary>Authorisation, purchase and balance requests.</summary>
    public static IReadOnlyList<Tag> Request { get; } =
    [
        new(0x9F26), new(0x9F27), new(0x9F10), new(0x9F37), new(0x9F36), new(0x95), new(0x9A), new(0x9C), new(0x9F02), new(0x5F2A),
        new(0x82), new(0x9F1A), new(0x9F03), new(0x9F33), new(0x9F34), new(0x9F35), new(0x9F1E), new(0x84), new(0x9F09), new(0x9F41),
        new(0x9F63), new(0x9F74),
    ];

    /// <summary>Reversal.</summary>
    public static IReadOnlyList<Tag> Reversal { get; } = [new(0x95), new(0x9F1E), new(0x9F10), new(0x9F36), new(0xDF31)];

    /// <summary>Script result notification (0620), with 9F27 so the issuer knows whether the card ended with a TC.</summary>
    public static IReadOnlyList<Tag> ScriptResult { get; } =
    [
        new(0x9F33), new(0x95), new(0x9F37), new(0x9F1E), new(0x9F10), new(0x9F26), new(0x9F27), new(0x9F36), new(0x82), new(0xDF31),
        new(0x9F1A), new(0x9A),
    ];

    /// <summary>TC upload: the request set with the final cryptogram, and script results when the terminal has them.</summary>
    public static IReadOnlyList<Tag> TcUpload { get; } = [.. Request, new(0xDF31)];

    /// <summary>8A for an offline approval ("Y1"), appended to the stored chip data of an offline upload (NOTES F.2).</summary>
    public static ReadOnlySpan<byte> OfflineApproved => [0x8A, 0x02, 0x59, 0x31];

    /// <summary>The top-level data objects of <paramref name="data"/> whose tags are listed, in the list's order.</summary>
    /// <exception cref="TlvException">The data is not BER-TLV.</exception>
    public static byte[] Select(ReadOnlySpan<byte> data, IReadOnlyList<Tag> tags) => Merge(data, [], tags);

    /// <summary>
    /// The listed top-level objects of <paramref name="first"/>, each replaced by the one of
    /// <paramref name="second"/> with the same tag when there is one, in the list's order.
    /// </summary>
    /// <exception cref="TlvException">Either input is not BER-TLV.</exception>
    public static byte[] Merge(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, IReadOnlyList<Tag> tags)
    {
        ArgumentNullException.ThrowIfNull(tags);
        var chosen = new Dictionary<Tag, byte[]>();
        Collect(first, chosen);
        Collect(second, chosen);
        using var writer = new TlvWriter();
        foreach (var tag in tags)
        {
            if (chosen.TryGetValue(tag, out byte[]? element))
            {
                writer.WriteEncoded(element);
            }
        }

        return writer.ToArray();
    }

    /// <summary>The value of top-level <paramref name="tag"/>, if present (and the data is BER-TLV).</summary>
    public static bool TryFind(ReadOnlySpan<byte> data, Tag tag, out ReadOnlySpan<byte> value)
    {
        int position = 0;
        while (position < data.Length)
        {
            if (!TlvDecoder.TryReadElement(data[position..], out var found, out int header, out int length, out _))
            {
                break;
            }

            if (found == tag)
            {
                value = data.Slice(position + header, length);
                return true;
            }

            position += header + length;
        }

        value = default;
        return false;
    }

    private static void Collect(ReadOnlySpan<byte> data, Dictionary<Tag, byte[]> into)
    {
        int position = 0;
        while (position < data.Length)
        {
            TlvDecoder.ReadElement(data[position..], out var tag, out int header, out int length);
            into[tag] = data.Slice(position, header + length).ToArray();
            position += header + length;
        }
    }
}
