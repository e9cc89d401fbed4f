using Jinka.Terminal;

namespace Jinka.EndToEnd.Tests;

public class ContactPaymentTests
{
    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    [InlineData("pboc-credit-intl")]
    public async Task Online_purchase_is_approved(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var result = await h.PayAsync(1234, forceOnline: true);
        Assert.True(result.Outcome == TransactionOutcome.Approved, result.Trace.ToJson());
    }
}
