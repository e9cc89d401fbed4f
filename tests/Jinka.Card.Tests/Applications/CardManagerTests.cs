using System.Text;
using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Core;
using Jinka.Core.Apdu;

namespace Jinka.Card.Tests.Applications;

/// <summary>A security domain manages card content through the <see cref="CardManager"/> the OS gives it, inside its command's transaction.</summary>
public class CardManagerTests
{
    private static readonly Aid s_domain = Aid.Parse("A000000151000000");

    private static VirtualCard Card(ApplicationPrivileges privileges = ApplicationPrivileges.SecurityDomain)
    {
        var catalog = TestCards.Catalog().Add(TestDomain.Module, aid => new TestDomain(aid));
        var card = new VirtualCard(catalog, options: new VirtualCardOptions { Random = new CountingRandom() });
        card.PowerOn();
        card.Install(TestDomain.Module, s_domain, new InstallOptions { Privileges = privileges });
        card.Select(s_domain);
        return card;
    }

    private static string Lv(ReadOnlySpan<byte> value) => $"{value.Length:X2}{Hex.Encode(value)}";

    [Fact]
    public void A_security_domain_installs_personalises_blocks_and_deletes_an_application()
    {
        var card = Card();
        string app = Lv(TestCards.App1.Span);
        Assert.Equal("9000", card.Sw($"80E60000{app.Length / 2:X2}{app}"));
        var entry = card.Applications.Single(e => e.Aid == TestCards.App1);
        Assert.Equal(s_domain, entry.SecurityDomain);
        Assert.Equal(CounterApplication.Module, entry.Module);

        string store = app + Lv("balance"u8) + Lv([0, 0, 0x27, 0x10]);
        Assert.Equal("9000", card.Sw($"80E20000{store.Length / 2:X2}{store}"));
        Assert.Equal(10_000u, card.Balance(TestCards.App1));

        Assert.Equal("9000", card.Sw($"80F0001F{app.Length / 2:X2}{app}"));
        Assert.Equal(StatusWord.SelectedFileInvalidated, card.Select(TestCards.App1).StatusWord);

        card.Select(s_domain);
        Assert.Equal("9000", card.Sw($"80E40000{app.Length / 2:X2}{app}"));
        Assert.DoesNotContain(card.Applications, e => e.Aid == TestCards.App1);
        Assert.Empty(card.Nvm.CellKeys("apps/A0000009990101/"));
    }

    [Fact]
    public void Without_the_security_domain_privilege_there_is_no_card_manager()
    {
        var card = Card(ApplicationPrivileges.None);
        string app = Lv(TestCards.App1.Span);
        Assert.Equal("6982", card.Sw($"80E60000{app.Length / 2:X2}{app}"));
        Assert.DoesNotContain(card.Applications, e => e.Aid == TestCards.App1);
    }

    [Fact]
    public void An_install_that_fails_later_in_the_command_is_rolled_back_with_it()
    {
        var card = Card();
        string app = Lv(TestCards.App1.Span);
        Assert.Equal("6F00", card.Sw($"80E60100{app.Length / 2:X2}{app}"));
        Assert.DoesNotContain(card.Applications, e => e.Aid == TestCards.App1);
        Assert.Empty(card.Nvm.CellKeys("apps/"));
    }

    [Fact]
    public void A_domain_cannot_delete_itself_and_a_duplicate_install_is_refused()
    {
        var card = Card();
        string self = Lv(s_domain.Span);
        Assert.Equal("6F00", card.Sw($"80E40000{self.Length / 2:X2}{self}"));
        Assert.IsType<InvalidOperationException>(card.LastFault);
        string app = Lv(TestCards.App1.Span);
        card.Sw($"80E60000{app.Length / 2:X2}{app}");
        Assert.Equal("6F00", card.Sw($"80E60000{app.Length / 2:X2}{app}"));
        Assert.Single(card.Applications, e => e.Aid == TestCards.App1);
    }

    [Fact]
    public void Registry_entries_round_trip_with_every_field()
    {
        var entry = new RegistryEntry(TestCards.App1, "m")
        {
            LifeCycle = ApplicationLifeCycle.Personalized,
            Order = 258,
            Fid = 0x3F01,
            Listing = DirectoryListing.Pse | DirectoryListing.Ppse,
            Label = "PBOC DEBIT",
            Priority = 1,
            DirectoryData = Hex.Parse("9F120444454249"),
            Privileges = ApplicationPrivileges.SecurityDomain | ApplicationPrivileges.CardReset,
            SecurityDomain = s_domain,
        };

        Assert.True(RegistryEntry.TryDecode(entry.Encode(), out var decoded, out var error), error);
        Assert.Equal(entry.Encode(), decoded.Encode());
        Assert.Equal(entry.SecurityDomain, decoded.SecurityDomain);
        Assert.Equal(entry.Label, decoded.Label);
    }

    /// <summary>INSTALL (80 E6, P1 01 = fail after installing), DELETE (80 E4), SET STATUS (80 F0, P2 = life cycle), STORE DATA (80 E2: AID, key, value as LVs).</summary>
    private sealed class TestDomain : CardApplication<TestDomain.Phase>
    {
        public const string Module = "test.domain";

        public TestDomain(Aid aid)
            : base(aid)
        {
            Commands = new CommandTable<Phase>()
                .OnAnyPhase(0x80, 0xE6, Install)
                .OnAnyPhase(0x80, 0xE4, c => Manage(c, m => m.Uninstall(new Aid(Lvs(c)[0]))))
                .OnAnyPhase(0x80, 0xF0, c => Manage(c, m => m.SetLifeCycle(new Aid(Lvs(c)[0]), (ApplicationLifeCycle)c.Command.P2)))
                .OnAnyPhase(0x80, 0xE2, c => Manage(c, m =>
                {
                    var lvs = Lvs(c);
                    m.Personalize(new Aid(lvs[0]), app => app.Store.Set(Encoding.ASCII.GetString(lvs[1]), lvs[2]));
                }));
        }

        public enum Phase
        {
            Selected,
        }

        protected override CommandTable<Phase> Commands { get; }

        private static ResponseApdu Install(CommandContext context) => Manage(context, m =>
        {
            m.Install(CounterApplication.Module, new Aid(Lvs(context)[0]));
            if (context.Command.P1 == 0x01)
            {
                throw new InvalidOperationException("failure after the install");
            }
        });

        private static ResponseApdu Manage(CommandContext context, Action<CardManager> action)
        {
            if (context.CardManager is not { } manager)
            {
                return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
            }

            action(manager);
            return Responses.Ok();
        }

        private static List<byte[]> Lvs(CommandContext context)
        {
            var data = context.Command.Data.Span;
            var values = new List<byte[]>();
            while (!data.IsEmpty)
            {
                values.Add(data.Slice(1, data[0]).ToArray());
                data = data[(1 + data[0])..];
            }

            return values;
        }
    }
}
