using Jinka.Core.Tlv;
using Jinka.Host.Issuing;

namespace Jinka.Host.Scripts;

/// <summary>Where a queued script stands.</summary>
public enum ScriptState
{
    /// <summary>Waiting to be delivered, or delivered without a result yet: it goes out with the card's next online transaction.</summary>
    Pending,

    /// <summary>The terminal reported it succeeded (DF31 = 2x).</summary>
    Succeeded,

    /// <summary>The terminal reported a failing command (DF31 = 1x), or it could not be secured; it is not sent again.</summary>
    Failed,

    /// <summary>Withdrawn by the issuer before it succeeded.</summary>
    Cancelled,
}

/// <summary>A script waiting for (or done with) its card.</summary>
/// <param name="Id">The script identifier sent as 9F18 (4 bytes, big-endian).</param>
/// <param name="Card">The card it is for.</param>
/// <param name="Template">71 or 72.</param>
/// <param name="Commands">Its commands, in order.</param>
/// <param name="QueuedAt">When it was queued.</param>
public sealed record QueuedScript(uint Id, CardId Card, ScriptTemplate Template, IReadOnlyList<ScriptCommand> Commands, DateTimeOffset QueuedAt)
{
    public ScriptState State { get; init; } = ScriptState.Pending;

    /// <summary>How many responses carried it.</summary>
    public int Deliveries { get; init; }

    /// <summary>The authorisation reference of the last response that carried it.</summary>
    public string? LastDeliveryReference { get; init; }

    /// <summary>The terminal's last report (DF31), if any.</summary>
    public ScriptResult? Result { get; init; }

    /// <summary>Why it ended (failed command, cancellation, encoding failure).</summary>
    public string? Reason { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>Bytes of the 71/72 template once secured: 9F18 and one 86 per command.</summary>
    public int EncodedLength => TemplateLength(Commands);

    /// <summary>Bytes of a 71/72 template holding <paramref name="commands"/>.</summary>
    public static int TemplateLength(IEnumerable<ScriptCommand> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        int content = 7 + commands.Sum(c => 1 + TlvDecoder.LengthFieldSize(c.SecuredLength) + c.SecuredLength);
        return 1 + TlvDecoder.LengthFieldSize(content) + content;
    }

    public override string ToString() => $"script {Id:X8} ({(byte)Template:X2}, {string.Join(", ", Commands.Select(c => c.Name))}) for {Card}: {State}";
}

/// <summary>The result of a script state change.</summary>
/// <param name="Script">The script after the call; null when the ID is unknown.</param>
/// <param name="Changed">False when it was no longer pending (nothing changed).</param>
public readonly record struct ScriptUpdate(QueuedScript? Script, bool Changed);

/// <summary>
/// The issuer's script queue. Only pending scripts change: delivery counts them, a result or cancellation finishes
/// them, each atomically. Implementations are safe for concurrent use.
/// </summary>
public interface IScriptStore
{
    /// <summary>Queues a script and gives it a new 9F18 ID.</summary>
    ValueTask<QueuedScript> EnqueueAsync(CardId card, ScriptTemplate template, IReadOnlyList<ScriptCommand> commands, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The card's pending scripts, oldest first.</summary>
    ValueTask<IReadOnlyList<QueuedScript>> GetPendingAsync(CardId card, CancellationToken cancellationToken = default);

    /// <summary>All of the card's scripts, oldest first.</summary>
    ValueTask<IReadOnlyList<QueuedScript>> GetAllAsync(CardId card, CancellationToken cancellationToken = default);

    ValueTask<QueuedScript?> FindAsync(uint scriptId, CancellationToken cancellationToken = default);

    /// <summary>Counts a delivery in the response <paramref name="reference"/>; the script stays pending.</summary>
    ValueTask<ScriptUpdate> MarkDeliveredAsync(uint scriptId, string reference, CancellationToken cancellationToken = default);

    /// <summary>Ends a pending script as <paramref name="state"/> (Succeeded, Failed, Cancelled).</summary>
    ValueTask<ScriptUpdate> FinishAsync(uint scriptId, ScriptState state, ScriptResult? result, string reason, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary><see cref="IScriptStore"/> in process memory; IDs count up from <c>firstId</c>.</summary>
public sealed class InMemoryScriptStore(uint firstId = 1) : IScriptStore
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<uint, QueuedScript> _scripts = [];
    private uint _nextId = firstId;

    /// <inheritdoc/>
    public ValueTask<QueuedScript> EnqueueAsync(CardId card, ScriptTemplate template, IReadOnlyList<ScriptCommand> commands, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commands);
        if (commands.Count == 0)
        {
            throw new ArgumentException("A script needs at least one command.", nameof(commands));
        }

        lock (_lock)
        {
            var script = new QueuedScript(_nextId++, card, template, [.. commands], at);
            _scripts.Add(script.Id, script);
            return ValueTask.FromResult(script);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<QueuedScript>> GetPendingAsync(CardId card, CancellationToken cancellationToken = default) =>
        Select(s => s.Card == card && s.State == ScriptState.Pending);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<QueuedScript>> GetAllAsync(CardId card, CancellationToken cancellationToken = default) =>
        Select(s => s.Card == card);

    /// <inheritdoc/>
    public ValueTask<QueuedScript?> FindAsync(uint scriptId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_scripts.GetValueOrDefault(scriptId));
        }
    }

    /// <inheritdoc/>
    public ValueTask<ScriptUpdate> MarkDeliveredAsync(uint scriptId, string reference, CancellationToken cancellationToken = default) =>
        Change(scriptId, s => s with { Deliveries = s.Deliveries + 1, LastDeliveryReference = reference });

    /// <inheritdoc/>
    public ValueTask<ScriptUpdate> FinishAsync(uint scriptId, ScriptState state, ScriptResult? result, string reason, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (state == ScriptState.Pending)
        {
            throw new ArgumentException("A script finishes as Succeeded, Failed or Cancelled.", nameof(state));
        }

        return Change(scriptId, s => s with { State = state, Result = result ?? s.Result, Reason = reason, FinishedAt = at });
    }

    private ValueTask<ScriptUpdate> Change(uint scriptId, Func<QueuedScript, QueuedScript> change)
    {
        lock (_lock)
        {
            if (!_scripts.TryGetValue(scriptId, out var script))
            {
                return ValueTask.FromResult(new ScriptUpdate(null, false));
            }

            if (script.State != ScriptState.Pending)
            {
                return ValueTask.FromResult(new ScriptUpdate(script, false));
            }

            script = change(script);
            _scripts[scriptId] = script;
            return ValueTask.FromResult(new ScriptUpdate(script, true));
        }
    }

    private ValueTask<IReadOnlyList<QueuedScript>> Select(Func<QueuedScript, bool> predicate)
    {
        lock (_lock)
        {
            IReadOnlyList<QueuedScript> selected = [.. _scripts.Values.Where(predicate)];
            return ValueTask.FromResult(selected);
        }
    }
}
