using BenchmarkDotNet.Attributes;
using Jinka.Card;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Issuance;
using Jinka.Issuance.Profiles;
using Jinka.Terminal;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.Benchmarks;

/// <summary>
/// A whole contact PBOC purchase in process, per suite: power on, the kernel from SELECT PSE to the second GENERATE AC
/// with CDA and online PIN, the in-process issuer (ARQC, ARPC, ledger hold) and its completion advice, power off.
/// Beside it, the card's private-key operation of the suite (RSA-1024 raw CRT sign, the ICC key size of the shipped
/// intl profile; SM2 sign), so "transactions/s ÷ private-key operations/s" can be quoted: an online CDA purchase makes
/// two card signatures.
/// </summary>
/// <remarks>
/// Counters: the card's ATC stops at FFFF (P37) and the issuer refuses a repeated ATC (P17), so every
/// <see cref="TransactionsPerCardLife"/> transactions the card is restored from the image taken right after issuance
/// (ATC 0000 again) and the issuer gets a fresh journal and ledger (same keys, card record and account). That reset
/// runs inside the measured method, amortised: one in 1,000 calls pays for an NVM image load and new in-memory stores.
/// Any transaction that is not approved throws, so a counter running out cannot go unnoticed.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class ContactTransactionBenchmarks
{
    /// <summary>Transactions between two resets of card and issuer state.</summary>
    public const int TransactionsPerCardLife = 1_000;

    private readonly TransactionRequest _purchase = new(1234);
    private IssuedBenchCard _issued = null!;
    private VirtualCard _card = null!;
    private ContactKernel _kernel = null!;
    private SoftwareKeyStore _issuerKeys = null!;
    private CardRecord _cardRecord = null!;
    private IssuerHandle _issuer = null!;
    private CardProfile _profile = null!;
    private int _sinceReset;
    private EmvRsaPrivateKey _rsa = null!;
    private byte[] _rsaBlock = null!;
    private Sm2PrivateKey _sm2 = null!;
    private readonly byte[] _sm2Message = new byte[8 + 1 + 8 + 32 + 4];

    [Params("intl", "sm")]
    public string Suite { get; set; } = "intl";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _issuerKeys.Dispose();
        _rsa.Dispose();
        _sm2.Dispose();
    }

    [Benchmark(Description = "contact purchase, online CDA, in-process issuer")]
    public async Task<TransactionOutcome> ContactTransaction()
    {
        if (++_sinceReset > TransactionsPerCardLife)
        {
            await ResetAsync().ConfigureAwait(false);
            _sinceReset = 1;
        }

        var reader = new VirtualCardTransport(_card);
        await using (reader.ConfigureAwait(false))
        {
            var result = await _kernel.RunAsync(reader, _purchase).ConfigureAwait(false);
            return result.IsApproved ? result.Outcome : throw new InvalidOperationException($"transaction {_sinceReset} of this card life: {result}");
        }
    }

    [Benchmark(Description = "card private-key operation (RSA-1024 CRT sign / SM2 sign)")]
    public byte[] CardPrivateKeyOperation() => Suite == "intl" ? EmvRsa.Sign(_rsa, _rsaBlock) : Sm2.Sign(_sm2, _sm2Message);

    private async Task SetupAsync()
    {
        _issued = await IssuedBenchCard.IssueAsync(Suite == "intl" ? "pboc-debit-intl" : "pboc-debit-sm").ConfigureAwait(false);
        _profile = _issued.Profile;
        _issuerKeys = new SoftwareKeyStore();
        var keysFile = CardKeysFile.Parse(IssuedKeys.ToJson(_profile));
        var storage = IssuerStorage.InMemory();
        _cardRecord = await keysFile.ImportAsync(_issuerKeys, storage.Cards, "acct").ConfigureAwait(false);
        await ResetAsync().ConfigureAwait(false);
        _kernel = new ContactKernel(new TerminalConfig(), _issued.TerminalCaKeys, _issuer, PinEntry.Fixed(_profile.Pin), new FixedBenchClock(), TerminalRandom.Seeded(7));

        _rsa = EmvRsaPrivateKey.Generate(_profile.IccKey.IsRsa ? _profile.IccKey.Bits : 1024, 3);
        _rsaBlock = Iso9796Block.Build(Iso9796Block.SignedDynamicDataFormat, [0x01, 0x01, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4], _rsa.ModulusLength);
        _sm2 = Sm2.GenerateKeyPair();

        // Prove the loop before measuring it: one transaction must be approved.
        if (await ContactTransaction().ConfigureAwait(false) != TransactionOutcome.Approved)
        {
            throw new InvalidOperationException("the setup transaction was not approved");
        }
    }

    /// <summary>The card as issued (ATC 0000) and an issuer with a new journal and ledger.</summary>
    private async Task ResetAsync()
    {
        _card = _issued.Restore();
        var storage = IssuerStorage.InMemory(new FixedBenchClock());
        await storage.Cards.RegisterAsync(_cardRecord).ConfigureAwait(false);
        await storage.Accounts.OpenAccountAsync("acct", "156", 1_000_000_000).ConfigureAwait(false);
        _issuer ??= new IssuerHandle();
        _issuer.Current = new Issuer(_issuerKeys, storage, new IssuerOptions { Time = new FixedBenchClock() });
    }

    /// <summary>The kernel keeps one authorisation client; this one forwards to the issuer of the current card life.</summary>
    private sealed class IssuerHandle : Core.Online.IAuthorizationClient
    {
        public Issuer Current { get; set; } = null!;

        public ValueTask<Core.Online.AuthorizationResponse> AuthorizeAsync(Core.Online.AuthorizationRequest request, CancellationToken cancellationToken = default) =>
            Current.AuthorizeAsync(request, cancellationToken);

        public ValueTask AdviseAsync(Core.Online.TransactionAdvice advice, CancellationToken cancellationToken = default) =>
            Current.AdviseAsync(advice, cancellationToken);
    }
}
