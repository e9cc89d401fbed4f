using System.Text.Json;
using Jinka.Terminal.Tests.Fakes;
using Jinka.Terminal.Tracing;

namespace Jinka.Terminal.Tests.Tracing;

public class TransactionTraceTests
{
    [Fact]
    public async Task The_trace_json_has_apdus_tvr_tsi_outcome_and_field_55()
    {
        var result = await new Harness().RunAsync();
        using var json = JsonDocument.Parse(result.Trace.ToJson());
        var root = json.RootElement;

        Assert.Equal("Approved", root.GetProperty("outcome").GetString());
        Assert.Equal(result.Reason, root.GetProperty("reason").GetString());
        Assert.Equal(result.Tvr.ToString(), root.GetProperty("tvr").GetProperty("hex").GetString());
        Assert.Equal("Transaction exceeds floor limit", root.GetProperty("tvr").GetProperty("words")[0].GetString());
        Assert.Equal(result.Tsi.ToString(), root.GetProperty("tsi").GetProperty("hex").GetString());
        Assert.Equal(result.Tsi.Describe().Count, root.GetProperty("tsi").GetProperty("words").GetArrayLength());

        var apdus = root.GetProperty("apdus");
        Assert.Equal(result.Trace.Apdus.Count, apdus.GetArrayLength());
        Assert.Equal("00A404000E315041592E5359532E444446303100", apdus[0].GetProperty("command").GetString());
        Assert.EndsWith("9000", apdus[0].GetProperty("response").GetString(), StringComparison.Ordinal);
        Assert.Equal("Application selection", apdus[0].GetProperty("step").GetString());

        var authorization = root.GetProperty("authorization");
        Assert.StartsWith("9F2608", authorization.GetProperty("requestIccData").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("910A", authorization.GetProperty("responseIccData").GetString(), StringComparison.Ordinal);
        Assert.Equal("00", authorization.GetProperty("responseCode").GetString());

        Assert.Equal(
            ["Application selection", "Final selection", "Initiate application processing", "Read application data", "Offline data authentication",
             "Processing restrictions", "Cardholder verification", "Terminal risk management", "Terminal action analysis", "First GENERATE AC", "Online processing"],
            root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        Assert.Contains(root.GetProperty("data").EnumerateArray(), d => d.GetProperty("tag").GetString() == "9F26");
        Assert.False(root.TryGetProperty("scriptResults", out _));
    }

    [Fact]
    public async Task The_same_seed_and_clock_give_the_same_trace()
    {
        var first = await new Harness().RunAsync();
        var second = await new Harness().RunAsync();
        Assert.Equal(first.Trace.ToJson(), second.Trace.ToJson());

        var otherSeed = await new Harness { Seed = 43 }.RunAsync();
        Assert.NotEqual(first.Trace.ToJson(), otherSeed.Trace.ToJson());
    }

    [Fact]
    public async Task A_trace_reads_back_from_json()
    {
        var result = await new Harness(CardProfile.Sm()).RunAsync();
        var json = result.Trace.ToJson();
        var again = TransactionTrace.FromJson(json);
        Assert.Equal(json, again.ToJson());
        Assert.Equal(result.Trace.Apdus.Count, again.Apdus.Count);
        Assert.Equal(result.Trace.ToJson(indented: false), again.ToJson(indented: false));
        Assert.DoesNotContain("\\u0022", json, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => TransactionTrace.FromJson("null"));
    }

    [Fact]
    public async Task Each_step_records_tvr_and_tsi_after_it()
    {
        var result = await new Harness(CardProfile.Rsa() with { Aip = "5C00" }).RunAsync();
        var oda = result.Trace.Steps.Single(s => s.Name == "Offline data authentication");
        Assert.Equal("0200000000", oda.Tvr);
        Assert.Equal("8000", oda.Tsi);
        Assert.Equal("continue", oda.Result);
        var last = result.Trace.Steps[^1];
        Assert.Equal("Approved: issuer approved (00) and the card accepted (TC)", last.Result);
    }
}
