using Jinka.Core.Tlv;
using Jinka.Crypto.Keys;

namespace Jinka.Host.Scripts;

/// <summary>Where the terminal runs a script (EMV Book 3 §10.10; contract P9).</summary>
public enum ScriptTemplate : byte
{
    /// <summary>Template 71: before the second GENERATE AC, so the card's final decision already reflects it.</summary>
    BeforeFinalGenerateAc = 0x71,

    /// <summary>Template 72: after the second GENERATE AC.</summary>
    AfterFinalGenerateAc = 0x72,
}

/// <summary>A new PIN as the issuer keeps it: an ISO 9564-1 format 0 block under a PIN key in the key store.</summary>
/// <param name="PinKeyLabel">The PIN encryption key (usage <see cref="KeyUsage.PinEncryption"/>).</param>
/// <param name="PinBlock">The 8-byte encrypted format 0 block (for the card's PAN).</param>
public sealed record EncryptedPin(string PinKeyLabel, ReadOnlyMemory<byte> PinBlock);

/// <summary>
/// One issuer script command before it is secured: the header, the plain data, and the template it belongs in.
/// The MAC (over <c>CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data</c>, Lc counting the MAC, NOTES A.5.5) and the PIN
/// encipherment need the transaction's ATC and ARQC, so they are added when the script is delivered.
/// </summary>
/// <remarks>
/// Template choice (spec choice P13): commands that change what the card may do in this very transaction
/// (APPLICATION BLOCK/UNBLOCK, CARD BLOCK, PIN CHANGE/UNBLOCK) go in 71, before the second GENERATE AC; data
/// updates (PUT DATA, UPDATE RECORD) go in 72, after it, as the EC load of ADDENDUM 2.2 does.
/// </remarks>
public sealed record ScriptCommand
{
    /// <summary>Longest plain data: Lc (one byte) also counts the 4-byte MAC.</summary>
    public const int MaxDataLength = 255 - 4;

    private ScriptCommand(string name, byte cla, byte ins, byte p1, byte p2, ReadOnlyMemory<byte> data, ScriptTemplate template, EncryptedPin? newPin)
    {
        if (data.Length > MaxDataLength)
        {
            throw new ArgumentException($"{name} data is {data.Length} bytes; at most {MaxDataLength} fit with the MAC in one short command.", nameof(data));
        }

        Name = name;
        Cla = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        Data = data;
        PreferredTemplate = template;
        NewPin = newPin;
    }

    /// <summary>The command's name for traces, e.g. "APPLICATION BLOCK".</summary>
    public string Name { get; }

    public byte Cla { get; }

    public byte Ins { get; }

    public byte P1 { get; }

    public byte P2 { get; }

    /// <summary>The plain command data (empty for the block commands and for PIN CHANGE, whose data is made at delivery).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The template this command belongs in when the script does not say (P13).</summary>
    public ScriptTemplate PreferredTemplate { get; }

    /// <summary>For PIN CHANGE: the new PIN, enciphered under SK-ENC at delivery.</summary>
    public EncryptedPin? NewPin { get; }

    /// <summary>Bytes of the secured command: header, Lc, data (16 for PIN CHANGE once enciphered) and MAC.</summary>
    public int SecuredLength => 5 + (NewPin is null ? Data.Length : 16) + 4;

    /// <summary>APPLICATION BLOCK <c>84 1E 00 00</c> (EMV Book 3 §6.5.1).</summary>
    public static ScriptCommand ApplicationBlock() => new("APPLICATION BLOCK", 0x84, 0x1E, 0x00, 0x00, default, ScriptTemplate.BeforeFinalGenerateAc, null);

    /// <summary>APPLICATION UNBLOCK <c>84 18 00 00</c> (EMV Book 3 §6.5.2).</summary>
    public static ScriptCommand ApplicationUnblock() => new("APPLICATION UNBLOCK", 0x84, 0x18, 0x00, 0x00, default, ScriptTemplate.BeforeFinalGenerateAc, null);

    /// <summary>CARD BLOCK <c>84 16 00 00</c> (EMV Book 3 §6.5.3).</summary>
    public static ScriptCommand CardBlock() => new("CARD BLOCK", 0x84, 0x16, 0x00, 0x00, default, ScriptTemplate.BeforeFinalGenerateAc, null);

    /// <summary>PIN CHANGE/UNBLOCK with P2 = 00: resets the PIN try counter, no new PIN (EMV Book 3 §6.5.10).</summary>
    public static ScriptCommand PinUnblock() => new("PIN UNBLOCK", 0x84, 0x24, 0x00, 0x00, default, ScriptTemplate.BeforeFinalGenerateAc, null);

    /// <summary>
    /// PIN CHANGE/UNBLOCK with P2 = 02: sets a new PIN without the current one and resets the try counter. The data
    /// is the ISO format 2 PIN block enciphered under SK-ENC (choice 11), made inside the key store at delivery.
    /// </summary>
    public static ScriptCommand PinChange(EncryptedPin newPin)
    {
        ArgumentNullException.ThrowIfNull(newPin);
        if (newPin.PinBlock.Length != IsoPinBlock.Length)
        {
            throw new ArgumentException($"The encrypted PIN block is {newPin.PinBlock.Length} bytes; {IsoPinBlock.Length} expected.", nameof(newPin));
        }

        return new("PIN CHANGE", 0x84, 0x24, 0x00, 0x02, default, ScriptTemplate.BeforeFinalGenerateAc, newPin);
    }

    /// <summary>PUT DATA <c>04 DA tag</c> with the new value, e.g. 9F79 (EC balance), 9F14/9F23 (offline limits).</summary>
    /// <exception cref="ArgumentException">The tag is longer than 2 bytes or constructed.</exception>
    public static ScriptCommand PutData(Tag tag, ReadOnlySpan<byte> value)
    {
        if (tag.EncodedLength > 2 || tag.IsConstructed)
        {
            throw new ArgumentException($"PUT DATA addresses a primitive tag of 1 or 2 bytes in P1-P2; {tag} is not one.", nameof(tag));
        }

        return new($"PUT DATA {tag}", 0x04, 0xDA, (byte)(tag.Value >> 8), (byte)tag.Value, value.ToArray(), ScriptTemplate.AfterFinalGenerateAc, null);
    }

    /// <summary>UPDATE RECORD <c>04 DC record (SFI‖100)</c> with the whole new record (usually a 70 template).</summary>
    /// <exception cref="ArgumentOutOfRangeException">SFI outside 1–30 or record outside 1–254.</exception>
    public static ScriptCommand UpdateRecord(int sfi, int record, ReadOnlySpan<byte> recordData)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sfi, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sfi, 30);
        ArgumentOutOfRangeException.ThrowIfLessThan(record, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(record, 254);
        return new($"UPDATE RECORD SFI {sfi} record {record}", 0x04, 0xDC, (byte)record, (byte)((sfi << 3) | 0x04), recordData.ToArray(), ScriptTemplate.AfterFinalGenerateAc, null);
    }

    /// <summary>Any other secured command (CLA with the secure messaging bits set), placed in <paramref name="template"/>.</summary>
    public static ScriptCommand Custom(string name, byte cla, byte ins, byte p1, byte p2, ReadOnlySpan<byte> data, ScriptTemplate template) =>
        new(name, cla, ins, p1, p2, data.ToArray(), template, null);

    public override string ToString() => $"{Name} ({Cla:X2} {Ins:X2} {P1:X2} {P2:X2})";
}
