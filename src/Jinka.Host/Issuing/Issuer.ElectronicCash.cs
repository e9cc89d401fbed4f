using System.Globalization;
using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;

namespace Jinka.Host.Issuing;

/// <summary>
/// Electronic cash loads (contract Q11, Q36): processing code 60 (designated account), 62 (non-designated account)
/// or 63 (cash). The card's ARQC carries the current EC balance in 9F10's IDD (Q10), which the issuer checks under the
/// card's MAC key; the approval adds the load amount and answers a template 72 with PUT DATA 9F79 of the new balance.
/// Accounts fund loads 60 and 62 by a hold that the completion captures only when the card reports the load script
/// succeeded; a cash load (63) moves no account money.
/// </summary>
public sealed partial class Issuer
{
    /// <summary>The 9F18 ID of a load script: EC ‖ the low 24 bits of the authorisation's sequence, so it never needs the script queue.</summary>
    public static uint LoadScriptId(string reference) =>
        0xEC00_0000u | (uint)(long.Parse(reference, NumberStyles.None, CultureInfo.InvariantCulture) & 0xFF_FFFF);

    /// <summary>True for processing codes 60xxxx, 62xxxx and 63xxxx (NOTES F.1).</summary>
    public static bool IsEcLoad(string? processingCode) => processingCode is ['6', '0' or '2' or '3', ..];

    private const long MaxEcBalance = 999_999_999_999;

    private async ValueTask<BusinessDecision> DecideLoadAsync(AuthorizationRequest request, CardRecord card, RequestChipData chip, Account account, string reference, CancellationToken cancellationToken)
    {
        if (!TryReadEcBalance(card, chip, out long balance, out string? problem))
        {
            return new(IssuerResponseCodes.DoNotHonour, IssuerEventKind.EcLoadRefused, $"EC load: {problem}", Account: account);
        }

        long newBalance = balance + request.Amount;
        if (request.Amount <= 0 || newBalance > MaxEcBalance)
        {
            return new(IssuerResponseCodes.NotPermitted, IssuerEventKind.EcLoadRefused,
                Invariant($"EC load of {request.Amount} onto a balance of {balance} is not a loadable amount"), Account: account);
        }

        string source = request.ProcessingCode[..2] switch { "60" => "designated account", "62" => "non-designated account", _ => "cash" };
        if (request.ProcessingCode.StartsWith("63", StringComparison.Ordinal))
        {
            return new(IssuerResponseCodes.Approved, IssuerEventKind.EcLoadApproved,
                Invariant($"EC cash load approved: balance {balance} → {newBalance}; no account is debited"), Account: account, LoadBalance: newBalance);
        }

        var hold = await Storage.Accounts.PlaceHoldAsync(card.AccountId, reference, request.Amount, Invariant($"EC load ({source}) at {request.TerminalId} STAN {request.Stan}"), cancellationToken).ConfigureAwait(false);
        return hold.Status switch
        {
            LedgerStatus.Done or LedgerStatus.AlreadyDone => new(IssuerResponseCodes.Approved, IssuerEventKind.EcLoadApproved,
                Invariant($"EC load approved from the {source}: {request.Amount} held on account {card.AccountId}; balance {balance} → {newBalance}"),
                HoldPlaced: true, Account: hold.Account, LoadBalance: newBalance),
            LedgerStatus.InsufficientFunds => new(IssuerResponseCodes.InsufficientFunds, IssuerEventKind.InsufficientFunds,
                Invariant($"insufficient funds for the EC load: {request.Amount} asked, {hold.Account!.Available} available"), Account: hold.Account),
            _ => new(IssuerResponseCodes.SystemError, IssuerEventKind.SystemError, $"the ledger answered {hold.Status} for account '{card.AccountId}'"),
        };
    }

    /// <summary>Q10: the IDD is <c>0A 01 ‖ balance (low 5 bytes of n12) ‖ MAC</c>, the MAC under the MAC session key over ATC ‖ balance ‖ 00.</summary>
    private bool TryReadEcBalance(CardRecord card, RequestChipData chip, out long balance, out string? problem)
    {
        balance = 0;
        var idd = chip.Iad.DiscretionaryData.Span;
        if (idd is not [0x0A, 0x01, ..] || idd.Length != 11)
        {
            problem = $"9F10 carries no EC balance (IDD {Hex.Encode(idd)}; Q10 wants 0A 01 ‖ balance 5 ‖ MAC 4)";
            return false;
        }

        if (!Bcd.TryToNumber(idd[2..7], out balance))
        {
            problem = $"the IDD balance {Hex.Encode(idd[2..7])} is not BCD";
            return false;
        }

        Span<byte> expected = stackalloc byte[4];
        _keys.GenerateScriptMac(card.Keys.Mac, card.Id.Pan, card.Id.PsnByte, chip.Atc, [.. chip.Atc, .. idd[2..7], 0x00], card.KeyScheme, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, idd[7..]))
        {
            problem = $"the IDD MAC {Hex.Encode(idd[7..])} does not verify under the card's MAC key";
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>72 { 9F18 load ID, 86 PUT DATA 9F79 new balance MAC } (ADDENDUM 2.2).</summary>
    private byte[] EncodeLoadScript(CardRecord card, RequestChipData chip, string reference, long newBalance)
    {
        var command = ScriptCommand.PutData(new Tag(0x9F79), Bcd.FromNumber(newBalance, 6));
        var script = new QueuedScript(LoadScriptId(reference), card.Id, ScriptTemplate.AfterFinalGenerateAc, [command], Now);
        return ScriptEncoder.EncodeTemplate(_keys, card, chip.Atc, chip.Arqc, script);
    }

    /// <summary>
    /// The completion of an approved load: the load script's result decides. Succeeded → the hold is captured; failed →
    /// released (the card kept its balance); no result → nothing moves until a later advice or a reversal says.
    /// </summary>
    private async ValueTask<AuthorizationRecord> CompleteLoadAsync(AuthorizationRecord record, ScriptResult? loadResult, string? final, Trace trace, CancellationToken cancellationToken)
    {
        switch (loadResult?.Outcome)
        {
            case ScriptOutcome.Succeeded:
                var captured = record.HoldPlaced ? await Storage.Accounts.CaptureHoldAsync(record.Reference, "EC load completed", cancellationToken).ConfigureAwait(false) : default;
                trace.Add(IssuerEventKind.Completed, record.HoldPlaced
                    ? Invariant($"EC load done on the card: {record.Amount} captured ({captured.Status}), account balance {captured.Account?.Balance}")
                    : Invariant($"EC cash load of {record.Amount} done on the card"));
                return record with { State = AuthorizationState.Completed, FinalCryptogram = final ?? "none" };
            case ScriptOutcome.Failed:
                var released = record.HoldPlaced ? await Storage.Accounts.ReverseAsync(record.Reference, "the card refused the EC load script", cancellationToken).ConfigureAwait(false) : default;
                trace.Add(IssuerEventKind.DeclinedByCard, Invariant($"the card refused the EC load ({loadResult}): {(record.HoldPlaced ? $"hold released ({released.Status})" : "nothing was held")}"));
                return record with { State = AuthorizationState.DeclinedByCard, FinalCryptogram = final ?? "none" };
            default:
                trace.Add(IssuerEventKind.ScriptNotPerformed, "the completion reports no result for the EC load script: the hold stays until a later advice or a reversal",
                    scriptId: LoadScriptId(record.Reference));
                return record;
        }
    }
}
