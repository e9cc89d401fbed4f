using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto;

public abstract partial class AlgorithmSuite
{
    /// <summary>3DES cards: retail MAC, odd-parity derived keys, 9F10 algorithm identifier 01.</summary>
    private sealed partial class InternationalSuite : AlgorithmSuite
    {
        public override SuiteId Id => SuiteId.International;

        public override string Name => "International";

        public override CipherAlgorithm Cipher => CipherAlgorithm.TripleDes;

        public override byte AlgorithmIdentifier => 0x01;

        public override int FullMacLength => 8;

        public override void Mac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> mac)
        {
            RequireCardKey(key, nameof(key));
            Iso9797Mac.ComputeAlgorithm3(key, data, PaddingMethod.Iso9797Method2, mac);
        }

        private protected override KeyParity ResolveParity(KeyParity? requested) => requested ?? KeyParity.Odd;
    }
}
