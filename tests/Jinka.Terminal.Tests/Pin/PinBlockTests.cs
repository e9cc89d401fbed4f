using Jinka.Core;
using Jinka.Terminal.Pin;

namespace Jinka.Terminal.Tests.Pin;

public class PinBlockTests
{
    [Theory]
    [InlineData("1234", "241234FFFFFFFFFF")]
    [InlineData("12345", "2512345FFFFFFFFF")]
    [InlineData("123456789012", "2C123456789012FF")]
    public void Format2_is_2N_then_digits_padded_with_F(string pin, string block) => Assert.Equal(block, Hex.Encode(PinBlock.Format2(pin)));

    [Fact]
    public void Format0_xors_the_pin_field_with_12_pan_digits()
    {
        // ISO 9564-1 format 0: 041234FFFFFFFFFF XOR 0000 ‖ 588000000000 (the 12 PAN digits before the check digit of 6225880000000001) = 04126C7F….
        Assert.Equal("04126C7FFFFFFFFF", Hex.Encode(PinBlock.Format0("1234", "6225880000000001")));
    }

    [Theory]
    [InlineData("123")]
    [InlineData("1234567890123")]
    [InlineData("12a4")]
    [InlineData("")]
    public void Invalid_pins_are_refused(string pin)
    {
        Assert.False(PinBlock.IsValidPin(pin));
        Assert.Throws<ArgumentException>(() => PinBlock.Format2(pin));
    }

    [Fact]
    public async Task Pin_pads_answer_in_turn()
    {
        var pad = PinEntry.Sequence("1111", null, "2222");
        var request = new PinRequest(PinKind.OfflinePlaintext, 100, 3, 1);
        Assert.Equal("1111", (await pad.EnterPinAsync(request)).Pin);
        Assert.True((await pad.EnterPinAsync(request)).IsBypass);
        Assert.Equal("2222", (await pad.EnterPinAsync(request)).Pin);
        Assert.True((await pad.EnterPinAsync(request)).IsBypass);
        Assert.True((await PinEntry.Bypass.EnterPinAsync(request)).IsBypass);
        Assert.Equal("4 digits", PinEntryResult.Entered("9999").ToString());
    }
}
