using Jinka.Core;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.Pin;
using Jinka.Terminal.Tracing;

namespace Jinka.EndToEnd.Tests.GoldenTraces;

/// <summary>
/// Golden traces: with the issuance seed, a seeded card random, <see cref="TerminalRandom.Seeded"/> and a fixed
/// clock, a transaction's trace JSON (<see cref="TransactionTrace.ToJson"/>) is the same byte for byte, run after run;
/// it is compared with the files under tests/Jinka.EndToEnd.Tests/golden, so every byte change on any side (card,
/// kernel, issuer, data preparation) shows in review. Regenerate with
/// <c>JINKA_UPDATE_GOLDEN=1 dotnet test tests/Jinka.EndToEnd.Tests --filter GoldenTraceTests</c> and read the diff.
/// The SM suite's SM2 signatures are random: its file is masked (<see cref="TraceMasking"/>), which golden/README.md
/// lists.
/// </summary>
public class GoldenTraceTests
{
    public static TheoryData<string> Flows() => new() { "intl-online-cda", "intl-offline-sda", "intl-offline-dda", "sm-online-cda" };

    [Theory]
    [MemberData(nameof(Flows))]
    public async Task The_trace_matches_the_golden_file(string flow)
    {
        var trace = await RunAsync(flow);
        await GoldenFiles.MatchAsync(flow + ".trace.json", trace.ToJson());
    }

    [Theory]
    [MemberData(nameof(Flows))]
    public async Task Two_independent_runs_give_the_same_bytes(string flow)
    {
        // The golden comparison is only as good as the determinism under it: a fresh card, terminal and issuer again.
        var first = (await RunAsync(flow)).ToJson();
        var second = (await RunAsync(flow)).ToJson();
        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Unmasked_sm_traces_differ_only_in_the_masked_signatures()
    {
        var first = await RunCoreAsync("sm-online-cda");
        var second = await RunCoreAsync("sm-online-cda");
        Assert.NotEqual(first.ToJson(), second.ToJson());
        int masked = TraceMasking.MaskSm2Signatures(first);
        Assert.Equal(masked, TraceMasking.MaskSm2Signatures(second));
        Assert.Equal(first.ToJson(), second.ToJson());

        // 90, 9F46 and 93 in the records, 9F4B in both GENERATE AC answers, and the final data's copies.
        Assert.Equal(3 + 2 + 4, masked);
    }

    private static async Task<TransactionTrace> RunAsync(string flow)
    {
        var trace = await RunCoreAsync(flow);
        if (flow.StartsWith("sm-", StringComparison.Ordinal))
        {
            TraceMasking.MaskSm2Signatures(trace);
        }

        return trace;
    }

    private static async Task<TransactionTrace> RunCoreAsync(string flow)
    {
        bool offline = flow.Contains("offline", StringComparison.Ordinal);
        var oda = flow.EndsWith("-sda", StringComparison.Ordinal) ? OdaMethods.Sda
            : flow.EndsWith("-dda", StringComparison.Ordinal) ? OdaMethods.Sda | OdaMethods.Dda
            : OdaMethods.Sda | OdaMethods.Dda | OdaMethods.Cda;

        // Online: the shipped CVM list (online PIN). Offline: plaintext PIN with SDA, enciphered PIN with DDA, so the
        // RSA PIN encipherment (terminal pad from the seeded random) is pinned down too.
        string? cvmList = !offline ? null : oda == OdaMethods.Sda ? "00000000000000000100" : "00000000000000000400";
        await using var h = await Harness.IssueAsync(flow.StartsWith("sm-", StringComparison.Ordinal) ? "pboc-debit-sm" : "pboc-debit-intl", new HarnessOptions
        {
            Seed = 20260314,
            Adjust = p => p with { Oda = oda, CvmList = cvmList is null ? p.CvmList : Hex.Parse(cvmList) },
        });
        var pin = PinEntry.Fixed(h.Profile.Pin);
        if (!offline)
        {
            return (await h.RunAsync(new TransactionRequest(1234), pin)).Trace;
        }

        // The card is new until it has been online once (P10): a first purchase online, then the one on file.
        Assert.True((await h.RunAsync(new TransactionRequest(1234), pin)).IsApproved);
        var result = await h.RunAsync(new TransactionRequest(888) { SequenceCounter = 2 }, pin, new TerminalConfig { FloorLimit = 10_000 });
        Assert.True(result.IsApproved && !result.WentOnline, result.ToString());
        return result.Trace;
    }
}
