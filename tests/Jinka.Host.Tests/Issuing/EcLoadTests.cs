using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Issuing;
using Jinka.Host.Ledger;

namespace Jinka.Host.Tests.Issuing;

/// <summary>EC loads at the issuer (contract Q11, Q36): the IDD balance check, the load script, the completion by its result.</summary>
public sealed class EcLoadTests : IDisposable
{
    private static readonly byte[] s_cvrTc = Hex.Parse("03640000");
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task An_approved_load_answers_put_data_9f79_of_balance_plus_amount_macd_for_this_arqc()
    {
        var card = await _harness.AddCardAsync();
        var load = card.Transact(300_00, processingCode: "600000", ecBalance: 123_45);

        var decision = await _harness.AuthorizeAsync(load);

        Assert.Equal("00", decision.Response.ResponseCode);
        var template = Assert.Single(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Equal(0x72u, template.Tag.Value);
        Assert.Equal(Issuer.LoadScriptId(decision.Response.RetrievalReference!), ResponseChipData.ScriptId(template));
        byte[] command = Assert.Single(ResponseChipData.Commands(template));
        Assert.Equal("04DA9F790A", Hex.Encode(command.AsSpan(0, 5)));
        Assert.Equal(Hex.Encode(SimulatedCard.Bcd(123_45 + 300_00, 6)), Hex.Encode(card.VerifyScriptCommand(command, load)));
        Assert.Equal(300_00, (await _harness.AccountAsync(card)).Held);
    }

    [Theory]
    [InlineData("no IDD", null, false)]
    [InlineData("IDD MAC altered", 100L, true)]
    public async Task A_load_without_a_verifiable_balance_is_declined_05(string description, long? balance, bool corruptMac)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var load = card.Transact(100, processingCode: "600000", ecBalance: balance);
        if (corruptMac)
        {
            int i = load.Field55.FindIndex(e => e.Tag == new Tag(0x9F10));
            byte[] iad = load.Field55[i].Value.ToArray();
            iad[^1] ^= 0x01;
            load.Field55[i] = (new Tag(0x9F10), iad);
        }

        var decision = await _harness.AuthorizeAsync(load);

        Assert.Equal("05", decision.Response.ResponseCode);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.EcLoadRefused);
        Assert.Empty(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    [Theory]
    [InlineData("20", LedgerEntryKind.Debit, AuthorizationState.Completed, 100_000 - 300_00)]
    [InlineData("11", LedgerEntryKind.HoldReleased, AuthorizationState.DeclinedByCard, 100_000)]
    public async Task The_completion_captures_or_releases_by_the_load_scripts_result(string df31Outcome, LedgerEntryKind last, AuthorizationState state, long balance)
    {
        var card = await _harness.AddCardAsync();
        var load = card.Transact(300_00, processingCode: "620000", ecBalance: 0);
        var decision = await _harness.AuthorizeAsync(load);
        uint id = Issuer.LoadScriptId(decision.Response.RetrievalReference!);

        byte[] df31 = [Hex.Parse(df31Outcome)[0], (byte)(id >> 24), (byte)(id >> 16), (byte)(id >> 8), (byte)id];
        var outcome = await _harness.Issuer.HandleAdviceAsync(Completion(load, df31));

        Assert.Equal(state, outcome.Record!.State);
        var account = await _harness.AccountAsync(card);
        Assert.Equal((balance, 0L), (account.Balance, account.Held));
        Assert.Equal(last, (await _harness.Storage.Accounts.GetEntriesAsync(IssuerHarness.AccountOf(card)))[^1].Kind);
        Assert.DoesNotContain(outcome.Events, e => e.Kind == IssuerEventKind.ScriptResultUnknown);
    }

    [Fact]
    public async Task A_completion_without_the_load_result_keeps_the_hold_until_a_reversal()
    {
        var card = await _harness.AddCardAsync();
        var load = card.Transact(300_00, processingCode: "600000", ecBalance: 0);
        await _harness.AuthorizeAsync(load);

        var outcome = await _harness.Issuer.HandleAdviceAsync(Completion(load, null));
        Assert.Equal(AuthorizationState.Approved, outcome.Record!.State);
        Assert.Equal(300_00, (await _harness.AccountAsync(card)).Held);

        await _harness.Issuer.HandleAdviceAsync(new TransactionAdvice(AdviceKind.Reversal, load.Request, default));
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_cash_load_places_no_hold()
    {
        var card = await _harness.AddCardAsync();
        var decision = await _harness.AuthorizeAsync(card.Transact(300_00, processingCode: "630000", ecBalance: 0));
        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.Single(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    private static TransactionAdvice Completion(ChipTransaction transaction, byte[]? df31)
    {
        var card = transaction.Card;
        byte[] iad = [0x07, card.Dki, 0x01, .. s_cvrTc, card.Suite.AlgorithmIdentifier];
        using var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(0x9F27), [0x40]);
        writer.WritePrimitive(new Tag(0x9F36), SimulatedCard.AtcBytes(transaction.Atc));
        writer.WritePrimitive(new Tag(0x9F10), iad);
        if (df31 is not null)
        {
            writer.WritePrimitive(new Tag(0xDF31), df31);
        }

        return new TransactionAdvice(AdviceKind.Completion, transaction.Request, writer.ToArray());
    }
}
