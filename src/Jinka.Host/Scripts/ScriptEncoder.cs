using System.Buffers.Binary;
using Jinka.Core.Tlv;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;

namespace Jinka.Host.Scripts;

/// <summary>
/// Secures queued scripts for one transaction (contract P9): each command gets its MAC under the MAC session key of
/// this ATC, over <c>CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data</c> (Lc counts the MAC; NOTES A.5.5); PIN CHANGE data is
/// made inside the key store (format 2 PIN block enciphered under SK-ENC, choice 11). The result is the template
/// <c>71|72 { 9F18 script ID, 86 command, … }</c>.
/// </summary>
public static class ScriptEncoder
{
    /// <summary>Length of the script MAC.</summary>
    public const int MacLength = 4;

    /// <summary>Encodes <paramref name="script"/> as its 71/72 template for the transaction (ATC, ARQC).</summary>
    /// <exception cref="KeyStoreException">A key is missing or the PIN block does not translate.</exception>
    /// <exception cref="ArgumentException">A command's data does not fit one short APDU.</exception>
    public static byte[] EncodeTemplate(IKeyStore keys, CardRecord card, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, QueuedScript script)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(script);
        Span<byte> id = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(id, script.Id);
        using var writer = new TlvWriter();
        using (writer.PushConstructed(new Tag((byte)script.Template)))
        {
            writer.WritePrimitive(new Tag(0x9F18), id);
            foreach (var command in script.Commands)
            {
                writer.WritePrimitive(new Tag(0x86), SecureCommand(keys, card, atc, arqc, command));
            }
        }

        return writer.ToArray();
    }

    /// <summary>One command as the terminal sends it: <c>CLA INS P1 P2 Lc data MAC</c>.</summary>
    public static byte[] SecureCommand(IKeyStore keys, CardRecord card, ReadOnlySpan<byte> atc, ReadOnlySpan<byte> arqc, ScriptCommand command)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(card);
        ArgumentNullException.ThrowIfNull(command);
        byte[] data = command.NewPin is { } pin
            ? keys.TranslatePinForScript(pin.PinKeyLabel, pin.PinBlock.Span, card.Keys.Enc, card.Id.Pan, card.Id.PsnByte, atc, card.KeyScheme)
            : command.Data.ToArray();
        int lc = data.Length + MacLength;
        if (lc > 255)
        {
            throw new ArgumentException($"{command.Name}: {data.Length} bytes of data and the MAC do not fit a short command.", nameof(command));
        }

        byte[] header = [command.Cla, command.Ins, command.P1, command.P2, (byte)lc];
        byte[] macInput = [.. header, .. atc, .. arqc, .. data];
        Span<byte> mac = stackalloc byte[MacLength];
        keys.GenerateScriptMac(card.Keys.Mac, card.Id.Pan, card.Id.PsnByte, atc, macInput, card.KeyScheme, mac);
        return [.. header, .. data, .. mac];
    }
}
