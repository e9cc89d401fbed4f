using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;

namespace Jinka.Card.Tests.GlobalPlatform;

/// <summary>The EMV CPS DGI encoding (NOTES D.4) and the padding rule for secret DGIs (D11, D14).</summary>
public class DgiEncodingTests
{
    [Theory]
    [InlineData("0101037001AA", "0101", "7001AA", "one-byte length")]
    [InlineData("9102FF0003AABBCC", "9102", "AABBCC", "FF ‖ two-byte length, accepted for a short value too")]
    [InlineData("900000", "9000", "", "an empty value")]
    public void Reads_one_dgi_in_either_length_form(string encoded, string dgi, string value, string description)
    {
        var elements = DgiEncoding.ReadAll(Hex.Parse(encoded));

        var element = Assert.Single(elements);
        Check.Equal(dgi, element.Dgi.ToString("X4", System.Globalization.CultureInfo.InvariantCulture), description);
        Check.Equal(value, Hex.Encode(element.Value.Span), description);
    }

    [Theory]
    [InlineData(0, "one-byte length 00")]
    [InlineData(254, "the longest one-byte length, FE")]
    [InlineData(255, "the shortest three-byte length, FF 00 FF")]
    [InlineData(600, "FF 02 58")]
    public void Writes_the_shortest_length_form_and_reads_it_back(int length, string description)
    {
        var value = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var encoded = DgiEncoding.Encode(0x8201, value);

        Check.Equal(length <= 254 ? $"8201{length:X2}" : $"8201FF{length:X4}", Hex.Encode(encoded.AsSpan(0, length <= 254 ? 3 : 5)), description);
        Assert.Equal(DgiEncoding.EncodedLength(length), encoded.Length);
        Assert.Equal(value, DgiEncoding.ReadAll(encoded).Single().Value.ToArray());
    }

    [Fact]
    public void Reads_several_dgis_in_order()
    {
        var elements = DgiEncoding.ReadAll(Hex.Parse("0101027001" + "0201FF000170" + "920000"));

        Assert.Equal(new ushort[] { 0x0101, 0x0201, 0x9200 }, elements.Select(e => e.Dgi));
    }

    [Theory]
    [InlineData("", "empty data", "empty")]
    [InlineData("01", "one byte", "offset 0")]
    [InlineData("0101", "DGI without a length", "offset 0")]
    [InlineData("010103AABB", "value shorter than its length", "length 3")]
    [InlineData("0101FF00", "FF with one length byte", "2 length bytes")]
    [InlineData("0101FF0003AABB", "three-byte length past the end", "runs past the end")]
    [InlineData("01010170" + "02", "a trailing byte after a whole DGI", "offset 4")]
    public void Malformed_dgi_data_is_refused_with_the_offset(string hex, string description, string expectedInMessage)
    {
        Assert.False(DgiEncoding.TryReadAll(Hex.Parse(hex), out _, out var error), description);
        Assert.Contains(expectedInMessage, error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => DgiEncoding.ReadAll(Hex.Parse(hex)));
    }

    [Theory]
    [InlineData(0x8000, null, 48, "", true, 48, "3 × 16-byte keys: aligned, nothing to strip")]
    [InlineData(0x8100, null, 32, "", true, 32, "SM2 d: aligned")]
    [InlineData(0x8201, 250, 125, "800000", true, 125, "CRT part of a 250-byte modulus: 125 bytes ‖ 80 00 00")]
    [InlineData(0x8201, 250, 125, "810000", false, 0, "padding that does not start with 80")]
    [InlineData(0x8201, 250, 125, "800100", false, 0, "padding with a non-zero byte after 80")]
    [InlineData(0x8201, 248, 128, "", false, 0, "128 bytes where a 248-byte modulus gives 124-byte parts")]
    [InlineData(0x8010, null, 16, "", false, 0, "a 16-byte PIN block DGI: 8 defined")]
    [InlineData(0x8020, null, 32, "", true, 32, "no defined length: the decrypted value is used whole")]
    public void Padding_is_removed_only_where_the_defined_length_says_so(int dgi, int? modulus, int bodyLength, string tail, bool ok, int clear, string description)
    {
        var decrypted = new byte[bodyLength].Concat(Hex.Parse(tail)).ToArray();
        decrypted[bodyLength - 1] = 0x80;   // a value ending in 80 must not be mistaken for padding

        bool result = DgiProtection.TryRemovePadding((ushort)dgi, decrypted, DgiProtection.DefinedLength((ushort)dgi, modulus), out int clearLength, out var error);

        Assert.True(ok == result, $"{description}: {error}");
        if (ok)
        {
            Assert.True(clear == clearLength, description);
        }
    }

    [Fact]
    public void Pad_adds_80_00_only_to_values_that_are_not_block_aligned()
    {
        Assert.Equal("0102030405060708", Hex.Encode(DgiProtection.Pad(Hex.Parse("0102030405060708"))));
        Assert.Equal("0102038000000000", Hex.Encode(DgiProtection.Pad(Hex.Parse("010203"))));
    }
}
