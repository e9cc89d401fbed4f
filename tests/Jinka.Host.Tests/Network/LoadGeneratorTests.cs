using System.Text.Json;
using Jinka.Crypto;
using Jinka.Host.Issuing;
using Jinka.Iso8583.Load;

namespace Jinka.Host.Tests.Network;

/// <summary>The bench client against the host: every approval acknowledged is in the journal, and the holds add up.</summary>
public sealed class LoadGeneratorTests
{
    [Fact]
    public async Task Every_acknowledged_approval_is_in_the_journal_and_the_ledger()
    {
        await using var host = HostFixture.Start();
        var cards = new List<LoadCard>();
        for (int i = 0; i < 4; i++)
        {
            string pan = $"62258800000002{i:D2}";
            await host.Harness.AddCardAsync(pan: pan, balance: 1_000_000);
            cards.Add(new LoadCard(SuiteId.International, pan, "00", IssuerHarness.MdkAc));
        }

        using var acks = new StringWriter();
        var progress = new List<LoadProgress>();
        var options = new LoadOptions { Host = "127.0.0.1", Port = host.Port, Connections = 3, Count = 300, InFlightPerConnection = 2, Amount = 7, Acks = acks, Progress = p => { lock (progress) { progress.Add(p); } } };

        var report = await LoadGenerator.RunAsync(cards, options);

        Assert.Equal(300, report.Approved);
        Assert.Equal(0, report.Declined + report.Failed);
        Assert.Equal(300, report.ResponseCodes["00"]);
        Assert.True(report.P50 > TimeSpan.Zero && report.P99 >= report.P50 && report.Max >= report.P99);
        Assert.True(report.Tps > 0);
        Assert.Equal(300, progress[^1].Completed);
        var lines = acks.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(300, lines.Length);
        foreach (string line in lines)
        {
            var ack = JsonSerializer.Deserialize<LoadAck>(line, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var record = await host.Harness.Storage.Journal.FindByAtcAsync(CardId.Create(ack.Pan, ack.Psn), Convert.ToUInt16(ack.Atc, 16));
            Assert.NotNull(record);
            Assert.Equal(AuthorizationState.Approved, record.State);
            Assert.Equal(ack.Rrn, record.Reference);
            Assert.Equal(ack.ApprovalCode, record.ApprovalCode);
        }

        long held = 0;
        foreach (var card in cards)
        {
            held += (await host.Harness.Storage.Accounts.FindAsync($"ACC-{card.Pan}-00"))!.Held;
        }

        Assert.Equal(300 * 7, held);
        Assert.Equal(300 / 4 + 1, cards[0].NextAtc);
    }

    [Fact]
    public async Task A_second_run_continues_the_ATCs_and_is_not_taken_for_a_replay()
    {
        await using var host = HostFixture.Start();
        await host.Harness.AddCardAsync(pan: "6225880000000300", balance: 1_000_000);
        var card = new LoadCard(SuiteId.International, "6225880000000300", "00", IssuerHarness.MdkAc);
        var options = new LoadOptions { Host = "127.0.0.1", Port = host.Port, Connections = 2, Count = 20 };

        await LoadGenerator.RunAsync([card], options);
        var again = new LoadCard(SuiteId.International, "6225880000000300", "00", IssuerHarness.MdkAc, nextAtc: card.NextAtc);
        var second = await LoadGenerator.RunAsync([again], options);

        Assert.Equal(20, second.Approved);
        Assert.False(second.ResponseCodes.ContainsKey("94"));
    }
}
