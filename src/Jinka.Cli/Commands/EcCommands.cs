using System.CommandLine;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Core.Transport;
using Jinka.Terminal;
using Jinka.Terminal.Contactless;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka ec balance</c>: the electronic cash balance as a contactless reader reads it.</summary>
internal static class EcCommands
{
    public static Command Create()
    {
        var card = new Option<string>("--card") { Description = "The card image", Required = true, HelpName = "CARD.json" };
        var caDir = new Option<string?>("--ca-dir") { Description = "Directory of the test CA keys (default profiles/ca)", HelpName = "DIR" };
        var balance = new Command("balance", "Read the EC balance (9F79): PPSE, SELECT, GET DATA — nothing is debited") { card, caDir };
        balance.SetAction(async (parsed, ct) =>
        {
            var virtualCard = Workbench.LoadCard(parsed.GetRequiredValue(card));
            virtualCard.PowerOn();
            await using var transport = new StatusWordHandlingTransport(new Jinka.Card.VirtualCardTransport(virtualCard));
            var kernel = new QpbocKernel(new TerminalConfig(), Workbench.TerminalCaKeys(parsed.GetValue(caDir), null), null, null);
            var reading = await kernel.ReadEcBalanceAsync(transport, ct).ConfigureAwait(false);
            if (reading.Balance is not { } minor)
            {
                CliOutput.Out(parsed).WriteLine($"no EC balance: {reading.Reason}");
                return ExitCodes.Negative;
            }

            CliOutput.Out(parsed).WriteLine($"{TransactCommand.Yuan(minor)}");
            return ExitCodes.Success;
        });
        return new Command("ec", "Electronic cash (电子现金)") { balance };
    }
}
