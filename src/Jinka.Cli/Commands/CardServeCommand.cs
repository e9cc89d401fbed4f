using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Jinka.Card;
using Jinka.Cli.Cards;
using Jinka.Cli.Infrastructure;
using Jinka.Core.Transport;
using Jinka.PcSc.Vpcd;

namespace Jinka.Cli.Commands;

/// <summary>
/// <c>jinka card serve</c>: puts a card image into the virtual reader of pcscd's vpcd driver, so any PC/SC client — a
/// terminal under test, opensc-tool, pyscard, <c>jinka transact --reader</c> — sees it as a card in a reader.
/// </summary>
internal static class CardServeCommand
{
    public static Command Create()
    {
        var card = new Option<string>("--card") { Description = "The card image to serve; its new state is saved back", Required = true, HelpName = "CARD.json" };
        var vpcd = new Option<string>("--vpcd")
        {
            Description = "Where pcscd's vpcd driver listens: 127.0.0.1:35963 is reader 'Virtual PCD 00 00', :35964 'Virtual PCD 00 01'",
            HelpName = "HOST:PORT",
            DefaultValueFactory = _ => VpcdEndPoint.Default.ToString(),
        };
        var t0 = new Option<bool>("--t0") { Description = "Be a T=0 card: the ATR offers T=0 and case-4 data comes back through 61xx and GET RESPONSE" };
        var trace = new Option<bool>("--trace") { Description = "Print every command and response" };
        var command = new Command("serve", "Serve a card image to pcscd through vsmartcard's vpcd, as a card in a virtual reader, until Ctrl-C or SIGTERM")
        {
            card, vpcd, t0, trace,
        };
        command.SetAction(async (parsed, ct) =>
        {
            string path = parsed.GetRequiredValue(card);
            if (!VpcdEndPoint.TryParse(parsed.GetValue(vpcd), out var endPoint, out var error))
            {
                throw new CliInputException($"--vpcd: {error}");
            }

            var virtualCard = Workbench.LoadCard(path, new VirtualCardOptions { UseGetResponse = parsed.GetValue(t0) });
            var output = CliOutput.Out(parsed);
            var saver = new ImageSaver(virtualCard, path);
            var server = new VpcdCardServer(virtualCard, new VpcdServerOptions
            {
                EndPoint = endPoint,
                ReportApdus = parsed.GetValue(trace),
                OnEvent = e => OnEvent(output, saver, e),
            });

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop(stop));
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop(stop));
            string reader = endPoint.LikelyReaderName is { } name ? $"reader '{name}'" : "a vpcd reader";
            output.WriteLine($"Serving {path} on vpcd {endPoint} ({reader}), {(virtualCard.Options.UseGetResponse ? "T=0" : "T=1")}, ATR {virtualCard.Atr}. Ctrl-C or SIGTERM stops and saves.");
            output.Flush();
            try
            {
                await server.RunAsync(stop.Token).ConfigureAwait(false);
            }
            catch (TransportException e)
            {
                throw new CliInputException($"--vpcd: {e.Message}", e);
            }
            finally
            {
                saver.SaveIfChanged();
            }

            string image = saver.Saves > 0 ? $"card image saved to {path}" : $"card image {path} unchanged";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Stopped: {server.ApduCount} APDUs over {server.ConnectionCount} connection(s); {image}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Action<PosixSignalContext> Stop(CancellationTokenSource stop) => context =>
    {
        context.Cancel = true; // we stop ourselves, after saving the image
        stop.Cancel();
    };

    private static void OnEvent(TextWriter output, ImageSaver saver, VpcdEvent e)
    {
        // Between sessions the card is idle: the moment a real card's state is final, so the image is saved then too.
        if (e.Kind is VpcdEventKind.PowerOff or VpcdEventKind.Reset or VpcdEventKind.Disconnected)
        {
            saver.SaveIfChanged();
        }

        string time = DateTimeOffset.Now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
        output.WriteLine(e.Kind == VpcdEventKind.Apdu ? e.Message : $"{time} {Describe(e.Kind)}: {e.Message}");
        output.Flush();
    }

    private static string Describe(VpcdEventKind kind) => kind switch
    {
        VpcdEventKind.Connected => "inserted",
        VpcdEventKind.Disconnected => "removed",
        VpcdEventKind.ConnectFailed => "waiting",
        VpcdEventKind.PowerOn => "power on",
        VpcdEventKind.PowerOff => "power off",
        VpcdEventKind.Reset => "reset",
        VpcdEventKind.ProtocolError => "protocol error",
        _ => kind.ToString(),
    };

    /// <summary>Saves the image when NVM has been written since the last save.</summary>
    private sealed class ImageSaver(VirtualCard card, string path)
    {
        private long _savedAt = card.Nvm.TotalWrites;

        public int Saves { get; private set; }

        public void SaveIfChanged()
        {
            if (card.Nvm.TotalWrites != _savedAt)
            {
                CardImage.Save(card, path);
                _savedAt = card.Nvm.TotalWrites;
                Saves++;
            }
        }
    }
}
