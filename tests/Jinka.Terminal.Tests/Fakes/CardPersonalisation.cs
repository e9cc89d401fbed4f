using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto.Certificates;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>
/// Lays out a fake card from a <see cref="CardProfile"/>: the PSE and its directory, each application's FCI, the
/// records (SFI 1: cardholder and risk data, the ODA records; SFI 2: keys and certificates) and the certificates
/// themselves, made with Jinka.Crypto over the real static data to be authenticated.
/// </summary>
internal sealed class CardPersonalisation
{
    public CardPersonalisation(CardProfile profile)
    {
        Profile = profile;
        var record1 = Template(w =>
        {
            Put(w, "57", profile.Pan + "D" + profile.ExpiryDate[..4] + "220123450000F");
            Put(w, "5F20", Hex.Encode("TEST/CARDHOLDER"u8));
            w.WriteEncoded(Hex.Parse(profile.ExtraRecordData));
        });
        var record2 = Template(w =>
        {
            Put(w, "5A", profile.Pan.Length % 2 == 0 ? profile.Pan : profile.Pan + "F");
            Put(w, "5F24", profile.ExpiryDate);
            Put(w, "5F25", profile.EffectiveDate);
            Put(w, "5F28", profile.IssuerCountry);
            Put(w, "5F34", $"{profile.Psn:X2}");
            Put(w, "9F07", profile.Auc);
            Put(w, "9F08", profile.ApplicationVersion);
            Put(w, "8E", profile.CvmList);
            Put(w, "9F0D", profile.IacDefault);
            Put(w, "9F0E", profile.IacDenial);
            Put(w, "9F0F", profile.IacOnline);
            Put(w, "8C", profile.Cdol1);
            Put(w, "8D", profile.Cdol2);
            Put(w, "9F42", profile.ApplicationCurrency);
            Put(w, "9F14", profile.LowerConsecutiveOfflineLimit is byte l ? $"{l:X2}" : null);
            Put(w, "9F23", profile.UpperConsecutiveOfflineLimit is byte u ? $"{u:X2}" : null);
            Put(w, "9F4A", profile.StaticDataTagList);
            Put(w, "9F49", profile.Ddol);
        });

        var aip = Hex.Parse(profile.Aip);
        byte[] staticData = [.. Value(record1), .. Value(record2), .. (profile.StaticDataTagList == "82" ? aip : [])];
        StaticData = staticData;
        var (keys, certificates, signedStatic) = profile.IsSm ? SmObjects(profile, staticData) : RsaObjects(profile, staticData);

        if (profile.Tamper == Tamper.StaticDataAfterSigning)
        {
            record1 = Template(w =>
            {
                Put(w, "57", profile.Pan + "D" + profile.ExpiryDate[..4] + "220123450000F");
                Put(w, "5F20", Hex.Encode("TEST/CARDHOLDEX"u8));
                w.WriteEncoded(Hex.Parse(profile.ExtraRecordData));
            });
        }

        byte caIndex = profile.CaIndex ?? (profile.IsSm ? TestKeys.Sm2CaIndex : TestKeys.RsaCaIndex);
        Records[(1, 1)] = record1;
        Records[(1, 2)] = record2;
        Records[(2, 1)] = Template(w =>
        {
            Put(w, "8F", $"{caIndex:X2}");
            Put(w, "90", Hex.Encode(certificates.Issuer));
            Put(w, "92", certificates.IssuerRemainder.Length > 0 ? Hex.Encode(certificates.IssuerRemainder) : null);
            Put(w, "9F32", keys.IssuerExponent is { } e ? Hex.Encode(e) : null);
        });
        Records[(2, 2)] = Template(w =>
        {
            Put(w, "9F46", Hex.Encode(certificates.Icc));
            Put(w, "9F47", keys.IccExponent is { } e ? Hex.Encode(e) : null);
            Put(w, "9F48", certificates.IccRemainder.Length > 0 ? Hex.Encode(certificates.IccRemainder) : null);
        });
        Records[(2, 3)] = Template(w => Put(w, "93", Hex.Encode(signedStatic)));
        Afl = Hex.Parse("08010202" + "10010300");
        Aip = aip;
    }

    public CardProfile Profile { get; }

    public Dictionary<(int Sfi, int Record), byte[]> Records { get; } = [];

    public byte[] Afl { get; }

    public byte[] Aip { get; }

    public byte[] StaticData { get; }

    public byte[] ApplicationFci(string aid, string label, byte? priority, string pdol) => Encode(w =>
    {
        using (w.PushConstructed(new Tag(0x6F)))
        {
            Put(w, "84", aid);
            using (w.PushConstructed(new Tag(0xA5)))
            {
                Put(w, "50", Hex.Encode(System.Text.Encoding.ASCII.GetBytes(label)));
                Put(w, "87", priority is byte p ? $"{p:X2}" : null);
                Put(w, "9F38", pdol.Length > 0 ? pdol : null);
                Put(w, "5F2D", Hex.Encode("zhen"u8));
                using (w.PushConstructed(new Tag(0xBF0C)))
                {
                    Put(w, "9F4D", "0B0A");
                }
            }
        }
    });

    public byte[] PseFci() => Encode(w =>
    {
        using (w.PushConstructed(new Tag(0x6F)))
        {
            Put(w, "84", Hex.Encode("1PAY.SYS.DDF01"u8));
            using (w.PushConstructed(new Tag(0xA5)))
            {
                Put(w, "88", "01");
                Put(w, "5F2D", Hex.Encode("zhen"u8));
            }
        }
    });

    /// <summary>One directory record listing every application (NOTES A.2: 70 { 61 { 4F, 50, 87 } … }).</summary>
    public byte[] DirectoryRecord(IEnumerable<(string Aid, string Label, byte? Priority)> applications) => Template(w =>
    {
        foreach (var (aid, label, priority) in applications)
        {
            using (w.PushConstructed(new Tag(0x61)))
            {
                Put(w, "4F", aid);
                Put(w, "50", Hex.Encode(System.Text.Encoding.ASCII.GetBytes(label)));
                Put(w, "87", priority is byte p ? $"{p:X2}" : null);
            }
        }
    });

    private (CardKeys, Certificates, byte[]) RsaObjects(CardProfile profile, byte[] staticData)
    {
        var issuer = EmvRsaIssuerCertificate.Create(
            Hex.Parse(profile.Pan[..6] + "FF"), Hex.Parse(profile.IssuerCertificateExpiry), Hex.Parse(profile.IssuerCertificateSerial), TestKeys.RsaIssuer.PublicKey, TestKeys.RsaCa);
        var icc = EmvRsaIccCertificate.Create(
            Hex.Parse(profile.Pan.PadRight(20, 'F')), Hex.Parse(profile.IccCertificateExpiry), Hex.Parse("000002"), TestKeys.RsaIcc.PublicKey, staticData, TestKeys.RsaIssuer);
        var sda = EmvRsaSignedStaticData.Create(Hex.Parse("DAC1"), staticData, TestKeys.RsaIssuer);
        var certificates = new Certificates(Flip(issuer.Certificate, profile.Tamper == Tamper.IssuerCertificate), issuer.Remainder, Flip(icc.Certificate, profile.Tamper == Tamper.IccCertificate), icc.Remainder);
        return (new CardKeys(issuer.Exponent, icc.Exponent), certificates, Flip(sda, profile.Tamper == Tamper.SignedStaticData));
    }

    private (CardKeys, Certificates, byte[]) SmObjects(CardProfile profile, byte[] staticData)
    {
        var issuer = Sm2IssuerCertificate.Create(
            Hex.Parse(profile.Pan[..6] + "FF"), Hex.Parse(profile.IssuerCertificateExpiry), Hex.Parse(profile.IssuerCertificateSerial), TestKeys.Sm2Issuer.PublicKey, TestKeys.Sm2Ca);
        var icc = Sm2IccCertificate.Create(
            Hex.Parse(profile.Pan.PadRight(20, 'F')), Hex.Parse(profile.IccCertificateExpiry), Hex.Parse("000002"), TestKeys.Sm2Icc.PublicKey, staticData, TestKeys.Sm2Issuer);
        var sda = Sm2SignedStaticData.Create(Hex.Parse("DAC1"), staticData, TestKeys.Sm2Issuer);
        var certificates = new Certificates(
            Flip(issuer.Encoded.ToArray(), profile.Tamper == Tamper.IssuerCertificate), [], Flip(icc.Encoded.ToArray(), profile.Tamper == Tamper.IccCertificate), []);
        return (new CardKeys(null, null), certificates, Flip(sda.Encoded.ToArray(), profile.Tamper == Tamper.SignedStaticData));
    }

    /// <summary>Flips a bit in the last signature byte region (inside the signed part for RSA, the signature for SM2).</summary>
    public static byte[] Flip(byte[] value, bool tamper)
    {
        if (tamper)
        {
            value[value.Length - 10] ^= 0x01;
        }

        return value;
    }

    private byte[] Template(Action<TlvWriter> body) => Encode(w =>
    {
        using (w.PushConstructed(new Tag(0x70)))
        {
            body(w);
        }
    });

    private void Put(TlvWriter writer, string tag, string? hex)
    {
        if (hex is null || Profile.OmitTags.Contains(tag))
        {
            return;
        }

        writer.WritePrimitive(Tag.Parse(tag), Hex.Parse(hex));
    }

    private static byte[] Encode(Action<TlvWriter> body)
    {
        using var writer = new TlvWriter();
        body(writer);
        return writer.ToArray();
    }

    private static byte[] Value(byte[] template) => TlvNode.Parse(template)[0].Value.ToArray();

    private sealed record CardKeys(byte[]? IssuerExponent, byte[]? IccExponent);

    private sealed record Certificates(byte[] Issuer, byte[] IssuerRemainder, byte[] Icc, byte[] IccRemainder);
}
