using System.Diagnostics;

namespace Jinka.Crypto.Tests.Peers;

/// <summary>
/// The <c>openssl</c> command line as an independent peer. Tests that use it are marked
/// <see cref="OpenSslFactAttribute"/>: they skip with a reason when openssl is absent, unless
/// <c>JINKA_REQUIRE_SERVICES=1</c> (as in CI), where they run and fail loudly instead.
/// </summary>
internal static class OpenSsl
{
    private static readonly Lazy<bool> s_available = new(() =>
    {
        try
        {
            return Run(["version"]).ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    });

    public static bool Available => s_available.Value;

    public static bool ServicesRequired => Environment.GetEnvironmentVariable("JINKA_REQUIRE_SERVICES") == "1";

    /// <summary>Runs openssl with the arguments, feeding <paramref name="stdin"/>; returns exit code and raw stdout.</summary>
    public static (int ExitCode, byte[] Output, string Error) Run(IReadOnlyList<string> args, ReadOnlySpan<byte> stdin = default)
    {
        var psi = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new InvalidOperationException("openssl did not start");
        var stderr = p.StandardError.ReadToEndAsync();
        using (var input = p.StandardInput.BaseStream)
        {
            input.Write(stdin);
        }

        using var output = new MemoryStream();
        p.StandardOutput.BaseStream.CopyTo(output);
        p.WaitForExit();
        return (p.ExitCode, output.ToArray(), stderr.Result);
    }

    /// <summary>Runs openssl and throws with its stderr when it fails.</summary>
    public static byte[] RunChecked(IReadOnlyList<string> args, ReadOnlySpan<byte> stdin = default)
    {
        var (code, output, error) = Run(args, stdin);
        return code == 0 ? output : throw new InvalidOperationException($"openssl {string.Join(' ', args)} failed ({code}): {error}");
    }

    internal static string? SkipReason => Available || ServicesRequired ? null : "openssl is not on PATH (set JINKA_REQUIRE_SERVICES=1 to make this a failure)";
}

/// <summary>A fact that needs the openssl command line.</summary>
internal sealed class OpenSslFactAttribute : FactAttribute
{
    public OpenSslFactAttribute() => Skip = OpenSsl.SkipReason;
}

/// <summary>A theory that needs the openssl command line.</summary>
internal sealed class OpenSslTheoryAttribute : TheoryAttribute
{
    public OpenSslTheoryAttribute() => Skip = OpenSsl.SkipReason;
}
