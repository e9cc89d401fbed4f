namespace Jinka.Terminal.Pin;

/// <summary>Which PIN the kernel asks for.</summary>
public enum PinKind
{
    /// <summary>Offline plaintext PIN, VERIFY P2 = 80.</summary>
    OfflinePlaintext,

    /// <summary>Offline enciphered PIN, VERIFY P2 = 88 (contract P7).</summary>
    OfflineEnciphered,

    /// <summary>Online PIN, carried in the authorisation request.</summary>
    Online,
}

/// <summary>What the PIN pad is asked to collect.</summary>
/// <param name="Kind">Offline or online.</param>
/// <param name="Amount">Amount authorised, minor units, for the display.</param>
/// <param name="TriesLeft">The card's PIN try counter when known (offline PIN only).</param>
/// <param name="Attempt">1 for the first prompt, 2 after a wrong offline PIN, …</param>
public sealed record PinRequest(PinKind Kind, long Amount, int? TriesLeft, int Attempt)
{
    /// <summary>True when this is the last offline try.</summary>
    public bool IsLastTry => TriesLeft == 1;
}

/// <summary>The PIN pad's answer: digits, or bypass (the cardholder or attendant skipped PIN entry).</summary>
public readonly record struct PinEntryResult
{
    private PinEntryResult(string? pin) => Pin = pin;

    /// <summary>The digits entered, or null for bypass.</summary>
    public string? Pin { get; }

    public bool IsBypass => Pin is null;

    /// <summary>PIN bypass (EMV Book 3 §10.5.2): the CVM fails with "PIN entry required, PIN pad present, but PIN was not entered".</summary>
    public static PinEntryResult Bypass => default;

    /// <summary>Digits entered (4–12 digits; anything else counts as not entered).</summary>
    public static PinEntryResult Entered(string pin)
    {
        ArgumentNullException.ThrowIfNull(pin);
        return new PinEntryResult(pin);
    }

    public override string ToString() => IsBypass ? "bypass" : $"{Pin!.Length} digits";
}

/// <summary>The PIN pad (a callback, so a UI, a test or a script can answer).</summary>
public interface IPinEntry
{
    ValueTask<PinEntryResult> EnterPinAsync(PinRequest request, CancellationToken cancellationToken = default);
}

/// <summary>Ready-made PIN pads.</summary>
public static class PinEntry
{
    /// <summary>A PIN pad backed by a delegate.</summary>
    public static IPinEntry FromDelegate(Func<PinRequest, PinEntryResult> answer) => new DelegatePinEntry((request, _) => ValueTask.FromResult(answer(request)));

    /// <summary>A PIN pad backed by an asynchronous delegate.</summary>
    public static IPinEntry FromDelegate(Func<PinRequest, CancellationToken, ValueTask<PinEntryResult>> answer) => new DelegatePinEntry(answer);

    /// <summary>Always enters <paramref name="pin"/>.</summary>
    public static IPinEntry Fixed(string pin) => FromDelegate(_ => PinEntryResult.Entered(pin));

    /// <summary>Always bypasses.</summary>
    public static IPinEntry Bypass { get; } = FromDelegate(_ => PinEntryResult.Bypass);

    /// <summary>Enters the given PINs in turn (null = bypass); bypasses once they run out.</summary>
    public static IPinEntry Sequence(params string?[] pins)
    {
        var queue = new Queue<string?>(pins);
        return FromDelegate(_ => queue.TryDequeue(out var pin) && pin is not null ? PinEntryResult.Entered(pin) : PinEntryResult.Bypass);
    }

    private sealed class DelegatePinEntry(Func<PinRequest, CancellationToken, ValueTask<PinEntryResult>> answer) : IPinEntry
    {
        public ValueTask<PinEntryResult> EnterPinAsync(PinRequest request, CancellationToken cancellationToken = default) => answer(request, cancellationToken);
    }
}
