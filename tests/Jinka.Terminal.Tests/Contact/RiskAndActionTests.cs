using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

/// <summary>Processing restrictions, terminal risk management and terminal action analysis.</summary>
public class RiskAndActionTests
{
    private static readonly TerminalConfig s_offline = new() { FloorLimit = 100_000 };

    public static TheoryData<string, string, string, string, TvrBit?> Restrictions() => new()
    {
        { "all fine", "0030", "FF00", "301231", null },
        { "card version 0020", "0020", "FF00", "301231", TvrBit.DifferentApplicationVersions },
        { "expired yesterday", "0030", "FF00", "240314", TvrBit.ExpiredApplication },
        { "expires today", "0030", "FF00", "240315", null },
        { "expiry not a date", "0030", "FF00", "241399", TvrBit.ExpiredApplication },
        { "no domestic goods or services", "0030", "C700", "301231", TvrBit.ServiceNotAllowed },
        { "international goods only", "0030", "1500", "301231", TvrBit.ServiceNotAllowed },
        { "not valid at terminals other than ATMs", "0030", "FE00", "301231", TvrBit.ServiceNotAllowed },
    };

    [Theory]
    [MemberData(nameof(Restrictions))]
    public async Task Processing_restrictions_table(string description, string version, string auc, string expiry, TvrBit? bit)
    {
        _ = description;
        var result = await new Harness(CardProfile.Rsa() with { ApplicationVersion = version, Auc = auc, ExpiryDate = expiry }, s_offline).RunAsync();
        var byte2 = result.Tvr.ToString()[2..4];
        Assert.Equal(bit is TvrBit b ? Tvr.None.With(b).ToString()[2..4] : "00", byte2);
    }

    [Fact]
    public async Task Not_yet_effective_and_international_rules()
    {
        var future = await new Harness(CardProfile.Rsa() with { EffectiveDate = "240316" }, s_offline).RunAsync();
        Assert.True(future.Tvr.Has(TvrBit.ApplicationNotYetEffective));

        // A foreign card (5F28 = 0840) needs the international bits: 1500 has international goods and services.
        var foreign = await new Harness(CardProfile.Rsa() with { IssuerCountry = "0840", Auc = "1500" }, s_offline).RunAsync();
        Assert.False(foreign.Tvr.Has(TvrBit.ServiceNotAllowed));
        var cash = await new Harness(CardProfile.Rsa() with { IssuerCountry = "0840", Auc = "1500" }, s_offline)
            .RunAsync(request: new TransactionRequest(100, TransactionType: TransactionRequest.Cash));
        Assert.True(cash.Tvr.Has(TvrBit.ServiceNotAllowed));
        Assert.Contains(cash.Trace.Steps.Single(s => s.Name == "Processing restrictions").Notes, n => n.Contains("not valid for international cash", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(99_999, false)]
    [InlineData(100_000, true)]
    [InlineData(250_000, true)]
    public async Task Floor_limit_is_reached_at_equality(long amount, bool exceeded)
    {
        var result = await new Harness(config: s_offline).RunAsync(amount);
        Assert.Equal(exceeded, result.Tvr.FloorLimitExceeded);
        Assert.Equal(exceeded, result.WentOnline);
        Assert.True(result.Tsi.TerminalRiskManagementPerformed);
    }

    [Fact]
    public async Task A_per_application_floor_limit_overrides_the_terminals()
    {
        var config = s_offline with { Aids = [SupportedAid.FromHex("A000000333010101") with { FloorLimit = 50 }] };
        var result = await new Harness(config: config).RunAsync(60);
        Assert.True(result.Tvr.FloorLimitExceeded);
        Assert.Equal("00000032", Hex.Encode(result.Data.Get(new Core.Tlv.Tag(0x9F1B))));
    }

    [Fact]
    public async Task Random_selection_picks_about_its_target_share_deterministically()
    {
        var config = s_offline with { RandomSelection = new RandomSelectionSettings(ThresholdAmount: 1_000, TargetPercentage: 25, MaxTargetPercentage: 75) };
        var card = new FakeCard(CardProfile.Rsa() with { Aip = "0800" });
        int selected = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var result = await Harness.KernelFor(config, seed).RunAsync(card, new TransactionRequest(500));
            selected += result.Tvr.Has(TvrBit.RandomlySelectedForOnline) ? 1 : 0;
        }

        Assert.InRange(selected, 30, 70);

        // The same seed gives the same answer.
        var first = await new Harness(config: config) { Seed = 3 }.RunAsync(500);
        var again = await new Harness(config: config) { Seed = 3 }.RunAsync(500);
        Assert.Equal(first.Tvr, again.Tvr);
    }

    [Fact]
    public async Task Random_selection_probability_rises_towards_the_floor_limit()
    {
        var config = s_offline with { RandomSelection = new RandomSelectionSettings(ThresholdAmount: 1_000, TargetPercentage: 0, MaxTargetPercentage: 99) };
        var card = new FakeCard(CardProfile.Rsa() with { Aip = "0800" });
        int low = 0, high = 0;
        for (int seed = 0; seed < 100; seed++)
        {
            var kernel = Harness.KernelFor(config, seed);
            low += (await kernel.RunAsync(card, new TransactionRequest(2_000))).Tvr.Has(TvrBit.RandomlySelectedForOnline) ? 1 : 0;
            high += (await kernel.RunAsync(card, new TransactionRequest(99_000))).Tvr.Has(TvrBit.RandomlySelectedForOnline) ? 1 : 0;
        }

        Assert.InRange(low, 0, 10);
        Assert.InRange(high, 85, 100);
        Assert.Contains((await new Harness(config: config).RunAsync(2_000)).Trace.Steps.Single(s => s.Name == "Terminal risk management").Notes, n => n.StartsWith("random selection: ", StringComparison.Ordinal));
    }

    public static TheoryData<string, ushort, ushort, byte, byte, string> Velocity() => new()
    {
        { "within both limits", 5, 3, 3, 5, "00" },
        { "over the lower limit", 8, 3, 3, 5, "40" },
        { "over both limits", 12, 3, 3, 5, "60" },
        { "new card", 2, 0, 3, 5, "00+new" },
        { "ATC not above last online", 3, 3, 3, 5, "60" },
    };

    [Theory]
    [MemberData(nameof(Velocity))]
    public async Task Velocity_checking_with_GET_DATA(string description, ushort atc, ushort lastOnline, byte lower, byte upper, string expected)
    {
        _ = description;
        var profile = CardProfile.Rsa() with { Atc = atc, LastOnlineAtc = lastOnline, LowerConsecutiveOfflineLimit = lower, UpperConsecutiveOfflineLimit = upper };
        var harness = new Harness(profile, s_offline);
        var result = await harness.RunAsync();
        Assert.Equal(expected[..2], result.Tvr.ToString()[6..8].Replace("80", "00", StringComparison.Ordinal));
        Assert.Equal(expected.EndsWith("+new", StringComparison.Ordinal), result.Tvr.Has(TvrBit.NewCard));
        Assert.Equal(["9F36", "9F13"], harness.Card.Commands.Where(c => c.Ins == 0xCA).Select(c => $"{c.P1:X2}{c.P2:X2}"));
    }

    [Fact]
    public async Task Unreadable_velocity_data_sets_both_limits()
    {
        var profile = CardProfile.Rsa() with { LowerConsecutiveOfflineLimit = 3, UpperConsecutiveOfflineLimit = 5, VelocityDataStatus = 0x6A88 };
        var result = await new Harness(profile, s_offline).RunAsync();
        Assert.True(result.Tvr.Has(TvrBit.LowerConsecutiveOfflineLimitExceeded) && result.Tvr.Has(TvrBit.UpperConsecutiveOfflineLimitExceeded));
        Assert.False(result.Tvr.Has(TvrBit.NewCard));
    }

    [Fact]
    public async Task Exception_file_and_no_risk_management_when_the_AIP_says_so()
    {
        var listed = await new Harness(config: s_offline with { ExceptionFile = new HashSet<string> { "6225880000000001" } }).RunAsync();
        Assert.True(listed.Tvr.Has(TvrBit.CardOnExceptionFile));
        Assert.True(listed.WentOnline);

        var skipped = await new Harness(CardProfile.Rsa() with { Aip = "7500" }).RunAsync(1_000_000);
        Assert.False(skipped.Tsi.TerminalRiskManagementPerformed);
        Assert.False(skipped.Tvr.FloorLimitExceeded);
    }

    /// <summary>description, TVR forced by the card's data, IACs denial/online/default, terminal type, force online, expected first GAC P1.</summary>
    public static TheoryData<string, string, string, string, string, byte, bool, byte> ActionAnalysis() => new()
    {
        { "nothing set: TC offline", "", "0000000000", "0000000000", "0000000000", 0x22, false, 0x40 },
        { "floor limit hits TAC-Online: ARQC", "floor", "0000000000", "0000000000", "0000000000", 0x22, false, 0x80 },
        { "IAC-Denial on floor limit: AAC", "floor", "0000008000", "0000000000", "0000000000", 0x22, false, 0x00 },
        { "service not allowed hits TAC-Denial: AAC", "auc", "0000000000", "0000000000", "0000000000", 0x22, false, 0x00 },
        { "IAC-Online on new card: ARQC", "newcard", "0000000000", "0008000000", "0000000000", 0x22, false, 0x80 },
        { "merchant forced online: ARQC", "", "0000000000", "0000000000", "0000000000", 0x22, true, 0x80 },
        { "online-only terminal: ARQC", "", "0000000000", "0000000000", "0000000000", 0x21, false, 0x80 },
        { "offline-only terminal, default codes match: AAC", "floor", "0000000000", "0000000000", "0000000000", 0x23, false, 0x00 },
        { "offline-only unattended terminal, nothing set: TC", "", "0000000000", "0000000000", "0000000000", 0x26, false, 0x40 },
    };

    [Theory]
    [MemberData(nameof(ActionAnalysis))]
    public async Task Terminal_action_analysis_table(string description, string trigger, string iacDenial, string iacOnline, string iacDefault, byte terminalType, bool forceOnline, byte p1)
    {
        _ = description;
        var profile = CardProfile.Rsa() with
        {
            Aip = "5C00",
            IacDenial = iacDenial,
            IacOnline = iacOnline,
            IacDefault = iacDefault,
            Auc = trigger == "auc" ? "C700" : "FF00",
            LowerConsecutiveOfflineLimit = trigger == "newcard" ? (byte)9 : null,
            UpperConsecutiveOfflineLimit = trigger == "newcard" ? (byte)9 : null,
            Atc = 2,
        };
        var config = new TerminalConfig { FloorLimit = trigger == "floor" ? 0 : 100_000, TerminalType = terminalType };
        var harness = new Harness(profile, config);
        var result = await harness.RunAsync(request: new TransactionRequest(100, ForceOnline: forceOnline));
        Assert.Equal(p1, harness.Card.Commands.First(c => c.Ins == 0xAE).P1);
        Assert.Equal(forceOnline, result.Tvr.Has(TvrBit.MerchantForcedOnline));
        var expected = p1 switch { 0x40 => "TC (", 0x80 => "ARQC (", _ => "AAC (" };
        Assert.StartsWith(expected, result.Trace.Steps.Single(s => s.Name == "Terminal action analysis").Outputs["decision"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Absent_IACs_count_as_denial_zero_and_online_default_all_ones()
    {
        var profile = CardProfile.Rsa() with { Aip = "5C00", OmitTags = ["9F0D", "9F0E", "9F0F"], ExpiryDate = "240101" };
        var harness = new Harness(profile, s_offline);
        await harness.RunAsync();
        Assert.Equal((byte)CryptogramType.Arqc, harness.Card.Commands.First(c => c.Ins == 0xAE).P1);
    }
}
