using System.Diagnostics;
using System.Text.Json;
using Jinka.PcSc;
using Jinka.PcSc.Vpcd;
using Jinka.Testing;

namespace Jinka.Cli.Tests;

/// <summary>
/// <c>jinka readers</c>, <c>jinka card serve</c> and <c>--reader</c> on <c>transact</c> and <c>card info</c>: a card
/// image served by one jinka process through pcscd and vpcd, paid with by another, as a user runs them.
/// </summary>
/// <remarks>These use vpcd's second slot (127.0.0.1:35964, "Virtual PCD 00 01"), so they can run beside
/// Jinka.PcSc.Tests, which use the first.</remarks>
[Collection("pcscd")]
public sealed class PcScCommandTests : IDisposable
{
    private static readonly VpcdEndPoint s_slot = new("127.0.0.1", VpcdEndPoint.DefaultPort + 1);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("jinka-pcsc-");

    private static string Reader => s_slot.LikelyReaderName!;

    private static string CaDir => Path.Combine(AppContext.BaseDirectory, "profiles", "ca");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    [Theory]
    [InlineData("neither --card nor --reader", new[] { "transact", "--amount", "1.00" }, "--card CARD.json (a card image) or --reader NAME")]
    [InlineData("both --card and --reader", new[] { "card", "info", "--card", "x.json", "--reader", "R" }, "give one of them")]
    [InlineData("--vpcd without a port number", new[] { "card", "serve", "--card", "x.json", "--vpcd", "127.0.0.1:port" }, "--vpcd: '127.0.0.1:port': the port 'port' is not a number")]
    [InlineData("--vpcd port out of range", new[] { "card", "serve", "--card", "x.json", "--vpcd", "127.0.0.1:70000" }, "from 1 to 65535")]
    [InlineData("serve a missing card image", new[] { "card", "serve", "--card", "/nonexistent/card.json" }, "--card: no card image")]
    public void Bad_input_is_named(string description, string[] args, string fragment)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Serving_to_an_address_where_no_vpcd_listens_says_so()
    {
        Assert.Equal(0, Cli.Run("issue", "--profile", "pboc-debit-intl", "--out", PathOf("card.json"), "--ca-dir", CaDir).ExitCode);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        var result = Cli.Run("card", "serve", "--card", PathOf("card.json"), "--vpcd", $"127.0.0.1:{port}");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"cannot connect to vpcd at 127.0.0.1:{port}", result.Error, StringComparison.Ordinal);
    }

    [PcScdTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Serve_then_pay_and_read_through_the_reader_then_sigterm_saves_the_image(bool t0)
    {
        PcScd.Require();
        Assert.Equal(0, Cli.Run("issue", "--profile", "pboc-debit-intl", "--out", PathOf("card.json"), "--keys-out", PathOf("keys.json"), "--ca-dir", CaDir).ExitCode);
        using var context = PcScContext.Establish();
        await context.WaitForRemovalAsync(Reader, TimeSpan.FromSeconds(10));

        using var serve = StartJinka(["card", "serve", "--card", PathOf("card.json"), "--vpcd", s_slot.ToString(), .. (t0 ? new[] { "--t0" } : [])]);
        var output = CollectOutput(serve);
        var inserted = await context.WaitForCardAsync(Reader, TimeSpan.FromSeconds(20));

        var readers = Cli.Run("readers", "--json");
        Assert.True(readers.ExitCode == 0, readers.ToString());
        using (var doc = JsonDocument.Parse(readers.Out))
        {
            var slot = doc.RootElement.EnumerateArray().Single(r => r.GetProperty("reader").GetString() == Reader);
            Assert.True(slot.GetProperty("cardPresent").GetBoolean());
            Assert.Equal(Core.Hex.Encode(inserted.Atr.Span), slot.GetProperty("atr").GetString());
            Assert.Equal(t0 ? "T=0" : "T=1", slot.GetProperty("protocols").GetString());
        }

        var info = Cli.Run("card", "info", "--reader", Reader, "--json");
        Assert.True(info.ExitCode == 0, info.ToString());
        Assert.Contains("\"aid\": \"A000000333010101\"", info.Out, StringComparison.Ordinal);
        Assert.Contains("622588******", info.Out, StringComparison.Ordinal);

        var paid = Cli.Run("transact", "--reader", Reader, "--amount", "12.34", "--pin", "123456", "--force-online", "--issuer-keys", PathOf("keys.json"), "--ca-dir", CaDir, "--json");
        Assert.True(paid.ExitCode == 0, paid.ToString());
        Assert.Contains("\"outcome\": \"Approved\"", paid.Out, StringComparison.Ordinal);

        // Without the card's keys the in-process issuer does not know the card: declined online, the kernel completes.
        var foreign = Cli.Run("transact", "--reader", Reader, "--amount", "1.00", "--force-online", "--ca-dir", CaDir, "--json");
        Assert.True(foreign.ExitCode == 1, foreign.ToString());
        Assert.Contains("\"responseCode\": \"14\"", foreign.Out, StringComparison.Ordinal);
        Assert.Contains("\"balance\": null", foreign.Out, StringComparison.Ordinal);

        Assert.Equal(0, Tools("kill", "-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(serve.WaitForExit(TimeSpan.FromSeconds(20)), "card serve did not stop on SIGTERM");
        serve.WaitForExit();
        Assert.True(serve.ExitCode == 0, $"exit {serve.ExitCode}\n{output}");
        Assert.Contains("Stopped:", output.ToString(), StringComparison.Ordinal);
        await context.WaitForRemovalAsync(Reader, TimeSpan.FromSeconds(10));

        // The image on disk holds what the card did in the reader: three transactions counted (card info and the two
        // purchases), the approved purchase logged.
        var saved = Cli.Run("card", "info", "--card", PathOf("card.json"), "--json");
        using var after = JsonDocument.Parse(saved.Out);
        var app = Assert.Single(after.RootElement.EnumerateArray());
        Assert.Equal("0003", app.GetProperty("counters").GetProperty("ATC").GetString());
        Assert.True(app.GetProperty("log").GetArrayLength() >= 1, saved.Out);
    }

    [PcScdFact]
    public void An_unknown_reader_is_named_with_the_readers_there_are()
    {
        PcScd.Require();
        var result = Cli.Run("card", "info", "--reader", "No Such Reader 00 00");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("no reader 'No Such Reader 00 00'", result.Error, StringComparison.Ordinal);
        Assert.Contains("'Virtual PCD 00 00'", result.Error, StringComparison.Ordinal);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private static Process StartJinka(IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(JinkaCli).Assembly.Location);
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        return Process.Start(psi) ?? throw new InvalidOperationException("jinka did not start");
    }

    private static System.Text.StringBuilder CollectOutput(Process process)
    {
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return output;
    }

    private static int Tools(string program, params string[] args)
    {
        using var process = Process.Start(program, args);
        process.WaitForExit();
        return process.ExitCode;
    }
}

/// <summary>pcscd with vpcd, as Jinka.PcSc.Tests detects it (skip unless JINKA_REQUIRE_SERVICES=1).</summary>
internal static class PcScd
{
    private static readonly PcScdProbe s_probe = new("Virtual PCD 00 01");

    public static string? SkipReason => s_probe.SkipReason;

    public static void Require()
    {
        if (s_probe.Missing is { } missing)
        {
            Assert.Fail($"JINKA_REQUIRE_SERVICES=1 but {missing}");
        }
    }
}

internal sealed class PcScdFactAttribute : FactAttribute
{
    public PcScdFactAttribute() => Skip = PcScd.SkipReason;
}

internal sealed class PcScdTheoryAttribute : TheoryAttribute
{
    public PcScdTheoryAttribute() => Skip = PcScd.SkipReason;
}
