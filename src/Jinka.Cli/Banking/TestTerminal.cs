using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;
using Jinka.Terminal;

namespace Jinka.Cli.Banking;

/// <summary>A terminal's ISO 8583 link to an issuer host, with the test master key of its terminal ID (test keys only, choice I4).</summary>
internal static class TestTerminal
{
    /// <summary>Terminal and merchant of <paramref name="config"/> (the kernel's defaults when null) signing on to <paramref name="host"/>:<paramref name="port"/>.</summary>
    public static Iso8583AuthorizationClient Connect(string host, int port, TerminalConfig? config = null)
    {
        config ??= new TerminalConfig();
        return Iso8583AuthorizationClient.Create(
            new Iso8583ClientOptions { Host = host, Port = port, Terminal = new CupPosTerminal(config.TerminalId, config.MerchantId) },
            TestTerminalKeys.MasterKeyFor(config.TerminalId));
    }
}
