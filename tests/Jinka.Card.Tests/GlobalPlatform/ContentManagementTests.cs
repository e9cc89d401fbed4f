using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Apdu;

namespace Jinka.Card.Tests.GlobalPlatform;

/// <summary>INSTALL, DELETE, GET STATUS and SET STATUS under the secure channel.</summary>
public class ContentManagementTests
{
    private static string Lv(string hex) => $"{hex.Length / 2:X2}{hex}";

    private static CommandApdu Install(byte p1, string dataHex) => new(0x80, 0xE6, p1, 0x00, Hex.Parse(dataHex), 256);

    [Fact]
    public void Install_for_install_and_make_selectable_creates_the_module_s_instance_with_the_c9_parameters()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        var parameters = new ApplicationInstallParameters { Label = "PBOC DEBIT", Priority = 1, Listing = DirectoryListing.Pse };

        var response = host.Send(GpCards.InstallPboc(parameters: parameters));

        Assert.Equal("009000", Hex.Encode(response.ToArray()));
        var entry = card.Applications.Single(e => e.Aid == GpCards.Pboc);
        Assert.Equal(ExecutableModuleTable.PbocModuleName, entry.Module);
        Assert.Equal(ApplicationLifeCycle.Selectable, entry.LifeCycle);
        Assert.Equal("PBOC DEBIT", entry.Label);
        Assert.Equal((byte)1, entry.Priority);
        Assert.Equal(DirectoryListing.Pse, entry.Listing);
        Assert.Equal(GpCards.Isd, entry.SecurityDomain);
    }

    [Fact]
    public void Install_then_make_selectable_takes_the_instance_from_installed_to_selectable()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        var install = GpCards.InstallPboc();

        Assert.Equal("9000", host.Sw(new CommandApdu(0x80, 0xE6, 0x04, 0x00, install.Data.Span, 256)));
        Assert.Equal(ApplicationLifeCycle.Installed, card.Applications.Single(e => e.Aid == GpCards.Pboc).LifeCycle);
        Assert.Equal("9000", host.Sw(Install(0x08, "0000" + Lv(GpCards.Pboc.ToString()) + "010000")));
        Assert.Equal(ApplicationLifeCycle.Selectable, card.Applications.Single(e => e.Aid == GpCards.Pboc).LifeCycle);
        Assert.Equal("6985", host.Sw(Install(0x08, "0000" + Lv(GpCards.Pboc.ToString()) + "010000")));
    }

    public static TheoryData<string, byte, string, string> MalformedInstalls => new()
    {
        { "a module the table does not have", 0x0C, Lv("A00000033301") + Lv("A0000003330199") + Lv("A000000333010101") + "0100" + "0200" + "00", "6A88" },
        { "the right module in another load file", 0x0C, Lv("A00000033302") + Lv("A0000003330101") + Lv("A000000333010101") + "0100" + "0200" + "00", "6A88" },
        { "a token (no delegated management)", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000333010101") + "0100" + "0200" + "0211" + "22", "6A80" },
        { "two privilege bytes", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000333010101") + "020000" + "0200" + "00", "6A80" },
        { "a length past the end", 0x0C, Lv("A00000033301") + "0EA000", "6A80" },
        { "bytes after the token", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000333010101") + "0100" + "0200" + "00" + "99", "6A80" },
        { "a 4-byte instance AID", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A0000003") + "0100" + "0200" + "00", "6A80" },
        { "an empty label in C9", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000333010101") + "0100" + "04C9025000" + "00", "6A80" },
        { "install parameters that are not TLV", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000333010101") + "0100" + "02C905" + "00", "6A80" },
        { "the domain's own AID", 0x0C, Lv("A00000033301") + Lv("A0000003330101") + Lv("A000000151000000") + "0100" + "0200" + "00", "6A80" },
        { "INSTALL [for load]: modules are built in", 0x02, "00" + Lv("A00000033301") + "000000", "6A81" },
        { "an undefined P1", 0x40, "0000" + Lv("A000000333010101") + "000000", "6A86" },
        { "personalisation of an absent application", 0x20, "0000" + Lv("A000000333010109") + "000000", "6A88" },
    };

    [Theory]
    [MemberData(nameof(MalformedInstalls))]
    public void Malformed_install_commands_are_refused_and_install_nothing(string description, byte p1, string data, string expected)
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        int before = card.Applications.Count;

        Check.Equal(expected, host.Sw(Install(p1, data)), description);
        Assert.Equal(before, card.Applications.Count);
    }

    [Fact]
    public void A_second_install_of_the_same_instance_answers_6A80()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        Assert.Equal("9000", host.Sw(GpCards.InstallPboc()));
        Assert.Equal("6A80", host.Sw(GpCards.InstallPboc()));
    }

    [Fact]
    public void A_module_missing_from_the_catalog_answers_6A88_and_leaves_nothing()
    {
        var card = new VirtualCard(IssuerSecurityDomain.Register(new ApplicationCatalog()), options: new VirtualCardOptions { Random = new ScriptedRandom() });
        card.PowerOn();
        IssuerSecurityDomain.InstallOn(card);
        card.Select(GpCards.Isd);
        using var host = GpHost.Open(card);

        Assert.Equal("6A88", host.Sw(GpCards.InstallPboc()));
        Assert.Single(card.Applications);
    }

    [Fact]
    public void Delete_removes_an_application_but_not_the_domain_itself()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        host.Send(GpCards.InstallPboc());

        Assert.Equal("6985", host.Sw(new CommandApdu(0x80, 0xE4, 0x00, 0x00, Hex.Parse("4F08A000000151000000"), 256)));
        Assert.Equal("009000", Hex.Encode(host.Send(new CommandApdu(0x80, 0xE4, 0x00, 0x00, Hex.Parse("4F08A000000333010101"), 256)).ToArray()));
        Assert.DoesNotContain(card.Applications, e => e.Aid == GpCards.Pboc);
        Assert.Equal("6A88", host.Sw(new CommandApdu(0x80, 0xE4, 0x00, 0x00, Hex.Parse("4F08A000000333010101"), 256)));
        Assert.Equal("6A80", host.Sw(new CommandApdu(0x80, 0xE4, 0x00, 0x00, Hex.Parse("5C00"), 256)));
    }

    [Theory]
    [InlineData(0x80, 0x00, "4F00", "08A000000151000000079E", "the domain itself, legacy format")]
    [InlineData(0x40, 0x00, "4F00", "08A0000003330101010700", "applications, legacy format")]
    [InlineData(0x40, 0x00, "4F05A000000333", "08A0000003330101010700", "applications under an AID prefix")]
    [InlineData(0x40, 0x02, "4F00", "E3254F08A0000003330101019F700107C503000000C406A00000033301CC08A000000151000000",
        "applications, TLV format (E3)")]
    [InlineData(0x20, 0x00, "4F00", "06A00000033301010006F04A494E4B410100", "executable load files")]
    [InlineData(0x10, 0x00, "4F06A00000033301", "06A000000333010100" + "0107A0000003330101", "a load file with its modules")]
    public void Get_status_lists_what_is_on_the_card(byte p1, byte p2, string search, string expected, string description)
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        host.Send(GpCards.InstallPboc());

        var response = host.Send(new CommandApdu(0x80, 0xF2, p1, p2, Hex.Parse(search), 256));

        Check.Equal(expected + "9000", Hex.Encode(response.ToArray()), description);
    }

    [Fact]
    public void Get_status_answers_6A88_when_nothing_matches_and_6A86_for_an_unknown_p1()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);

        Assert.Equal("6A88", host.Sw(new CommandApdu(0x80, 0xF2, 0x40, 0x00, Hex.Parse("4F00"), 256)));
        Assert.Equal("6A86", host.Sw(new CommandApdu(0x80, 0xF2, 0x08, 0x00, Hex.Parse("4F00"), 256)));
        Assert.Equal("6A80", host.Sw(new CommandApdu(0x80, 0xF2, 0x40, 0x00, Hex.Parse("5C00"), 256)));
        Assert.Equal("6A88", host.Sw(new CommandApdu(0x80, 0xF2, 0x40, 0x01, Hex.Parse("4F00"), 256)));
    }

    [Fact]
    public void A_long_get_status_is_split_with_6310_and_continued_with_p2_b1()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        for (int i = 0; i < 10; i++)
        {
            Assert.Equal("9000", host.Sw(GpCards.InstallPboc(Aid.Parse($"A0000003330101{i:X2}"))));
        }

        var first = host.Send(new CommandApdu(0x80, 0xF2, 0x40, 0x02, Hex.Parse("4F00"), 256));
        var rest = host.Send(new CommandApdu(0x80, 0xF2, 0x40, 0x03, Hex.Parse("4F00"), 256));

        Assert.Equal(0x6310, first.StatusWord.Value);
        Assert.Equal(StatusWord.Success, rest.StatusWord);
        Assert.True(first.Data.Length <= 256);
        Assert.Equal(10 * 39, first.Data.Length + rest.Data.Length);
    }

    [Fact]
    public void Set_status_locks_and_unlocks_an_application()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        host.Send(GpCards.InstallPboc());

        Assert.Equal("9000", host.Sw(new CommandApdu(0x80, 0xF0, 0x40, 0x83, GpCards.Pboc.Span)));
        Assert.Equal(ApplicationLifeCycle.Locked, card.Applications.Single(e => e.Aid == GpCards.Pboc).LifeCycle);
        Assert.Equal("9000", host.Sw(new CommandApdu(0x80, 0xF0, 0x40, 0x07, GpCards.Pboc.Span)));
        Assert.Equal(ApplicationLifeCycle.Selectable, card.Applications.Single(e => e.Aid == GpCards.Pboc).LifeCycle);
        Assert.Equal("6A80", host.Sw(new CommandApdu(0x80, 0xF0, 0x40, 0x55, GpCards.Pboc.Span)));
        Assert.Equal("6A88", host.Sw(new CommandApdu(0x80, 0xF0, 0x40, 0x83, GpCards.Isd.Span)));
    }
}
