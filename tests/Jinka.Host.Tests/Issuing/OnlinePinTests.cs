using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Host.Issuing;

namespace Jinka.Host.Tests.Issuing;

/// <summary>Online PIN verification by the Visa PVV (choices P51–P53).</summary>
public sealed class OnlinePinTests : IDisposable
{
    private const string Pan = "6225880000000001";
    private const string Pin = "123456";
    private readonly IssuerHarness _harness = new();

    public OnlinePinTests() =>
        _harness.Keys.ImportClearKey("pvk", KeyUsage.PinVerification, CipherAlgorithm.TripleDes, Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));

    public void Dispose() => _harness.Dispose();

    [Theory]
    [InlineData("International (3DES)", SuiteId.International)]
    [InlineData("SM (SM4): the PVV stays 3DES", SuiteId.Sm)]
    public async Task The_right_pin_approves(string description, SuiteId suite)
    {
        _ = description;
        var card = await AddCardWithPvvAsync(suite);

        var decision = await AuthorizeAsync(card, 1_000, Pin);

        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.Equal([IssuerEventKind.ArqcVerified, IssuerEventKind.OnlinePinVerified, IssuerEventKind.Approved], decision.Events.Select(e => e.Kind));
        Assert.Equal(1_000, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_wrong_pin_is_declined_55_with_an_arpc_and_no_hold()
    {
        var card = await AddCardWithPvvAsync();
        var transaction = card.Transact(1_000);

        var decision = await _harness.Issuer.DecideAsync(transaction.Request with { PinBlock = IsoPinBlock.Format0("000000", Pan) });

        Assert.Equal("55", decision.Response.ResponseCode);
        Assert.Equal(IssuerEventKind.OnlinePinIncorrect, decision.Events[^1].Kind);
        Assert.Contains("1 of 3", decision.Response.Reason, StringComparison.Ordinal);
        var chip = ResponseChipData.Parse(decision.Response);
        Assert.Equal("3535", Hex.Encode(chip.IssuerAuthentication.AsSpan(8)));
        Assert.True(card.AcceptsIssuerAuthentication(chip.IssuerAuthentication, transaction));
        var account = await _harness.AccountAsync(card);
        Assert.Equal(0, account.Held);
        Assert.Equal(100_000, account.Available);
        Assert.Null(decision.Response.ApprovalCode);
    }

    [Fact]
    public async Task Three_wrong_pins_answer_75_until_the_right_pin_resets_the_count()
    {
        var card = await AddCardWithPvvAsync();

        Assert.Equal("55", (await AuthorizeAsync(card, 100, "000000")).Response.ResponseCode);
        Assert.Equal("55", (await AuthorizeAsync(card, 100, "1111")).Response.ResponseCode);
        var third = await AuthorizeAsync(card, 100, "999999");
        Assert.Equal("75", third.Response.ResponseCode);
        Assert.Equal(IssuerEventKind.OnlinePinTriesExceeded, third.Events[^1].Kind);
        Assert.Equal("75", (await AuthorizeAsync(card, 100, "000000")).Response.ResponseCode);
        Assert.Equal(4, await _harness.Storage.PinTries.GetAsync(CardId.Create(Pan)));
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);

        var right = await AuthorizeAsync(card, 100, Pin);
        Assert.Equal("00", right.Response.ResponseCode);
        Assert.Contains("4 wrong PIN(s) before it are forgotten", right.Events.Single(e => e.Kind == IssuerEventKind.OnlinePinVerified).Message, StringComparison.Ordinal);
        Assert.Equal(0, await _harness.Storage.PinTries.GetAsync(CardId.Create(Pan)));
        Assert.Equal("55", (await AuthorizeAsync(card, 100, "000000")).Response.ResponseCode);
    }

    [Fact]
    public async Task The_count_is_per_card()
    {
        var card = await AddCardWithPvvAsync();
        var other = await AddCardWithPvvAsync(pan: "6225880000000019");
        for (int i = 0; i < 3; i++)
        {
            await AuthorizeAsync(card, 100, "000000");
        }

        Assert.Equal("55", (await AuthorizeAsync(other, 100, "000000", "6225880000000019")).Response.ResponseCode);
    }

    [Fact]
    public async Task Without_a_pin_block_the_reference_is_not_used()
    {
        var card = await AddCardWithPvvAsync();
        var decision = await _harness.AuthorizeAsync(card.Transact(100));
        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.DoesNotContain(decision.Events, e => e.Kind is IssuerEventKind.OnlinePinVerified or IssuerEventKind.OnlinePinNotVerifiable);
    }

    [Fact]
    public async Task A_pin_block_for_a_card_without_a_reference_is_decided_without_it_and_noted()
    {
        var card = await _harness.AddCardAsync();
        var decision = await AuthorizeAsync(card, 100, "000000");
        Assert.Equal("00", decision.Response.ResponseCode);
        var noted = decision.Events.Single(e => e.Kind == IssuerEventKind.OnlinePinNotVerifiable);
        Assert.Contains("online PIN not verifiable: no reference", noted.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("7 bytes", "0612345FFFFFFF")]
    [InlineData("format 2 block", "26123456FFFFFFFF")]
    [InlineData("all zero", "0000000000000000")]
    public async Task A_malformed_pin_block_counts_as_a_wrong_pin(string description, string block)
    {
        _ = description;
        var card = await AddCardWithPvvAsync();
        var decision = await _harness.Issuer.DecideAsync(card.Transact(100).Request with { PinBlock = Hex.Parse(block) });
        Assert.Equal("55", decision.Response.ResponseCode);
    }

    [Fact]
    public async Task A_missing_or_wrong_usage_pvk_is_a_key_configuration_error_96()
    {
        var card = await AddCardWithPvvAsync();
        var id = CardId.Create(Pan);
        var record = (await _harness.Storage.Cards.FindAsync(id))!;
        await _harness.Storage.Cards.RegisterAsync(record with { PinVerification = record.PinVerification! with { PvkLabel = "absent" } });
        var decision = await AuthorizeAsync(card, 100, Pin);
        Assert.Equal("96", decision.Response.ResponseCode);
        Assert.Equal(IssuerEventKind.KeyConfigurationError, decision.Events[^1].Kind);

        await _harness.Storage.Cards.RegisterAsync(record with { PinVerification = record.PinVerification! with { PvkLabel = "pek" } });
        Assert.Equal("96", (await AuthorizeAsync(card, 100, Pin)).Response.ResponseCode);
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public void The_reference_does_not_print_its_pvv()
    {
        var reference = new PinVerificationReference("pvk", 1, "4021");
        Assert.DoesNotContain("4021", reference.ToString(), StringComparison.Ordinal);
    }

    private async Task<SimulatedCard> AddCardWithPvvAsync(SuiteId suite = SuiteId.International, string pan = Pan)
    {
        var card = await _harness.AddCardAsync(suite, pan);
        var id = CardId.Create(pan);
        var record = (await _harness.Storage.Cards.FindAsync(id))!;
        string pvv = _harness.Keys.GeneratePvv("pvk", pan, 1, Pin);
        await _harness.Storage.Cards.RegisterAsync(record with { PinVerification = new PinVerificationReference("pvk", 1, pvv) });
        return card;
    }

    private async Task<IssuerDecision> AuthorizeAsync(SimulatedCard card, long amount, string pin, string pan = Pan)
    {
        AuthorizationRequest request = card.Transact(amount).Request with { PinBlock = IsoPinBlock.Format0(pin, pan) };
        return await _harness.Issuer.DecideAsync(request);
    }
}
