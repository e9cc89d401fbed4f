using Jinka.Card.Applications;
using Jinka.Core;
using Jinka.Core.Apdu;

namespace Jinka.Card.Tests;

/// <summary>Predictable randoms: 01 02 03 … on each call.</summary>
internal sealed class CountingRandom : ICardRandom
{
    private byte _next = 1;

    public void Fill(Span<byte> destination)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = _next++;
        }
    }
}

/// <summary>Cards for the tests and short ways to talk to them.</summary>
internal static class TestCards
{
    /// <summary>Three applications sharing the prefix A00000099901, installed in this order.</summary>
    public static readonly Aid App1 = Aid.Parse("A0000009990101");
    public static readonly Aid App2 = Aid.Parse("A0000009990102");
    public static readonly Aid App3 = Aid.Parse("A0000009990103");

    /// <summary>Another RID-like prefix.</summary>
    public static readonly Aid Other = Aid.Parse("A00000099902");

    public static ApplicationCatalog Catalog() => new ApplicationCatalog().Add(CounterApplication.Module, aid => new CounterApplication(aid));

    /// <summary>A blank card with only the counter module in its catalog, powered on.</summary>
    public static VirtualCard Blank(VirtualCardOptions? options = null)
    {
        var card = new VirtualCard(Catalog(), options: options ?? new VirtualCardOptions { Random = new CountingRandom() });
        card.PowerOn();
        return card;
    }

    /// <summary>PSE, PPSE, App1–App3 (listed in both directories, labels and priorities), Other (unlisted); powered on.</summary>
    public static VirtualCard Standard(VirtualCardOptions? options = null)
    {
        var card = Blank(options);
        card.Install(ApplicationCatalog.PseModule, Aid.Pse);
        card.Install(ApplicationCatalog.PpseModule, Aid.Ppse);
        card.Install(CounterApplication.Module, App1, new InstallOptions { Listing = DirectoryListing.Pse | DirectoryListing.Ppse, Label = "COUNTER ONE", Priority = 1 });
        card.Install(CounterApplication.Module, App2, new InstallOptions { Listing = DirectoryListing.Pse | DirectoryListing.Ppse, Label = "COUNTER TWO", Priority = 2 });
        card.Install(CounterApplication.Module, App3, new InstallOptions { Listing = DirectoryListing.Pse, Label = "COUNTER THREE", Priority = 3, Fid = 0x3F01 });
        card.Install(CounterApplication.Module, Other);
        return card;
    }

    public static ResponseApdu Send(this VirtualCard card, string commandHex) => card.Process(CommandApdu.Parse(Hex.Parse(commandHex)));

    /// <summary>The response as hex "data ‖ SW".</summary>
    public static string Exchange(this VirtualCard card, string commandHex) => Hex.Encode(card.Send(commandHex).ToArray());

    /// <summary>The status word as four hex digits.</summary>
    public static string Sw(this VirtualCard card, string commandHex) => card.Send(commandHex).StatusWord.ToString();

    public static ResponseApdu Select(this VirtualCard card, Aid aid, bool next = false)
        => card.Process(ApduCommands.SelectByName(aid.Span, next ? SelectOccurrence.Next : SelectOccurrence.First));

    /// <summary>GET CHALLENGE then 80 20 with the proof: the application is in phase Authenticated with state 1.</summary>
    public static void Authenticate(this VirtualCard card)
    {
        var challenge = card.Send("0084000004").Data.ToArray();
        var proof = challenge.Select(b => (byte)(b ^ 0xFF)).ToArray();
        var sw = card.Process(new CommandApdu(0x80, 0x20, 0x00, 0x00, proof)).StatusWord;
        Assert.Equal(StatusWord.Success, sw);
    }

    public static uint Balance(this VirtualCard card, Aid aid) => card.Inspect(aid, c => c.Store.GetUInt("balance"));

    public static uint Atc(this VirtualCard card, Aid aid) => card.Inspect(aid, c => c.Store.GetUInt("atc"));
}

/// <summary>Assertions that keep a theory's description in the failure message.</summary>
internal static class Check
{
    public static void Equal(string expected, string actual, string description)
        => Assert.True(expected == actual, $"{description}: expected {expected}, got {actual}");
}
