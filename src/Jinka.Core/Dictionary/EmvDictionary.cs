using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Jinka.Core.Tlv;

namespace Jinka.Core.Dictionary;

/// <summary>
/// The EMV Book 3 Annex A data elements plus the PBOC / UICS / qPBOC / EC elements of NOTES A.3 and A.8.
/// Where a tag means something different in another scheme (9F63, 9F6B, 9F6D …), the PBOC meaning is the one held here.
/// </summary>
public static partial class EmvDictionary
{
    private static readonly FrozenDictionary<Tag, DataElement> _byTag;

    static EmvDictionary()
    {
        var all = new List<DataElement>(EmvElements());
        all.AddRange(PbocElements());
        All = all.AsReadOnly();
        _byTag = all.ToFrozenDictionary(e => e.Tag);
    }

    /// <summary>Every element, EMV ones first, in table order.</summary>
    public static IReadOnlyList<DataElement> All { get; }

    public static bool TryGet(Tag tag, [NotNullWhen(true)] out DataElement? element) => _byTag.TryGetValue(tag, out element);

    /// <exception cref="KeyNotFoundException">The tag is not in the dictionary.</exception>
    public static DataElement Get(Tag tag) => _byTag.TryGetValue(tag, out var element)
        ? element
        : throw new KeyNotFoundException($"Tag {tag} is not in the EMV/PBOC data dictionary.");

    /// <summary>The element's name, or "unknown".</summary>
    public static string NameOf(Tag tag) => _byTag.TryGetValue(tag, out var element) ? element.Name : "unknown";

    /// <summary>One table row. <paramref name="templates"/> is a space-separated list of tags in hex.</summary>
    private static DataElement E(
        string tag, string name, DataFormat format, int minLength, int maxLength, DataSource source,
        string templates = "", string? cn = null, BitMeaning[]? bits = null, string? note = null)
        => new(Tag.Parse(tag), name, format, minLength, maxLength, source)
        {
            Templates = templates.Length == 0 ? [] : Array.ConvertAll(templates.Split(' '), Tag.Parse),
            ChineseName = cn,
            Bits = bits ?? [],
            Note = note,
        };
}
