using System.Collections.Concurrent;
using System.Net;
using Jinka.Host.Issuing;
using Jinka.Host.Network;
using Jinka.Host.Ledger;

namespace Jinka.Host.Tests.Network;

/// <summary>Starting the host reconciles what a stopped host left pending before it takes requests.</summary>
public sealed class HostRecoveryTests
{
    [Fact]
    public async Task StartAsync_declines_a_pending_authorisation_releases_its_hold_and_logs_it_then_serves()
    {
        using var harness = new IssuerHarness();
        var card = await harness.AddCardAsync(balance: 10_000);
        var cardId = CardId.Create(card.Pan, card.Psn);
        string account = IssuerHarness.AccountOf(card);
        var pending = new AuthorizationRecord("000000000777", cardId, 5, "JINKA001", 42, "000000", 4_000, "156", harness.Time.Now) { AccountId = account };
        Assert.True(await harness.Storage.Journal.TryAddAsync(pending));
        Assert.Equal(LedgerStatus.Done, (await harness.Storage.Accounts.PlaceHoldAsync(account, pending.Reference, 4_000, "purchase")).Status);

        var logs = new ConcurrentQueue<string>();
        await using var service = new IssuerHostService(harness.Issuer, harness.Keys, new IssuerHostOptions { TestTerminalMasterKeys = true, Time = harness.Time, Log = logs.Enqueue });
        var endpoint = await service.StartAsync(new IPEndPoint(IPAddress.Loopback, 0));

        Assert.NotEqual(0, endpoint.Port);
        var record = (await harness.Storage.Journal.FindByAtcAsync(cardId, 5))!;
        Assert.Equal((AuthorizationState.Declined, "96", Issuer.HostStoppedReason), (record.State, record.ResponseCode, record.Reason));
        Assert.Equal(0, (await harness.AccountAsync(card)).Held);
        Assert.Contains(logs, l => l.Contains("000000000777", StringComparison.Ordinal) && l.Contains("hold released", StringComparison.Ordinal));
    }
}
