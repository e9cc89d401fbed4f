using System.Text;
using Jinka.Card.Applications;
using Jinka.Card.Applications.Pboc;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;

namespace Jinka.Card.Tests.Pboc;

/// <summary>What a test card is personalised with (the risk parameters are what the tests vary).</summary>
internal sealed record PbocProfile(AlgorithmSuite Suite)
{
    public int LowerConsecutiveLimit { get; init; } = 3;

    public int UpperConsecutiveLimit { get; init; } = 5;

    /// <summary>9F54, n12: 100.00.</summary>
    public string CumulativeLimit { get; init; } = "000000010000";

    /// <summary>9F5C, n12: 200.00.</summary>
    public string CumulativeUpperLimit { get; init; } = "000000020000";

    public string ApplicationDefaultAction { get; init; } = "0000";

    public string IssuerAuthenticationIndicator { get; init; } = "00";

    /// <summary>9F13 seed; "0000" makes a new card (online first).</summary>
    public string LastOnlineAtc { get; init; } = "0000";

    public string InitialAtc { get; init; } = "0000";

    public string Aip { get; init; } = "7D00";

    public bool WithLog { get; init; } = true;

    public bool WithPin { get; init; } = true;

    /// <summary>PIN 1234.</summary>
    public string PinBlock { get; init; } = "241234FFFFFFFFFF";

    public string PinTries { get; init; } = "0303";

    /// <summary>Adds the contactless FCI (9103, contract Q2) and the qPBOC GPO data (9207, Q4/Q5).</summary>
    public bool Contactless { get; init; }

    /// <summary>EC balance 9F79 (n12); null leaves EC out (a debit card without EC).</summary>
    public string? EcBalance { get; init; } = "000000000000";

    public string EcSingleLimit { get; init; } = "000000050000";

    public string EcBalanceLimit { get; init; } = "000000100000";

    /// <summary>EC reset threshold 9F6D; null leaves it out.</summary>
    public string? EcResetThreshold { get; init; } = "000000001000";

    /// <summary>Adds the EC load log (DF4D 0C0A, DF4F <see cref="PbocTestIssuer.LoadLogFormat"/>) to 0E01.</summary>
    public bool WithLoadLog { get; init; }

    /// <summary>The card's CVM limit 9F6B.</summary>
    public string CvmLimit { get; init; } = "000000050000";
}

/// <summary>
/// The test's data preparation: real keys, certificates and records for a profile, as the DGIs of contract D1–D10,
/// and a card personalised with them. Independent of the card's code except for the DGI hand-over.
/// </summary>
internal sealed class PbocTestIssuer
{
    public static readonly Aid Debit = Aid.Parse("A000000333010101");

    public const string Pdol = "9F7A019F02065F2A02DF6901";
    public const string Cdol1 = "9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14";
    public const string Cdol2 = "8A029F02069F03069F1A0295055F2A029A039C019F37049F2103";
    public const string LogFormat = "9A039F21039F02069F03069F1A025F2A029F4E149C019F3602";
    public const byte LogSfi = 11;
    public const string QpbocAfl = "10010301";
    public const string LoadLogFormat = "9A039F21039F1A029F4E149F3602";
    public const byte LoadLogSfi = 12;

    /// <summary>Contract Q2's contactless PDOL.</summary>
    public static string ContactlessPdol(bool sm, bool ec) => "9F66049F02069F03069F1A0295055F2A029A039C019F3704" + (sm ? "DF6901" : "") + (ec ? "9F7A01" : "");

    /// <summary>The data for <see cref="ContactlessPdol"/>: TTQ ‖ the P3 AC input elements ‖ (DF69 01) ‖ (9F7A 01).</summary>
    public byte[] ContactlessPdolData(Txn txn, string ttq) => Hex.Parse(ttq + txn.Amount + txn.Other + txn.Country + txn.Tvr + txn.Currency + txn.Date + txn.Type + txn.Un
        + (IsSm ? "01" : "") + (Profile.EcBalance is not null ? "01" : ""));

    public PbocTestIssuer(PbocProfile profile)
    {
        Profile = profile;
        Suite = profile.Suite;
        Udks = PbocTestKeys.Udks(Suite);
        Records = BuildRecords();
        Dgis = BuildDgis();
    }

    public PbocProfile Profile { get; }

    public AlgorithmSuite Suite { get; }

    public byte[][] Udks { get; }

    /// <summary>(SFI, record, template 70) in AFL order.</summary>
    public List<(int Sfi, int Number, byte[] Record)> Records { get; }

    public List<(ushort Dgi, byte[] Value)> Dgis { get; }

    /// <summary>The static data to be authenticated: the contents of SFI 2 record 1's template, then the AIP (9F4A = 82).</summary>
    public byte[] StaticData { get; private set; } = [];

    public EmvRsaPublicKey RsaCaPublicKey => new(PbocTestKeys.RsaCa.Modulus, PbocTestKeys.RsaCa.Exponent);

    public Sm2PublicKey Sm2CaPublicKey
    {
        get
        {
            using var ca = new Sm2PrivateKey(PbocTestKeys.Sm2CaD);
            return ca.PublicKey;
        }
    }

    public bool IsSm => Suite.Id == SuiteId.Sm;

    /// <summary>A powered card with the PSE and the debit application personalised from <see cref="Dgis"/>.</summary>
    public VirtualCard IssueCard(ICardRandom? random = null)
    {
        var card = new VirtualCard(PbocApplication.AddTo(new ApplicationCatalog()), options: new VirtualCardOptions { Random = random ?? new CountingRandom() });
        card.PowerOn();
        card.Install(ApplicationCatalog.PseModule, Aid.Pse);
        card.Install(PbocApplication.Module, Debit, new InstallOptions { Listing = DirectoryListing.Pse, Label = "PBOC DEBIT", Priority = 1 });
        Assert.Equal(StatusWord.Success, Personalize(card, Dgis));
        return card;
    }

    /// <summary>Hands DGIs to the application as a security domain would; the last one is the last block. Returns the first refusal.</summary>
    public static StatusWord Personalize(VirtualCard card, IReadOnlyList<(ushort Dgi, byte[] Value)> dgis, bool markLast = true)
    {
        var status = StatusWord.Success;
        card.Personalize(Debit, context =>
        {
            var application = new PbocApplication(Debit);
            for (int i = 0; i < dgis.Count && status == StatusWord.Success; i++)
            {
                status = application.StoreDgi(context, dgis[i].Dgi, dgis[i].Value, markLast && i == dgis.Count - 1);
            }
        });
        return status;
    }

    /// <summary>The CDOL1 data of a transaction (contract P4 order).</summary>
    public static byte[] Cdol1Data(Txn txn) => Hex.Parse(txn.Amount + txn.Other + txn.Country + txn.Tvr + txn.Currency + txn.Date + txn.Type + txn.Un + txn.Time + txn.MerchantHex);

    public static byte[] Cdol2Data(Txn txn, string arc = "3030") => Hex.Parse(arc + txn.Amount + txn.Other + txn.Country + txn.Tvr + txn.Currency + txn.Date + txn.Type + txn.Un + txn.Time);

    /// <summary>PDOL data: 9F7A (00, or 01 for an EC transaction), 9F02, 5F2A, DF69 (SM support 01 unless told).</summary>
    public static byte[] PdolData(Txn txn, byte smSupport = 0x01, bool ec = false) => Hex.Parse((ec ? "01" : "00") + txn.Amount + txn.Currency + smSupport.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));

    private List<(int, int, byte[])> BuildRecords()
    {
        var track2 = Tlv("57", Hex.Parse(PbocTestKeys.Pan + "D26122010000000000000F"));
        var name = Tlv("5F20", Encoding.ASCII.GetBytes("TEST/JINKA"));
        var risk = Concat(
            Tlv("5A", Hex.Parse(PbocTestKeys.Pan)),
            Tlv("5F24", Hex.Parse("261231")),
            Tlv("5F25", Hex.Parse("210101")),
            Tlv("5F34", [PbocTestKeys.Psn]),
            Tlv("8C", Hex.Parse(Cdol1)),
            Tlv("8D", Hex.Parse(Cdol2)),
            Tlv("8E", Hex.Parse("000000000000000042031E031F00")),
            Tlv("9F07", Hex.Parse("FF00")),
            Tlv("9F0D", Hex.Parse("D86004A800")),
            Tlv("9F0E", Hex.Parse("0010980000")),
            Tlv("9F0F", Hex.Parse("D86804F800")),
            Tlv("9F4A", [0x82]),
            Tlv("5F28", Hex.Parse("0156")),
            Tlv("9F08", Hex.Parse("0030")));
        StaticData = [.. risk, .. Hex.Parse(Profile.Aip)];

        byte[] issuerRecord;
        byte[] iccRecord;
        byte[] issuerId = Hex.Parse("621234FF");
        byte[] pan10 = Hex.Parse(PbocTestKeys.Pan + "FFFF");
        if (IsSm)
        {
            using var ca = new Sm2PrivateKey(PbocTestKeys.Sm2CaD);
            using var issuer = new Sm2PrivateKey(PbocTestKeys.Sm2IssuerD);
            using var icc = new Sm2PrivateKey(PbocTestKeys.Sm2IccD);
            var issuerCertificate = Sm2IssuerCertificate.Create(issuerId, Hex.Parse("1230"), Hex.Parse("000001"), issuer.PublicKey, ca);
            var iccCertificate = Sm2IccCertificate.Create(pan10, Hex.Parse("1230"), Hex.Parse("000002"), icc.PublicKey, StaticData, issuer);
            issuerRecord = Concat(Tlv("8F", [0x57]), Tlv("90", issuerCertificate.Encoded.ToArray()));
            iccRecord = Concat(Tlv("9F46", iccCertificate.Encoded.ToArray()), Tlv("9F49", Hex.Parse("9F3704")));
        }
        else
        {
            using var ca = PbocTestKeys.RsaKey(PbocTestKeys.RsaCa);
            using var issuer = PbocTestKeys.RsaKey(PbocTestKeys.RsaIssuer);
            using var icc = PbocTestKeys.RsaKey(PbocTestKeys.RsaIcc);
            var issuerCertificate = EmvRsaIssuerCertificate.Create(issuerId, Hex.Parse("1230"), Hex.Parse("000001"), issuer.PublicKey, ca);
            var iccCertificate = EmvRsaIccCertificate.Create(pan10, Hex.Parse("1230"), Hex.Parse("000002"), icc.PublicKey, StaticData, issuer);
            issuerRecord = Concat(Tlv("8F", [0x57]), Tlv("90", issuerCertificate.Certificate), Tlv("9F32", issuerCertificate.Exponent), Optional("92", issuerCertificate.Remainder));
            iccRecord = Concat(Tlv("9F46", iccCertificate.Certificate), Tlv("9F47", iccCertificate.Exponent), Optional("9F48", iccCertificate.Remainder), Tlv("9F49", Hex.Parse("9F3704")));
        }

        return
        [
            (1, 1, Tlv("70", Concat(track2, name))),
            (2, 1, Tlv("70", risk)),
            (2, 2, Tlv("70", issuerRecord)),
            (2, 3, Tlv("70", iccRecord)),
        ];
    }

    private List<(ushort, byte[])> BuildDgis()
    {
        var p = Profile;
        var dgis = new List<(ushort, byte[])>();
        foreach (var (sfi, number, record) in Records)
        {
            dgis.Add(((ushort)((sfi << 8) | number), record));
        }

        var fci = Concat(
            Tlv("50", Encoding.ASCII.GetBytes("PBOC DEBIT")),
            Tlv("87", [0x01]),
            Tlv("9F38", Hex.Parse(Pdol)),
            Tlv("5F2D", Encoding.ASCII.GetBytes("zhen")),
            Tlv("9F11", [0x01]),
            Tlv("9F12", Encoding.ASCII.GetBytes("UnionPay Debit")),
            p.WithLog ? Tlv("BF0C", Tlv("9F4D", [LogSfi, 0x0A])) : []);
        dgis.Add((0x9102, fci));
        dgis.Add((0x9104, Concat(Tlv("82", Hex.Parse(p.Aip)), Tlv("94", Hex.Parse("0801010010010301")))));
        dgis.Add((0x9200, Tlv("9F10", Hex.Parse("070101"))));
        dgis.Add((0x0D01, Concat(
            Tlv("9F58", [(byte)p.LowerConsecutiveLimit]),
            Tlv("9F59", [(byte)p.UpperConsecutiveLimit]),
            Tlv("9F54", Hex.Parse(p.CumulativeLimit)),
            Tlv("9F5C", Hex.Parse(p.CumulativeUpperLimit)),
            Tlv("9F52", Hex.Parse(p.ApplicationDefaultAction)),
            Tlv("9F56", Hex.Parse(p.IssuerAuthenticationIndicator)),
            Tlv("9F51", Hex.Parse("0156")),
            Tlv("9F13", Hex.Parse(p.LastOnlineAtc)),
            Tlv("9F36", Hex.Parse(p.InitialAtc)))));
        dgis.Add((0x0E01, Concat(
            p.WithLog ? Concat(Tlv("9F4F", Hex.Parse(LogFormat)), Tlv("9F4D", [LogSfi, 0x0A])) : [],
            Tlv("9F6B", Hex.Parse(p.CvmLimit)),
            Tlv("9F68", Hex.Parse("9940F000")),
            p.EcBalance is null ? [] : Tlv("9F79", Hex.Parse(p.EcBalance)),
            Tlv("9F77", Hex.Parse(p.EcBalanceLimit)),
            Tlv("9F78", Hex.Parse(p.EcSingleLimit)),
            p.EcResetThreshold is null ? [] : Tlv("9F6D", Hex.Parse(p.EcResetThreshold)),
            p.WithLoadLog ? Concat(Tlv("DF4D", [LoadLogSfi, 0x0A]), Tlv("DF4F", Hex.Parse(LoadLogFormat))) : [])));
        if (p.Contactless)
        {
            dgis.Add((0x9103, Concat(
                Tlv("50", Encoding.ASCII.GetBytes("PBOC DEBIT")),
                Tlv("87", [0x01]),
                Tlv("9F38", Hex.Parse(ContactlessPdol(IsSm, p.EcBalance is not null))),
                p.WithLog ? Tlv("BF0C", Tlv("9F4D", [LogSfi, 0x0A])) : [])));

            // Q5: only the record ODA signs (SFI 2 record 1) and the certificates (records 2, 3).
            dgis.Add((0x9207, Concat(Tlv("82", Hex.Parse(p.Aip)), Tlv("94", Hex.Parse(QpbocAfl)))));
        }

        var kcvs = Udks.SelectMany(k => Suite.KeyCheckValue(k)).ToArray();
        dgis.Add((IsSm ? (ushort)0x8030 : (ushort)0x8000, Udks.SelectMany(k => k).ToArray()));
        dgis.Add((IsSm ? (ushort)0x9030 : (ushort)0x9000, kcvs));
        if (IsSm)
        {
            dgis.Add((0x8100, PbocTestKeys.Sm2IccD));
        }
        else
        {
            var icc = PbocTestKeys.RsaIcc;
            dgis.Add((0x8201, icc.InverseQ!));
            dgis.Add((0x8202, icc.DQ!));
            dgis.Add((0x8203, icc.DP!));
            dgis.Add((0x8204, icc.Q!));
            dgis.Add((0x8205, icc.P!));
            dgis.Add((0x8206, icc.Modulus!));
            dgis.Add((0x8207, icc.Exponent!));
        }

        if (p.WithPin)
        {
            dgis.Add((0x8010, Hex.Parse(p.PinBlock)));
            dgis.Add((0x9010, Hex.Parse(p.PinTries)));
        }

        return dgis;
    }

    public static byte[] Tlv(string tag, byte[] value)
    {
        using var writer = new TlvWriter(value.Length + 8);
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

    private static byte[] Optional(string tag, byte[] value) => value.Length == 0 ? [] : Tlv(tag, value);

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}

/// <summary>One transaction's terminal data (hex), contract P4 elements.</summary>
internal sealed record Txn
{
    public string Amount { get; init; } = "000000001000";

    public string Other { get; init; } = "000000000000";

    public string Country { get; init; } = "0156";

    public string Tvr { get; init; } = "0000000000";

    public string Currency { get; init; } = "0156";

    public string Date { get; init; } = "260315";

    public string Type { get; init; } = "00";

    public string Un { get; init; } = "11223344";

    public string Time { get; init; } = "120000";

    public string MerchantHex { get; init; } = Hex.Encode(Encoding.ASCII.GetBytes("JINKA TEST MERCHANT "));
}
