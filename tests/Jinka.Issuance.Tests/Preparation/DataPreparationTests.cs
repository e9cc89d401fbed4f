using System.Collections.Concurrent;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Issuance.Preparation;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Tests.Preparation;

/// <summary>Data preparation: the certificate chains verify with Jinka.Crypto's parsers over what a terminal reads, and the DGIs follow D1–D12.</summary>
public class DataPreparationTests
{
    private static readonly byte[] s_seed = "jinka-golden-seed-1"u8.ToArray();
    private static readonly DateOnly s_today = new(2026, 6, 1);

    private static readonly ConcurrentDictionary<(string, OdaMethods?), Lazy<PreparedCard>> s_prepared = new();

    /// <summary>One preparation per profile and ODA choice for the whole class (key generation is the slow part); tests only read it.</summary>
    private static PreparedCard Prepare(string profile, OdaMethods? oda = null) => s_prepared.GetOrAdd((profile, oda), key => new Lazy<PreparedCard>(() =>
    {
        var loaded = TestFiles.LoadProfile(key.Item1);
        return new DataPreparation(TestFiles.CaKeys()).Prepare(key.Item2 is null ? loaded : loaded with { Oda = key.Item2.Value }, new PreparationOptions { Seed = s_seed });
    })).Value;

    private static PreparedCard PrepareAgain(string profile) =>
        new DataPreparation(TestFiles.CaKeys()).Prepare(TestFiles.LoadProfile(profile), new PreparationOptions { Seed = s_seed });

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-credit-intl")]
    public void The_rsa_chain_recovers_under_the_test_ca_and_the_icc_certificate_covers_exactly_the_afl_s_static_data(string name)
    {
        var card = Prepare(name);
        using var cas = TestFiles.CaKeys();
        var view = new TerminalView(card.Applications[0].PlainDgis);
        var ca = cas.Get("A000000333", view[0x8F][0]).Rsa!.PublicKey;
        string pan = card.Profile.Pan;

        var issuer = EmvRsaIssuerCertificate.Recover(ca, view[0x90], view.Get(0x92), view[0x9F32], pan, s_today);
        Assert.True(issuer.IsValid, issuer.ToString());
        Assert.Equal(card.Oda!.IssuerKey.Rsa!.PublicKey, issuer.Value!.PublicKey);

        var icc = EmvRsaIccCertificate.Recover(issuer.Value.PublicKey, view[0x9F46], view.Get(0x9F48), view[0x9F47], view.StaticData, pan, s_today);
        Assert.True(icc.IsValid, icc.ToString());
        Assert.Equal(card.Oda.IccKey!.Rsa!.PublicKey, icc.Value!.PublicKey);
        Assert.Equal(card.StaticData, view.StaticData);

        // One byte less (the AIP cut short) or the unsigned certificate record added: the hash no longer matches.
        Assert.Equal(EmvRsaFailure.HashMismatch, EmvRsaIccCertificate.Recover(issuer.Value.PublicKey, view[0x9F46], view.Get(0x9F48), view[0x9F47], view.StaticData[..^1]).Failure);

        var plain = card.Applications[0].PlainDgis.ToDictionary(d => d.Dgi, d => d.Value.ToArray());
        Assert.Equal(icc.Value.PublicKey.Modulus.ToArray(), plain[DgiProtection.RsaModulus]);
        Assert.Equal(icc.Value.PublicKey.Exponent.ToArray(), plain[DgiProtection.RsaExponent]);
    }

    [Fact]
    public void Signed_static_data_93_recovers_over_the_same_static_data()
    {
        var card = Prepare("pboc-debit-intl");
        var view = new TerminalView(card.Applications[0].PlainDgis);
        var issuer = card.Oda!.IssuerKey.Rsa!.PublicKey;

        Assert.True(EmvRsaSignedStaticData.Recover(issuer, view[0x93], view.StaticData).IsValid);
        Assert.False(EmvRsaSignedStaticData.Recover(issuer, view[0x93], view.StaticData.AsSpan(0, view.StaticData.Length - 2)).IsValid);
    }

    [Fact]
    public void The_sm2_chain_verifies_under_the_test_ca_and_the_icc_certificate_covers_exactly_the_afl_s_static_data()
    {
        var card = Prepare("pboc-debit-sm");
        using var cas = TestFiles.CaKeys();
        var view = new TerminalView(card.Applications[0].PlainDgis);
        var ca = cas.Get("A000000333", view[0x8F][0]).Sm2!.PublicKey;

        var issuer = Sm2IssuerCertificate.Parse(view[0x90]);
        Assert.True(issuer.Verify(ca));
        Assert.Equal("622588", issuer.IssuerIdDigits);
        var icc = Sm2IccCertificate.Parse(view[0x9F46]);
        Assert.True(icc.Verify(issuer.PublicKey, view.StaticData));
        Assert.False(icc.Verify(issuer.PublicKey, view.StaticData.AsSpan(0, view.StaticData.Length - 2)));
        Assert.Equal(card.Profile.Pan, icc.PanDigits);
        Assert.True(Sm2SignedStaticData.Parse(view[0x93]).Verify(issuer.PublicKey, view.StaticData));
        Assert.False(view.Objects.ContainsKey(0x9F32) || view.Objects.ContainsKey(0x92) || view.Objects.ContainsKey(0x9F47));

        var secret = card.Applications[0].SecretDgis.Single(d => d.Dgi == DgiProtection.Sm2PrivateKey);
        using var iccKey = new Sm2PrivateKey(secret.Value.Span);
        Assert.Equal(icc.PublicKey, iccKey.PublicKey);
    }

    [Fact]
    public void The_afl_signs_the_track_and_card_data_files_and_not_the_certificate_file()
    {
        var card = Prepare("pboc-debit-intl");
        var view = new TerminalView(card.Applications[0].PlainDgis);

        Assert.Equal("7D00", Hex.Encode(view.Aip));
        Assert.Equal("08010101" + "10010101" + "18010300", Hex.Encode(view.Afl));
        Assert.Equal("82", Hex.Encode(view[0x9F4A]));
        Assert.Equal("9F3704", Hex.Encode(view[0x9F49]));
        Assert.Equal("6225880000000019", Hex.Encode(view[0x5A]));
        Assert.Equal("6225880000000019D301222000000000", Hex.Encode(view[0x57]));
    }

    [Fact]
    public void Dgis_follow_the_personalisation_contract()
    {
        var card = Prepare("pboc-debit-intl");
        var application = card.Applications[0];
        var plain = application.PlainDgis.ToDictionary(d => d.Dgi, d => Hex.Encode(d.Value.Span));

        Assert.Equal("50" + "0A" + Hex.Encode("PBOC DEBIT"u8) + "870101" + "5F2D047A68656E" + "9F110101" + "9F120E" + Hex.Encode("UnionPay Debit"u8) + "BF0C059F4D020B0A", plain[0x9102]);
        Assert.StartsWith("82027D00" + "94", plain[0x9104], StringComparison.Ordinal);
        Assert.Equal("9F1003070101", plain[0x9200]);
        Assert.Equal("9F4D020B0A" + "9F4F19" + "9A039F21039F02069F03069F1A025F2A029F4E149C019F3602", plain[0x0E01]);
        Assert.Equal("0303", plain[0x9010]);
        var risk = TlvNode.Parse(Hex.Parse(plain[0x0D01])).ToDictionary(n => n.Tag.Value, n => Hex.Encode(n.Value.Span));
        Assert.Equal("0000", risk[0x9F36]);
        Assert.Equal("05", risk[0x9F58]);
        Assert.Equal("0A", risk[0x9F59]);
        Assert.Equal("000000050000", risk[0x9F54]);
        Assert.Equal("000000100000", risk[0x9F5C]);
        Assert.Equal("6010", risk[0x9F52]);
        Assert.Equal("0156", risk[0x9F51]);

        Assert.Equal([0x8201, 0x8202, 0x8203, 0x8204, 0x8205, 0x8010], application.SecretDgis.Select(d => (int)d.Dgi));
        Assert.All(application.SecretDgis.Take(5), d => Assert.Equal(64, d.Value.Length));
        Assert.Equal("26123456FFFFFFFF", Hex.Encode(application.SecretDgis[^1].Value.Span));
        Assert.Equal((0x8000, 0x9000), ((int)application.CardKeys.KeysDgi, (int)application.CardKeys.KcvDgi));
        Assert.All(application.PlainDgis, d => Assert.False(DgiProtection.IsSecret(d.Dgi), $"DGI {d.Dgi:X4} travels in clear"));
    }

    [Fact]
    public void The_sm_card_uses_8030_9030_and_8100()
    {
        var card = Prepare("pboc-debit-sm");
        var application = card.Applications[0];

        Assert.Equal((0x8030, 0x9030), ((int)application.CardKeys.KeysDgi, (int)application.CardKeys.KcvDgi));
        Assert.Equal([0x8100, 0x8010], application.SecretDgis.Select(d => (int)d.Dgi));
        Assert.DoesNotContain(application.PlainDgis, d => d.Dgi is 0x8206 or 0x8207);
    }

    [Fact]
    public void The_pse_lists_the_applications_in_its_directory_record()
    {
        var card = Prepare("pboc-debit-intl");

        Assert.Equal([0x0101, 0x9102], card.PseDgis.Select(d => (int)d.Dgi));
        Assert.Equal("702C" + "612A" + "4F08A000000333010101" + "500A" + Hex.Encode("PBOC DEBIT"u8) + "870101" + "9F120E" + Hex.Encode("UnionPay Debit"u8), Hex.Encode(card.PseDgis[0].Value.Span));
        Assert.Equal("880101" + "5F2D047A68656E" + "BF0C059F4D020B0A", Hex.Encode(card.PseDgis[1].Value.Span));
    }

    [Fact]
    public void Without_offline_data_authentication_there_is_no_certificate_file_and_nothing_is_signed()
    {
        var card = Prepare("pboc-debit-intl", OdaMethods.None);
        var view = new TerminalView(card.Applications[0].PlainDgis);

        Assert.Equal("1C00", Hex.Encode(view.Aip));
        Assert.Equal("08010100" + "10010100", Hex.Encode(view.Afl));
        Assert.Null(card.Oda);
        Assert.Empty(view.StaticData);
        Assert.Equal([0x8010], card.Applications[0].SecretDgis.Select(d => (int)d.Dgi));
    }

    [Fact]
    public void Sda_only_signs_93_and_makes_no_icc_key()
    {
        var card = Prepare("pboc-debit-intl", OdaMethods.Sda);
        var view = new TerminalView(card.Applications[0].PlainDgis);

        Assert.Equal("5C00", Hex.Encode(view.Aip));
        Assert.True(EmvRsaSignedStaticData.Recover(card.Oda!.IssuerKey.Rsa!.PublicKey, view[0x93], view.StaticData).IsValid);
        Assert.False(view.Objects.ContainsKey(0x9F46) || view.Objects.ContainsKey(0x9F49));
        Assert.Null(card.Oda.IccKey);
    }

    [Fact]
    public void The_same_seed_prepares_the_same_bytes_and_no_seed_fresh_keys()
    {
        var a = Prepare("pboc-debit-intl");
        using var b = PrepareAgain("pboc-debit-intl");
        using var fresh = new DataPreparation(TestFiles.CaKeys()).Prepare(TestFiles.LoadProfile("pboc-debit-intl"));

        Assert.Equal(DgiEncoding.Encode(a.Applications[0].PlainDgis), DgiEncoding.Encode(b.Applications[0].PlainDgis));
        Assert.NotEqual(a.Oda!.IssuerKey.Rsa!.PublicKey, fresh.Oda!.IssuerKey.Rsa!.PublicKey);
    }
}
