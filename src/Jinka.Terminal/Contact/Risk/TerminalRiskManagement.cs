using System.Globalization;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.Risk;

/// <summary>
/// Terminal risk management (EMV Book 3 §10.6), when the AIP asks for it: the exception file (optional), the floor
/// limit, random transaction selection (online-capable terminals, below the floor limit) and velocity checking with
/// 9F14/9F23 against GET DATA 9F36 and 9F13. A merchant-forced online transaction is marked here too.
/// </summary>
internal sealed class TerminalRiskManagement : IKernelStep
{
    public string Name => "Terminal risk management";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ForceOnline)
        {
            context.Set(TvrBit.MerchantForcedOnline);
        }

        if ((context.Aip[0] & 0x08) == 0)
        {
            context.Note("the AIP does not ask for terminal risk management");
            return StepResult.Continue;
        }

        var config = context.Config;
        if (config.ExceptionFile.Contains(context.Pan))
        {
            context.Set(TvrBit.CardOnExceptionFile);
            context.Note("the PAN is on the terminal exception file");
        }

        long amount = context.Request.Amount;
        long floorLimit = context.Application?.TerminalAid.FloorLimit ?? config.FloorLimit;
        context.Input("amount", amount.ToString(CultureInfo.InvariantCulture));
        context.Input("floor limit", floorLimit.ToString(CultureInfo.InvariantCulture));
        if (amount >= floorLimit)
        {
            context.Set(TvrBit.FloorLimitExceeded);
        }
        else if (config.IsOnlineCapable && !config.IsOnlineOnly)
        {
            RandomSelection(context, amount, floorLimit);
        }

        await VelocityAsync(context, cancellationToken).ConfigureAwait(false);
        context.Set(TsiBit.TerminalRiskManagementPerformed);
        context.Output("TVR", context.Tvr.ToString());
        return StepResult.Continue;
    }

    /// <summary>EMV Book 3 §10.6.2: a random number 1–99 against the target percentage, rising from the threshold to the floor limit.</summary>
    private static void RandomSelection(TransactionContext context, long amount, long floorLimit)
    {
        var settings = context.Config.RandomSelection;
        if (settings.TargetPercentage == 0 && settings.MaxTargetPercentage == 0)
        {
            return;
        }

        int number = context.Random.Next(1, 100);
        double target = amount < settings.ThresholdAmount || floorLimit <= settings.ThresholdAmount
            ? settings.TargetPercentage
            : settings.TargetPercentage + ((settings.MaxTargetPercentage - settings.TargetPercentage) * (double)(amount - settings.ThresholdAmount) / (floorLimit - settings.ThresholdAmount));
        bool selected = number <= target;
        context.Note(string.Create(CultureInfo.InvariantCulture, $"random selection: {number} against {target:0.##}% → {(selected ? "selected for online" : "not selected")}"));
        if (selected)
        {
            context.Set(TvrBit.RandomlySelectedForOnline);
        }
    }

    /// <summary>EMV Book 3 §10.6.3: consecutive offline transactions = ATC − last online ATC against 9F14 and 9F23.</summary>
    private static async ValueTask VelocityAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (!context.TryGet(Tags.LowerConsecutiveOfflineLimit, out var lowerBytes) || !context.TryGet(Tags.UpperConsecutiveOfflineLimit, out var upperBytes)
            || lowerBytes.Length != 1 || upperBytes.Length != 1)
        {
            context.Note("no velocity checking: the card has no 9F14/9F23");
            return;
        }

        int lower = lowerBytes[0], upper = upperBytes[0];
        int? atc = await GetCounterAsync(context, 0x9F36, cancellationToken).ConfigureAwait(false);
        int? lastOnline = await GetCounterAsync(context, 0x9F13, cancellationToken).ConfigureAwait(false);
        if (atc is null || lastOnline is null || atc <= lastOnline)
        {
            context.Set(TvrBit.LowerConsecutiveOfflineLimitExceeded);
            context.Set(TvrBit.UpperConsecutiveOfflineLimitExceeded);
            context.Note(atc is null || lastOnline is null ? "velocity: the ATC or last online ATC could not be read" : $"velocity: ATC {atc} is not above the last online ATC {lastOnline}");
            return;
        }

        int consecutive = atc.Value - lastOnline.Value;
        context.Note(string.Create(CultureInfo.InvariantCulture, $"velocity: ATC {atc}, last online ATC {lastOnline}: {consecutive} consecutive offline against limits {lower}/{upper}"));
        if (consecutive > lower)
        {
            context.Set(TvrBit.LowerConsecutiveOfflineLimitExceeded);
        }

        if (consecutive > upper)
        {
            context.Set(TvrBit.UpperConsecutiveOfflineLimitExceeded);
        }

        if (lastOnline == 0)
        {
            context.Set(TvrBit.NewCard);
        }
    }

    private static async ValueTask<int?> GetCounterAsync(TransactionContext context, ushort tag, CancellationToken cancellationToken)
    {
        var response = await context.Card.SendAsync(ApduCommands.GetData(tag), string.Create(CultureInfo.InvariantCulture, $"GET DATA {tag:X4}"), cancellationToken).ConfigureAwait(false);
        if (!response.StatusWord.IsSuccess || !TlvNode.TryParse(response.Data, out var nodes, out _) || nodes is not [{ Value.Length: 2 } node] || node.Tag.Value != tag)
        {
            return null;
        }

        var value = node.Value.Span;
        return (value[0] << 8) | value[1];
    }
}
