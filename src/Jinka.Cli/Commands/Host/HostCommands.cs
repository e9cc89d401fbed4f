using System.CommandLine;

namespace Jinka.Cli.Commands.Host;

/// <summary><c>jinka host</c>: the issuer host as a service, a load generator for it, and its ledger.</summary>
internal static class HostCommands
{
    public static Command Create() => new("host", "The issuer host over ISO 8583 (CUP POS) with a durable ledger: serve, bench, ledger")
    {
        HostServeCommand.Create(),
        HostBenchCommand.Create(),
        HostLedgerCommand.Create(),
    };
}
