using Jinka.Core.Transport;
using Jinka.PcSc.Tests.Support;
using Jinka.PcSc.Vpcd;
using Jinka.Terminal;
using Jinka.Terminal.Contactless;

namespace Jinka.PcSc.Tests.Interop;

/// <summary>
/// Our kernel and our card, meeting only through the real PC/SC stack: kernel → PcScTransport → libpcsclite → pcscd →
/// vpcd → VpcdCardServer → VirtualCard, and back.
/// </summary>
[Collection(PcScdCollection.Name)]
public sealed class KernelOverPcScTests
{
    [PcScdTheory]
    [InlineData("pboc-debit-intl", false)]
    [InlineData("pboc-debit-sm", false)]
    [InlineData("pboc-debit-intl", true)]
    public async Task Contact_purchase_is_approved_online_over_pcsc(string profile, bool t0)
    {
        PcScd.Require();
        using var card = await TestCard.IssueAsync(profile, t0);
        using var context = PcScContext.Establish();
        long before = await card.BalanceAsync();
        await using var served = await ServedCard.StartAsync(card.Card, context);
        TransactionResult result;
        await using (var reader = context.Connect(served.Reader))
        {
            Assert.Equal(t0 ? PcScProtocols.T0 : PcScProtocols.T1, reader.Protocol);
            Assert.Equal(card.Card.Atr.ToArray(), reader.Atr.ToArray());
            await using var transport = new StatusWordHandlingTransport(reader, leaveOpen: true);
            result = await card.ContactKernel().RunAsync(transport, new TransactionRequest(12_34, ForceOnline: true));
        }

        Assert.True(result.Outcome == TransactionOutcome.Approved, $"{result.Outcome}: {result.Reason}");
        Assert.True(result.WentOnline);
        Assert.Equal("00", result.AuthorizationResponse!.ResponseCode);
        Assert.Equal(before - 12_34, await card.BalanceAsync());
        Assert.True(result.Trace.Apdus.Count >= 8, result.Trace.ToJson());
        Assert.All(result.Trace.Apdus, a => Assert.False(a.StatusWord.StartsWith("61", StringComparison.Ordinal), a.StatusWord));
        if (t0)
        {
            // T=0: case-4 commands went without Le, the card announced its data with 61xx, and the status-word layer
            // fetched it with GET RESPONSE on the wire, below the kernel.
            Assert.True(served.Server.ApduCount > result.Trace.Apdus.Count, $"{served.Server.ApduCount} on the wire, {result.Trace.Apdus.Count} in the trace");
        }
        else
        {
            Assert.Equal(result.Trace.Apdus.Count, served.Server.ApduCount);
        }
    }

    [PcScdFact]
    public async Task Contactless_ec_purchase_is_approved_offline_over_pcsc_and_the_balance_survives_the_reset()
    {
        PcScd.Require();
        using var card = await TestCard.IssueAsync("pboc-ec-intl");
        using var context = PcScContext.Establish();
        await using var served = await ServedCard.StartAsync(card.Card, context);
        long before = await EcBalanceAsync(card, context, served.Reader);

        TransactionResult result;
        await using (var reader = context.Connect(served.Reader))
        await using (var transport = new StatusWordHandlingTransport(reader, leaveOpen: true))
        {
            result = await card.QpbocKernel().RunAsync(transport, new TransactionRequest(8_50));
        }

        Assert.True(result.Outcome == TransactionOutcome.Approved, $"{result.Outcome}: {result.Reason}");
        Assert.False(result.WentOnline);
        // Disconnecting reset the card (a new session); the balance is persistent state and shows the purchase.
        Assert.Equal(before - 8_50, await EcBalanceAsync(card, context, served.Reader));
        Assert.True(served.Count(VpcdEventKind.Reset) + served.Count(VpcdEventKind.PowerOff) >= 2, string.Join("\n", served.Events));
    }

    private static async Task<long> EcBalanceAsync(TestCard card, PcScContext context, string reader)
    {
        await using var connection = context.Connect(reader);
        await using var transport = new StatusWordHandlingTransport(connection, leaveOpen: true);
        var reading = await new QpbocKernel(new TerminalConfig(), card.TerminalCaKeys, null, null).ReadEcBalanceAsync(transport);
        return reading.Balance ?? throw new InvalidOperationException(reading.Reason);
    }
}
