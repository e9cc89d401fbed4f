using System.Buffers.Binary;
using System.Globalization;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto;

namespace Jinka.Host.Tests;

/// <summary>
/// The card's side of a PBOC online transaction, computed with Jinka.Crypto directly (not through the issuer or the
/// key store): UDKs from the MDKs, session keys per ATC, the ARQC over the P3 input, 9F10 per P1, and the checks a
/// card makes on what the issuer sends back (ARPC, script MACs, enciphered PIN data).
/// </summary>
internal sealed class SimulatedCard
{
    private readonly byte[] _udkAc;
    private readonly byte[]? _udkMac;
    private readonly byte[]? _udkEnc;
    private int _stan = 1;

    public SimulatedCard(AlgorithmSuite suite, string pan, string psn, byte[] mdkAc, byte[] mdkMac, byte[] mdkEnc)
        : this(suite, pan, psn, suite.DeriveUdk(mdkAc, pan, ParsePsn(psn)), suite.DeriveUdk(mdkMac, pan, ParsePsn(psn)), suite.DeriveUdk(mdkEnc, pan, ParsePsn(psn)), 0)
    {
    }

    private SimulatedCard(AlgorithmSuite suite, string pan, string psn, byte[] udkAc, byte[]? udkMac, byte[]? udkEnc, int unused)
    {
        _ = unused;
        Suite = suite;
        Pan = pan;
        Psn = psn;
        _udkAc = udkAc;
        _udkMac = udkMac;
        _udkEnc = udkEnc;
    }

    /// <summary>A card known only by its AC UDK (as ADDENDUM V5 publishes it).</summary>
    public static SimulatedCard FromAcUdk(AlgorithmSuite suite, string pan, string psn, byte[] udkAc) => new(suite, pan, psn, udkAc, null, null, 0);

    public AlgorithmSuite Suite { get; }

    public string Pan { get; }

    public string Psn { get; }

    public ushort NextAtc { get; set; } = 1;

    /// <summary>CVR with its length byte: 1st GAC ARQC, 2nd GAC not requested yet (P2).</summary>
    public byte[] Cvr { get; set; } = Hex.Parse("03A00000");

    public byte Dki { get; set; } = 0x01;

    public byte[] IssuerApplicationData => [0x07, Dki, 0x01, .. Cvr, Suite.AlgorithmIdentifier];

    public static byte ParsePsn(string psn) => byte.Parse(psn, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public static byte[] Bcd(long value, int length) => Hex.Parse(value.ToString(CultureInfo.InvariantCulture).PadLeft(length * 2, '0'));

    public static byte[] AtcBytes(ushort atc)
    {
        var bytes = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, atc);
        return bytes;
    }

    public byte[] SessionKeyAc(ushort atc) => Suite.DeriveSessionKey(_udkAc, AtcBytes(atc));

    public byte[] SessionKeyMac(ushort atc) => Suite.DeriveSessionKey(_udkMac!, AtcBytes(atc));

    public byte[] SessionKeyEnc(ushort atc) => Suite.DeriveSessionKey(_udkEnc!, AtcBytes(atc));

    /// <summary>
    /// The first GENERATE AC of an online transaction: the field 55 a terminal would send, with a real ARQC. An EC card
    /// (<c>ecBalance</c> given) reports its balance in 9F10's IDD (Q10: 0A 01 ‖ balance ‖ MAC under SK-MAC).
    /// </summary>
    public ChipTransaction Transact(long amount, string processingCode = "000000", ushort? atc = null, string currency = "156", long? ecBalance = null)
    {
        ushort value = atc ?? NextAtc++;
        byte type = processingCode.StartsWith("31", StringComparison.Ordinal) ? (byte)0x31 : Hex.Parse(processingCode[..2])[0];
        List<(Tag Tag, byte[] Value)> acElements =
        [
            (new Tag(0x9F02), Bcd(amount, 6)), (new Tag(0x9F03), new byte[6]), (new Tag(0x9F1A), Hex.Parse("0156")),
            (new Tag(0x95), new byte[5]), (new Tag(0x5F2A), Bcd(long.Parse(currency, CultureInfo.InvariantCulture), 2)),
            (new Tag(0x9A), Hex.Parse("250101")), (new Tag(0x9C), [type]), (new Tag(0x9F37), [0x5A, 0xC3, (byte)(value >> 8), (byte)value]),
            (new Tag(0x82), Hex.Parse("7C00")), (new Tag(0x9F36), AtcBytes(value)),
        ];
        byte[] acInput = [.. acElements.SelectMany(e => e.Value), .. Cvr];
        byte[] arqc = Suite.GenerateAc(SessionKeyAc(value), acInput);
        List<(Tag Tag, byte[] Value)> field55 =
        [
            (new Tag(0x9F26), arqc), (new Tag(0x9F27), [0x80]), (new Tag(0x9F10), [.. IssuerApplicationData, .. EcIdd(value, ecBalance)]), .. acElements,
            (new Tag(0x9F33), Hex.Parse("E0F8C8")),
        ];
        return new ChipTransaction(this, value, amount, currency, processingCode, arqc, acInput, field55, _stan++);
    }

    private byte[] EcIdd(ushort atc, long? balance)
    {
        if (balance is not long value)
        {
            return [];
        }

        byte[] low5 = Bcd(value, 6)[1..];
        return [0x0A, 0x01, .. low5, .. Suite.Mac(SessionKeyMac(atc), [.. AtcBytes(atc), .. low5, 0x00], 4)];
    }

    /// <summary>The card checks 91 (EXTERNAL AUTHENTICATE, P8): ARPC = method 1 over the ARC that follows it.</summary>
    public bool AcceptsIssuerAuthentication(ReadOnlySpan<byte> tag91, ChipTransaction transaction) =>
        tag91.Length == 10 && Suite.Arpc1(SessionKeyAc(transaction.Atc), transaction.Arqc, tag91[8..]).AsSpan().SequenceEqual(tag91[..8]);

    /// <summary>
    /// The card checks one script command (P9): Lc counts data and MAC; the MAC is the suite MAC under SK-MAC over
    /// CLA INS P1 P2 Lc ‖ ATC ‖ ARQC ‖ data. Returns the data (still enciphered, if it was) or null.
    /// </summary>
    public byte[]? VerifyScriptCommand(byte[] command, ChipTransaction transaction)
    {
        if (command.Length < 9 || command[4] != command.Length - 5)
        {
            return null;
        }

        byte[] data = command[5..^4];
        byte[] input = [.. command[..5], .. AtcBytes(transaction.Atc), .. transaction.Arqc, .. data];
        return Suite.ScriptMac(SessionKeyMac(transaction.Atc), input).AsSpan().SequenceEqual(command.AsSpan(^4)) ? data : null;
    }

    /// <summary>Deciphers script data under SK-ENC (choice 11) as the card does.</summary>
    public byte[]? DecipherScriptData(byte[] data, ChipTransaction transaction)
    {
        byte[] plain = new byte[data.Length];
        return Suite.TryDecryptScriptData(SessionKeyEnc(transaction.Atc), data, plain, out int written) ? plain[..written] : null;
    }

    /// <summary>The second GENERATE AC's cryptogram (TC or AAC) over the P3 input with a new TVR and CVR.</summary>
    public byte[] FinalCryptogram(ChipTransaction transaction, byte[] tvr, byte[] cvr)
    {
        byte[] input = [.. transaction.AcInput[..14], .. tvr, .. transaction.AcInput[19..33], .. cvr];
        return Suite.GenerateAc(SessionKeyAc(transaction.Atc), input);
    }
}

/// <summary>One online transaction from the card; tests may edit <see cref="Field55"/> before building the request.</summary>
internal sealed class ChipTransaction(SimulatedCard card, ushort atc, long amount, string currency, string processingCode, byte[] arqc, byte[] acInput, List<(Tag Tag, byte[] Value)> field55, int stan)
{
    public SimulatedCard Card => card;

    public ushort Atc => atc;

    public long Amount { get; set; } = amount;

    public string Currency { get; set; } = currency;

    public string ProcessingCode => processingCode;

    public byte[] Arqc => arqc;

    public byte[] AcInput => acInput;

    public List<(Tag Tag, byte[] Value)> Field55 => field55;

    public int Stan => stan;

    public string TerminalId { get; set; } = "TERM0001";

    public byte[] EncodeField55()
    {
        using var writer = new TlvWriter();
        foreach (var (tag, value) in Field55)
        {
            if (tag.IsConstructed)
            {
                writer.WriteConstructed(tag, value);
            }
            else
            {
                writer.WritePrimitive(tag, value);
            }
        }

        return writer.ToArray();
    }

    public AuthorizationRequest Request => RequestWith(EncodeField55());

    public AuthorizationRequest RequestWith(byte[] iccData) =>
        new(card.Pan, card.Psn, Amount, Currency, processingCode, iccData, TerminalId, "MERCHANT0000001", stan, new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Local));

    public void Set(Tag tag, byte[] value)
    {
        int index = Field55.FindIndex(e => e.Tag == tag);
        if (index < 0)
        {
            Field55.Add((tag, value));
        }
        else
        {
            Field55[index] = (tag, value);
        }
    }

    public void Remove(Tag tag) => Field55.RemoveAll(e => e.Tag == tag);
}
