using System.Text;

namespace Jinka.Core.Apdu;

/// <summary>Builds the "80 A8 00 00 04 83020156 00" style text used by the APDU types' ToString.</summary>
internal static class SpacedHex
{
    public static void AppendByte(StringBuilder sb, byte value)
    {
        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        sb.Append(HexDigit(value >> 4)).Append(HexDigit(value & 0xF));
    }

    public static void AppendBlock(StringBuilder sb, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        if (sb.Length > 0)
        {
            sb.Append(' ');
        }

        sb.Append(Hex.Encode(bytes));
    }

    private static char HexDigit(int nibble) => (char)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
