using BenchmarkDotNet.Attributes;
using Jinka.Card;
using Jinka.Crypto.Asymmetric;
using Jinka.Terminal;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Pin;

namespace Jinka.Benchmarks;

/// <summary>
/// A qPBOC offline electronic cash purchase in process, per suite (issue 4): power on, PPSE, SELECT, GPO (the card
/// decides, debits 9F79 and signs fDDA), the READ RECORDs of the qPBOC AFL, the kernel's certificate recovery and
/// fDDA verification, power off. Beside it, the card's fDDA signature alone (RSA-1024 raw CRT sign for the intl
/// EC profile, SM2 sign for the SM one), so "purchases/s ÷ fDDA signatures/s" can be quoted from one run.
/// </summary>
/// <remarks>
/// Each purchase is ¥1.00; every <see cref="PurchasesPerCardLife"/> purchases the card is restored from its image as
/// issued (full EC balance, ATC 0000) inside the measured method, amortised. A purchase that is not an offline approval
/// throws, so a balance running out cannot go unnoticed.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class QpbocTransactionBenchmarks
{
    /// <summary>Purchases between two restores: below the smaller profile's EC balance (¥200 at ¥1.00 each).</summary>
    public const int PurchasesPerCardLife = 150;

    private static readonly QpbocReaderOptions s_reader = new() { ContactlessTransactionLimit = 1_000_000, CvmLimit = 100_000, ContactlessFloorLimit = 50_000 };
    private readonly TransactionRequest _purchase = new(1_00);
    private IssuedBenchCard _issued = null!;
    private VirtualCard _card = null!;
    private QpbocKernel _kernel = null!;
    private int _sinceRestore;
    private EmvRsaPrivateKey _rsa = null!;
    private byte[] _rsaBlock = null!;
    private Sm2PrivateKey _sm2 = null!;
    private readonly byte[] _sm2Message = new byte[1 + 1 + 9 + 4 + 6 + 2 + 8];

    [Params("intl", "sm")]
    public string Suite { get; set; } = "intl";

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _rsa.Dispose();
        _sm2.Dispose();
    }

    [Benchmark(Description = "qPBOC offline EC purchase with fDDA")]
    public async Task<TransactionOutcome> QpbocOfflinePurchase()
    {
        if (++_sinceRestore > PurchasesPerCardLife)
        {
            _card = _issued.Restore();
            _sinceRestore = 1;
        }

        var reader = new VirtualCardTransport(_card);
        await using (reader.ConfigureAwait(false))
        {
            var result = await _kernel.RunAsync(reader, _purchase).ConfigureAwait(false);
            return result.IsApproved && !result.WentOnline
                ? result.Outcome
                : throw new InvalidOperationException($"purchase {_sinceRestore} of this card life was not an offline approval: {result}");
        }
    }

    [Benchmark(Description = "card fDDA signature (RSA-1024 CRT sign / SM2 sign)")]
    public byte[] FddaSignature() => Suite == "intl" ? EmvRsa.Sign(_rsa, _rsaBlock) : Sm2.Sign(_sm2, _sm2Message);

    private async Task SetupAsync()
    {
        _issued = await IssuedBenchCard.IssueAsync(Suite == "intl" ? "pboc-ec-intl" : "pboc-debit-ec-sm").ConfigureAwait(false);
        _card = _issued.Restore();
        _kernel = new QpbocKernel(new TerminalConfig(), _issued.TerminalCaKeys, null, PinEntry.Bypass, new FixedBenchClock(), TerminalRandom.Seeded(7)) { Reader = s_reader };

        var icc = _issued.Profile.IccKey;
        _rsa = EmvRsaPrivateKey.Generate(icc.IsRsa ? icc.Bits : 1024, 3);
        _rsaBlock = Iso9796Block.Build(Iso9796Block.SignedDynamicDataFormat, [0x09, 0x08, 1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 0, 0, 0, 0, 1, 0, 0x01, 0x56], _rsa.ModulusLength);
        _sm2 = Sm2.GenerateKeyPair();

        if (await QpbocOfflinePurchase().ConfigureAwait(false) != TransactionOutcome.Approved)
        {
            throw new InvalidOperationException("the setup purchase was not approved offline");
        }
    }
}
