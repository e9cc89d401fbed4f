using Jinka.Core;
using Jinka.Host.Scripts;
using Jinka.Host.Storage.Sql;

namespace Jinka.Host.Storage.Tests.Sql;

public class ScriptCommandCodecTests
{
    [Fact]
    public void Commands_round_trip_with_header_data_template_and_pin()
    {
        ScriptCommand[] commands =
        [
            ScriptCommand.UpdateRecord(1, 2, [0x70, 0x02, 0x5A, 0x00]),
            ScriptCommand.PinChange(new EncryptedPin("pek", new byte[] { 8, 7, 6, 5, 4, 3, 2, 1 })),
            ScriptCommand.Custom("VENDOR 开", 0x84, 0xF0, 1, 2, [9], ScriptTemplate.BeforeFinalGenerateAc),
        ];
        var decoded = ScriptCommandCodec.Decode(ScriptCommandCodec.Encode(commands));
        Assert.Equal(commands.Length, decoded.Count);
        for (int i = 0; i < commands.Length; i++)
        {
            Assert.Equal((commands[i].Name, commands[i].Cla, commands[i].Ins, commands[i].P1, commands[i].P2, commands[i].PreferredTemplate, commands[i].SecuredLength),
                (decoded[i].Name, decoded[i].Cla, decoded[i].Ins, decoded[i].P1, decoded[i].P2, decoded[i].PreferredTemplate, decoded[i].SecuredLength));
            Assert.Equal(commands[i].Data.ToArray(), decoded[i].Data.ToArray());
            Assert.Equal(commands[i].NewPin?.PinBlock.ToArray(), decoded[i].NewPin?.PinBlock.ToArray());
        }
    }

    [Theory]
    [InlineData("empty", "", "offset 0")]
    [InlineData("unknown format version", "0200", "format version")]
    [InlineData("count without commands", "0101", "offset 2")]
    [InlineData("unknown command kind", "010102000141841E000071 0000", "kind 02")]
    [InlineData("name longer than the bytes", "0101000009 41", "9 bytes announced at offset 3")]
    [InlineData("bytes left over", "01010000014184 1E000071 0000 FF", "1 bytes left over")]
    public void Malformed_stored_commands_name_the_offset(string description, string hex, string message)
    {
        _ = description;
        var ex = Assert.Throws<InvalidDataException>(() => ScriptCommandCodec.Decode(Hex.Parse(hex.Replace(" ", string.Empty, StringComparison.Ordinal))));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }
}
