using System.Buffers;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace Jinka.Crypto.Symmetric;

/// <summary>
/// A BouncyCastle engine behind <see cref="BlockCipher"/>: the SM4 reference, and DES/3DES for the weak keys .NET
/// refuses. BouncyCastle 1.8 works on arrays, so spans go through a small pooled buffer.
/// </summary>
internal sealed class BouncyCastleBlockCipher : BlockCipher
{
    private const int ChunkSize = 4096;
    private readonly IBlockCipher _encryptor;
    private readonly IBlockCipher _decryptor;

    public BouncyCastleBlockCipher(CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
        : base(algorithm, key)
    {
        _encryptor = NewEngine(algorithm);
        _decryptor = NewEngine(algorithm);

        // KeyParameter copies the array; the temporary is zeroed at once. (BouncyCastle keeps its expanded key
        // schedule in managed arrays we cannot zero; that is one reason SM4 prefers the own implementation.)
        var keyArray = key.ToArray();
        try
        {
            _encryptor.Init(forEncryption: true, new KeyParameter(keyArray));
            _decryptor.Init(forEncryption: false, new KeyParameter(keyArray));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keyArray);
        }
    }

    private static IBlockCipher NewEngine(CipherAlgorithm algorithm) => algorithm switch
    {
        CipherAlgorithm.Des => new DesEngine(),
        CipherAlgorithm.TripleDes => new DesEdeEngine(),
        CipherAlgorithm.Sm4 => new SM4Engine(),
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "no BouncyCastle engine wired for this algorithm"),
    };

    private protected override void EncryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output) => Process(_encryptor, input, output);

    private protected override void DecryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output) => Process(_decryptor, input, output);

    private void Process(IBlockCipher engine, ReadOnlySpan<byte> input, Span<byte> output)
    {
        int n = BlockSize;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(input.Length, ChunkSize));
        try
        {
            for (int offset = 0; offset < input.Length; offset += ChunkSize)
            {
                int length = Math.Min(ChunkSize, input.Length - offset);
                input.Slice(offset, length).CopyTo(buffer);
                for (int b = 0; b < length; b += n)
                {
                    engine.ProcessBlock(buffer, b, buffer, b);
                }

                buffer.AsSpan(0, length).CopyTo(output.Slice(offset, length));
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Math.Min(input.Length, ChunkSize)));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
