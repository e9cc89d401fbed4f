using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

public class SelectionTests
{
    private static readonly TerminalConfig s_offlineApproval = new() { FloorLimit = 100_000 };

    [Fact]
    public async Task The_PSE_directory_names_the_application()
    {
        var harness = new Harness(config: s_offlineApproval);
        var result = await harness.RunAsync();
        Assert.Equal("A000000333010101", result.Aid);
        Assert.Equal("A000000333010101 \"PBOC DEBIT\" priority 01 via PSE", result.Trace.Steps[0].Outputs["candidates"]);
        Assert.StartsWith("A4 B2 B2 A4 A8", harness.Instructions, StringComparison.Ordinal);
        Assert.Equal("00A404000E315041592E5359532E444446303100", result.Trace.Apdus[0].Command);
    }

    [Fact]
    public async Task Without_a_PSE_the_list_of_AIDs_is_tried_in_terminal_order()
    {
        var harness = new Harness(CardProfile.Rsa() with { HasPse = false }, s_offlineApproval);
        var result = await harness.RunAsync();
        Assert.Equal("A000000333010101", result.Aid);
        var selects = result.Trace.Apdus.TakeWhile(a => a.Step == "Application selection").Select(a => (a.Purpose, a.StatusWord)).ToList();
        Assert.Equal(
            [
                ("SELECT PSE 1PAY.SYS.DDF01", "6A82"),
                ("SELECT A000000333010101", "9000"),
                ("SELECT A000000333010102", "6A82"),
                ("SELECT A000000333010103", "6A82"),
                ("SELECT A000000333010106", "6A82"),
            ],
            selects);
        Assert.Contains("list of AIDs", result.Trace.Steps[0].Outputs["candidates"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_AID_finds_every_application_with_SELECT_next_and_priority_orders_them()
    {
        var profile = CardProfile.Rsa() with
        {
            HasPse = false,
            Priority = 0x02,
            OtherApplications = [new OtherApplication("A000000333010102", "PBOC CREDIT", 0x01, RefuseGpo: true)],
        };
        var config = s_offlineApproval with { Aids = [SupportedAid.FromHex("A000000333")] };
        var harness = new Harness(profile, config);
        var result = await harness.RunAsync();

        var selection = result.Trace.Apdus.Where(a => a.Step == "Application selection").Select(a => a.Purpose).ToList();
        Assert.Equal(["SELECT PSE 1PAY.SYS.DDF01", "SELECT A000000333", "SELECT next A000000333", "SELECT next A000000333"], selection);
        Assert.Equal("A000000333010102 \"PBOC CREDIT\" priority 01 via list of AIDs; A000000333010101 \"PBOC DEBIT\" priority 02 via list of AIDs", result.Trace.Steps[0].Outputs["candidates"]);

        // The credit application is first by priority, refuses GPO with 6985, and the debit application is selected instead.
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("A000000333010101", result.Aid);
        Assert.Contains(result.Trace.Apdus, a => a.Purpose == "GET PROCESSING OPTIONS" && a.StatusWord == "6985");
        Assert.Contains(result.Trace.Steps.SelectMany(s => s.Notes), n => n.Contains("A000000333010102 dropped: GET PROCESSING OPTIONS answered 6985", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_exact_only_terminal_AID_does_not_match_a_longer_ADF_name()
    {
        var config = s_offlineApproval with { Aids = [SupportedAid.FromHex("A000000333", allowPartialSelection: false)] };
        var result = await new Harness(CardProfile.Rsa() with { HasPse = false }, config).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Equal("no application on the card is supported by the terminal", result.Reason);
        Assert.Contains(result.Trace.Steps[0].Notes, n => n.Contains("matches A000000333 only partially", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blocked_application_is_left_out_of_the_list_of_AIDs()
    {
        var profile = CardProfile.Rsa() with
        {
            HasPse = false,
            Aid = "A000000333010102",
            OtherApplications = [new OtherApplication("A000000333010101", "BLOCKED DEBIT", 0x01, Blocked: true)],
        };
        var harness = new Harness(profile, s_offlineApproval);
        var result = await harness.RunAsync();
        Assert.Equal("A000000333010102", result.Aid);
        Assert.Contains("A000000333010101 is blocked (6283): left out", result.Trace.Steps[0].Notes);
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
    }

    [Fact]
    public async Task A_blocked_application_found_in_the_PSE_is_dropped_at_final_selection()
    {
        var result = await new Harness(CardProfile.Rsa() with { Blocked = true }).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Equal("no application on the card could be selected (A000000333010101: application blocked (6283))", result.Reason);
        Assert.Contains("A000000333010101 dropped: application blocked (6283)", result.Trace.Steps[1].Notes);
    }

    [Fact]
    public async Task A_card_whose_only_application_is_blocked_says_so_in_the_reason()
    {
        // Found by the end-to-end APPLICATION BLOCK test: the reason claimed the terminal supported nothing on the card.
        var result = await new Harness(CardProfile.Rsa() with { HasPse = false, Blocked = true }).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Equal("no usable application on the card (A000000333010101: application blocked (6283))", result.Reason);
        Assert.DoesNotContain(result.Trace.Apdus, a => a.Purpose == "GET PROCESSING OPTIONS");
    }

    [Fact]
    public async Task A_card_without_a_supported_application_is_not_accepted()
    {
        var profile = CardProfile.Rsa() with { Aid = "A0000000041010", Label = "OTHER SCHEME" };
        var result = await new Harness(profile).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Contains("directory entry A0000000041010 is not supported by the terminal", result.Trace.Steps[0].Notes);
        Assert.Null(result.Aid);
        Assert.Empty(result.Data);
    }

    [Fact]
    public async Task A_card_answering_6A81_to_the_PSE_is_blocked()
    {
        var result = await new Harness(CardProfile.Rsa() with { PseStatus = 0x6A81 }).RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.StartsWith("card answered 6A81 to SELECT PSE", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_needing_confirmation_is_left_out_when_the_terminal_cannot_ask()
    {
        var profile = CardProfile.Rsa() with { Priority = 0x81 };
        var result = await new Harness(profile, new TerminalConfig { SupportsCardholderConfirmation = false }).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Contains(result.Trace.Steps[0].Notes, n => n.Contains("needs cardholder confirmation", StringComparison.Ordinal));

        var attended = await new Harness(profile, s_offlineApproval).RunAsync();
        Assert.Equal(TransactionOutcome.Approved, attended.Outcome);
    }

    [Fact]
    public async Task GPO_6985_on_the_only_application_ends_not_accepted()
    {
        var result = await new Harness(CardProfile.Rsa() with { RefuseGpo = true }).RunAsync();
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Equal(2, result.Trace.Steps.Count(s => s.Name == "Final selection"));
    }

    [Fact]
    public async Task The_PDOL_data_carries_DF69_as_the_terminal_offers_SM()
    {
        var offered = await new Harness(config: s_offlineApproval).RunAsync();
        Assert.Equal("9F7A=00 9F02=000000000100 5F2A=0156 DF69=01", offered.Trace.Steps[2].Inputs["PDOL data"]);
        var notOffered = await new Harness(config: s_offlineApproval with { OfferSm = false }).RunAsync();
        Assert.EndsWith("DF69=00", notOffered.Trace.Steps[2].Inputs["PDOL data"], StringComparison.Ordinal);
        Assert.Equal("80A800000C830A" + "00" + "000000000100" + "0156" + "00" + "00", notOffered.Trace.Apdus.First(a => a.Purpose == "GET PROCESSING OPTIONS").Command);
    }
}
