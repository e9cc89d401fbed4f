using System.Security.Cryptography;

namespace Jinka.Crypto.Symmetric;

/// <summary>DES, 3DES and AES on .NET's implementation, keyed once (one-shot ECB/CBC on the keyed instance).</summary>
internal sealed class DotNetBlockCipher : BlockCipher
{
    private readonly SymmetricAlgorithm _algorithm;

    public DotNetBlockCipher(CipherAlgorithm algorithm, ReadOnlySpan<byte> key)
        : base(algorithm, key)
    {
        _algorithm = algorithm switch
        {
            CipherAlgorithm.Des => DES.Create(),
            CipherAlgorithm.TripleDes => TripleDES.Create(),
            CipherAlgorithm.Aes => Aes.Create(),
            _ => throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, ".NET has no such cipher"),
        };
        if (algorithm == CipherAlgorithm.TripleDes && key.Length == 16)
        {
            // .NET 10's one-shot TDES path on OpenSSL 3 rejects 16-byte keys ("invalid key length"), so a two-key
            // TDEA key is passed in its equivalent three-key form K1 ‖ K2 ‖ K1.
            Span<byte> expanded = stackalloc byte[24];
            key.CopyTo(expanded);
            key[..8].CopyTo(expanded[16..]);
            _algorithm.SetKey(expanded);
            CryptographicOperations.ZeroMemory(expanded);
        }
        else
        {
            _algorithm.SetKey(key);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // SymmetricAlgorithm.Dispose clears its own copy of the key.
            _algorithm.Dispose();
        }

        base.Dispose(disposing);
    }

    private protected override void EncryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output) =>
        _algorithm.EncryptEcb(input, output, PaddingMode.None);

    private protected override void DecryptEcbCore(ReadOnlySpan<byte> input, Span<byte> output) =>
        _algorithm.DecryptEcb(input, output, PaddingMode.None);

    private protected override void EncryptCbcCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        _algorithm.EncryptCbc(input, iv, output, PaddingMode.None);

    private protected override void DecryptCbcCore(ReadOnlySpan<byte> iv, ReadOnlySpan<byte> input, Span<byte> output) =>
        _algorithm.DecryptCbc(input, iv, output, PaddingMode.None);
}
