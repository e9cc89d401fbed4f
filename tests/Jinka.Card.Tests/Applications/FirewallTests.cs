using Jinka.Card.Files;
using Jinka.Core;

namespace Jinka.Card.Tests.Applications;

/// <summary>One application cannot read or change another's files, keys or session state (DESIGN "Multi-application ownership").</summary>
public class FirewallTests
{
    private static string Poke(string key, string valueHex) => $"80DA0000{(1 + key.Length + (valueHex.Length / 2)):X2}{key.Length:X2}{Hex.Encode(System.Text.Encoding.ASCII.GetBytes(key))}{valueHex}";

    private static string Peek(string key) => $"80CA0000{key.Length:X2}{Hex.Encode(System.Text.Encoding.ASCII.GetBytes(key))}";

    [Fact]
    public void Keys_and_cells_of_one_application_are_invisible_to_another()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        Assert.Equal("9000", card.Sw(Poke("issuer-key", "00112233445566778899AABBCCDDEEFF")));
        Assert.Equal("00112233445566778899AABBCCDDEEFF9000", card.Exchange(Peek("issuer-key")));

        card.Select(TestCards.App2);
        Assert.Equal("6A88", card.Sw(Peek("issuer-key")));
        // Same relative name, own cell: writing it in App2 leaves App1's alone.
        Assert.Equal("9000", card.Sw(Poke("issuer-key", "FF")));

        card.Select(TestCards.App1);
        Assert.Equal("00112233445566778899AABBCCDDEEFF9000", card.Exchange(Peek("issuer-key")));
        Assert.Equal(["apps/A0000009990101/data/issuer-key"], card.Nvm.CellKeys("apps/A0000009990101/data/issuer").ToList());
        Assert.Equal(["apps/A0000009990102/data/issuer-key"], card.Nvm.CellKeys("apps/A0000009990102/data/issuer").ToList());
    }

    [Fact]
    public void Files_of_one_application_cannot_be_reached_from_another()
    {
        var card = TestCards.Standard();
        card.Personalize(TestCards.App1, c => c.Files.CreateEf(c.Files.Root, FileDescriptor.Transparent(0xAAAA, 10, 4)));
        card.Personalize(TestCards.App1, c => c.Files.UpdateBinary(c.Files.FindBySfi(c.Files.Root, 10)!, 0, [1, 2, 3, 4]));
        card.Select(TestCards.App1);
        Assert.Equal("010203049000", card.Exchange("00B08A0000"));
        card.Authenticate();
        Assert.Equal("9000", card.Sw("00D6950002AAAA"));

        card.Select(TestCards.App2);
        Assert.Equal("6A82", card.Sw("00B08A0000"));
        Assert.Equal("6A82", card.Sw("00A4020002AAAA"));
        Assert.Equal("6A82", card.Sw("00A4000002AAAA"));
        // App2's EF 0015 is its own: App1's update is not there.
        Assert.Equal("00009000", card.Exchange("00B0950002"));
    }

    [Fact]
    public void Security_states_reached_in_one_application_do_not_carry_over()
    {
        var card = TestCards.Standard();
        card.Select(TestCards.App1);
        Assert.Equal("9000", card.Sw("00200001021234"));
        Assert.Equal("6A83", card.Sw("00B2011400"));

        card.Select(TestCards.App2);
        Assert.Equal("6982", card.Sw("00B2011400"));
    }

    [Fact]
    public void The_mf_and_the_applications_do_not_see_each_others_files()
    {
        var card = TestCards.Standard();
        card.Personalize(null, c => c.Files.CreateEf(c.Files.Root, FileDescriptor.Transparent(0x2F01, 0x1E, 2)));

        Assert.Equal("00009000", card.Exchange("00B09E0000"));
        Assert.Equal("6A82", card.Sw("00B0950000"));
        Assert.Equal("9000", card.Sw("00A40200022F01"));

        card.Select(TestCards.App1);
        Assert.Equal("6A82", card.Sw("00B09E0000"));
        Assert.Equal("6A82", card.Sw("00A40200022F01"));
        Assert.Equal("6A82", card.Sw("00A40000022F01"));
    }

    [Fact]
    public void Uninstalling_an_application_removes_everything_it_owned_and_nothing_else()
    {
        var card = TestCards.Standard();
        int app2Cells = card.Nvm.CellKeys("apps/A0000009990102/").Count();
        Assert.True(card.Nvm.CellKeys("apps/A0000009990101/").Any());

        card.Uninstall(TestCards.App1);

        Assert.Empty(card.Nvm.CellKeys("apps/A0000009990101/"));
        Assert.Empty(card.Nvm.CellKeys("registry/A0000009990101"));
        Assert.Equal(app2Cells, card.Nvm.CellKeys("apps/A0000009990102/").Count());
        Assert.Equal("6A82", card.Select(TestCards.App1).StatusWord.ToString());
    }
}
