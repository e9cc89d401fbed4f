using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Emv;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Keys;
using Jinka.Issuance.Profiles;
using static Jinka.Issuance.Preparation.OdaChain;

namespace Jinka.Issuance.Preparation;

/// <summary>How data preparation draws its randoms.</summary>
public sealed record PreparationOptions
{
    /// <summary>A seed for reproducible issuer/ICC key pairs, serial numbers and DACs (tests, golden files; D18); null for fresh ones.</summary>
    public byte[]? Seed { get; init; }
}

/// <summary>
/// Data preparation for the PBOC debit/credit application (contracts D1–D14, P1–P11): the records and AFL, the ODA
/// chain signed over the static data exactly as a terminal rebuilds it, the GET DATA objects, GPO and GAC constants,
/// the ICC private key and PIN, the PSE directory.
/// </summary>
public sealed class DataPreparation(CaKeyStore caKeys)
{
    /// <summary>SFIs of the application files: 1 (track 2, name; signed), 2 (card data; signed), 3 (certificates; not signed).</summary>
    public const int TrackSfi = 1;
    public const int CardDataSfi = 2;
    public const int CertificateSfi = 3;

    /// <summary>P11 log format 9F4F: 9A03 9F2103 9F0206 9F0306 9F1A02 5F2A02 9F4E14 9C01 9F3602.</summary>
    public static IReadOnlyList<byte> LogFormat { get; } = Convert.FromHexString("9A039F21039F02069F03069F1A025F2A029F4E149C019F3602");

    /// <summary>Q37 load log format DF4F: 9A03 9F2103 9F1A02 9F4E14 9F3602 (each record is prefixed by Q29's P1P2 ‖ before ‖ after).</summary>
    public static IReadOnlyList<byte> LoadLogFormat { get; } = Convert.FromHexString("9A039F21039F1A029F4E149F3602");

    private readonly CaKeyStore _caKeys = caKeys ?? throw new ArgumentNullException(nameof(caKeys));

    /// <exception cref="KeyNotFoundException">The profile's CA key is not in the store.</exception>
    public PreparedCard Prepare(CardProfile profile, PreparationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        options ??= new PreparationOptions();
        var seed = options.Seed is { Length: > 0 } s ? new DeterministicRandom(s, "jinka-issuance") : null;
        IRandomSource random = seed?.For("serials") ?? (IRandomSource)SystemRandomSource.Instance;
        byte[] aip = profile.Aip;
        bool oda = profile.Oda != OdaMethods.None;

        OdaChain? chain = oda ? CertifyIssuer(profile, _caKeys.Get(CardProfile.UnionPayRid, profile.CaIndex), random, seed) : null;
        try
        {
            var records = new RecordLayout();
            // A contactless card returns 57 and 5F34 in its qPBOC GPO response (Q4), so the qPBOC AFL must not list
            // the file that holds them (a kernel stops on duplicate data, EMV Book 3 §10.2): that file then holds
            // 57, 5F20 and 5F34, is read on the contact path only, and stays out of the signed data, so one ICC
            // certificate serves both AFLs (Q34).
            records.AddFile(TrackSfi, TrackData(profile), signed: oda && !profile.Contactless);
            records.AddFile(CardDataSfi, CardData(profile, oda), signed: oda);
            byte[] staticData = oda ? records.StaticData(aip) : [];
            if (chain is not null)
            {
                chain.CertifyCard(staticData);
                records.AddFile(CertificateSfi, chain.DataObjects(), signed: false);
            }

            var applications = profile.Applications.Select(app => PrepareApplication(profile, app, records, aip, chain)).ToList();
            return new PreparedCard(profile, applications, PseDgis(profile), records, staticData, chain);
        }
        catch
        {
            chain?.Dispose();
            throw;
        }
    }

    private static IEnumerable<byte[]> TrackData(CardProfile profile)
    {
        yield return Tlv(0x57, EmvEncoding.Track2(profile.Pan, profile.ExpiryDate, profile.ServiceCode));
        yield return Tlv(0x5F20, EmvEncoding.Ascii(profile.CardholderName));
        if (profile.Contactless)
        {
            yield return Tlv(0x5F34, [profile.Psn]);
        }
    }

    private static IEnumerable<byte[]> CardData(CardProfile profile, bool oda)
    {
        yield return Tlv(0x5F24, EmvEncoding.Date(profile.ExpiryDate));
        yield return Tlv(0x5F25, EmvEncoding.Date(profile.EffectiveDate));
        yield return Tlv(0x5A, EmvEncoding.CompressedNumeric(profile.Pan));
        if (!profile.Contactless)
        {
            yield return Tlv(0x5F34, [profile.Psn]);
        }

        yield return Tlv(0x9F07, profile.Auc);
        yield return Tlv(0x8E, profile.CvmList);
        yield return Tlv(0x9F0D, profile.IacDefault);
        yield return Tlv(0x9F0E, profile.IacDenial);
        yield return Tlv(0x9F0F, profile.IacOnline);
        yield return Tlv(0x5F28, EmvEncoding.Numeric(profile.IssuerCountry, 2));
        yield return Tlv(0x9F08, profile.ApplicationVersion);
        yield return Tlv(0x8C, profile.Cdol1);
        yield return Tlv(0x8D, profile.Cdol2);
        yield return Tlv(0x9F42, EmvEncoding.Numeric(profile.Currency, 2));
        yield return Tlv(0x9F44, [profile.CurrencyExponent]);
        yield return Tlv(0x5F30, EmvEncoding.Numeric(int.Parse(profile.ServiceCode, System.Globalization.CultureInfo.InvariantCulture), 2));
        if (oda)
        {
            yield return Tlv(0x9F4A, [0x82]);
        }
    }

    private static PreparedApplication PrepareApplication(CardProfile profile, ApplicationProfile application, RecordLayout records, byte[] aip, OdaChain? chain)
    {
        var plain = new List<DgiElement>();
        plain.AddRange(records.Records.Select(r => new DgiElement(r.Dgi, r.Template)));
        plain.Add(new DgiElement(0x9102, FciProprietary(profile, application)));
        plain.Add(new DgiElement(0x9104, (byte[])[.. Tlv(0x82, aip), .. Tlv(0x94, records.EncodeAfl())]));
        plain.Add(new DgiElement(0x9200, Tlv(0x9F10, [0x07, profile.Dki, 0x01])));
        plain.Add(new DgiElement(0x0D01, RiskData(profile)));
        byte[] logData = profile.Log is { } log ? [.. Tlv(0x9F4D, [(byte)log.Sfi, (byte)log.Records]), .. Tlv(0x9F4F, [.. LogFormat])] : [];
        byte[] internalData = [.. logData, .. ElectronicCashData(profile)];
        if (internalData.Length > 0)
        {
            plain.Add(new DgiElement(0x0E01, internalData));
        }

        if (profile.Contactless)
        {
            // Q2: the contactless FCI with its PDOL; Q4/Q5/Q34: 9207 = AIP ‖ the AFL without the track file, whose data
            // the GPO response carries: what is left is exactly what fDDA reads (the signed file and the certificates).
            plain.Add(new DgiElement(0x9103, FciProprietary(profile, application, ContactlessPdol(profile))));
            // Q38: an RSA ICC key longer than 1024 bits signs fDDA into the virtual record SFI 6 record 1 (NOTES A.8).
            byte[] fddaRecord = profile.IccKey is { IsRsa: true, ModulusLength: > 128 } ? [0x30, 0x01, 0x01, 0x00] : [];
            byte[] qpbocAfl = [.. records.Afl.Where(e => e.Sfi != TrackSfi).SelectMany(e => e.Encode()), .. fddaRecord];
            plain.Add(new DgiElement(0x9207, (byte[])[.. Tlv(0x82, aip), .. Tlv(0x94, qpbocAfl)]));
        }

        var secrets = new List<DgiElement>();
        if (chain?.IccKey?.Rsa is { } rsa)
        {
            plain.Add(new DgiElement(DgiProtection.RsaModulus, rsa.PublicKey.Modulus.ToArray()));
            plain.Add(new DgiElement(DgiProtection.RsaExponent, rsa.PublicKey.Exponent.ToArray()));
            var parameters = rsa.ExportParameters();
            int part = (rsa.ModulusLength + 1) / 2;
            secrets.Add(new DgiElement(0x8201, LeftPad(parameters.InverseQ!, part)));
            secrets.Add(new DgiElement(0x8202, LeftPad(parameters.DQ!, part)));
            secrets.Add(new DgiElement(0x8203, LeftPad(parameters.DP!, part)));
            secrets.Add(new DgiElement(0x8204, LeftPad(parameters.Q!, part)));
            secrets.Add(new DgiElement(0x8205, LeftPad(parameters.P!, part)));
            foreach (var array in new[] { parameters.D, parameters.P, parameters.Q, parameters.DP, parameters.DQ, parameters.InverseQ })
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(array);
            }
        }
        else if (chain?.IccKey?.Sm2 is { } sm2)
        {
            secrets.Add(new DgiElement(DgiProtection.Sm2PrivateKey, sm2.ExportD()));
        }

        plain.Add(new DgiElement(0x9010, new[] { profile.PinTryLimit, profile.PinTryLimit }));
        secrets.Add(new DgiElement(DgiProtection.PinBlock, EmvEncoding.PinBlock(profile.Pin)));

        bool sm = profile.Suite == SuiteId.Sm;
        var keys = new CardKeyExport(
            sm ? DgiProtection.Sm4Keys : DgiProtection.DesKeys,
            sm ? (ushort)0x9030 : (ushort)0x9000,
            profile.MdkAc.Label,
            profile.MdkMac.Label,
            profile.MdkEnc.Label,
            profile.Pan,
            profile.Psn,
            UdkOption.OptionA);
        return new PreparedApplication(application, plain, keys, secrets);
    }

    /// <summary>Contract Q2's contactless PDOL: TTQ and P3's AC input, DF69 on SM cards, 9F7A on EC cards.</summary>
    public static byte[] ContactlessPdol(CardProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return
        [
            .. Convert.FromHexString("9F66049F02069F03069F1A0295055F2A029A039C019F3704"),
            .. profile.Suite == SuiteId.Sm ? Convert.FromHexString("DF6901") : [],
            .. profile.ElectronicCash is null ? [] : Convert.FromHexString("9F7A01"),
        ];
    }

    /// <summary>Q9–Q11: 9F79, 9F77, 9F78, 9F6D (when set) and the CVM limit 9F6B, all n12.</summary>
    private static byte[] ElectronicCashData(CardProfile profile)
    {
        if (profile.ElectronicCash is not { } ec)
        {
            return [];
        }

        return
        [
            .. Tlv(0x9F79, EmvEncoding.Numeric(ec.Balance, 6)),
            .. Tlv(0x9F77, EmvEncoding.Numeric(ec.BalanceLimit, 6)),
            .. Tlv(0x9F78, EmvEncoding.Numeric(ec.SingleLimit, 6)),
            .. ec.ResetThreshold is { } threshold ? Tlv(0x9F6D, EmvEncoding.Numeric(threshold, 6)) : [],
            .. Tlv(0x9F6B, EmvEncoding.Numeric(ec.CvmLimit, 6)),
            .. ec.LoadLog is { } log ? (byte[])[.. Tlv(0xDF4D, [(byte)log.Sfi, (byte)log.Records]), .. Tlv(0xDF4F, [.. LoadLogFormat])] : [],
        ];
    }

    /// <summary>D2: 50, 87, 9F38, 5F2D, 9F11 ‖ 9F12, BF0C { 9F4D }.</summary>
    private static byte[] FciProprietary(CardProfile profile, ApplicationProfile application, byte[]? pdol = null)
    {
        pdol ??= profile.Pdol;
        using var writer = new TlvWriter(128);
        writer.WritePrimitive(new Tag(0x50), EmvEncoding.Ascii(application.Label));
        writer.WritePrimitive(new Tag(0x87), [application.Priority]);
        if (pdol.Length > 0)
        {
            writer.WritePrimitive(new Tag(0x9F38), pdol);
        }

        writer.WritePrimitive(new Tag(0x5F2D), EmvEncoding.Ascii(profile.Language));
        if (application.PreferredName is { } name)
        {
            writer.WritePrimitive(new Tag(0x9F11), [0x01]);
            writer.WritePrimitive(new Tag(0x9F12), EmvEncoding.Ascii(name));
        }

        WriteLogEntry(writer, profile);
        return writer.ToArray();
    }

    private static void WriteLogEntry(TlvWriter writer, CardProfile profile)
    {
        if (profile.Log is { } log)
        {
            using (writer.PushConstructed(new Tag(0xBF0C)))
            {
                writer.WritePrimitive(new Tag(0x9F4D), [(byte)log.Sfi, (byte)log.Records]);
            }
        }
    }

    /// <summary>D5, card risk management part: initial ATC and LOATC, the offline limits and amounts, ADA, 9F56, 9F51.</summary>
    private static byte[] RiskData(CardProfile profile)
    {
        var risk = profile.Risk;
        return
        [
            .. Tlv(0x9F36, [0x00, 0x00]),
            .. Tlv(0x9F13, [0x00, 0x00]),
            .. Tlv(0x9F14, [risk.LowerConsecutiveOfflineLimit]),
            .. Tlv(0x9F23, [risk.UpperConsecutiveOfflineLimit]),
            .. Tlv(0x9F58, [risk.LowerConsecutiveOfflineLimit]),
            .. Tlv(0x9F59, [risk.UpperConsecutiveOfflineLimit]),
            .. Tlv(0x9F53, [risk.ConsecutiveInternationalLimit]),
            .. Tlv(0x9F54, EmvEncoding.Numeric(risk.CumulativeAmountLimit, 6)),
            .. Tlv(0x9F5C, EmvEncoding.Numeric(risk.CumulativeAmountUpperLimit, 6)),
            .. Tlv(0x9F52, risk.ApplicationDefaultAction),
            .. Tlv(0x9F56, [risk.IssuerAuthenticationIndicator]),
            .. Tlv(0x9F51, EmvEncoding.Numeric(profile.Currency, 2)),
        ];
    }

    /// <summary>D12: the PSE directory (70 { 61 { 4F, 50, 87 [, 9F12] } … }) as records 0101…, its FCI data 9102 (88 01, 5F2D, BF0C { 9F4D }).</summary>
    private static List<DgiElement> PseDgis(CardProfile profile)
    {
        var directory = new RecordLayout();
        directory.AddFile(1, profile.Applications.Select(DirectoryEntry), signed: false);
        var dgis = directory.Records.Select(r => new DgiElement(r.Dgi, r.Template)).ToList();
        using var writer = new TlvWriter(32);
        writer.WritePrimitive(new Tag(0x88), [0x01]);
        writer.WritePrimitive(new Tag(0x5F2D), EmvEncoding.Ascii(profile.Language));
        WriteLogEntry(writer, profile);
        dgis.Add(new DgiElement(0x9102, writer.ToArray()));
        return dgis;
    }

    private static byte[] DirectoryEntry(ApplicationProfile application)
    {
        using var writer = new TlvWriter(64);
        using (writer.PushConstructed(new Tag(0x61)))
        {
            writer.WritePrimitive(new Tag(0x4F), application.Aid.Span);
            writer.WritePrimitive(new Tag(0x50), EmvEncoding.Ascii(application.Label));
            writer.WritePrimitive(new Tag(0x87), [application.Priority]);
            if (application.PreferredName is { } name)
            {
                writer.WritePrimitive(new Tag(0x9F12), EmvEncoding.Ascii(name));
            }
        }

        return writer.ToArray();
    }

    private static byte[] LeftPad(byte[] value, int length)
    {
        var trimmed = value.AsSpan().TrimStart((byte)0);
        if (trimmed.Length > length)
        {
            throw new InvalidOperationException($"a {trimmed.Length}-byte CRT part does not fit {length} bytes");
        }

        var padded = new byte[length];
        trimmed.CopyTo(padded.AsSpan(length - trimmed.Length));
        return padded;
    }
}
