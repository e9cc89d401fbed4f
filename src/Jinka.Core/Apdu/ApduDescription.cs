using System.Collections.Immutable;
using System.Text;

namespace Jinka.Core.Apdu;

/// <summary>One labelled part of an APDU: its name, the bytes as hex, and what they mean.</summary>
/// <param name="Name">"CLA", "P1", "Data", or a part of the data such as "amount".</param>
/// <param name="Value">The bytes in hex (may be empty for a derived note).</param>
/// <param name="Meaning">English explanation; empty when there is nothing to add.</param>
public readonly record struct ApduField(string Name, string Value, string Meaning)
{
    public override string ToString() => (Value.Length, Meaning.Length) switch
    {
        (_, 0) => $"{Name} {Value}",
        (0, _) => $"{Name}: {Meaning}",
        _ => $"{Name} {Value}: {Meaning}",
    };
}

/// <summary>What a command or response is, for traces and tools. Produced by <see cref="ApduDescriber"/>.</summary>
public sealed class ApduDescription
{
    public ApduDescription(string name, string standard, bool isKnown, ImmutableArray<ApduField> fields)
    {
        Name = name;
        Standard = standard;
        IsKnown = isKnown;
        Fields = fields;
    }

    /// <summary>The command name ("READ RECORD", "GENERATE AC (ARQC + CDA)") or, for a response, the status meaning.</summary>
    public string Name { get; }

    /// <summary>Where the command is defined: "ISO/IEC 7816-4", "EMV", "GlobalPlatform", "PBOC ED/EP", "PSAM" …</summary>
    public string Standard { get; }

    /// <summary>False for a command the describer does not recognise (it then lists the raw fields).</summary>
    public bool IsKnown { get; }

    /// <summary>Labelled parts in wire order: CLA, INS, P1, P2, Lc, data and its parts, Le (or data and SW for a response).</summary>
    public ImmutableArray<ApduField> Fields { get; }

    /// <summary>The first field with this name, or null.</summary>
    public ApduField? this[string fieldName]
    {
        get
        {
            foreach (var field in Fields)
            {
                if (field.Name == fieldName)
                {
                    return field;
                }
            }

            return null;
        }
    }

    /// <summary>The name, then one indented line per field.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(Name);
        foreach (var field in Fields)
        {
            sb.Append('\n').Append("  ").Append(field.ToString());
        }

        return sb.ToString();
    }
}
