namespace Jinka.Core.Dictionary;

/// <summary>
/// The meaning of a bit, or of a multi-bit field, in a bit-mapped data element such as the TVR.
/// It applies when <c>(value[Byte - 1] &amp; Mask) == Value</c>; for a single bit <see cref="Value"/> equals <see cref="Mask"/>.
/// </summary>
/// <param name="Byte">1-based byte number, as the specs count.</param>
/// <param name="Mask">The bit, or bits of a field.</param>
/// <param name="Meaning">What it means when set.</param>
public sealed record BitMeaning(int Byte, byte Mask, string Meaning)
{
    /// <summary>The value the masked bits must have; by default all of <see cref="Mask"/>.</summary>
    public byte Value { get; init; } = Mask;

    /// <summary>A value of a multi-bit field, e.g. CID bits 8–7 = 10 (ARQC): <c>Field(1, 0xC0, 0x80, "ARQC")</c>.</summary>
    public static BitMeaning Field(int @byte, byte mask, byte value, string meaning)
    {
        if ((value & ~mask) != 0)
        {
            throw new ArgumentException($"Value {value:X2} has bits outside mask {mask:X2}.", nameof(value));
        }

        return new BitMeaning(@byte, mask, meaning) { Value = value };
    }

    /// <summary>True when the bits are present with this meaning in <paramref name="data"/>.</summary>
    public bool Matches(ReadOnlySpan<byte> data) => Byte >= 1 && Byte <= data.Length && (data[Byte - 1] & Mask) == Value;
}
