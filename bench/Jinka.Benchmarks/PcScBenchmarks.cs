using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Card.Applications.Pboc;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;
using Jinka.Issuance;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Profiles;
using Jinka.PcSc;
using Jinka.PcSc.Vpcd;
using Jinka.Terminal;
using Jinka.Terminal.CaKeys;
using Jinka.Terminal.Contact;
using Jinka.Terminal.Pin;

namespace Jinka.Benchmarks;

/// <summary>
/// The real PC/SC stack, both ways in one process: PcScTransport → libpcsclite → pcscd → vpcd → VpcdCardServer →
/// VirtualCard and back. An APDU round trip (SELECT of the PBOC application, answered with its FCI), with and
/// without TCP_QUICKACK on the card's socket, beside the same SELECT in process; and a whole contact purchase
/// (online, CDA, in-process issuer) with a warm reset before each, as a terminal powers each inserted card.
/// </summary>
/// <remarks>Needs pcscd with vsmartcard-vpcd ("Virtual PCD 00 00" on 127.0.0.1:35963; see docs/pcsc.md). Without
/// it the benchmarks are filtered out with a message, not failed.</remarks>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(PcScdRequiredConfig))]
public class PcScBenchmarks
{
    private static readonly DateTimeOffset s_now = new(2026, 3, 14, 10, 30, 0, TimeSpan.Zero);
    private static readonly CommandApdu s_selectPboc = new(0x00, 0xA4, 0x04, 0x00, [0xA0, 0x00, 0x00, 0x03, 0x33, 0x01, 0x01, 0x01], ne: 256);
    private readonly TransactionRequest _purchase = new(1234, ForceOnline: true);
    private PcScContext _context = null!;
    private PcScTransport _reader = null!;
    private StatusWordHandlingTransport _transport = null!;
    private VirtualCard _card = null!;
    private VirtualCardTransport _inProcess = null!;
    private CancellationTokenSource _stop = null!;
    private Task _server = null!;
    private SoftwareKeyStore _issuerKeys = null!;
    private ContactKernel _kernel = null!;

    /// <summary>TCP_QUICKACK on the vpcd socket (the default); false shows what delayed ACKs cost each round trip.</summary>
    [Params(true, false)]
    public bool QuickAck { get; set; }

    [GlobalSetup]
    public void Setup() => SetupAsync().GetAwaiter().GetResult();

    [GlobalCleanup]
    public void Cleanup()
    {
        _transport.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _reader.Dispose();
        _stop.Cancel();
        _server.GetAwaiter().GetResult();
        _stop.Dispose();
        _context.Dispose();
        _issuerKeys.Dispose();
    }

    [Benchmark(Description = "APDU round trip over pcscd + vpcd (SELECT → FCI)")]
    public ResponseApdu ApduRoundTrip() => _reader.Transmit(s_selectPboc);

    [Benchmark(Baseline = true, Description = "the same SELECT in process (VirtualCardTransport)")]
    public ValueTask<ResponseApdu> ApduInProcess() => _inProcess.TransmitAsync(s_selectPboc);

    [Benchmark(Description = "contact purchase over pcscd + vpcd (reset, online CDA)")]
    public async Task<TransactionOutcome> ContactTransaction()
    {
        _reader.Reconnect(PcScDisposition.ResetCard);
        var result = await _kernel.RunAsync(_transport, _purchase).ConfigureAwait(false);
        return result.IsApproved ? result.Outcome : throw new InvalidOperationException($"not approved: {result.Reason}");
    }

    private async Task SetupAsync()
    {
        string repository = RepositoryRoot();
        var profile = CardProfileReader.Load(Path.Combine(repository, "profiles", "pboc-debit-intl.json"));
        var catalog = IssuerSecurityDomain.Register(PbocApplication.AddTo(new ApplicationCatalog()));
        using var caKeys = CaKeyStore.LoadDirectory(Path.Combine(repository, "profiles", "ca"));
        using (var issuanceKeys = new SoftwareKeyStore())
        {
            var issued = await new CardIssuer(catalog, caKeys, issuanceKeys).IssueAsync(profile, new IssuanceOptions { Seed = [1, 2, 3, 4] }).ConfigureAwait(false);
            _card = issued.Card;
        }

        // The baseline talks to a copy, so the served card's session is not disturbed.
        _inProcess = new VirtualCardTransport(new VirtualCard(catalog, CardImage.Deserialize(CardImage.Serialize(_card.Nvm))));

        _issuerKeys = new SoftwareKeyStore();
        var storage = IssuerStorage.InMemory(new FixedClock(s_now));
        await CardKeysFile.Parse(IssuedKeys.ToJson(profile)).ImportAsync(_issuerKeys, storage.Cards, "acct").ConfigureAwait(false);
        await storage.Accounts.OpenAccountAsync("acct", "156", 1_000_000_000_00).ConfigureAwait(false);
        var issuer = new Issuer(_issuerKeys, storage, new IssuerOptions { Time = new FixedClock(s_now) });
        _kernel = new ContactKernel(new TerminalConfig(), CaPublicKeyStore.FromJson(CaKeyExport.ToJson(caKeys)), issuer, PinEntry.Bypass, new FixedClock(s_now), TerminalRandom.Seeded(7));

        _context = PcScContext.Establish();
        string reader = VpcdEndPoint.Default.LikelyReaderName!;
        await _context.WaitForRemovalAsync(reader, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _stop = new CancellationTokenSource();
        _server = new VpcdCardServer(_card, new VpcdServerOptions { QuickAck = QuickAck }).RunAsync(_stop.Token);
        await _context.WaitForCardAsync(reader, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        _reader = _context.Connect(reader);
        _transport = new StatusWordHandlingTransport(_reader, leaveOpen: true);

        // Prove the loop before measuring it.
        if (!ApduRoundTrip().StatusWord.IsSuccess || await ContactTransaction().ConfigureAwait(false) != TransactionOutcome.Approved)
        {
            throw new InvalidOperationException("the setup round trip or transaction failed");
        }
    }

    private static string RepositoryRoot([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "profiles", "ca")))
            {
                return dir.FullName;
            }
        }

        return Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", ".."));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }
}

/// <summary>Leaves the PC/SC benchmarks out, with a message, when pcscd with vpcd is not running.</summary>
public sealed class PcScdRequiredConfig : ManualConfig
{
    public PcScdRequiredConfig()
    {
        string? missing = Missing();
        if (missing is not null)
        {
            Console.WriteLine($"PcScBenchmarks skipped: {missing} (run .ci/pcscd.sh as root; see docs/pcsc.md)");
            AddFilter(new SimpleFilter(_ => false));
        }
    }

    private static string? Missing()
    {
        if (!PcScContext.TryEstablish(out var context, out var error))
        {
            return $"PC/SC is not available: {error}";
        }

        using (context)
        {
            string reader = VpcdEndPoint.Default.LikelyReaderName!;
            return context.ListReaders().Contains(reader) ? null : $"pcscd has no reader '{reader}'";
        }
    }
}
