using System.Globalization;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Terminal.Contactless;

namespace Jinka.Terminal.Contact.ElectronicCash;

/// <summary>
/// The terminal's part of an online EC load (contract Q11, Q36): before the card is asked for a cryptogram, read the
/// balance (GET DATA 9F79) and the balance limit (9F77) and refuse a load that would pass it; after the transaction,
/// read the balance again and report whether the issuer's PUT DATA 9F79 took.
/// </summary>
internal sealed class EcLoad : IKernelStep
{
    public string Name => "EC load: balance and limit";

    /// <summary>9F79 before the load, once read.</summary>
    public long? BalanceBefore { get; private set; }

    /// <summary>9C 60 (designated account), 62 (non-designated account) or 63 (cash).</summary>
    public static bool IsLoad(byte transactionType) => transactionType is 0x60 or 0x62 or 0x63;

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (context.Authorization is null)
        {
            return StepResult.End(TransactionOutcome.NotAccepted, "an EC load is authorised online and this terminal has no host");
        }

        var (balance, reason) = await EcBalance.ReadAsync(context.Card, cancellationToken).ConfigureAwait(false);
        if (balance is not long before)
        {
            return StepResult.End(TransactionOutcome.NotAccepted, $"the application has no electronic cash: {reason}");
        }

        BalanceBefore = before;
        long amount = context.Request.Amount;
        context.Input("EC balance", before.ToString(CultureInfo.InvariantCulture));
        context.Input("load amount", amount.ToString(CultureInfo.InvariantCulture));
        var limitResponse = await context.Card.SendAsync(ApduCommands.GetData(0x9F77), "GET DATA 9F77 (EC balance limit)", cancellationToken).ConfigureAwait(false);
        if (limitResponse.StatusWord.IsSuccess && EcBalance.TryParseAmount(limitResponse.Data.Span, 0x9F77, out long limit))
        {
            context.Input("EC balance limit", limit.ToString(CultureInfo.InvariantCulture));
            if (before + amount > limit)
            {
                return StepResult.End(TransactionOutcome.Declined, string.Create(CultureInfo.InvariantCulture,
                    $"the load would take the EC balance to {before + amount}, above the card's limit 9F77 = {limit}; the card was not asked"));
            }
        }
        else
        {
            context.Note("the card gives no EC balance limit (9F77); the card itself refuses a balance above it");
        }

        return StepResult.Continue;
    }

    /// <summary>
    /// After the transaction: an approved load is done only when the card's balance rose by the amount. The advice has
    /// gone already (with the script results), so this only reports.
    /// </summary>
    public async ValueTask<(TransactionOutcome Outcome, string Reason, long? After)> ConfirmAsync(TransactionContext context, TransactionOutcome outcome, string reason, CancellationToken cancellationToken)
    {
        if (outcome != TransactionOutcome.Approved || BalanceBefore is not long before)
        {
            return (outcome, reason, null);
        }

        long expected = before + context.Request.Amount;
        long? after = await EcBalance.TryReadAfterAsync(context, cancellationToken).ConfigureAwait(false);
        return after switch
        {
            null => (outcome, $"{reason}; the new EC balance could not be read, so the load is unconfirmed", null),
            long value when value == expected => (outcome, string.Create(CultureInfo.InvariantCulture, $"EC load done: balance {before} → {value}"), value),
            long value => (TransactionOutcome.Declined, string.Create(CultureInfo.InvariantCulture,
                $"the issuer approved but the card did not take the load (script results {Hex.Encode(context.ScriptResults.SelectMany(r => r).ToArray())}); the balance is {value}, not {expected}"), value),
        };
    }
}
