using Jinka.Host.Ledger;

namespace Jinka.Host.Issuing;

/// <summary>Start-up reconciliation of decisions a stopped host left unfinished.</summary>
public sealed partial class Issuer
{
    /// <summary>The reason recorded on an authorisation the host never answered.</summary>
    public const string HostStoppedReason = "host stopped before answering";

    /// <summary>
    /// Resolves every <see cref="AuthorizationState.Pending"/> authorisation: a host that stops (crash, kill, power
    /// cut) between claiming the ATC and recording the decision leaves the record pending, possibly with a hold
    /// already placed under its reference. No response went out for such a record (the decision is written before the
    /// answer), so each is declined (96) with <see cref="HostStoppedReason"/>, and its hold, if any, released. Run it
    /// once, after opening the store and before taking requests: it would decline decisions in progress.
    /// Idempotent: a second run finds nothing.
    /// </summary>
    public async Task<IReadOnlyList<RecoveredAuthorization>> RecoverAsync(CancellationToken cancellationToken = default)
    {
        var pending = await Storage.Journal.FindPendingAsync(cancellationToken).ConfigureAwait(false);
        var recovered = new List<RecoveredAuthorization>(pending.Count);
        foreach (var record in pending)
        {
            var release = await Storage.Accounts.ReverseAsync(record.Reference, HostStoppedReason, cancellationToken).ConfigureAwait(false);
            bool holdReleased = release.Status == LedgerStatus.Done;
            if (release.Status is not (LedgerStatus.Done or LedgerStatus.AlreadyDone or LedgerStatus.UnknownReference))
            {
                throw new InvalidOperationException($"Recovery of authorisation {record.Reference}: the ledger answered {release.Status} to releasing its hold.");
            }

            await Storage.Journal.UpdateAsync(
                record with
                {
                    State = AuthorizationState.Declined,
                    ResponseCode = IssuerResponseCodes.SystemError,
                    Reason = HostStoppedReason,
                    HoldPlaced = false,
                },
                cancellationToken).ConfigureAwait(false);
            recovered.Add(new RecoveredAuthorization(record.Reference, record.Card, record.Atc, record.Amount, holdReleased));
        }

        return recovered;
    }
}

/// <summary>An authorisation <see cref="Issuer.RecoverAsync"/> declined because the host stopped before answering it.</summary>
/// <param name="Reference">Its reference (field 37).</param>
/// <param name="Card">PAN and PSN.</param>
/// <param name="Atc">The ATC it claimed (it stays claimed: a replay of that ARQC is still declined).</param>
/// <param name="Amount">Field 4.</param>
/// <param name="HoldReleased">True when a hold had been placed and was released now.</param>
public sealed record RecoveredAuthorization(string Reference, CardId Card, ushort Atc, long Amount, bool HoldReleased);
