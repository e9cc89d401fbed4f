using Jinka.Core;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Symmetric;

public class PaddingTests
{
    [Theory]
    [InlineData("method 1, empty gets one zero block", PaddingMethod.Iso9797Method1, 8, "", "0000000000000000")]
    [InlineData("method 1, partial block", PaddingMethod.Iso9797Method1, 8, "1234", "1234000000000000")]
    [InlineData("method 1, aligned adds nothing", PaddingMethod.Iso9797Method1, 8, "0102030405060708", "0102030405060708")]
    [InlineData("method 2, empty", PaddingMethod.Iso9797Method2, 8, "", "8000000000000000")]
    [InlineData("method 2, partial block", PaddingMethod.Iso9797Method2, 8, "1234", "1234800000000000")]
    [InlineData("method 2, aligned adds a block", PaddingMethod.Iso9797Method2, 8, "0102030405060708", "01020304050607088000000000000000")]
    [InlineData("method 2, 7 bytes fills the block", PaddingMethod.Iso9797Method2, 8, "01020304050607", "0102030405060780")]
    [InlineData("method 2, 16-byte blocks (SM4)", PaddingMethod.Iso9797Method2, 16, "0102030405060708", "01020304050607088000000000000000")]
    [InlineData("none, aligned", PaddingMethod.None, 8, "0102030405060708", "0102030405060708")]
    public void Apply_pads_as_ISO_9797_1(string description, PaddingMethod method, int blockSize, string data, string expected)
    {
        _ = description;
        Assert.Equal(expected, Hex.Encode(Padding.Apply(Hex.Parse(data), blockSize, method)));
    }

    [Fact]
    public void None_with_unaligned_data_throws()
    {
        Assert.Throws<ArgumentException>(() => Padding.Apply(new byte[5], 8, PaddingMethod.None));
    }

    [Theory]
    [InlineData("valid", "1234800000000000", 8, true, 2)]
    [InlineData("full padding block", "01020304050607088000000000000000", 8, true, 8)]
    [InlineData("no 80 marker", "1234000000000000", 8, false, 0)]
    [InlineData("garbage after 80", "1234800000000001", 8, false, 0)]
    [InlineData("unaligned", "12348000", 8, false, 0)]
    [InlineData("empty", "", 8, false, 0)]
    public void TryRemoveMethod2_finds_the_data_length_or_fails(string description, string padded, int blockSize, bool ok, int length)
    {
        _ = description;
        Assert.Equal(ok, Padding.TryRemoveMethod2(Hex.Parse(padded), blockSize, out int dataLength));
        Assert.Equal(length, dataLength);
    }
}
