using Jinka.Core;

namespace Jinka.Terminal.Contact.Restrictions;

/// <summary>
/// Processing restrictions (EMV Book 3 §10.4): application version 9F08 against 9F09, the Application Usage Control
/// 9F07 against the transaction (domestic or international by 5F28 against 9F1A; cash, goods/services, cashback;
/// ATM or not), and the effective 5F25 and expiry 5F24 dates against the transaction date.
/// </summary>
internal sealed class ProcessingRestrictions : IKernelStep
{
    public string Name => "Processing restrictions";

    public ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        if (context.TryGet(Tags.CardApplicationVersion, out var cardVersion) && context.TryGet(Tags.TerminalApplicationVersion, out var terminalVersion)
            && !cardVersion.SequenceEqual(terminalVersion))
        {
            context.Set(TvrBit.DifferentApplicationVersions);
            context.Note($"application versions differ: card {Hex.Encode(cardVersion)}, terminal {Hex.Encode(terminalVersion)}");
        }

        if (context.TryGet(Tags.Auc, out var auc) && auc.Length == 2 && UsageRefusal(context, auc) is { } refusal)
        {
            context.Set(TvrBit.ServiceNotAllowed);
            context.Note($"application usage control {Hex.Encode(auc)}: {refusal}");
        }

        var today = context.TransactionDate;
        if (context.TryGet(Tags.EffectiveDate, out var effective))
        {
            if (!Bcd.TryToDate(effective, out var from) || from > today)
            {
                context.Set(TvrBit.ApplicationNotYetEffective);
                context.Note($"effective date {Hex.Encode(effective)} is after the transaction date {today:yyyy-MM-dd} or not a date");
            }
        }

        if (context.TryGet(Tags.ExpiryDate, out var expiry) && (!Bcd.TryToDate(expiry, out var until) || until < today))
        {
            context.Set(TvrBit.ExpiredApplication);
            context.Note($"expiry date {Hex.Encode(expiry)} is before the transaction date {today:yyyy-MM-dd} or not a date");
        }

        context.Output("TVR", context.Tvr.ToString());
        return ValueTask.FromResult(StepResult.Continue);
    }

    /// <summary>Why the AUC does not allow this transaction (EMV Book 3 §10.4.2), or null.</summary>
    private static string? UsageRefusal(TransactionContext context, ReadOnlySpan<byte> auc)
    {
        var config = context.Config;
        byte type = context.Request.TransactionType;
        if (config.IsAtm ? (auc[0] & 0x02) == 0 : (auc[0] & 0x01) == 0)
        {
            return config.IsAtm ? "not valid at ATMs" : "not valid at terminals other than ATMs";
        }

        if (!context.TryGet(Tags.IssuerCountryCode, out var issuerCountry))
        {
            return null;
        }

        bool domestic = context.TryGet(Tags.TerminalCountryCode, out var terminalCountry) && issuerCountry.SequenceEqual(terminalCountry);
        string where = domestic ? "domestic" : "international";
        bool cash = type == TransactionRequest.Cash;
        bool cashback = type == TransactionRequest.PurchaseWithCashback || (type == TransactionRequest.Purchase && context.Request.OtherAmount > 0);
        if (cash && (auc[0] & (domestic ? 0x80 : 0x40)) == 0)
        {
            return $"not valid for {where} cash";
        }

        if (type is TransactionRequest.Purchase or TransactionRequest.PurchaseWithCashback && (auc[0] & (domestic ? 0x28 : 0x14)) == 0)
        {
            return $"not valid for {where} goods or services";
        }

        if (cashback && (auc[1] & (domestic ? 0x80 : 0x40)) == 0)
        {
            return $"{where} cashback not allowed";
        }

        return null;
    }
}
