using System.Diagnostics;
using System.Globalization;
using System.Text;
using Jinka.Cli.Commands.Host;

namespace Jinka.Cli.Tests;

/// <summary>A <c>jinka host serve</c> child process, its output collected, its bound port read from the first line.</summary>
internal sealed class HostProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data);
        process.ErrorDataReceived += (_, e) => Received(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port => _port.Task.Result;

    public int Id => _process.Id;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>jinka host serve --listen 127.0.0.1:0 --store STORE [more]</c> and waits for its "Listening on" line.</summary>
    public static async Task<HostProcess> StartAsync(string store, params string[] more)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(typeof(JinkaCli).Assembly.Location);
        foreach (string a in (string[])["host", "serve", "--listen", "127.0.0.1:0", "--store", store, .. more])
        {
            psi.ArgumentList.Add(a);
        }

        var host = new HostProcess(Process.Start(psi) ?? throw new InvalidOperationException("jinka did not start"));
        var started = await Task.WhenAny(host._port.Task, Task.Delay(TimeSpan.FromSeconds(30)), host._process.WaitForExitAsync());
        if (started != host._port.Task)
        {
            host.Kill();
            throw new InvalidOperationException($"host serve did not start listening:\n{host.Output}");
        }

        return host;
    }

    /// <summary>kill -9: no chance to close anything.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    /// <summary>SIGTERM, then the exit code.</summary>
    public async Task<int> TerminateAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Received(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        int at = line.IndexOf(HostServeCommand.ListeningPrefix, StringComparison.Ordinal);
        if (at >= 0)
        {
            string rest = line[(at + HostServeCommand.ListeningPrefix.Length)..];
            string endpoint = rest.Split(' ')[0];
            _port.TrySetResult(int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture));
        }
    }
}

/// <summary>The PostgreSQL server named by JINKA_POSTGRES, as the storage tests use it (skip unless JINKA_REQUIRE_SERVICES=1).</summary>
internal static class Postgres
{
    public static bool Required => Environment.GetEnvironmentVariable("JINKA_REQUIRE_SERVICES") == "1";

    public static string? ConnectionString => Environment.GetEnvironmentVariable("JINKA_POSTGRES") is { Length: > 0 } value ? value : null;

    public static string? SkipReason => ConnectionString is null && !Required
        ? "PostgreSQL not available: set JINKA_POSTGRES (eval \"$(.ci/postgres.sh)\"); JINKA_REQUIRE_SERVICES=1 makes this fail instead."
        : null;

    /// <summary>A schema of its own in the JINKA_POSTGRES database; the connection string has it as the search path.</summary>
    public static async Task<(string ConnectionString, Func<Task> Drop)> CreateSchemaAsync()
    {
        string baseConnection = ConnectionString ?? throw new InvalidOperationException("JINKA_REQUIRE_SERVICES=1 but JINKA_POSTGRES is not set: eval \"$(.ci/postgres.sh)\" first.");
        string schema = $"cli_{Guid.NewGuid():N}";
        await using (var connection = new Npgsql.NpgsqlConnection(baseConnection))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        async Task Drop()
        {
            await using var connection = new Npgsql.NpgsqlConnection(baseConnection);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand($"DROP SCHEMA {schema} CASCADE", connection);
            await command.ExecuteNonQueryAsync();
        }

        return (new Npgsql.NpgsqlConnectionStringBuilder(baseConnection) { SearchPath = schema }.ToString(), Drop);
    }
}

/// <summary>A fact that needs PostgreSQL: skipped when JINKA_POSTGRES is unset, unless JINKA_REQUIRE_SERVICES=1.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = Postgres.SkipReason;
    }
}
