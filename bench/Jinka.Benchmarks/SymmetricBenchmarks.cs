using BenchmarkDotNet.Attributes;
using Jinka.Crypto;
using Jinka.Crypto.Symmetric;

namespace Jinka.Benchmarks;

/// <summary>
/// Block cipher throughput over 16 KiB (MB/s = 16384 / mean; compare with <c>openssl speed -evp sm4-ecb</c> and
/// <c>openssl speed -evp des-ede3</c>), and the MACs a host computes per transaction.
/// </summary>
[MemoryDiagnoser]
public class SymmetricBenchmarks
{
    private const int BufferSize = 16 * 1024;

    // A 37-byte PBOC AC input (NOTES A.5.3 / Appendix A.3).
    private static readonly byte[] s_acData = Convert.FromHexString("00000000010000000000000001560000000000015624010100123456787C00000103A00000");

    private readonly byte[] _data = new byte[BufferSize];
    private readonly byte[] _output = new byte[BufferSize];
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _mac = new byte[16];
    private readonly byte[] _key16 = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");
    private BlockCipher _sm4Managed = null!;
    private BlockCipher _sm4BouncyCastle = null!;
    private BlockCipher _tdes3 = null!;
    private BlockCipher _tdes2 = null!;

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_data);
        _sm4Managed = Sm4Implementation.Create(_key16, Sm4Provider.Managed);
        _sm4BouncyCastle = Sm4Implementation.Create(_key16, Sm4Provider.BouncyCastle);
        _tdes3 = BlockCipher.Create(CipherAlgorithm.TripleDes, Convert.FromHexString("0123456789ABCDEF23456789ABCDEF01456789ABCDEF0123"));
        _tdes2 = BlockCipher.Create(CipherAlgorithm.TripleDes, _key16);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sm4Managed.Dispose();
        _sm4BouncyCastle.Dispose();
        _tdes3.Dispose();
        _tdes2.Dispose();
    }

    [Benchmark(Description = "SM4-ECB 16 KiB, managed")]
    public void Sm4EcbManaged() => _sm4Managed.EncryptEcb(_data, _output);

    [Benchmark(Description = "SM4-ECB 16 KiB, BouncyCastle")]
    public void Sm4EcbBouncyCastle() => _sm4BouncyCastle.EncryptEcb(_data, _output);

    [Benchmark(Description = "SM4-CBC 16 KiB, managed")]
    public void Sm4CbcManaged() => _sm4Managed.EncryptCbc(_iv, _data, _output);

    [Benchmark(Description = "3DES-ECB (3-key) 16 KiB")]
    public void TripleDesEcb() => _tdes3.EncryptEcb(_data, _output);

    [Benchmark(Description = "3DES-CBC (2-key) 16 KiB")]
    public void TripleDesCbc() => _tdes2.EncryptCbc(_iv.AsSpan(0, 8), _data, _output);

    [Benchmark(Description = "Retail MAC (alg 3) over a 37-byte AC input, keying included")]
    public void RetailMacAc() => Iso9797Mac.ComputeAlgorithm3(_key16, s_acData, PaddingMethod.Iso9797Method2, _mac.AsSpan(0, 8));

    [Benchmark(Description = "SM4 CBC-MAC over a 37-byte AC input, keying included")]
    public void Sm4CbcMacAc() => AlgorithmSuite.Sm.Mac(_key16, s_acData, _mac.AsSpan(0, 8));

    [Benchmark(Description = "SM4 CBC-MAC 16 KiB, keyed")]
    public void Sm4CbcMac16K() => Iso9797Mac.ComputeAlgorithm1(_sm4Managed, _data, PaddingMethod.Iso9797Method2, _mac);

    [Benchmark(Description = "PBOC chain MDK → UDK → SK → ARQC (International)")]
    public byte[] PbocArqcInternational() => ArqcChain(AlgorithmSuite.International);

    [Benchmark(Description = "PBOC chain MDK → UDK → SK → ARQC (SM)")]
    public byte[] PbocArqcSm() => ArqcChain(AlgorithmSuite.Sm);

    private byte[] ArqcChain(AlgorithmSuite suite)
    {
        Span<byte> udk = stackalloc byte[16];
        Span<byte> sk = stackalloc byte[16];
        suite.DeriveUdk(_key16, "6225880000000001", 0x00, Jinka.Crypto.Emv.UdkOption.OptionA, udk);
        suite.DeriveSessionKey(udk, [0x00, 0x01], Jinka.Crypto.Emv.SessionKeyMethod.Pboc, sk);
        return suite.GenerateAc(sk, s_acData);
    }
}
