using Jinka.Host.Issuing;
using Jinka.Host.Ledger;
using Jinka.Terminal;

namespace Jinka.EndToEnd.Tests.Negatives;

/// <summary>
/// The cardholder types a wrong PIN at a terminal whose CVM is online PIN (the shipped CVM list): the kernel sends the
/// format 0 block (P44), the issuer checks it against the card's PVV (P51) and declines "55" with an authentic 91; the
/// card closes with an AAC and nothing is held. Three in a row answer "75"; the right PIN then approves (P53).
/// </summary>
public class OnlinePinTests
{
    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task A_wrong_online_pin_is_declined_55_by_the_issuer(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        Assert.Equal("123456", h.Profile.Pin);
        var opening = await h.AccountAsync();

        var result = await h.PayAsync(1234, pin: "654321");

        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.True(result.Tvr.Has(TvrBit.OnlinePinEntered));
        Assert.Equal("55", result.AuthorizationResponse?.ResponseCode);
        Assert.False(result.Tvr.IssuerAuthenticationFailed);
        Assert.Equal("AAC", result.Cryptogram());
        var record = h.Journal.Records.Single();
        Assert.Equal(AuthorizationState.Declined, record.State);
        Assert.False(record.HoldPlaced);
        Assert.Contains(h.Issuer.Events.Snapshot(), e => e.Kind == IssuerEventKind.OnlinePinIncorrect);
        var account = await h.AccountAsync();
        Assert.Equal((opening.Balance, 0L), (account.Balance, account.Held));
        Assert.DoesNotContain(LedgerEntryKind.Hold, (await h.LedgerAsync()).Select(e => e.Kind));
    }

    [Fact]
    public async Task Three_wrong_online_pins_answer_75_and_the_right_one_then_approves()
    {
        await using var h = await Harness.IssueAsync("pboc-debit-intl");

        string[] codes = new string[3];
        for (int i = 0; i < codes.Length; i++)
        {
            codes[i] = (await h.PayAsync(100, pin: "0000")).AuthorizationResponse!.ResponseCode;
        }

        Assert.Equal(["55", "55", "75"], codes);
        var right = await h.PayAsync(100);
        Assert.True(right.IsApproved, right.Reason);
        Assert.Equal("00", right.AuthorizationResponse?.ResponseCode);
        Assert.Equal(0, await h.Issuer.Storage.PinTries.GetAsync(h.CardId));
    }
}
