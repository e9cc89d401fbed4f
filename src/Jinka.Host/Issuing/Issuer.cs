using System.Globalization;
using Jinka.Core.Online;
using Jinka.Crypto;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Keys;
using Jinka.Host.Ledger;

namespace Jinka.Host.Issuing;

/// <summary>
/// The in-process issuer: checks field 55, verifies the ARQC through the key store, decides, answers 91 (ARPC ‖ ARC,
/// method 1) with the card's queued scripts, and books the outcome. Independent of transport (the ISO 8583 server
/// of issue 5 calls <see cref="DecideAsync"/> and <see cref="HandleAdviceAsync"/>) and of storage
/// (<see cref="IssuerStorage"/>). Safe for concurrent use. It never throws for a bad request: every outcome is a
/// response code with a reason and events.
/// </summary>
/// <remarks>
/// Decision order (contract P14): format → card known (14) → 9F10 suite and CVN → ARQC (05, still with an ARPC) →
/// ATC not seen before (94) → card and application status (62, 57) → transaction type (57) → online PIN (55, 75;
/// P51–P53) → funds (51) → approve.
/// The ARQC is checked before the card status so a decline for a blocked card carries an authentic ARPC and the
/// scripts (typically the block) that go with it.
/// </remarks>
public sealed partial class Issuer : IAuthorizationClient
{
    private readonly IKeyStore _keys;
    private readonly IssuerOptions _options;

    public Issuer(IKeyStore keys, IssuerStorage storage, IssuerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(storage);
        _keys = keys;
        Storage = storage;
        _options = options ?? new IssuerOptions();
        Events = _options.EventLog ?? new IssuerEventLog();
    }

    /// <summary>The stores the issuer decides against.</summary>
    public IssuerStorage Storage { get; }

    /// <summary>Everything the issuer decided, in order.</summary>
    public IssuerEventLog Events { get; }

    private DateTimeOffset Now => _options.Time.GetUtcNow();

    /// <inheritdoc/>
    public async ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default) =>
        (await DecideAsync(request, cancellationToken).ConfigureAwait(false)).Response;

    /// <summary>Decides <paramref name="request"/> and returns the response with the events that explain it.</summary>
    public async ValueTask<IssuerDecision> DecideAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trace = new Trace(this);
        try
        {
            return await DecideCoreAsync(request, trace, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // The issuer answers 96 for any internal failure rather than leaving the terminal without a response.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return trace.Decline(IssuerResponseCodes.SystemError, IssuerEventKind.SystemError, $"internal error: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private async ValueTask<IssuerDecision> DecideCoreAsync(AuthorizationRequest request, Trace trace, CancellationToken cancellationToken)
    {
        if (!EmvPan.TryValidate(request.Pan, out _, out string? panError))
        {
            return trace.Decline(IssuerResponseCodes.InvalidCard, IssuerEventKind.UnknownCard, $"field 2: {panError}");
        }

        if (!CardId.TryCreate(request.Pan, request.PanSequenceNumber, out var cardId, out string? idError))
        {
            return trace.Decline(IssuerResponseCodes.FormatError, IssuerEventKind.FormatError, $"field 23: {idError}");
        }

        trace.Card = cardId;
        if (!RequestChipData.TryParse(request.IccData, out var chip, out string? chipError))
        {
            return trace.Decline(IssuerResponseCodes.FormatError, IssuerEventKind.FormatError, chipError);
        }

        trace.Chip = chip;
        if (chip.AmountAuthorised != request.Amount)
        {
            return trace.Decline(IssuerResponseCodes.FormatError, IssuerEventKind.FormatError,
                Invariant($"field 4 amount {request.Amount} differs from 9F02 {chip.AmountAuthorised}, which the ARQC covers"));
        }

        if (!string.Equals(chip.Currency, request.CurrencyCode, StringComparison.Ordinal))
        {
            return trace.Decline(IssuerResponseCodes.FormatError, IssuerEventKind.FormatError,
                $"field 49 currency {request.CurrencyCode} differs from 5F2A {chip.Currency}, which the ARQC covers");
        }

        var card = await Storage.Cards.FindAsync(cardId, cancellationToken).ConfigureAwait(false);
        if (card is null)
        {
            return trace.Decline(IssuerResponseCodes.InvalidCard, IssuerEventKind.UnknownCard, "the issuer has no such card (PAN and PSN)");
        }

        trace.Record = card;
        if (CheckCryptogramSetup(card, chip) is { } setupDecline)
        {
            return trace.Decline(setupDecline.Code, setupDecline.Kind, setupDecline.Reason);
        }

        if (!_keys.VerifyArqc(card.Keys.Ac, cardId.Pan, cardId.PsnByte, chip.Atc, chip.AcInput, chip.Arqc, card.KeyScheme))
        {
            return trace.Decline(IssuerResponseCodes.DoNotHonour, IssuerEventKind.ArqcInvalid,
                "the ARQC does not verify under the card's AC key (wrong key, altered data or a forged cryptogram)", withArpc: true);
        }

        trace.ArqcVerified = true;
        trace.Add(IssuerEventKind.ArqcVerified, $"{AlgorithmSuite.Get(card.Suite).Name} ARQC verified over the P3 input, CVR {Convert.ToHexString(chip.Iad.Cvr.Span)}");

        long sequence = await Storage.Journal.NextSequenceAsync(cancellationToken).ConfigureAwait(false);
        string reference = sequence.ToString("D12", CultureInfo.InvariantCulture);
        var pending = new AuthorizationRecord(reference, cardId, chip.AtcValue, request.TerminalId, request.Stan, request.ProcessingCode, request.Amount, request.CurrencyCode, Now)
        {
            Arqc = chip.Arqc,
            AccountId = card.AccountId,
        };
        if (!await Storage.Journal.TryAddAsync(pending, cancellationToken).ConfigureAwait(false))
        {
            var original = await Storage.Journal.FindByAtcAsync(cardId, chip.AtcValue, cancellationToken).ConfigureAwait(false);
            return trace.Decline(IssuerResponseCodes.Duplicate, IssuerEventKind.AtcReplayed,
                $"ATC {chip.AtcHex} was already authorised (reference {original?.Reference ?? "?"}): a replayed ARQC", withArpc: true);
        }

        trace.Reference = reference;
        var business = await DecideBusinessAsync(request, card, chip, reference, trace, cancellationToken).ConfigureAwait(false);
        trace.Account = business.Account;
        trace.Add(business.Kind, business.Reason, business.Code);
        string? approvalCode = business.Code == IssuerResponseCodes.Approved
            ? (sequence % 1_000_000).ToString("D6", CultureInfo.InvariantCulture)
            : null;

        byte[]? loadScript = business is { Code: IssuerResponseCodes.Approved, LoadBalance: long newBalance } ? EncodeLoadScript(card, chip, reference, newBalance) : null;
        var (iccData, delivered) = await BuildResponseDataAsync(card, chip, business.Code, reference, loadScript, trace, cancellationToken).ConfigureAwait(false);
        var response = new AuthorizationResponse(business.Code, iccData)
        {
            ApprovalCode = approvalCode,
            RetrievalReference = reference,
            Reason = business.Reason,
        };
        await Storage.Journal.UpdateAsync(
            pending with
            {
                State = business.Code == IssuerResponseCodes.Approved ? AuthorizationState.Approved : AuthorizationState.Declined,
                ResponseCode = business.Code,
                ApprovalCode = approvalCode,
                Reason = business.Reason,
                HoldPlaced = business.HoldPlaced,
                ResponseIccData = iccData,
                DeliveredScripts = [.. delivered.Select(s => s.Id), .. loadScript is null ? [] : new[] { LoadScriptId(reference) }],
            },
            cancellationToken).ConfigureAwait(false);
        return trace.Finish(response, delivered);
    }

    /// <summary>9F10 must name the card's suite and CVN 01 (P1); the AC key must be of that suite.</summary>
    private (string Code, IssuerEventKind Kind, string Reason)? CheckCryptogramSetup(CardRecord card, RequestChipData chip)
    {
        var suite = AlgorithmSuite.Get(card.Suite);
        if (!AlgorithmSuite.TryFromAlgorithmIdentifier(chip.Iad.AlgorithmId, out var claimed))
        {
            return (IssuerResponseCodes.FormatError, IssuerEventKind.FormatError, $"9F10 algorithm identifier {chip.Iad.AlgorithmId:X2} is neither 01 (TDES) nor 04 (SM4)");
        }

        if (claimed.Id != card.Suite)
        {
            return (IssuerResponseCodes.DoNotHonour, IssuerEventKind.SuiteMismatch,
                $"9F10 says {claimed.Name} (algorithm {chip.Iad.AlgorithmId:X2}) but the card is registered {suite.Name}");
        }

        if (chip.Iad.Cvn != 0x01)
        {
            return (IssuerResponseCodes.DoNotHonour, IssuerEventKind.UnsupportedCryptogramVersion, $"CVN {chip.Iad.Cvn:X2} is not supported (contract P1: CVN 01)");
        }

        if (!_keys.TryGetInfo(card.Keys.Ac, out var info))
        {
            return (IssuerResponseCodes.SystemError, IssuerEventKind.KeyConfigurationError, $"the card's AC key '{card.Keys.Ac}' is not in the key store");
        }

        if (info.Algorithm != suite.Cipher)
        {
            return (IssuerResponseCodes.SystemError, IssuerEventKind.KeyConfigurationError, $"the card's AC key '{card.Keys.Ac}' is {info.Algorithm}; a {suite.Name} card needs {suite.Cipher}");
        }

        return null;
    }

    private async ValueTask<BusinessDecision> DecideBusinessAsync(AuthorizationRequest request, CardRecord card, RequestChipData chip, string reference, Trace trace, CancellationToken cancellationToken)
    {
        switch (card.Status)
        {
            case CardStatus.Blocked:
                return new(IssuerResponseCodes.RestrictedCard, IssuerEventKind.CardBlocked, "the card is blocked at the issuer");
            case CardStatus.ApplicationBlocked:
                return new(IssuerResponseCodes.NotPermitted, IssuerEventKind.ApplicationBlocked, "the application is blocked at the issuer");
        }

        var kind = ClassifyProcessingCode(request.ProcessingCode);
        if (kind == TransactionKind.Unsupported)
        {
            return new(IssuerResponseCodes.NotPermitted, IssuerEventKind.UnsupportedTransaction, $"processing code '{request.ProcessingCode}' is not one this issuer authorises (00/01/03 debit, 30/31 balance inquiry, 60/62/63 EC load)");
        }

        if (await CheckOnlinePinAsync(request, card, trace, cancellationToken).ConfigureAwait(false) is { } pinDecline)
        {
            return pinDecline;
        }

        var account = await Storage.Accounts.FindAsync(card.AccountId, cancellationToken).ConfigureAwait(false);
        if (account is null)
        {
            return new(IssuerResponseCodes.SystemError, IssuerEventKind.SystemError, $"the card's account '{card.AccountId}' does not exist");
        }

        if (!string.Equals(account.Currency, request.CurrencyCode, StringComparison.Ordinal))
        {
            return new(IssuerResponseCodes.NotPermitted, IssuerEventKind.CurrencyMismatch, $"the account is kept in {account.Currency}; the transaction is in {request.CurrencyCode}", Account: account);
        }

        if (kind == TransactionKind.BalanceInquiry)
        {
            return new(IssuerResponseCodes.Approved, IssuerEventKind.BalanceInquiry, Invariant($"balance inquiry: balance {account.Balance}, available {account.Available} ({account.Currency})"), Account: account);
        }

        if (kind == TransactionKind.EcLoad)
        {
            return await DecideLoadAsync(request, card, chip, account, reference, cancellationToken).ConfigureAwait(false);
        }

        var hold = await Storage.Accounts.PlaceHoldAsync(card.AccountId, reference, request.Amount, Invariant($"{request.ProcessingCode} at {request.TerminalId} STAN {request.Stan}"), cancellationToken).ConfigureAwait(false);
        return hold.Status switch
        {
            LedgerStatus.Done or LedgerStatus.AlreadyDone => new(IssuerResponseCodes.Approved, IssuerEventKind.Approved,
                Invariant($"approved: {request.Amount} held on account {card.AccountId}, available now {hold.Account!.Available}"), HoldPlaced: true, Account: hold.Account),
            LedgerStatus.InsufficientFunds => new(IssuerResponseCodes.InsufficientFunds, IssuerEventKind.InsufficientFunds,
                Invariant($"insufficient funds: {request.Amount} asked, {hold.Account!.Available} available"), Account: hold.Account),
            _ => new(IssuerResponseCodes.SystemError, IssuerEventKind.SystemError, $"the ledger answered {hold.Status} for account '{card.AccountId}'"),
        };
    }

    /// <summary>Field 3's first two digits (NOTES F.1): 00 goods/services, 01 cash, 03 pre-authorisation; 30/31 balance inquiry; 60/62/63 EC load.</summary>
    private static TransactionKind ClassifyProcessingCode(string? processingCode) =>
        processingCode is { Length: 6 } && processingCode.All(char.IsAsciiDigit)
            ? processingCode[..2] switch
            {
                "00" or "01" or "03" => TransactionKind.Debit,
                "30" or "31" => TransactionKind.BalanceInquiry,
                "60" or "62" or "63" => TransactionKind.EcLoad,
                _ => TransactionKind.Unsupported,
            }
            : TransactionKind.Unsupported;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>91 = ARPC (method 1, P8) over the ARC of <paramref name="code"/> ‖ ARC.</summary>
    private byte[] IssuerAuthenticationData(CardRecord card, RequestChipData chip, string code)
    {
        byte[] arc = [(byte)code[0], (byte)code[1]];
        Span<byte> arpc = stackalloc byte[8];
        _keys.GenerateArpc(card.Keys.Ac, card.Id.Pan, card.Id.PsnByte, chip.Atc, chip.Arqc, arc, card.KeyScheme, arpc);
        return [.. arpc, .. arc];
    }

    private enum TransactionKind
    {
        Debit,
        BalanceInquiry,
        EcLoad,
        Unsupported,
    }

    /// <summary>The business rules' answer; <c>LoadBalance</c> is the card's new EC balance when an EC load is approved.</summary>
    private readonly record struct BusinessDecision(string Code, IssuerEventKind Kind, string Reason, bool HoldPlaced = false, Account? Account = null, long? LoadBalance = null);
}
