using Jinka.Core;
using Jinka.Crypto;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

/// <summary>Offline data authentication: RSA and SM2 × SDA, DDA, CDA, and every way it can fail.</summary>
public class OdaTests
{
    private const string SdaOnly = "5C00";
    private const string DdaOnly = "3C00";
    private const string Cda = "7D00";

    private static readonly TerminalConfig s_offline = new() { FloorLimit = 100_000 };

    public static TheoryData<SuiteId, string, string> Methods() => new()
    {
        { SuiteId.International, SdaOnly, "SDA" },
        { SuiteId.International, DdaOnly, "DDA" },
        { SuiteId.International, Cda, "CDA" },
        { SuiteId.Sm, SdaOnly, "SDA" },
        { SuiteId.Sm, DdaOnly, "DDA" },
        { SuiteId.Sm, Cda, "CDA" },
    };

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Each_method_passes_with_honest_certificates(SuiteId suite, string aip, string method)
    {
        var harness = new Harness(new CardProfile { Suite = suite, Aip = aip }, s_offline);
        var result = await harness.RunAsync();

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("card approved offline (TC)", result.Reason);
        Assert.False(result.Tvr.OfflineDataAuthenticationNotPerformed || result.Tvr.SdaFailed || result.Tvr.DdaFailed || result.Tvr.CdaFailed || result.Tvr.IccDataMissing);
        Assert.True(result.Tsi.OfflineDataAuthenticationPerformed);
        var oda = result.Trace.Steps.Single(s => s.Name == "Offline data authentication");
        Assert.Equal(method, oda.Outputs["method"]);
        switch (method)
        {
            case "SDA":
                Assert.True(result.Tvr.Has(TvrBit.SdaSelected));
                Assert.True(result.Data.TryGet(new Core.Tlv.Tag(0x9F45), out var dac));
                Assert.Equal("DAC1", Hex.Encode(dac));
                Assert.DoesNotContain(harness.Card.Commands, c => c.Ins == 0x88);
                break;
            case "DDA":
                Assert.Contains(harness.Card.Commands, c => c.Ins == 0x88);
                Assert.Equal(8, result.Data.Get(new Core.Tlv.Tag(0x9F4C)).Length);
                break;
            default:
                var gac = harness.Card.Commands.Single(c => c.Ins == 0xAE);
                Assert.Equal(0x50, gac.P1);
                Assert.Contains("CDA signature verified", result.Trace.Steps.Single(s => s.Name == "First GENERATE AC").Notes);
                Assert.Equal(harness.Card.Cryptograms[0].Cryptogram, result.Data.Get(new Core.Tlv.Tag(0x9F26)).ToArray());
                break;
        }
    }

    public static TheoryData<SuiteId, string, Tamper, TvrBit, string> Tampering() => new()
    {
        { SuiteId.International, SdaOnly, Tamper.IssuerCertificate, TvrBit.SdaFailed, "issuer PK certificate (tag 90)" },
        { SuiteId.International, SdaOnly, Tamper.SignedStaticData, TvrBit.SdaFailed, "signed static data (tag 93)" },
        { SuiteId.International, SdaOnly, Tamper.StaticDataAfterSigning, TvrBit.SdaFailed, "SHA-1 hash does not match the recovered data and the static data" },
        { SuiteId.International, DdaOnly, Tamper.IccCertificate, TvrBit.DdaFailed, "ICC PK certificate (tag 9F46)" },
        { SuiteId.International, DdaOnly, Tamper.StaticDataAfterSigning, TvrBit.DdaFailed, "ICC PK certificate (tag 9F46): the SHA-1 hash does not match" },
        { SuiteId.International, DdaOnly, Tamper.DynamicSignature, TvrBit.DdaFailed, "signed dynamic data (tag 9F4B)" },
        { SuiteId.International, Cda, Tamper.IssuerCertificate, TvrBit.CdaFailed, "issuer PK certificate (tag 90)" },
        { SuiteId.Sm, SdaOnly, Tamper.IssuerCertificate, TvrBit.SdaFailed, "the SM2 signature does not verify under CA public key" },
        { SuiteId.Sm, SdaOnly, Tamper.SignedStaticData, TvrBit.SdaFailed, "signed static data (tag 93): the SM2 signature does not verify" },
        { SuiteId.Sm, SdaOnly, Tamper.StaticDataAfterSigning, TvrBit.SdaFailed, "signed static data (tag 93): the SM2 signature does not verify" },
        { SuiteId.Sm, DdaOnly, Tamper.IccCertificate, TvrBit.DdaFailed, "ICC PK certificate (tag 9F46): the SM2 signature does not verify" },
        { SuiteId.Sm, DdaOnly, Tamper.DynamicSignature, TvrBit.DdaFailed, "signed dynamic data (tag 9F4B): the SM2 signature does not verify over the DDOL data" },
        { SuiteId.Sm, Cda, Tamper.IccCertificate, TvrBit.CdaFailed, "ICC PK certificate (tag 9F46)" },
    };

    [Theory]
    [MemberData(nameof(Tampering))]
    public async Task Tampered_data_sets_the_methods_TVR_bit(SuiteId suite, string aip, Tamper tamper, TvrBit bit, string reason)
    {
        var result = await new Harness(new CardProfile { Suite = suite, Aip = aip, Tamper = tamper }, s_offline).RunAsync();
        Assert.True(result.Tvr.Has(bit), result.Tvr.ToString());
        Assert.False(result.Tvr.IccDataMissing);
        Assert.True(result.Tsi.OfflineDataAuthenticationPerformed);
        Assert.Contains(reason, result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["result"], StringComparison.Ordinal);

        // TAC-Online DC4004F800 has the ODA failure bits, so the transaction goes online instead of approving offline.
        Assert.True(result.WentOnline);
    }

    [Theory]
    [InlineData(SuiteId.International)]
    [InlineData(SuiteId.Sm)]
    public async Task A_bad_CDA_signature_fails_CDA_and_declines(SuiteId suite)
    {
        var harness = new Harness(new CardProfile { Suite = suite, Tamper = Tamper.CdaSignature }, s_offline);
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.StartsWith("CDA failed: signed dynamic data (tag 9F4B)", result.Reason, StringComparison.Ordinal);
        Assert.True(result.Tvr.CdaFailed);
        Assert.False(result.WentOnline);
    }

    [Fact]
    public async Task After_a_CDA_failure_on_an_ARQC_the_card_is_closed_with_an_AAC()
    {
        var harness = new Harness(new CardProfile { Tamper = Tamper.CdaSignature });
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.False(result.WentOnline);
        Assert.Equal([0x90, 0x00], harness.Card.Commands.Where(c => c.Ins == 0xAE).Select(c => c.P1));
        Assert.Equal("Z1", System.Text.Encoding.ASCII.GetString(result.Data.Get(new Core.Tlv.Tag(0x8A))));
    }

    public static TheoryData<string, SuiteId, string> KeyProblems() => new()
    {
        { "expired issuer certificate", SuiteId.International, "expired (valid to 12/2023, checked on 2024-03-15)" },
        { "expired issuer certificate", SuiteId.Sm, "expired (valid to 12/2023, checked on 2024-03-15)" },
        { "expired ICC certificate", SuiteId.International, "ICC PK certificate (tag 9F46): expired" },
        { "expired ICC certificate", SuiteId.Sm, "ICC PK certificate (tag 9F46): expired" },
        { "revoked issuer certificate", SuiteId.International, "issuer PK certificate serial 000001 under CA public key A000000333 #E1 is revoked" },
        { "revoked issuer certificate", SuiteId.Sm, "issuer PK certificate serial 000001 under CA public key A000000333 #E2 is revoked" },
        { "unknown CA index", SuiteId.International, "the terminal holds no CA public key A000000333 #99" },
        { "unknown CA index", SuiteId.Sm, "the terminal holds no CA public key A000000333 #99" },
        { "CA key of the other algorithm", SuiteId.International, "DDA failed: issuer PK certificate (tag 90)" },
        { "CA key of the other algorithm", SuiteId.Sm, "the issuer certificate is SM2 (format 12, 142 bytes) but CA public key A000000333 #E1 RSA-1152 (test) is RSA" },
        { "expired CA key", SuiteId.International, "expired on 2024-01-31" },
        { "9F4A lists another tag", SuiteId.Sm, "the static data authentication tag list 9F4A is 9F02; only 82 is allowed" },
    };

    [Theory]
    [MemberData(nameof(KeyProblems))]
    public async Task Key_and_certificate_problems_fail_DDA_with_a_reason(string problem, SuiteId suite, string reason)
    {
        var profile = new CardProfile { Suite = suite, Aip = DdaOnly };
        var harness = new Harness(problem switch
        {
            "expired issuer certificate" => profile with { IssuerCertificateExpiry = "1223" },
            "expired ICC certificate" => profile with { IccCertificateExpiry = "0224" },
            "unknown CA index" => profile with { CaIndex = 0x99 },
            "CA key of the other algorithm" => profile with { CaIndex = suite == SuiteId.Sm ? TestKeys.RsaCaIndex : TestKeys.Sm2CaIndex },
            "9F4A lists another tag" => profile with { StaticDataTagList = "9F02" },
            _ => profile,
        }, s_offline);
        if (problem == "revoked issuer certificate")
        {
            harness.CaKeys.Revoke(TestKeys.Rid, suite == SuiteId.Sm ? TestKeys.Sm2CaIndex : TestKeys.RsaCaIndex, Hex.Parse("000001"));
        }

        if (problem == "expired CA key")
        {
            harness.CaKeys.Add(Terminal.CaKeys.CaPublicKey.Rsa(TestKeys.Rid, TestKeys.RsaCaIndex, TestKeys.RsaCa.PublicKey, new DateOnly(2024, 1, 31)));
        }

        var result = await harness.RunAsync();
        Assert.True(result.Tvr.DdaFailed);
        Assert.False(result.Tvr.IccDataMissing);
        Assert.DoesNotContain(harness.Card.Commands, c => c.Ins == 0x88);
        var output = result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["result"];
        Assert.True(output.Contains(reason, StringComparison.Ordinal), output);
    }

    public static TheoryData<SuiteId, string, string, TvrBit, string> MissingData() => new()
    {
        { SuiteId.International, SdaOnly, "93", TvrBit.SdaFailed, "the signed static data 93 is missing" },
        { SuiteId.International, SdaOnly, "8F", TvrBit.SdaFailed, "the CA public key index 8F is missing" },
        { SuiteId.International, DdaOnly, "9F32", TvrBit.DdaFailed, "the issuer PK exponent 9F32 is missing" },
        { SuiteId.International, DdaOnly, "92", TvrBit.DdaFailed, "needs a 20-byte remainder; none was given" },
        { SuiteId.International, DdaOnly, "9F46", TvrBit.DdaFailed, "the ICC PK certificate (tag 9F46) is missing" },
        { SuiteId.Sm, DdaOnly, "90", TvrBit.DdaFailed, "the issuer PK certificate 90 is missing" },
        { SuiteId.Sm, Cda, "9F46", TvrBit.CdaFailed, "the ICC PK certificate (tag 9F46) is missing" },
    };

    [Theory]
    [MemberData(nameof(MissingData))]
    public async Task Missing_card_data_sets_ICC_data_missing_too(SuiteId suite, string aip, string omitted, TvrBit bit, string reason)
    {
        var result = await new Harness(new CardProfile { Suite = suite, Aip = aip, OmitTags = [omitted] }, s_offline).RunAsync();
        Assert.True(result.Tvr.Has(bit));
        Assert.True(result.Tvr.IccDataMissing);
        Assert.Contains(reason, result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["result"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_DDOL_without_the_unpredictable_number_fails_DDA()
    {
        var result = await new Harness(new CardProfile { Aip = DdaOnly, Ddol = "9F0206" }, s_offline).RunAsync();
        Assert.True(result.Tvr.DdaFailed);
        var output = result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["result"];
        Assert.True(output.Contains("does not ask for the unpredictable number", StringComparison.Ordinal), output);
    }

    [Fact]
    public async Task Without_a_card_DDOL_the_default_DDOL_9F3704_is_used_and_DDA_format_2_is_read()
    {
        var harness = new Harness(new CardProfile { Aip = DdaOnly, Ddol = null, DdaFormat2 = true }, s_offline);
        var result = await harness.RunAsync();
        Assert.False(result.Tvr.DdaFailed);
        var internalAuthenticate = harness.Card.Commands.Single(c => c.Ins == 0x88);
        Assert.Equal(result.Data.Get(new Core.Tlv.Tag(0x9F37)).ToArray(), internalAuthenticate.Data.ToArray());
    }

    [Fact]
    public async Task No_common_method_sets_ODA_not_performed()
    {
        var config = s_offline with { Capabilities = [0xE0, 0xF8, 0x00] };
        var result = await new Harness(new CardProfile(), config).RunAsync();
        Assert.True(result.Tvr.OfflineDataAuthenticationNotPerformed);
        Assert.False(result.Tsi.OfflineDataAuthenticationPerformed);
        Assert.Equal("NONE", result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["method"]);
    }

    [Fact]
    public async Task A_terminal_without_CDA_falls_back_to_DDA_then_SDA()
    {
        var dda = await new Harness(new CardProfile(), s_offline with { Capabilities = [0xE0, 0xF8, 0xC0] }).RunAsync();
        Assert.Equal("DDA", dda.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["method"]);
        var sda = await new Harness(new CardProfile { Suite = SuiteId.Sm }, s_offline with { Capabilities = [0xE0, 0xF8, 0x80] }).RunAsync();
        Assert.Equal("SDA", sda.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["method"]);
        Assert.Equal(TransactionOutcome.Approved, sda.Outcome);
    }
}
