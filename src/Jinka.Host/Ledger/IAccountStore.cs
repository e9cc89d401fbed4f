namespace Jinka.Host.Ledger;

/// <summary>
/// The cardholder accounts and their ledger: balances in minor units, and every movement as an entry. An approval
/// places a hold (funds reserved, balance unchanged); the completion captures it as a debit; a reversal releases it
/// (or, once captured, credits it back). Holds are keyed by the authorisation's reference, which makes every
/// operation on them idempotent.
/// </summary>
/// <remarks>
/// Implementations must be safe for concurrent use and must make <see cref="PlaceHoldAsync"/> an atomic
/// check-and-reserve: parallel authorisations on one account never take it below its floor. A durable store commits
/// before it returns (DESIGN "Host persistence is durable").
/// </remarks>
public interface IAccountStore
{
    /// <summary>Opens an account with an opening balance (an <see cref="LedgerEntryKind.Opening"/> entry).</summary>
    /// <exception cref="LedgerException">The account exists, or the arguments are invalid.</exception>
    ValueTask<Account> OpenAccountAsync(string accountId, string currency, long openingBalance, long creditLimit = 0, CancellationToken cancellationToken = default);

    /// <summary>The account, or null when there is none.</summary>
    ValueTask<Account?> FindAsync(string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reserves <paramref name="amount"/> when the available amount covers it. Placing the same
    /// <paramref name="reference"/> again answers <see cref="LedgerStatus.AlreadyDone"/> and changes nothing.
    /// </summary>
    ValueTask<LedgerResult> PlaceHoldAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default);

    /// <summary>Turns the hold <paramref name="reference"/> into a debit. Idempotent.</summary>
    ValueTask<LedgerResult> CaptureHoldAsync(string reference, string description, CancellationToken cancellationToken = default);

    /// <summary>
    /// Undoes the authorisation <paramref name="reference"/>: releases its hold, or credits a captured debit back.
    /// Idempotent: a second call answers <see cref="LedgerStatus.AlreadyDone"/>; an unknown reference
    /// <see cref="LedgerStatus.UnknownReference"/>.
    /// </summary>
    ValueTask<LedgerResult> ReverseAsync(string reference, string description, CancellationToken cancellationToken = default);

    /// <summary>Adds money to an account (a deposit or top-up), once per <paramref name="reference"/>.</summary>
    ValueTask<LedgerResult> CreditAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default);

    /// <summary>The account's entries, oldest first.</summary>
    ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string accountId, CancellationToken cancellationToken = default);
}

/// <summary>An account as it stands.</summary>
/// <param name="Id">The account number.</param>
/// <param name="Currency">ISO 4217 numeric currency of the balance, e.g. "156".</param>
/// <param name="Balance">Ledger balance in minor units: credits minus captured debits.</param>
/// <param name="Held">Sum of open holds.</param>
/// <param name="CreditLimit">How far below zero the available amount may go (0 for a debit account).</param>
public sealed record Account(string Id, string Currency, long Balance, long Held, long CreditLimit)
{
    /// <summary>What an authorisation may still take: balance plus credit limit minus holds.</summary>
    public long Available => Balance + CreditLimit - Held;
}

/// <summary>What a ledger entry records.</summary>
public enum LedgerEntryKind
{
    /// <summary>The opening balance.</summary>
    Opening,

    /// <summary>Money in (deposit, top-up).</summary>
    Credit,

    /// <summary>Funds reserved by an approved authorisation.</summary>
    Hold,

    /// <summary>A hold released by a reversal (or by a card that declined after approval).</summary>
    HoldReleased,

    /// <summary>A hold captured as a debit by the completion.</summary>
    Debit,

    /// <summary>A captured debit credited back by a late reversal.</summary>
    DebitReversed,
}

/// <summary>One movement on an account. Amounts are positive; <see cref="Kind"/> says which way they go.</summary>
/// <param name="Sequence">Store-wide order of entries.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Kind">What happened.</param>
/// <param name="Amount">Minor units, positive.</param>
/// <param name="Reference">The authorisation (or deposit) reference it belongs to.</param>
/// <param name="At">When it was booked.</param>
/// <param name="Description">Why, in words.</param>
public sealed record LedgerEntry(long Sequence, string AccountId, LedgerEntryKind Kind, long Amount, string Reference, DateTimeOffset At, string Description);

/// <summary>The outcome of a ledger operation. Expected outcomes are values; only misuse throws.</summary>
public enum LedgerStatus
{
    /// <summary>Done now.</summary>
    Done,

    /// <summary>Done earlier for the same reference; nothing changed.</summary>
    AlreadyDone,

    /// <summary>The available amount does not cover the hold; nothing changed.</summary>
    InsufficientFunds,

    /// <summary>No such account.</summary>
    UnknownAccount,

    /// <summary>No hold or entry with that reference.</summary>
    UnknownReference,

    /// <summary>The hold was already reversed, so it cannot be captured.</summary>
    Reversed,
}

/// <param name="Status">What happened.</param>
/// <param name="Account">The account after the operation, when one was involved.</param>
public readonly record struct LedgerResult(LedgerStatus Status, Account? Account)
{
    public bool Succeeded => Status is LedgerStatus.Done or LedgerStatus.AlreadyDone;
}

/// <summary>A ledger request that is a caller error: duplicate account, negative amount, bad identifiers.</summary>
public sealed class LedgerException : Exception
{
    public LedgerException()
    {
    }

    public LedgerException(string message)
        : base(message)
    {
    }

    public LedgerException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
