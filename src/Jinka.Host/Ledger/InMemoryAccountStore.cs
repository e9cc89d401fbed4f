using System.Globalization;

namespace Jinka.Host.Ledger;

/// <summary>
/// <see cref="IAccountStore"/> in process memory, for tests, demos and the CLI. One lock guards everything, so each
/// operation is atomic; nothing survives the process (issue 5 puts SQLite and PostgreSQL behind the same interface).
/// </summary>
public sealed class InMemoryAccountStore : IAccountStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, AccountState> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HoldState> _holds = new(StringComparer.Ordinal);
    private readonly HashSet<string> _credits = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private long _sequence;

    public InMemoryAccountStore(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public ValueTask<Account> OpenAccountAsync(string accountId, string currency, long openingBalance, long creditLimit = 0, CancellationToken cancellationToken = default)
    {
        ValidateId(accountId, "account id");
        if (currency is null || currency.Length != 3 || !currency.All(char.IsAsciiDigit))
        {
            throw new LedgerException($"Currency '{currency}' is not an ISO 4217 numeric code of 3 digits.");
        }

        if (openingBalance < 0 || creditLimit < 0)
        {
            throw new LedgerException($"Opening balance ({openingBalance}) and credit limit ({creditLimit}) cannot be negative.");
        }

        lock (_lock)
        {
            if (_accounts.ContainsKey(accountId))
            {
                throw new LedgerException($"Account '{accountId}' already exists.");
            }

            var state = new AccountState(accountId, currency, creditLimit);
            _accounts.Add(accountId, state);
            state.Balance = openingBalance;
            Book(state, LedgerEntryKind.Opening, openingBalance, "opening", "opening balance");
            return ValueTask.FromResult(state.Snapshot());
        }
    }

    /// <inheritdoc/>
    public ValueTask<Account?> FindAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_accounts.TryGetValue(accountId, out var state) ? state.Snapshot() : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<LedgerResult> PlaceHoldAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default)
    {
        ValidateId(reference, "reference");
        ValidateAmount(amount);
        lock (_lock)
        {
            if (!_accounts.TryGetValue(accountId, out var account))
            {
                return Result(LedgerStatus.UnknownAccount, null);
            }

            if (_holds.TryGetValue(reference, out var existing))
            {
                return Result(LedgerStatus.AlreadyDone, _accounts[existing.AccountId]);
            }

            if (account.Balance + account.CreditLimit - account.Held < amount)
            {
                return Result(LedgerStatus.InsufficientFunds, account);
            }

            account.Held += amount;
            _holds.Add(reference, new HoldState(accountId, amount));
            Book(account, LedgerEntryKind.Hold, amount, reference, description);
            return Result(LedgerStatus.Done, account);
        }
    }

    /// <inheritdoc/>
    public ValueTask<LedgerResult> CaptureHoldAsync(string reference, string description, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_holds.TryGetValue(reference, out var hold))
            {
                return Result(LedgerStatus.UnknownReference, null);
            }

            var account = _accounts[hold.AccountId];
            switch (hold.Stage)
            {
                case HoldStage.Captured:
                    return Result(LedgerStatus.AlreadyDone, account);
                case HoldStage.Released or HoldStage.DebitReversed:
                    return Result(LedgerStatus.Reversed, account);
            }

            account.Held -= hold.Amount;
            account.Balance -= hold.Amount;
            hold.Stage = HoldStage.Captured;
            Book(account, LedgerEntryKind.Debit, hold.Amount, reference, description);
            return Result(LedgerStatus.Done, account);
        }
    }

    /// <inheritdoc/>
    public ValueTask<LedgerResult> ReverseAsync(string reference, string description, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_holds.TryGetValue(reference, out var hold))
            {
                return Result(LedgerStatus.UnknownReference, null);
            }

            var account = _accounts[hold.AccountId];
            switch (hold.Stage)
            {
                case HoldStage.Held:
                    account.Held -= hold.Amount;
                    hold.Stage = HoldStage.Released;
                    Book(account, LedgerEntryKind.HoldReleased, hold.Amount, reference, description);
                    return Result(LedgerStatus.Done, account);
                case HoldStage.Captured:
                    account.Balance += hold.Amount;
                    hold.Stage = HoldStage.DebitReversed;
                    Book(account, LedgerEntryKind.DebitReversed, hold.Amount, reference, description);
                    return Result(LedgerStatus.Done, account);
                default:
                    return Result(LedgerStatus.AlreadyDone, account);
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<LedgerResult> CreditAsync(string accountId, string reference, long amount, string description, CancellationToken cancellationToken = default)
    {
        ValidateId(reference, "reference");
        ValidateAmount(amount);
        lock (_lock)
        {
            if (!_accounts.TryGetValue(accountId, out var account))
            {
                return Result(LedgerStatus.UnknownAccount, null);
            }

            if (!_credits.Add(reference))
            {
                return Result(LedgerStatus.AlreadyDone, account);
            }

            account.Balance += amount;
            Book(account, LedgerEntryKind.Credit, amount, reference, description);
            return Result(LedgerStatus.Done, account);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<LedgerEntry>> GetEntriesAsync(string accountId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            IReadOnlyList<LedgerEntry> entries = _accounts.TryGetValue(accountId, out var account) ? [.. account.Entries] : [];
            return ValueTask.FromResult(entries);
        }
    }

    private static ValueTask<LedgerResult> Result(LedgerStatus status, AccountState? account) =>
        ValueTask.FromResult(new LedgerResult(status, account?.Snapshot()));

    private static void ValidateId(string id, string what)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            throw new LedgerException($"The {what} must be 1 to 64 characters; got '{id}'.");
        }
    }

    private static void ValidateAmount(long amount)
    {
        if (amount < 0)
        {
            throw new LedgerException(string.Create(CultureInfo.InvariantCulture, $"Amounts are positive minor units; got {amount}."));
        }
    }

    /// <summary>Call with the lock held.</summary>
    private void Book(AccountState account, LedgerEntryKind kind, long amount, string reference, string description) =>
        account.Entries.Add(new LedgerEntry(++_sequence, account.Id, kind, amount, reference, _time.GetUtcNow(), description));

    private enum HoldStage
    {
        Held,
        Captured,
        Released,
        DebitReversed,
    }

    private sealed class AccountState(string id, string currency, long creditLimit)
    {
        public string Id { get; } = id;

        public List<LedgerEntry> Entries { get; } = [];

        public long Balance { get; set; }

        public long Held { get; set; }

        public Account Snapshot() => new(Id, currency, Balance, Held, creditLimit);

        public long CreditLimit => creditLimit;
    }

    private sealed class HoldState(string accountId, long amount)
    {
        public string AccountId { get; } = accountId;

        public long Amount { get; } = amount;

        public HoldStage Stage { get; set; }
    }
}
