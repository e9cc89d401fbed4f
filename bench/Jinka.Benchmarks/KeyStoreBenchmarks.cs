using BenchmarkDotNet.Attributes;
using Jinka.Crypto;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Benchmarks;

/// <summary>
/// What the issuer asks of its key store per online authorisation: verify the ARQC, then compute ARPC method 1.
/// Operations per second = 1 / mean. The cards cycle through <see cref="Cards"/> PANs, so a cache must hold them all.
/// </summary>
[MemoryDiagnoser]
public class KeyStoreBenchmarks
{
    // A 37-byte PBOC AC input (NOTES A.5.3 / Appendix A.3).
    private static readonly byte[] s_acData = Convert.FromHexString("00000000010000000000000001560000000000015624010100123456787C00000103A00000");
    private static readonly byte[] s_mdk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_atc = [0x00, 0x01];

    private readonly byte[] _arpc = new byte[8];
    private SoftwareKeyStore _store = null!;
    private string[] _pans = null!;
    private byte[][] _arqcs = null!;
    private int _next;

    [Params(CipherAlgorithm.TripleDes, CipherAlgorithm.Sm4)]
    public CipherAlgorithm Algorithm { get; set; }

    [Params(1_000)]
    public int Cards { get; set; }

    /// <summary>0 = derive the UDK from the MDK on every call (the behaviour before the cache).</summary>
    [Params(0, SoftwareKeyStoreOptions.DefaultCardKeyCacheCapacity)]
    public int CardKeyCache { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _store = CreateStore();
        _store.ImportClearKey("mdk-ac", KeyUsage.MdkAc, Algorithm, s_mdk);
        var suite = Algorithm == CipherAlgorithm.Sm4 ? AlgorithmSuite.Sm : AlgorithmSuite.International;
        _pans = new string[Cards];
        _arqcs = new byte[Cards][];
        for (int i = 0; i < Cards; i++)
        {
            _pans[i] = $"62258800{i:D8}";
            byte[] sessionKey = suite.DeriveSessionKey(suite.DeriveUdk(s_mdk, _pans[i]), s_atc);
            _arqcs[i] = suite.GenerateAc(sessionKey, s_acData);
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    [Benchmark(Description = "ARQC verify + ARPC (method 1)")]
    public bool VerifyAndAnswer()
    {
        int i = _next;
        _next = i + 1 == _pans.Length ? 0 : i + 1;
        bool valid = _store.VerifyArqc("mdk-ac", _pans[i], 0x00, s_atc, s_acData, _arqcs[i], EmvKeyScheme.Pboc);
        _store.GenerateArpc("mdk-ac", _pans[i], 0x00, s_atc, _arqcs[i], "00"u8, EmvKeyScheme.Pboc, _arpc);
        return valid;
    }

    private SoftwareKeyStore CreateStore() => new(new SoftwareKeyStoreOptions { CardKeyCacheCapacity = CardKeyCache });
}
