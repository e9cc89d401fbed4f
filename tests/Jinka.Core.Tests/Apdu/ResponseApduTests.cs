using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class ResponseApduTests
{
    [Theory]
    [InlineData("status word only", "9000", "", 0x9000)]
    [InlineData("error status, no data", "6A82", "", 0x6A82)]
    [InlineData("GET BALANCE answer (NOTES B.3)", "000003E89000", "000003E8", 0x9000)]
    [InlineData("data with a warning", "6F0A8408A0000003330101016283", "6F0A8408A000000333010101", 0x6283)]
    public void Parse_splits_data_and_status_word_and_round_trips(string description, string hex, string data, int sw)
    {
        var response = ResponseApdu.Parse(Hex.Parse(hex));
        Assert.True(data == Hex.Encode(response.Data.Span), description);
        Assert.Equal(sw, response.StatusWord.Value);
        Assert.Equal(hex, Hex.Encode(response.ToArray()));
        Assert.Equal(hex.Length / 2, response.EncodedLength);
    }

    [Theory]
    [InlineData("empty", "", "response shorter than the 2-byte status word: 0 bytes")]
    [InlineData("one byte", "90", "response shorter than the 2-byte status word: 1 byte")]
    public void Parse_rejects_fewer_than_two_bytes(string description, string hex, string message)
    {
        var bytes = Hex.Parse(hex);
        var ex = Assert.Throws<ApduException>(() => ResponseApdu.Parse(bytes));
        Assert.True(message == ex.Message, description);
        Assert.Equal(bytes.Length, ex.Offset);
        Assert.False(ResponseApdu.TryParse(bytes, out var parsed, out var error));
        Assert.Null(parsed);
        Assert.Equal(message, error);
    }

    [Fact]
    public void ToString_shows_data_then_the_spaced_status_word()
    {
        Assert.Equal("000003E8 90 00", ResponseApdu.Parse(Hex.Parse("000003E89000")).ToString());
        Assert.Equal("6A 82", new ResponseApdu(StatusWord.FileNotFound).ToString());
    }

    [Fact]
    public void Equality_compares_data_and_status_word()
    {
        var a = ResponseApdu.Parse(Hex.Parse("01029000"));
        Assert.Equal(a, new ResponseApdu([1, 2], StatusWord.Success));
        Assert.NotEqual(a, new ResponseApdu([1, 3], StatusWord.Success));
        Assert.NotEqual(a, new ResponseApdu([1, 2], StatusWord.ConditionsOfUseNotSatisfied));
        Assert.Equal(a.GetHashCode(), new ResponseApdu([1, 2], StatusWord.Success).GetHashCode());
    }

    [Fact]
    public void TryWrite_needs_room_for_data_and_status_word()
    {
        var response = ResponseApdu.Parse(Hex.Parse("01029000"));
        Assert.False(response.TryWrite(new byte[3], out _));
        var buffer = new byte[4];
        Assert.True(response.TryWrite(buffer, out int written));
        Assert.Equal(4, written);
        Assert.Equal("01029000", Hex.Encode(buffer));
    }
}
