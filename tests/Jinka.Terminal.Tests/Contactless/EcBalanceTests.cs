using Jinka.Core;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contactless;

public sealed class EcBalanceTests
{
    private static QpbocKernel Kernel(bool readAfter = true) =>
        new(new TerminalConfig(), TestKeys.Store(), new RecordingHost(), null, new FixedClock(new DateTimeOffset(Harness.Now, TimeSpan.Zero)), TerminalRandom.Seeded(5))
        {
            Reader = new QpbocReaderOptions { ContactlessFloorLimit = 5000, ReadEcBalanceAfter = readAfter },
        };

    [Fact]
    public async Task Offline_ec_approval_reads_the_new_balance_after()
    {
        var card = new QpbocFakeCard(false) { Balance = 50000 };
        var result = await Kernel().RunAsync(card, new TransactionRequest(1234, DateTime: Harness.Now));

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal(48766, result.EcBalance);
        Assert.Equal("80CA9F79", Hex.Encode(card.Commands[^1].ToArray()[..4]));
    }

    [Fact]
    public async Task Card_removed_during_the_balance_read_keeps_the_approval()
    {
        var card = new QpbocFakeCard(false) { DisappearAt = 6 };
        var result = await Kernel().RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Null(result.EcBalance);
        Assert.NotNull(result.OfflineApproval);
    }

    [Fact]
    public async Task Online_transaction_does_not_read_the_balance()
    {
        var card = new QpbocFakeCard(false);
        var result = await Kernel().RunAsync(card, new TransactionRequest(6000, DateTime: Harness.Now));
        Assert.True(result.WentOnline);
        Assert.Null(result.EcBalance);
        Assert.DoesNotContain(card.Commands, c => c.Ins == 0xCA);
    }

    [Fact]
    public async Task Standalone_balance_read_selects_and_reads_9F79()
    {
        var card = new QpbocFakeCard(true) { Balance = 123456 };
        var reading = await Kernel().ReadEcBalanceAsync(card);

        Assert.Equal(123456, reading.Balance);
        Assert.Equal(QpbocFakeCard.Aid, reading.Aid);
        Assert.Equal(3, card.Commands.Count);
    }

    [Theory]
    [InlineData("9F790500000001", "9F79 of 5 bytes")]
    [InlineData("9F7806000000000100", "another tag")]
    [InlineData("9F79060000000001", "truncated")]
    [InlineData("9F7906000000000A00", "not BCD")]
    public async Task Malformed_balance_response_gives_no_balance(string response, string description)
    {
        var card = new QpbocFakeCard(false) { BalanceResponse = Hex.Parse(response) };
        var reading = await Kernel().ReadEcBalanceAsync(card);
        Assert.True(reading.Balance is null, description);
        Assert.Contains("9F79", reading.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_removed_during_the_standalone_read_gives_a_reason()
    {
        var reading = await Kernel().ReadEcBalanceAsync(new QpbocFakeCard(false) { DisappearAt = 1 });
        Assert.Null(reading.Balance);
        Assert.Contains("removed", reading.Reason, StringComparison.Ordinal);
    }
}
