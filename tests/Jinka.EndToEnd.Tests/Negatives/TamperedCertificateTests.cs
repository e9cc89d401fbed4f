using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// A certificate flipped by one byte in the personalised records: the method's ODA-failed TVR bit, and still an
/// outcome with a reason — online, the bit travels to the issuer in 95 and the issuer decides; on an offline-only
/// terminal TAC-Default declines, and the card reports the failed ODA of that offline decline in the next CVR (P2, P35).
/// </summary>
public class TamperedCertificateTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "pboc-debit-intl", "SDA", "90" },
        { "pboc-debit-intl", "DDA", "9F46" },
        { "pboc-debit-intl", "CDA", "9F46" },
        { "pboc-debit-intl", "CDA", "90" },
        { "pboc-debit-sm", "SDA", "90" },
        { "pboc-debit-sm", "DDA", "9F46" },
        { "pboc-debit-sm", "CDA", "9F46" },
        { "pboc-debit-sm", "CDA", "90" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Online_the_failed_method_is_flagged_and_the_issuer_decides(string profile, string oda, string tag)
    {
        await using var h = await Issue(profile, oda);
        h.TamperRecordObject(Convert.ToUInt32(tag, 16));
        var host = new HostTap(h.Issuer);

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), host: host);

        string trace = result.Trace.ToJson();
        var bit = FailedBit(oda);
        Assert.True(result.Tvr.Has(bit), trace);
        Assert.True(result.Tsi.OfflineDataAuthenticationPerformed);
        Assert.StartsWith($"{oda} failed: ", result.Trace.Steps.Single(s => s.Name == "Offline data authentication").Outputs["result"], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Trace.Apdus, a => a.Purpose.Contains("with CDA", StringComparison.Ordinal));

        // TAC-Online names the ODA bits: the terminal asks for an ARQC, the issuer sees the failure in 95 and approves.
        Assert.Contains("online codes match", result.Trace.Steps.Single(s => s.Name == "Terminal action analysis").Outputs["decision"], StringComparison.Ordinal);
        Assert.True(new Tvr(host.Requests.Single().Field55(0x95)).Has(bit), "95 in field 55 carries the ODA failure");
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("issuer approved (00) and the card accepted (TC)", result.Reason);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Offline_only_the_default_codes_decline_and_the_next_cvr_reports_it(string profile, string oda, string tag)
    {
        await using var h = await Issue(profile, oda);
        h.TamperRecordObject(Convert.ToUInt32(tag, 16));
        var offlineOnly = new TerminalConfig { TerminalType = 0x23, FloorLimit = 100_000 };

        var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin), offlineOnly, online: false);

        var bit = FailedBit(oda);
        Assert.True(result.Tvr.Has(bit), result.Trace.ToJson());
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("card declined offline (AAC)", result.Reason);
        Assert.StartsWith("AAC (offline-only terminal; default codes match: ", result.Trace.Steps.Single(s => s.Name == "Terminal action analysis").Outputs["decision"], StringComparison.Ordinal);
        Assert.Equal("Z1", result.Arc());
        Assert.False(result.WentOnline);

        // The card kept what the terminal saw: the next transaction's CVR reports SDA (byte 2 b1) or DDA/CDA (byte 3 b3) failed.
        var next = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
        Assert.True(next.IsApproved, next.ToString());
        var cvr = next.Cvr(first: true);
        Assert.Equal(oda == "SDA", (cvr[1] & 0x01) != 0);
        Assert.Equal(oda != "SDA", (cvr[2] & 0x04) != 0);
    }

    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task An_untouched_card_passes_the_same_checks(string profile)
    {
        // The control for the tests above: the same cards without the flipped byte authenticate.
        foreach (var oda in new[] { "SDA", "DDA", "CDA" })
        {
            await using var h = await Issue(profile, oda);
            var result = await h.RunAsync(new TransactionRequest(1234), PinEntry.Fixed(h.Profile.Pin));
            Assert.False(result.Tvr.Has(FailedBit(oda)), $"{oda}: {result.Trace.ToJson()}");
            Assert.True(result.IsApproved);
        }
    }

    private static Task<Harness> Issue(string profile, string oda) => Harness.IssueAsync(profile, new HarnessOptions
    {
        Adjust = p => p with
        {
            Oda = oda switch
            {
                "SDA" => OdaMethods.Sda,
                "DDA" => OdaMethods.Sda | OdaMethods.Dda,
                _ => OdaMethods.Sda | OdaMethods.Dda | OdaMethods.Cda,
            },
        },
    });

    private static TvrBit FailedBit(string oda) => oda switch
    {
        "SDA" => TvrBit.SdaFailed,
        "DDA" => TvrBit.DdaFailed,
        _ => TvrBit.CdaFailed,
    };
}
