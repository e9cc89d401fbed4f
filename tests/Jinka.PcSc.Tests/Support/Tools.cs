using System.Diagnostics;

namespace Jinka.PcSc.Tests.Support;

/// <summary>The independent PC/SC clients the interop tests drive: opensc-tool (OpenSC) and pyscard (Debian's python3-pyscard).</summary>
internal static class Tools
{
    public const string OpenScTool = "opensc-tool";

    public const string Pyscard = "pyscard";

    /// <summary>Debian's interpreter: a python3 earlier on PATH may not see Debian's python3-* packages.</summary>
    public const string Python = "/usr/bin/python3";

    private static readonly Lazy<string?> s_openSc = new(() => Run(OpenScTool, ["--version"], TimeSpan.FromSeconds(10)) is null ? "opensc-tool (package opensc) is not installed" : null);

    private static readonly Lazy<string?> s_pyscard = new(() =>
        Run(Python, ["-c", "import smartcard"], TimeSpan.FromSeconds(10)) is { ExitCode: 0 } ? null : $"{Python} cannot import smartcard (package python3-pyscard)");

    /// <summary>Null when <paramref name="tool"/> is here, else what is missing.</summary>
    public static string? Missing(string tool) => tool switch
    {
        OpenScTool => s_openSc.Value,
        Pyscard => s_pyscard.Value,
        _ => throw new ArgumentException($"unknown tool {tool}", nameof(tool)),
    };

    /// <summary>Runs a program to completion; null when it cannot be started.</summary>
    public static ToolResult? Run(string program, IReadOnlyList<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process? process;
        try
        {
            process = Process.Start(psi);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }

        using (process)
        {
            if (process is null)
            {
                return null;
            }

            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds} s");
            }

            process.WaitForExit();
            return new ToolResult(process.ExitCode, stdout.Result, stderr.Result);
        }
    }

    /// <summary>Runs a blocking tool off the test thread, so the in-process card server keeps answering it.</summary>
    public static Task<ToolResult?> RunAsync(string program, IReadOnlyList<string> args, TimeSpan timeout) =>
        Task.Run(() => Run(program, args, timeout));
}

internal sealed record ToolResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
