namespace Jinka.Cli.Tests;

/// <summary>Runs <c>jinka</c> in-process and captures what it prints.</summary>
internal static class Cli
{
    public static CliResult Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = JinkaCli.Run(args, stdout, stderr);
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>The first line of stdout, trimmed: where the hex calculators put their answer.</summary>
    public string Line => Out.Split('\n')[0].Trim();

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
