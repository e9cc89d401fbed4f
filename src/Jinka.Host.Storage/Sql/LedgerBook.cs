using Jinka.Host.Ledger;

namespace Jinka.Host.Storage.Sql;

/// <summary>One line of a movement: an amount to an account's balance (bucket "B") or held funds ("H").</summary>
internal readonly record struct Posting(string AccountId, string Bucket, long Amount);

/// <summary>
/// The chart of accounts and the posting rules: which balanced postings each <see cref="LedgerEntryKind"/> makes.
/// Customer accounts carry two buckets, B (balance) and H (held); the store's internal accounts, one per currency,
/// are "~equity/156" (opening balances), "~deposits/156" (money in), "~holds/156" (funds reserved by
/// authorisations) and "~clearing/156" (captured debits owed to acquirers until settlement). A customer's balance
/// is the sum of its B postings, its held amount the sum of its H postings, and every movement sums to zero.
/// </summary>
internal static class LedgerBook
{
    public const string InternalPrefix = "~";
    public const string BalanceBucket = "B";
    public const string HeldBucket = "H";

    public static string Equity(string currency) => $"~equity/{currency}";

    public static string Deposits(string currency) => $"~deposits/{currency}";

    public static string Holds(string currency) => $"~holds/{currency}";

    public static string Clearing(string currency) => $"~clearing/{currency}";

    public static IReadOnlyList<Posting> Postings(LedgerEntryKind kind, string account, string currency, long amount) => kind switch
    {
        LedgerEntryKind.Opening => [new(account, BalanceBucket, amount), new(Equity(currency), BalanceBucket, -amount)],
        LedgerEntryKind.Credit => [new(account, BalanceBucket, amount), new(Deposits(currency), BalanceBucket, -amount)],
        LedgerEntryKind.Hold => [new(account, HeldBucket, amount), new(Holds(currency), BalanceBucket, -amount)],
        LedgerEntryKind.HoldReleased => [new(account, HeldBucket, -amount), new(Holds(currency), BalanceBucket, amount)],
        LedgerEntryKind.Debit =>
        [
            new(account, HeldBucket, -amount), new(Holds(currency), BalanceBucket, amount),
            new(account, BalanceBucket, -amount), new(Clearing(currency), BalanceBucket, amount),
        ],
        LedgerEntryKind.DebitReversed => [new(account, BalanceBucket, amount), new(Clearing(currency), BalanceBucket, -amount)],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no posting rule"),
    };
}
