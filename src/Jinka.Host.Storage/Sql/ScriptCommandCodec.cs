using System.Buffers.Binary;
using System.Text;
using Jinka.Host.Scripts;

namespace Jinka.Host.Storage.Sql;

/// <summary>
/// The stored form of a script's commands (scripts.commands): a version byte 01, a count, then per command a kind
/// (0 plain, 1 PIN CHANGE), the name, CLA INS P1 P2, the preferred template, the data, and for PIN CHANGE the PIN key
/// label and the encrypted block. Strings are UTF-8 and, like the data, prefixed with a 2-byte big-endian length.
/// </summary>
internal static class ScriptCommandCodec
{
    private const byte FormatVersion = 1;

    public static byte[] Encode(IReadOnlyList<ScriptCommand> commands)
    {
        using var stream = new MemoryStream();
        stream.WriteByte(FormatVersion);
        stream.WriteByte(checked((byte)commands.Count));
        foreach (var command in commands)
        {
            stream.WriteByte(command.NewPin is null ? (byte)0 : (byte)1);
            WriteBytes(stream, Encoding.UTF8.GetBytes(command.Name));
            stream.Write([command.Cla, command.Ins, command.P1, command.P2, (byte)command.PreferredTemplate]);
            WriteBytes(stream, command.Data.Span);
            if (command.NewPin is { } pin)
            {
                WriteBytes(stream, Encoding.UTF8.GetBytes(pin.PinKeyLabel));
                WriteBytes(stream, pin.PinBlock.Span);
            }
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">The stored bytes are not this format (offset named).</exception>
    public static IReadOnlyList<ScriptCommand> Decode(ReadOnlySpan<byte> bytes)
    {
        int offset = 0;
        if (ReadByte(bytes, ref offset) != FormatVersion)
        {
            throw new InvalidDataException("Stored script commands: format version at offset 0 is not 01.");
        }

        int count = ReadByte(bytes, ref offset);
        var commands = new List<ScriptCommand>(count);
        for (int i = 0; i < count; i++)
        {
            byte kind = ReadByte(bytes, ref offset);
            string name = Encoding.UTF8.GetString(ReadBytes(bytes, ref offset));
            byte cla = ReadByte(bytes, ref offset), ins = ReadByte(bytes, ref offset), p1 = ReadByte(bytes, ref offset), p2 = ReadByte(bytes, ref offset);
            var template = (ScriptTemplate)ReadByte(bytes, ref offset);
            var data = ReadBytes(bytes, ref offset);
            commands.Add(kind switch
            {
                0 => ScriptCommand.Custom(name, cla, ins, p1, p2, data, template),
                1 => ScriptCommand.PinChange(new EncryptedPin(Encoding.UTF8.GetString(ReadBytes(bytes, ref offset)), ReadBytes(bytes, ref offset).ToArray())),
                _ => throw new InvalidDataException($"Stored script commands: command kind {kind:X2} before offset {offset} is neither 00 nor 01."),
            });
        }

        return offset == bytes.Length ? commands : throw new InvalidDataException($"Stored script commands: {bytes.Length - offset} bytes left over at offset {offset}.");
    }

    private static void WriteBytes(MemoryStream stream, ReadOnlySpan<byte> value)
    {
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, checked((ushort)value.Length));
        stream.Write(length);
        stream.Write(value);
    }

    private static byte ReadByte(ReadOnlySpan<byte> bytes, ref int offset) =>
        offset < bytes.Length ? bytes[offset++] : throw new InvalidDataException($"Stored script commands end at offset {offset}; one more byte was expected.");

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> bytes, ref int offset)
    {
        if (offset + 2 > bytes.Length)
        {
            throw new InvalidDataException($"Stored script commands end at offset {offset}; a 2-byte length was expected.");
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]);
        offset += 2;
        if (offset + length > bytes.Length)
        {
            throw new InvalidDataException($"Stored script commands: {length} bytes announced at offset {offset - 2}, {bytes.Length - offset} left.");
        }

        var value = bytes.Slice(offset, length);
        offset += length;
        return value;
    }
}
