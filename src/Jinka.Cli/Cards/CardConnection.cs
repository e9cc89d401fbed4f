using System.CommandLine;
using Jinka.Card;
using Jinka.Cli.Infrastructure;
using Jinka.Core.Transport;
using Jinka.PcSc;

namespace Jinka.Cli.Cards;

/// <summary>
/// The card a command talks to: a card image (<c>--card</c>: the virtual card, in process) or whatever card is in a
/// PC/SC reader (<c>--reader</c>: a real card, or a virtual one served by <c>jinka card serve</c>). Either way the
/// command gets a raw <see cref="IApduTransport"/>; status-word handling is the caller's layer above it.
/// </summary>
internal sealed class CardConnection : IAsyncDisposable
{
    private readonly PcScContext? _context;

    private CardConnection(IApduTransport transport, VirtualCard? card, string? imagePath, PcScContext? context, string? reader)
    {
        Transport = transport;
        Card = card;
        ImagePath = imagePath;
        _context = context;
        Reader = reader;
    }

    public IApduTransport Transport { get; }

    /// <summary>The virtual card of a card image; null for a card in a reader.</summary>
    public VirtualCard? Card { get; }

    public string? ImagePath { get; }

    public string? Reader { get; }

    /// <summary>The <c>--reader NAME</c> option the card commands share.</summary>
    public static Option<string?> ReaderOption() => new("--reader")
    {
        Description = "Use the card in this PC/SC reader instead of a card image (names: 'jinka readers')",
        HelpName = "NAME",
    };

    /// <summary>Powers the card image on, or connects to the card in the reader: exactly one of the two must be given.</summary>
    /// <exception cref="CliInputException">Neither or both; no such file or reader; no card in the reader; pcscd not running.</exception>
    public static CardConnection Open(string? imagePath, string? reader)
    {
        if (imagePath is null == reader is null)
        {
            throw new CliInputException(imagePath is null
                ? "give the card: --card CARD.json (a card image) or --reader NAME (a card in a PC/SC reader; see 'jinka readers')"
                : "--card and --reader name two different cards: give one of them");
        }

        if (imagePath is not null)
        {
            var card = Workbench.LoadCard(imagePath);
            card.PowerOn();
            return new CardConnection(new VirtualCardTransport(card), card, imagePath, null, null);
        }

        var context = OpenContext("--reader");
        try
        {
            var readers = context.ListReaders();
            if (!readers.Contains(reader!))
            {
                throw new CliInputException($"--reader: no reader '{reader}' (readers: {(readers.Count == 0 ? "none" : string.Join(", ", readers.Select(r => $"'{r}'")))})");
            }

            return new CardConnection(context.Connect(reader!), null, null, context, reader);
        }
        catch (PcScException e)
        {
            context.Dispose();
            throw new CliInputException($"--reader '{reader}': {e.Message}", e);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>A PC/SC context, or one line saying why there is none (pcscd not running, library missing).</summary>
    public static PcScContext OpenContext(string what) =>
        PcScContext.TryEstablish(out var context, out var error)
            ? context
            : throw new CliInputException($"{what}: PC/SC is not available: {error} (start pcscd; see docs/pcsc.md)");

    /// <summary>Writes the card image back (its ATC, counters and log moved on); nothing for a card in a reader.</summary>
    public void SaveImage()
    {
        if (Card is not null)
        {
            CardImage.Save(Card, ImagePath!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync().ConfigureAwait(false);
        _context?.Dispose();
    }
}
