using Jinka.Core;
using Jinka.Crypto.Hashing;
using Jinka.Crypto.Tests.Peers;
using Org.BouncyCastle.Crypto.Digests;

namespace Jinka.Crypto.Tests.Hashing;

public class Sm3Tests
{
    [Theory]
    [InlineData("GM/T 0004-2012 Annex A.1: \"abc\"", "616263", "66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0")]
    [InlineData("GM/T 0004-2012 Annex A.2: \"abcd\" × 16 (64 bytes, two padded blocks)",
        "61626364616263646162636461626364616263646162636461626364616263646162636461626364616263646162636461626364616263646162636461626364",
        "DEBE9FF92275B8A138604889C18E5A4D6FDB70E5387E5765293DCBA39C0C5732")]
    public void Published_examples(string description, string inputHex, string expectedHex)
    {
        _ = description;
        var input = Hex.Parse(inputHex);
        Assert.Equal(expectedHex, Hex.Encode(Sm3.Hash(input)));

        using var sm3 = new Sm3();
        foreach (var b in input)
        {
            sm3.Append([b]);
        }

        Assert.Equal(expectedHex, Hex.Encode(sm3.GetHashAndReset()));
    }

    [Fact]
    public void Empty_input_matches_BouncyCastle()
    {
        Assert.Equal(BouncyCastleSm3([]), Sm3.Hash([]));
    }

    [Fact]
    public void Every_length_up_to_300_bytes_matches_BouncyCastle()
    {
        var random = new Random(3);
        for (int length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.Equal(BouncyCastleSm3(data), Sm3.Hash(data));
        }
    }

    [Fact]
    public void Incremental_hash_in_random_pieces_equals_one_shot()
    {
        var random = new Random(7);
        using var sm3 = new Sm3();
        for (int round = 0; round < 50; round++)
        {
            var data = new byte[random.Next(0, 5000)];
            random.NextBytes(data);
            int offset = 0;
            while (offset < data.Length)
            {
                int piece = Math.Min(random.Next(0, 200), data.Length - offset);
                sm3.Append(data.AsSpan(offset, piece));
                offset += piece;
            }

            Assert.Equal(BouncyCastleSm3(data), sm3.GetHashAndReset());
        }
    }

    [Fact]
    public void GetCurrentHash_does_not_reset()
    {
        using var sm3 = new Sm3();
        sm3.Append("ab"u8);
        var partial = new byte[32];
        sm3.GetCurrentHash(partial);
        sm3.Append("c"u8);
        Assert.Equal(Sm3.Hash("ab"u8), partial);
        Assert.Equal("66C7F0F462EEEDD9D1F2D46BDC10E4E24167C4875CF2F7A2297DA02B8F4BA8E0", Hex.Encode(sm3.GetHashAndReset()));
        Assert.Equal(Sm3.Hash([]), sm3.GetHashAndReset());
    }

    [Fact]
    public void Short_destination_and_disposed_hasher_throw()
    {
        Assert.Throws<ArgumentException>(() => Sm3.Hash("abc"u8, new byte[31]));
        var sm3 = new Sm3();
        sm3.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sm3.Append("abc"u8));
    }

    [OpenSslFact]
    public void Random_data_matches_openssl_dgst_sm3()
    {
        var random = new Random(11);
        foreach (int length in new[] { 1, 55, 56, 64, 1000, 70_000 })
        {
            var data = new byte[length];
            random.NextBytes(data);
            var expected = OpenSsl.RunChecked(["dgst", "-sm3", "-binary"], data);
            Assert.Equal(expected, Sm3.Hash(data));
        }
    }

    internal static byte[] BouncyCastleSm3(byte[] data)
    {
        var digest = new SM3Digest();
        digest.BlockUpdate(data, 0, data.Length);
        var result = new byte[32];
        digest.DoFinal(result, 0);
        return result;
    }
}
