using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;
using Org.BouncyCastle.Crypto.Digests;

namespace Jinka.Benchmarks;

/// <summary>
/// SM3 throughput (16 KiB; compare MB/s with <c>openssl speed -evp sm3</c>), SM2 sign/verify, and the EMV RSA-1024
/// raw private (card signing) and public (terminal recovery) operations. BouncyCastle's SM3 is the baseline.
/// </summary>
[MemoryDiagnoser]
public class AsymmetricBenchmarks
{
    private readonly byte[] _data = new byte[16 * 1024];
    private readonly byte[] _digest = new byte[32];
    private readonly byte[] _message = new byte[64];
    private Sm2PrivateKey _sm2 = null!;
    private byte[] _sm2Signature = null!;
    private EmvRsaPrivateKey _rsa = null!;
    private byte[] _block = null!;
    private byte[] _rsaSignature = null!;

    [GlobalSetup]
    public void Setup()
    {
        RandomNumberGenerator.Fill(_data);
        RandomNumberGenerator.Fill(_message);
        _sm2 = Sm2.GenerateKeyPair();
        _sm2Signature = Sm2.Sign(_sm2, _message);
        _rsa = EmvRsaPrivateKey.Generate(1024);
        _block = Iso9796Block.Build(Iso9796Block.SignedDynamicDataFormat, [0x01, 0x03, 0x02, 0x00, 0x01], [1, 2, 3, 4], _rsa.ModulusLength);
        _rsaSignature = EmvRsa.Sign(_rsa, _block);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sm2.Dispose();
        _rsa.Dispose();
    }

    [Benchmark(Baseline = true, Description = "SM3 16 KiB (BouncyCastle SM3Digest)")]
    public byte[] Sm3BouncyCastle()
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(_data, 0, _data.Length);
        digest.DoFinal(_digest, 0);
        return _digest;
    }

    [Benchmark(Description = "SM3 16 KiB (Jinka)")]
    public byte[] Sm3Jinka()
    {
        Sm3.Hash(_data, _digest);
        return _digest;
    }

    [Benchmark(Description = "SM2 sign 64 bytes (ZA + e + signature)")]
    public byte[] Sm2Sign() => Sm2.Sign(_sm2, _message);

    [Benchmark(Description = "SM2 verify 64 bytes")]
    public bool Sm2Verify() => Sm2.Verify(_sm2.PublicKey, _message, _sm2Signature);

    [Benchmark(Description = "RSA-1024 raw private (CRT, card signing)")]
    public byte[] Rsa1024Sign() => EmvRsa.Sign(_rsa, _block);

    [Benchmark(Description = "RSA-1024 raw public e=65537 (recovery)")]
    public byte[] Rsa1024Recover() => EmvRsa.Recover(_rsa.PublicKey, _rsaSignature);
}
