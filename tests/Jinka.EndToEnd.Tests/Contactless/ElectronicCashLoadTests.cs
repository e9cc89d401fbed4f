using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Terminal;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Logs;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Contactless;

/// <summary>
/// Online EC loads (contract Q11, Q36) from the contact kernel through the issuer to the card's PUT DATA 9F79, then
/// spent by tapping: the balance, the issuer's books and the card's load log must agree.
/// </summary>
public class ElectronicCashLoadTests
{
    [Theory]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public async Task A_load_from_the_account_then_an_offline_tap_spends_it(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        long before = await BalanceAsync(h);
        var account = await h.AccountAsync();
        var host = new HostTap(h.Issuer);

        var load = await h.RunAsync(new TransactionRequest(300_00, TransactionType: TransactionRequest.EcLoadDesignatedAccount), PinEntry.Fixed(h.Profile.Pin), host: host);

        Assert.True(load.Outcome == TransactionOutcome.Approved, load.Reason);
        Assert.Equal(before, load.EcBalanceBefore);
        Assert.Equal(before + 300_00, load.EcBalance);
        Assert.Equal("600000", host.Requests.Single().ProcessingCode);
        Assert.Contains(h.Issuer.Events.Snapshot(), e => e.Kind == IssuerEventKind.EcLoadApproved);

        // The account paid for it: the hold was captured once the card reported the script's success (DF31 2x).
        var after = await h.AccountAsync();
        Assert.Equal(account.Balance - 300_00, after.Balance);
        Assert.Equal(0, after.Held);
        Assert.Contains(await h.LedgerAsync(), e => e.Kind == LedgerEntryKind.Debit && e.Amount == 300_00);
        Assert.Equal(AuthorizationState.Completed, h.Journal.Records.Single().State);

        // The card's load log: 9F79, before, after (Q29), and the terminal data of Q37's DF4F.
        var logs = await LogsAsync(h);
        var record = Assert.Single(logs.Loads);
        Assert.Equal((ushort)0x9F79, record.Tag);
        Assert.Equal((before, before + 300_00), (record.Before, record.After));
        Assert.Empty(logs.Problems);

        // Spend it offline by tapping.
        var tap = await new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, h.Issuer, PinEntry.Bypass, h.Clock, TerminalRandom.Seeded(3)) { Reader = ContactlessPaymentTests.s_reader }
            .RunAsync(h.Transport(), new TransactionRequest(8_50));
        Assert.True(tap.Outcome == TransactionOutcome.Approved && !tap.WentOnline, tap.Reason);
        Assert.Equal(before + 300_00 - 8_50, await BalanceAsync(h));
    }

    [Fact]
    public async Task A_cash_load_moves_no_account_money()
    {
        await using var h = await Harness.IssueAsync("pboc-ec-intl");
        long before = await BalanceAsync(h);
        var account = await h.AccountAsync();

        var load = await h.RunAsync(new TransactionRequest(100_00, TransactionType: TransactionRequest.EcLoadCash), PinEntry.Fixed(h.Profile.Pin));

        Assert.True(load.Outcome == TransactionOutcome.Approved, load.Reason);
        Assert.Equal(before + 100_00, await BalanceAsync(h));
        Assert.Equal(account, await h.AccountAsync());
    }

    [Fact]
    public async Task A_load_above_the_balance_limit_is_refused_before_the_card_is_asked()
    {
        await using var h = await Harness.IssueAsync("pboc-debit-ec-sm");
        long before = await BalanceAsync(h);
        long limit = 100_000; // the profile's 9F77
        var host = new HostTap(h.Issuer);

        // Exactly to the limit is fine …
        var exact = await h.RunAsync(new TransactionRequest(limit - before, TransactionType: TransactionRequest.EcLoadDesignatedAccount), PinEntry.Fixed(h.Profile.Pin), host: host);
        Assert.True(exact.Outcome == TransactionOutcome.Approved, exact.Reason);
        Assert.Equal(limit, exact.EcBalance);

        // … one fen more is declined by the terminal: no GENERATE AC, no request to the issuer.
        var over = await h.RunAsync(new TransactionRequest(1, TransactionType: TransactionRequest.EcLoadDesignatedAccount), PinEntry.Fixed(h.Profile.Pin), host: host);
        Assert.Equal(TransactionOutcome.Declined, over.Outcome);
        Assert.Contains("9F77", over.Reason, StringComparison.Ordinal);
        Assert.Single(host.Requests);
        Assert.DoesNotContain(over.Trace.Apdus, a => a.Command.StartsWith("80AE", StringComparison.Ordinal));
        Assert.Equal(limit, await BalanceAsync(h));
    }

    [Fact]
    public async Task When_the_card_refuses_the_load_script_the_hold_is_released_and_the_terminal_says_so()
    {
        await using var h = await Harness.IssueAsync("pboc-ec-intl");
        long before = await BalanceAsync(h);
        var account = await h.AccountAsync();

        // A terminal that cannot read 9F77 (here: the card's answer is lost) lets a load past the limit through to the
        // issuer; the card itself refuses the PUT DATA (6A80, Q31).
        var load = await h.RunAsync(
            new TransactionRequest(100_000, TransactionType: TransactionRequest.EcLoadDesignatedAccount),
            PinEntry.Fixed(h.Profile.Pin),
            wrapTransport: t => new HideDataTransport(t, 0x9F77));

        Assert.Equal(TransactionOutcome.Declined, load.Outcome);
        Assert.Contains("did not take the load", load.Reason, StringComparison.Ordinal);
        Assert.Equal(before, await BalanceAsync(h));
        Assert.Equal(account.Available, (await h.AccountAsync()).Available);
        Assert.Equal(AuthorizationState.DeclinedByCard, h.Journal.Records.Single().State);
        Assert.Empty((await LogsAsync(h)).Loads);
    }

    [Fact]
    public async Task A_load_the_account_cannot_fund_is_declined_51_and_the_balance_stays()
    {
        await using var h = await Harness.IssueAsync("pboc-ec-intl", new HarnessOptions { OpeningBalance = 50_00 });
        long before = await BalanceAsync(h);

        var load = await h.RunAsync(new TransactionRequest(60_00, TransactionType: TransactionRequest.EcLoadDesignatedAccount), PinEntry.Fixed(h.Profile.Pin));

        Assert.Equal(TransactionOutcome.Declined, load.Outcome);
        Assert.Equal("51", load.AuthorizationResponse!.ResponseCode);
        Assert.Equal(before, await BalanceAsync(h));
    }

    private static async Task<long> BalanceAsync(Harness h)
    {
        await using var reader = h.Transport();
        var reading = await new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, null, null).ReadEcBalanceAsync(reader);
        return reading.Balance ?? throw new InvalidOperationException(reading.Reason);
    }

    private static async Task<CardLogs> LogsAsync(Harness h)
    {
        await using var reader = h.Transport();
        var select = await reader.TransmitAsync(ApduCommands.SelectByName(Hex.Parse(h.Aid)));
        return await CardLogReader.ReadAsync(reader, select.Data);
    }

    /// <summary>Answers 6A88 to GET DATA of one tag, as a card without it would.</summary>
    private sealed class HideDataTransport(IApduTransport inner, ushort tag) : IApduTransport
    {
        public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default) =>
            command.Ins == 0xCA && command.P1 == tag >> 8 && command.P2 == (byte)tag
                ? ValueTask.FromResult(new ResponseApdu(StatusWord.ReferencedDataNotFound))
                : inner.TransmitAsync(command, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
