using System.Globalization;

namespace Jinka.Core.Tlv;

/// <summary>The one place where a <see cref="TlvError"/> status becomes a <see cref="TlvException"/> with a readable message.</summary>
internal static class TlvFailure
{
    /// <param name="error">The status.</param>
    /// <param name="at">The input from the failing data object (or padding byte) to the end of its enclosing range.</param>
    /// <param name="absoluteOffset">Offset of <paramref name="at"/>[0] in the original input.</param>
    /// <param name="maxDepth">For <see cref="TlvError.TooDeep"/>: the limit that was exceeded.</param>
    public static TlvException Create(TlvError error, ReadOnlySpan<byte> at, int absoluteOffset, int maxDepth = 0)
    {
        TlvDecoder.DecodeHeader(at, out var tag, out int headerLength, out int valueLength);
        Tag? knownTag = error is TlvError.TruncatedTag or TlvError.TagTooLong or TlvError.InvalidTag ? null : tag;
        string what = error switch
        {
            TlvError.TruncatedTag when at.IsEmpty => "the input is empty where a tag was expected",
            TlvError.TruncatedTag => $"the input ends inside the tag starting {Hex.Encode(at)}",
            TlvError.TagTooLong => $"tag {Hex.Encode(at[..Math.Min(at.Length, Tag.MaxEncodedLength)])}… is longer than {Tag.MaxEncodedLength} bytes",
            TlvError.InvalidTag => $"byte {at[0]:X2} cannot start a tag (padding is not allowed here)",
            TlvError.TruncatedLength => DescribeTruncatedLength(at, tag),
            TlvError.IndefiniteLength => "indefinite length (80) is not allowed in EMV BER-TLV",
            TlvError.LengthTooLong => $"length byte {at[tag.EncodedLength]:X2} asks for {at[tag.EncodedLength] & 0x7F} length bytes (at most {TlvDecoder.MaxLengthBytes})",
            TlvError.ValuePastEnd => $"value length {valueLength} runs past the end of the input ({at.Length - headerLength} bytes left)",
            TlvError.TooDeep => $"constructed data objects nest deeper than MaxDepth {maxDepth}",
            _ => error.ToString(),
        };
        return Create(error, absoluteOffset, knownTag, what);
    }

    /// <summary>Builds the exception; <paramref name="subject"/> is what was being read, "TLV" or "DOL".</summary>
    public static TlvException Create(TlvError error, int absoluteOffset, Tag? tag, string what, string subject = "TLV")
    {
        string where = tag is { } t
            ? string.Create(CultureInfo.InvariantCulture, $"{subject} error at offset {absoluteOffset} (tag {t})")
            : string.Create(CultureInfo.InvariantCulture, $"{subject} error at offset {absoluteOffset}");
        return new TlvException(error, absoluteOffset, tag, $"{where}: {what}");
    }

    private static string DescribeTruncatedLength(ReadOnlySpan<byte> at, Tag tag)
    {
        int lengthAt = tag.EncodedLength;
        if (lengthAt >= at.Length)
        {
            return "the input ends before the length byte";
        }

        int needed = at[lengthAt] & 0x7F;
        int left = at.Length - lengthAt - 1;
        return $"length byte {at[lengthAt]:X2} needs {needed} more length bytes ({left} left)";
    }
}
