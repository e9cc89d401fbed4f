using System.Diagnostics.CodeAnalysis;

namespace Jinka.Iso8583.Fields;

/// <summary>
/// A message specification: the table of field definitions the codec reads and writes by. The codec has no code for
/// any particular field; everything it knows about field 35 or 55 is the row of this table.
/// </summary>
public sealed class Iso8583Spec
{
    /// <summary>Highest field number (with a secondary bitmap).</summary>
    public const int MaxField = 128;

    private readonly FieldDefinition[] _byNumber = new FieldDefinition[MaxField + 1];

    /// <exception cref="ArgumentException">A definition is out of range, repeated or inconsistent.</exception>
    public Iso8583Spec(string name, IEnumerable<FieldDefinition> fields)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(fields);
        Name = name;
        foreach (var field in fields)
        {
            Validate(field);
            if (_byNumber[field.Number].Number != 0)
            {
                throw new ArgumentException($"Field {field.Number} is defined twice.", nameof(fields));
            }

            _byNumber[field.Number] = field;
        }

        Fields = [.. _byNumber.Where(f => f.Number != 0)];
    }

    /// <summary>The CUP POS dialect (NOTES F.1; LY <c>st8583.c</c>).</summary>
    public static Iso8583Spec CupPos => CupPosSpec.Instance;

    public string Name { get; }

    /// <summary>The defined fields in number order.</summary>
    public IReadOnlyList<FieldDefinition> Fields { get; }

    /// <summary>The definition of field <paramref name="number"/>; false when it is not defined.</summary>
    public bool TryGet(int number, out FieldDefinition definition)
    {
        definition = number is >= 2 and <= MaxField ? _byNumber[number] : default;
        return definition.Number != 0;
    }

    /// <summary>The definition of field <paramref name="number"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The field is not defined.</exception>
    public FieldDefinition this[int number] =>
        TryGet(number, out var definition) ? definition : throw new ArgumentOutOfRangeException(nameof(number), number, $"{Name} defines no field {number}.");

    /// <summary>True when <paramref name="number"/> is defined.</summary>
    public bool Defines(int number) => TryGet(number, out _);

    public override string ToString() => Name;

    [SuppressMessage("Style", "IDE0072:Add missing cases", Justification = "Only the kinds with limits are checked.")]
    private static void Validate(FieldDefinition field)
    {
        if (field.Number is < 2 or > MaxField)
        {
            throw new ArgumentException($"Field number {field.Number} is outside 2–{MaxField} (1 is the secondary bitmap).", nameof(field));
        }

        int limit = field.LengthKind switch
        {
            LengthKind.LlVar => 99,
            LengthKind.LllVar => 999,
            _ => 999,
        };
        if (field.MaxLength < 1 || field.MaxLength > limit)
        {
            throw new ArgumentException($"{field}: maximum length {field.MaxLength} is outside 1–{limit}.", nameof(field));
        }

        if (field.Content == FieldContent.BerTlv && field.Type != FieldType.Binary)
        {
            throw new ArgumentException($"{field}: only binary fields can hold BER-TLV.", nameof(field));
        }

        if (string.IsNullOrWhiteSpace(field.Name))
        {
            throw new ArgumentException($"Field {field.Number} has no name.", nameof(field));
        }
    }
}
