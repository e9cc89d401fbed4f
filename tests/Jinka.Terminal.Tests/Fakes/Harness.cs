using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>A fixed clock for deterministic runs.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
}

/// <summary>One transaction with a fake card and a fake issuer, deterministic (fixed date, seeded random).</summary>
internal sealed class Harness
{
    public static readonly DateTime Now = new(2024, 3, 15, 10, 30, 0, DateTimeKind.Unspecified);

    public Harness(CardProfile? profile = null, TerminalConfig? config = null)
    {
        Profile = profile ?? CardProfile.Rsa();
        Card = new FakeCard(Profile);
        Issuer = new FakeIssuer(Profile);
        Config = config ?? new TerminalConfig();
    }

    public CardProfile Profile { get; }

    public FakeCard Card { get; }

    public FakeIssuer Issuer { get; }

    public TerminalConfig Config { get; set; }

    public Terminal.CaKeys.CaPublicKeyStore CaKeys { get; set; } = TestKeys.Store();

    public IPinEntry? PinEntry { get; set; } = Terminal.Pin.PinEntry.Fixed("1234");

    public bool WithIssuer { get; set; } = true;

    public int Seed { get; set; } = 42;

    public ContactKernel Kernel() => new(Config, CaKeys, WithIssuer ? Issuer : null, PinEntry, new FixedClock(new DateTimeOffset(Now, TimeSpan.Zero)), TerminalRandom.Seeded(Seed));

    /// <summary>A kernel without a card or issuer of its own (for loops over one card).</summary>
    public static ContactKernel KernelFor(TerminalConfig config, int seed) =>
        new(config, TestKeys.Store(), null, null, new FixedClock(new DateTimeOffset(Now, TimeSpan.Zero)), TerminalRandom.Seeded(seed));

    public async Task<TransactionResult> RunAsync(long amount = 100, TransactionRequest? request = null) =>
        await Kernel().RunAsync(Card, request ?? new TransactionRequest(amount) { SequenceCounter = 7 });

    /// <summary>The INS bytes the card received, in order, as hex ("A4 B2 A8 …").</summary>
    public string Instructions => string.Join(' ', Card.Commands.Select(c => c.Ins.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
}
