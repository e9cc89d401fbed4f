using System.Globalization;
using Jinka.Core;
using Jinka.Terminal.Contact;

namespace Jinka.Terminal.Contactless;

/// <summary>
/// Pre-processing before the card is touched (NOTES A.8, contract Q12): the contactless transaction limit (amount ≥
/// limit → another interface), zero amount (online-capable → online cryptogram required, offline-only → another
/// interface), the CVM limit (amount ≥ limit → CVM required), the floor limit (amount &gt; limit → online cryptogram
/// required), the optional status check, and electronic cash (NOTES A.9: purchase below the EC limit → 9F7A = 01).
/// The result is TTQ 9F66.
/// </summary>
internal sealed class QpbocPreProcessing(QpbocState state) : IKernelStep
{
    public string Name => "Pre-processing";

    public ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var reader = state.Reader;
        var config = context.Config;
        long amount = context.Request.Amount;
        bool online = config.IsOnlineCapable && context.Authorization is not null;
        context.Input("amount", amount.ToString(CultureInfo.InvariantCulture));

        if (reader.ContactlessTransactionLimit is long limit && amount >= limit)
        {
            return End(context, $"amount {amount} ≥ the contactless transaction limit {limit}: try another interface");
        }

        var ttq = state.Ttq;
        ttq[0] = 0x20;
        if (!online)
        {
            ttq[0] |= 0x08;
        }
        else if (context.PinEntry is not null && config.PinPadPresent && (config.Capabilities[1] & 0x40) != 0)
        {
            ttq[0] |= 0x04;
        }

        if (reader.SignatureSupported && (config.Capabilities[1] & 0x20) != 0)
        {
            ttq[0] |= 0x02;
        }

        if (reader.ConsumerDeviceCvm)
        {
            ttq[2] |= 0x40;
        }

        ttq[3] = 0x80;
        if (amount == 0)
        {
            if (!online)
            {
                return End(context, "zero amount on an offline-only reader: try another interface");
            }

            ttq[1] |= 0x80;
            context.Note("zero amount: online cryptogram required");
        }

        if (reader.CvmLimit is long cvmLimit && amount >= cvmLimit)
        {
            ttq[1] |= 0x40;
            context.Note($"amount ≥ the CVM limit {cvmLimit}: CVM required");
        }

        long floor = reader.ContactlessFloorLimit ?? config.FloorLimit;
        if (amount > floor)
        {
            ttq[1] |= 0x80;
            context.Note($"amount > the contactless floor limit {floor}: online cryptogram required");
        }

        if (reader.StatusCheck && amount == OneUnit(config.CurrencyExponent))
        {
            ttq[1] |= 0x80;
            context.Note("status check (one currency unit): online cryptogram required");
        }

        if (context.Request.ForceOnline)
        {
            ttq[1] |= 0x80;
        }

        long ecLimit = reader.EcTerminalLimit ?? floor;
        state.ElectronicCash = reader.ElectronicCash && context.Request.TransactionType == TransactionRequest.Purchase && amount < ecLimit && (ttq[1] & 0x80) == 0;
        context.Output("TTQ 9F66", Hex.Encode(ttq));
        context.Output("9F7A", state.ElectronicCash ? "01 (electronic cash)" : "00");
        return ValueTask.FromResult(StepResult.Continue);
    }

    private ValueTask<StepResult> End(TransactionContext context, string reason)
    {
        state.TryAnotherInterface = true;
        context.Note(reason);
        return ValueTask.FromResult(StepResult.End(TransactionOutcome.Terminated, reason));
    }

    private static long OneUnit(int exponent)
    {
        long unit = 1;
        for (int i = 0; i < exponent; i++)
        {
            unit *= 10;
        }

        return unit;
    }
}
