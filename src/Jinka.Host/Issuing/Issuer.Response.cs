using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto.Keys;
using Jinka.Host.Ledger;
using Jinka.Host.Scripts;

namespace Jinka.Host.Issuing;

/// <summary>Field 55 of the response, and the per-request trace of events.</summary>
public sealed partial class Issuer
{
    /// <summary>
    /// 91 then the card's pending scripts, 71 templates before 72, each in queue order, within
    /// <see cref="IssuerOptions.MaxScriptBytes"/>. Once one script does not fit, it and every later one wait for the
    /// next transaction (so scripts never overtake each other); a script that cannot be secured fails at once.
    /// </summary>
    private async ValueTask<(byte[] IccData, IReadOnlyList<QueuedScript> Delivered)> BuildResponseDataAsync(
        CardRecord card, RequestChipData chip, string code, string reference, byte[]? loadScript, Trace trace, CancellationToken cancellationToken)
    {
        using var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(0x91), IssuerAuthenticationData(card, chip, code));
        if (loadScript is not null)
        {
            trace.Add(IssuerEventKind.ScriptDelivered, $"EC load script sent in template 72 ({loadScript.Length} bytes)", scriptId: LoadScriptId(reference));
        }

        var pending = await Storage.Scripts.GetPendingAsync(card.Id, cancellationToken).ConfigureAwait(false);
        var before = new List<byte[]>();
        var after = new List<byte[]>();
        var delivered = new List<QueuedScript>();
        int budget = _options.MaxScriptBytes - (loadScript?.Length ?? 0);
        bool deferring = false;
        foreach (var script in pending)
        {
            if (deferring)
            {
                trace.Add(IssuerEventKind.ScriptDeferred, $"{script} waits: an earlier script did not fit this response", scriptId: script.Id);
                continue;
            }

            byte[] encoded;
            try
            {
                encoded = ScriptEncoder.EncodeTemplate(_keys, card, chip.Atc, chip.Arqc, script);
            }
            catch (Exception ex) when (ex is KeyStoreException or ArgumentException)
            {
                await FailScriptAsync(script, $"cannot be secured for this card: {ex.Message}", trace, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (encoded.Length > _options.MaxScriptBytes)
            {
                await FailScriptAsync(script, $"its template is {encoded.Length} bytes, more than any response carries ({_options.MaxScriptBytes})", trace, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (encoded.Length > budget)
            {
                deferring = true;
                trace.Add(IssuerEventKind.ScriptDeferred, $"{script} ({encoded.Length} bytes) waits: {budget} bytes of script space left", scriptId: script.Id);
                continue;
            }

            var update = await Storage.Scripts.MarkDeliveredAsync(script.Id, reference, cancellationToken).ConfigureAwait(false);
            if (!update.Changed)
            {
                continue;
            }

            budget -= encoded.Length;
            (script.Template == ScriptTemplate.BeforeFinalGenerateAc ? before : after).Add(encoded);
            delivered.Add(update.Script!);
            trace.Add(IssuerEventKind.ScriptDelivered, $"{script} sent in template {(byte)script.Template:X2} ({encoded.Length} bytes, delivery {update.Script!.Deliveries})", scriptId: script.Id);
        }

        foreach (byte[] template in before.Concat(loadScript is null ? [] : [loadScript]).Concat(after))
        {
            writer.WriteEncoded(template);
        }

        return (writer.ToArray(), delivered);
    }

    private async ValueTask FailScriptAsync(QueuedScript script, string reason, Trace trace, CancellationToken cancellationToken)
    {
        var update = await Storage.Scripts.FinishAsync(script.Id, ScriptState.Failed, null, reason, Now, cancellationToken).ConfigureAwait(false);
        if (update.Changed)
        {
            trace.Add(IssuerEventKind.ScriptFailed, $"{script} {reason}", scriptId: script.Id);
        }
    }

    /// <summary>Collects the events of one request or advice, with its context, and shapes the decision.</summary>
    private sealed class Trace(Issuer issuer)
    {
        private readonly List<IssuerEvent> _events = [];

        public CardId? Card { get; set; }

        public CardRecord? Record { get; set; }

        public RequestChipData? Chip
        {
            get;
            set
            {
                field = value;
                Atc = value?.AtcHex;
            }
        }

        public string? Atc { get; set; }

        public string? Reference { get; set; }

        public bool ArqcVerified { get; set; }

        public Account? Account { get; set; }

        public IReadOnlyList<IssuerEvent> Events => [.. _events];

        public IssuerEvent Add(IssuerEventKind kind, string message, string? responseCode = null, uint? scriptId = null)
        {
            var recorded = issuer.Events.Add(sequence => new IssuerEvent(sequence, issuer.Now, kind, message)
            {
                Card = Card?.Masked,
                Atc = Atc,
                Reference = Reference,
                ResponseCode = responseCode,
                ScriptId = scriptId,
            });
            _events.Add(recorded);
            return recorded;
        }

        /// <summary>
        /// A decline decided before the business rules. With <paramref name="withArpc"/> (the card and ARQC are
        /// known) field 55 carries 91 over the decline's ARC, so the card can still authenticate the issuer.
        /// </summary>
        public IssuerDecision Decline(string code, IssuerEventKind kind, string reason, bool withArpc = false)
        {
            Add(kind, reason, code);
            byte[] iccData = [];
            if (withArpc && Record is not null && Chip is not null)
            {
                using var writer = new TlvWriter();
                writer.WritePrimitive(new Tag(0x91), issuer.IssuerAuthenticationData(Record, Chip, code));
                iccData = writer.ToArray();
            }

            return Finish(new AuthorizationResponse(code, iccData) { Reason = reason, RetrievalReference = Reference }, []);
        }

        public IssuerDecision Finish(AuthorizationResponse response, IReadOnlyList<QueuedScript> delivered) =>
            new(response, Events)
            {
                Reference = Reference,
                Card = Record,
                ArqcVerified = ArqcVerified,
                Account = Account,
                DeliveredScripts = delivered,
            };
    }
}
