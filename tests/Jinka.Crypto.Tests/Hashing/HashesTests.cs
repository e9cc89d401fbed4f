using Jinka.Core;
using Jinka.Crypto.Hashing;

namespace Jinka.Crypto.Tests.Hashing;

public class HashesTests
{
    [Theory]
    [InlineData("FIPS 180 SHA-1 \"abc\"", HashAlgorithmKind.Sha1, "A9993E364706816ABA3E25717850C26C9CD0D89D")]
    [InlineData("FIPS 180 SHA-256 \"abc\"", HashAlgorithmKind.Sha256, "BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD")]
    [InlineData("GM/T 0004 SM3 \"abc\"", HashAlgorithmKind.Sm3, "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")]
    public void Compute_gives_the_published_abc_digest(string description, HashAlgorithmKind kind, string expectedHex)
    {
        _ = description;
        Assert.Equal(expectedHex.Length / 2, Hashes.Size(kind));
        var destination = new byte[40];
        Assert.Equal(Hashes.Size(kind), Hashes.Compute(kind, "abc"u8, destination));
        Assert.Equal(expectedHex, Hex.Encode(destination.AsSpan(0, Hashes.Size(kind))));
        Assert.Equal(expectedHex, Hex.Encode(Hashes.Compute(kind, "abc"u8)));
    }

    [Fact]
    public void Short_destination_or_unknown_kind_throws()
    {
        Assert.Throws<ArgumentException>(() => Hashes.Compute(HashAlgorithmKind.Sha1, "abc"u8, new byte[19]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Hashes.Size((HashAlgorithmKind)9));
    }
}
