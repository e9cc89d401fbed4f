using Jinka.Core.Online;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;

namespace Jinka.Host.Issuing;

/// <summary>The issuer's stores. Each is an interface so issue 5 can put SQLite or PostgreSQL behind it.</summary>
/// <param name="Cards">Cards by PAN and PSN.</param>
/// <param name="Accounts">Balances and the ledger.</param>
/// <param name="Journal">Authorisations (the ATC replay check, advices).</param>
/// <param name="Scripts">The issuer script queue.</param>
public sealed record IssuerStorage(ICardRegistry Cards, IAccountStore Accounts, IAuthorizationJournal Journal, IScriptStore Scripts)
{
    /// <summary>Consecutive wrong online PINs per card (P53); in process memory unless a host sets a durable one.</summary>
    public IPinTryCounter PinTries { get; init; } = new InMemoryPinTryCounter();

    /// <summary>All four in process memory.</summary>
    public static IssuerStorage InMemory(TimeProvider? time = null) =>
        new(new InMemoryCardRegistry(), new InMemoryAccountStore(time), new InMemoryAuthorizationJournal(), new InMemoryScriptStore());
}

/// <summary>Issuer settings.</summary>
public sealed record IssuerOptions
{
    /// <summary>
    /// Most bytes of 71/72 templates in one response. Scripts that do not fit wait for the card's next online
    /// transaction; a script larger than this on its own fails. 128 is a conservative figure that terminals handle.
    /// </summary>
    public int MaxScriptBytes { get; init; } = 128;

    /// <summary>The PIN encryption key that <see cref="Issuer.QueuePinChangeAsync"/> encrypts new PINs under.</summary>
    public string? PinKeyLabel { get; init; }

    /// <summary>
    /// Consecutive wrong online PINs after which the issuer answers "75" (PIN tries exceeded) instead of "55", until a
    /// correct PIN resets the count (choice P53).
    /// </summary>
    public int OnlinePinTryLimit { get; init; } = 3;

    /// <summary>The clock for records, ledger entries and events.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where events go; a new log of 10,000 events when null.</summary>
    public IssuerEventLog? EventLog { get; init; }
}

/// <summary>What the issuer decided for one request, with the evidence.</summary>
/// <param name="Response">The answer to send back.</param>
/// <param name="Events">The events of this request, in order.</param>
public sealed record IssuerDecision(AuthorizationResponse Response, IReadOnlyList<IssuerEvent> Events)
{
    /// <summary>The journal reference (field 37) when the ARQC verified and the ATC was new.</summary>
    public string? Reference { get; init; }

    /// <summary>The card record, when the card was found.</summary>
    public CardRecord? Card { get; init; }

    /// <summary>True when the ARQC verified.</summary>
    public bool ArqcVerified { get; init; }

    /// <summary>The account after the decision (for a balance inquiry, its balance).</summary>
    public Account? Account { get; init; }

    /// <summary>The scripts sent in field 55.</summary>
    public IReadOnlyList<QueuedScript> DeliveredScripts { get; init; } = [];
}

/// <summary>What the issuer did with an advice.</summary>
/// <param name="Record">The authorisation it matched, as updated; null when the original is unknown.</param>
/// <param name="Events">The events of this advice, in order.</param>
public sealed record AdviceOutcome(AuthorizationRecord? Record, IReadOnlyList<IssuerEvent> Events);

/// <summary>Field 39 values the issuer answers with (contract P12 and P14).</summary>
public static class IssuerResponseCodes
{
    public const string Approved = "00";
    public const string DoNotHonour = "05";
    public const string InvalidCard = "14";
    public const string FormatError = "30";
    public const string InsufficientFunds = "51";
    public const string IncorrectPin = "55";
    public const string NotPermitted = "57";
    public const string RestrictedCard = "62";
    public const string PinTriesExceeded = "75";
    public const string Duplicate = "94";
    public const string SystemError = "96";
}
