using Jinka.Host.Scripts;

namespace Jinka.Host.Issuing;

/// <summary>Queueing issuer scripts for delivery with a card's next online transactions.</summary>
public sealed partial class Issuer
{
    /// <summary>
    /// Queues one script of <paramref name="commands"/> for the card, in the template its commands prefer (P13:
    /// blocks and PIN commands 71, data updates 72).
    /// </summary>
    /// <exception cref="ArgumentException">No commands, commands preferring different templates, a script larger than
    /// <see cref="IssuerOptions.MaxScriptBytes"/>, or an unknown card.</exception>
    public ValueTask<QueuedScript> QueueScriptAsync(CardId card, params ScriptCommand[] commands) =>
        QueueCoreAsync(card, null, commands, CancellationToken.None);

    /// <summary>Like <see cref="QueueScriptAsync(CardId, ScriptCommand[])"/> for a PAN and PSN.</summary>
    public ValueTask<QueuedScript> QueueScriptAsync(string pan, string psn, params ScriptCommand[] commands) =>
        QueueCoreAsync(CardId.Create(pan, psn), null, commands, CancellationToken.None);

    /// <summary>Queues one script of <paramref name="commands"/> in the given template, whatever they prefer.</summary>
    public ValueTask<QueuedScript> QueueScriptAsync(CardId card, ScriptTemplate template, params ScriptCommand[] commands) =>
        QueueCoreAsync(card, template, commands, CancellationToken.None);

    /// <summary>
    /// Queues PIN CHANGE (84 24 00 02) with <paramref name="newPin"/>, encrypted at once under
    /// <see cref="IssuerOptions.PinKeyLabel"/> (ISO format 0); the clear PIN is not kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">No PIN key is configured.</exception>
    /// <exception cref="ArgumentException">The PIN is not 4–12 digits, or the card is unknown.</exception>
    public async ValueTask<QueuedScript> QueuePinChangeAsync(CardId card, string newPin, CancellationToken cancellationToken = default)
    {
        string label = _options.PinKeyLabel ?? throw new InvalidOperationException("IssuerOptions.PinKeyLabel names no PIN key, so a clear PIN cannot be queued.");
        byte[] block = _keys.EncryptPin(label, newPin, card.Pan);
        return await QueueCoreAsync(card, null, [ScriptCommand.PinChange(new EncryptedPin(label, block))], cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Withdraws a pending script; false when it is unknown or already finished.</summary>
    public async ValueTask<bool> CancelScriptAsync(uint scriptId, string reason = "cancelled by the issuer", CancellationToken cancellationToken = default)
    {
        var update = await Storage.Scripts.FinishAsync(scriptId, ScriptState.Cancelled, null, reason, Now, cancellationToken).ConfigureAwait(false);
        if (update.Changed)
        {
            new Trace(this) { Card = update.Script!.Card }.Add(IssuerEventKind.ScriptCancelled, $"{update.Script}: {reason}", scriptId: scriptId);
        }

        return update.Changed;
    }

    private async ValueTask<QueuedScript> QueueCoreAsync(CardId card, ScriptTemplate? template, ScriptCommand[] commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Length == 0 || Array.Exists(commands, c => c is null))
        {
            throw new ArgumentException("A script needs one or more commands (none may be null).", nameof(commands));
        }

        var preferred = commands.Select(c => c.PreferredTemplate).Distinct().ToArray();
        var chosen = template ?? (preferred.Length == 1
            ? preferred[0]
            : throw new ArgumentException($"The commands ({string.Join(", ", commands.Select(c => c.Name))}) belong in different templates; queue them as separate scripts or name the template.", nameof(commands)));

        int length = QueuedScript.TemplateLength(commands);
        if (length > _options.MaxScriptBytes)
        {
            throw new ArgumentException($"The script would take {length} bytes; a response carries at most {_options.MaxScriptBytes} (IssuerOptions.MaxScriptBytes).", nameof(commands));
        }

        if (await Storage.Cards.FindAsync(card, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new ArgumentException($"Card {card} is not registered with this issuer.", nameof(card));
        }

        var script = await Storage.Scripts.EnqueueAsync(card, chosen, commands, Now, cancellationToken).ConfigureAwait(false);
        new Trace(this) { Card = card }.Add(IssuerEventKind.ScriptQueued, $"{script} queued", scriptId: script.Id);
        return script;
    }
}
