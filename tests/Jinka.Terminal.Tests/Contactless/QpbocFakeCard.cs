using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Jinka.Crypto.Certificates;
using Jinka.Crypto;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contactless;

/// <summary>What a test can break in the qPBOC card.</summary>
public enum QpbocTamper
{
    None,
    SignedDynamicData,
    CardAuthenticationData,

    /// <summary>The card signs over another terminal unpredictable number (9F37) than the one the reader sent.</summary>
    UnpredictableNumber,
}

/// <summary>
/// A qPBOC card as the contract says (Q1–Q8): PPSE, contactless FCI with the Q2 PDOL, a format 2 GPO with the
/// cryptogram type in CVR byte 1, 9F69 = 01 ‖ UN ‖ CTQ ‖ 00, and 9F4B signed over 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69 with the
/// test keys; the AFL lists only the ODA records.
/// </summary>
internal sealed class QpbocFakeCard : IApduTransport
{
    public const string Aid = "A000000333010101";
    private static readonly Tag[] s_pdolTags = [new(0x9F66), new(0x9F02), new(0x9F03), new(0x9F1A), new(0x95), new(0x5F2A), new(0x9A), new(0x9C), new(0x9F37)];
    private readonly Random _random = new(11);
    private readonly Dictionary<(int, int), byte[]> _records = [];
    private readonly bool _sm;

    public QpbocFakeCard(bool sm)
    {
        _sm = sm;
        Pdol = "9F66049F02069F03069F1A0295055F2A029A039C019F3704" + (sm ? "DF6901" : "") + "9F7A01";
        byte[] record1 = Template(
            Tlv("5A", Hex.Parse(Pan)), Tlv("5F24", Hex.Parse("301231")), Tlv("9F4A", [0x82]));
        byte[] staticData = [.. TlvNode.Parse(record1)[0].Value.Span, .. Aip];
        byte[] caIndex = [sm ? TestKeys.Sm2CaIndex : TestKeys.RsaCaIndex];
        if (sm)
        {
            var issuer = Sm2IssuerCertificate.Create(Hex.Parse(Pan[..6] + "FF"), Hex.Parse("1230"), Hex.Parse("000001"), TestKeys.Sm2Issuer.PublicKey, TestKeys.Sm2Ca);
            var icc = Sm2IccCertificate.Create(Hex.Parse(Pan.PadRight(20, 'F')), Hex.Parse("1230"), Hex.Parse("000002"), TestKeys.Sm2Icc.PublicKey, staticData, TestKeys.Sm2Issuer);
            _records[(2, 1)] = Template(Tlv("8F", caIndex), Tlv("90", issuer.Encoded.ToArray()));
            _records[(2, 2)] = Template(Tlv("9F46", icc.Encoded.ToArray()));
        }
        else
        {
            var issuer = EmvRsaIssuerCertificate.Create(Hex.Parse(Pan[..6] + "FF"), Hex.Parse("1230"), Hex.Parse("000001"), TestKeys.RsaIssuer.PublicKey, TestKeys.RsaCa);
            var icc = EmvRsaIccCertificate.Create(Hex.Parse(Pan.PadRight(20, 'F')), Hex.Parse("1230"), Hex.Parse("000002"), TestKeys.RsaIcc.PublicKey, staticData, TestKeys.RsaIssuer);
            _records[(2, 1)] = Template(Tlv("8F", caIndex), Tlv("90", issuer.Certificate), Tlv("92", issuer.Remainder), Tlv("9F32", issuer.Exponent));
            _records[(2, 2)] = Template(Tlv("9F46", icc.Certificate), Tlv("9F47", icc.Exponent), Tlv("9F48", icc.Remainder));
        }

        _records[(1, 1)] = record1;
    }

    public const string Pan = "6225880000000001";

    public static byte[] Aip => [0x00, 0x00];

    /// <summary>SFI 1 record 1 (1 for ODA), SFI 2 records 1–2.</summary>
    public static string Afl => "08010101" + "10010200";

    public string Pdol { get; }

    /// <summary>Amounts up to this are approved offline (when the TTQ does not ask for online).</summary>
    public long OfflineLimit { get; init; } = 10000;

    /// <summary>The card's CTQ 9F6C.</summary>
    public string Ctq { get; init; } = "0000";

    public bool Decline { get; init; }

    /// <summary>The status word GPO answers instead of the response.</summary>
    public ushort? GpoStatus { get; init; }

    /// <summary>The status word SELECT PPSE answers instead of the directory.</summary>
    public ushort? PpseStatus { get; init; }

    /// <summary>Tags left out of the GPO response.</summary>
    public IReadOnlyList<string> OmitFromGpo { get; init; } = [];

    /// <summary>The CVR byte 1 to send instead of the computed one.</summary>
    public byte? CvrByte1 { get; init; }

    public QpbocTamper Tamper { get; init; }

    public List<CommandApdu> Commands { get; } = [];

    /// <summary>Throw a <see cref="TransportException"/> (card removed) at this 0-based command number.</summary>
    public int? DisappearAt { get; init; }

    public byte[]? PdolData { get; private set; }

    /// <summary>The EC balance 9F79, debited by an offline approval with 9F7A = 01 (contract Q9).</summary>
    public long Balance { get; set; } = 50000;

    /// <summary>Answer GET DATA 9F79 with this instead of the balance (malformed-response tests).</summary>
    public byte[]? BalanceResponse { get; init; }

    public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        Commands.Add(command);
        if (DisappearAt == Commands.Count - 1)
        {
            throw new TransportException(TransportFailure.CardRemoved, "card removed");
        }

        return ValueTask.FromResult(Answer(command));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private ResponseApdu Answer(CommandApdu command) => (command.Cla, command.Ins) switch
    {
        (0x00, 0xA4) when PpseStatus is ushort sw && command.Data.Span.SequenceEqual("2PAY.SYS.DDF01"u8) => new ResponseApdu([], new StatusWord(sw)),
        (0x00, 0xA4) when command.Data.Span.SequenceEqual("2PAY.SYS.DDF01"u8) => Ok(Tlv("6F", [.. Tlv("84", "2PAY.SYS.DDF01"u8.ToArray()), .. Tlv("A5", Tlv("BF0C", Tlv("61", [.. Tlv("4F", Hex.Parse(Aid)), .. Tlv("50", "UICS"u8.ToArray()), .. Tlv("87", [0x01])])))])),
        (0x00, 0xA4) when command.Data.Span.SequenceEqual(Hex.Parse(Aid)) => Ok(Tlv("6F", [.. Tlv("84", Hex.Parse(Aid)), .. Tlv("A5", [.. Tlv("50", "UICS"u8.ToArray()), .. Tlv("9F38", Hex.Parse(Pdol))])])),
        (0x80, 0xA8) when GpoStatus is ushort sw => new ResponseApdu([], new StatusWord(sw)),
        (0x80, 0xA8) => Gpo(command),
        (0x00, 0xB2) when _records.TryGetValue((command.P2 >> 3, command.P1), out var record) => Ok(record),
        (0x00, 0xB2) => new ResponseApdu([], new StatusWord(0x6A83)),
        (0x80, 0xCA) when command.P1 == 0x9F && command.P2 == 0x79 => Ok(BalanceResponse ?? Tlv("9F79", Hex.Parse(Balance.ToString("D12", System.Globalization.CultureInfo.InvariantCulture)))),
        _ => new ResponseApdu([], new StatusWord(0x6D00)),
    };

    private ResponseApdu Gpo(CommandApdu command)
    {
        var dol = Dol.Parse(Hex.Parse(Pdol));
        var body = TlvNode.Parse(command.Data)[0].Value.ToArray();
        if (!dol.TrySplit(body, out var elements))
        {
            return new ResponseApdu([], new StatusWord(0x6700));
        }

        PdolData = body;
        var values = elements.ToDictionary(e => e.Tag, e => e.Value.ToArray());
        long amount = long.Parse(Hex.Encode(values[new Tag(0x9F02)]), System.Globalization.CultureInfo.InvariantCulture);
        bool onlineRequired = (values[new Tag(0x9F66)][1] & 0x80) != 0;
        byte typeBits = Decline ? (byte)0x00 : onlineRequired || amount > OfflineLimit ? (byte)0x02 : (byte)0x01;
        byte[] cvr = [0x03, CvrByte1 ?? (byte)(0x80 | (typeBits << 4)), 0x00, 0x00];
        byte[] atc = [0x00, 0x07];
        byte[] input = [.. s_pdolTags.SelectMany(t => values[t]), .. Aip, .. atc, .. cvr];
        var suite = AlgorithmSuite.Get(_sm ? SuiteId.Sm : SuiteId.International);
        var key = suite.DeriveSessionKey(suite.DeriveUdk(TestKeys.MdkAc, Pan, 0x01), atc);
        var ac = suite.GenerateAc(key, input);
        byte[] iad = [0x07, 0x01, 0x01, .. cvr, suite.AlgorithmIdentifier];
        var ctq = Hex.Parse(Ctq);
        var cardUn = new byte[4];
        _random.NextBytes(cardUn);
        byte[] cardData = [0x01, .. cardUn, .. ctq, 0x00];
        var response = new List<byte>();
        response.AddRange(Tlv("82", Aip));
        response.AddRange(Tlv("94", Hex.Parse(Afl)));
        response.AddRange(Tlv("9F36", atc));
        response.AddRange(Tlv("57", Hex.Parse(Pan + "D3012201123450000F")));
        response.AddRange(Tlv("5F34", [0x01]));
        response.AddRange(Tlv("9F26", ac));
        response.AddRange(Tlv("9F10", iad));
        response.AddRange(Tlv("9F6C", ctq));
        if (typeBits == 0x01)
        {
            if (values.TryGetValue(new Tag(0x9F7A), out var ec) && ec[0] == 0x01)
            {
                Balance -= amount;
            }

            byte[] un = values[new Tag(0x9F37)].ToArray();
            un[^1] ^= Tamper == QpbocTamper.UnpredictableNumber ? (byte)0x01 : (byte)0x00;
            byte[] terminalData = [.. un, .. values[new Tag(0x9F02)], .. values[new Tag(0x5F2A)], .. cardData];
            var dynamicNumber = new byte[8];
            _random.NextBytes(dynamicNumber);
            byte[] sdad = _sm
                ? Sm2SignedDynamicData.Create([0x08, .. dynamicNumber], terminalData, TestKeys.Sm2Icc).Encoded.ToArray()
                : EmvRsaSignedDynamicData.Create([0x08, .. dynamicNumber], terminalData, TestKeys.RsaIcc);
            CardPersonalisation.Flip(sdad, Tamper == QpbocTamper.SignedDynamicData);
            if (Tamper == QpbocTamper.CardAuthenticationData)
            {
                cardData[1] ^= 0x55;
            }

            response.AddRange(Tlv("9F69", cardData));
            response.AddRange(Tlv("9F4B", sdad));
        }

        var kept = TlvNode.Parse(response.ToArray()).Where(n => !OmitFromGpo.Contains(n.Tag.ToString())).SelectMany(n => Tlv(n.Tag.ToString(), n.Value.ToArray()));
        return Ok(Tlv("77", [.. kept]));
    }

    private static ResponseApdu Ok(byte[] data) => new(data, StatusWord.Success);

    private static byte[] Template(params byte[][] objects) => Tlv("70", [.. objects.SelectMany(o => o)]);

    public static byte[] Tlv(string tag, byte[] value)
    {
        using var writer = new TlvWriter();
        var parsed = Tag.Parse(tag);
        if (parsed.IsConstructed)
        {
            writer.WriteConstructed(parsed, value);
        }
        else
        {
            writer.WritePrimitive(parsed, value);
        }

        return writer.ToArray();
    }
}

/// <summary>A host that records the request and answers with a fixed response code.</summary>
internal sealed class RecordingHost(string responseCode = "00") : IAuthorizationClient
{
    public List<AuthorizationRequest> Requests { get; } = [];

    /// <summary>Thrown instead of answering (an unreachable host).</summary>
    public Exception? Failure { get; init; }

    public ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        Requests.Add(request);
        if (Failure is not null)
        {
            throw Failure;
        }

        return ValueTask.FromResult(new AuthorizationResponse(responseCode, ReadOnlyMemory<byte>.Empty));
    }

    public ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
