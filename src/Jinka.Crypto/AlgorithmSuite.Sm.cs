using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto;

public abstract partial class AlgorithmSuite
{
    /// <summary>SM4 cards: SM4 CBC-MAC over 16-byte blocks, keys without parity, 9F10 algorithm identifier 04.</summary>
    private sealed partial class SmSuite : AlgorithmSuite
    {
        public override SuiteId Id => SuiteId.Sm;

        public override string Name => "SM";

        public override CipherAlgorithm Cipher => CipherAlgorithm.Sm4;

        public override byte AlgorithmIdentifier => 0x04;

        public override int FullMacLength => 16;

        public override void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
        {
            RequireCardKey(key, nameof(key));
            using var sm4 = CreateCipher(key);

            // ADDENDUM 1.4: ISO/IEC 9797-1 method 2 with the SM4 block size (80 then 00 to a multiple of 16), IV 0.
            Iso9797Mac.ComputeAlgorithm1(sm4, data, PaddingMethod.Iso9797Method2, mac);
        }

        private protected override KeyParity ResolveParity(KeyParity? requested) => requested switch
        {
            null or KeyParity.Unadjusted => KeyParity.Unadjusted,
            _ => throw new ArgumentException("SM4 keys use every bit; odd-parity adjustment would change the key.", nameof(requested)),
        };
    }
}
