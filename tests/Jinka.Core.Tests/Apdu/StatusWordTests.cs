using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class StatusWordTests
{
    [Theory]
    [InlineData("9000", "success")]
    [InlineData("6281", "part of the returned data may be corrupted")]
    [InlineData("6283", "selected file invalidated (EMV: application blocked)")]
    [InlineData("6300", "authentication failed")]
    [InlineData("6400", "execution error: memory unchanged")]
    [InlineData("6581", "memory failure")]
    [InlineData("6700", "wrong length")]
    [InlineData("6883", "last command of the chain expected")]
    [InlineData("6982", "security status not satisfied")]
    [InlineData("6983", "authentication method blocked")]
    [InlineData("6984", "reference data not usable")]
    [InlineData("6985", "conditions of use not satisfied")]
    [InlineData("6986", "command not allowed (no current EF)")]
    [InlineData("6988", "PBOC: MAC wrong")]
    [InlineData("6A80", "incorrect parameters in the data field")]
    [InlineData("6A81", "function not supported")]
    [InlineData("6A82", "file or application not found")]
    [InlineData("6A83", "record not found")]
    [InlineData("6A84", "not enough memory space")]
    [InlineData("6A86", "incorrect parameters P1-P2")]
    [InlineData("6A88", "referenced data or reference data not found")]
    [InlineData("6B00", "wrong parameters P1-P2")]
    [InlineData("6D00", "instruction code not supported")]
    [InlineData("6E00", "class not supported")]
    [InlineData("6F00", "no precise diagnosis")]
    [InlineData("9302", "MAC invalid (PBOC ED/EP)")]
    [InlineData("9303", "application permanently locked")]
    [InlineData("9401", "insufficient balance (PBOC ED/EP)")]
    [InlineData("9402", "transaction counter at maximum")]
    [InlineData("9403", "key index not supported")]
    [InlineData("9406", "required MAC not available")]
    [InlineData("9485", "invalid key check value (GlobalPlatform)")]
    [InlineData("611A", "26 more bytes available")]
    [InlineData("6100", "256 more bytes available")]
    [InlineData("6C10", "wrong Le, exact length 16")]
    [InlineData("6C00", "wrong Le, exact length 256")]
    [InlineData("63C2", "verification failed, 2 tries left")]
    [InlineData("63C1", "verification failed, 1 try left")]
    [InlineData("63C0", "verification failed, 0 tries left")]
    [InlineData("6A99", "wrong parameters P1-P2")]
    [InlineData("6999", "command not allowed")]
    [InlineData("9F12", "proprietary")]
    [InlineData("0000", "unknown status word")]
    [InlineData("A123", "unknown status word")]
    public void Meaning_names_the_status(string hex, string fragment)
    {
        var bytes = Hex.Parse(hex);
        Assert.Contains(fragment, new StatusWord(bytes[0], bytes[1]).Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x611A, 26, null, null)]
    [InlineData(0x6100, 256, null, null)]
    [InlineData(0x6C1D, null, 29, null)]
    [InlineData(0x6C00, null, 256, null)]
    [InlineData(0x63C3, null, null, 3)]
    [InlineData(0x63CF, null, null, 15)]
    [InlineData(0x6300, null, null, null)]
    [InlineData(0x9000, null, null, null)]
    [InlineData(0x6283, null, null, null)]
    public void Ranges_expose_their_numbers(int value, int? available, int? correctLength, int? retries)
    {
        var sw = new StatusWord((ushort)value);
        Assert.Equal(available, sw.BytesAvailable);
        Assert.Equal(correctLength, sw.CorrectLength);
        Assert.Equal(retries, sw.RetriesLeft);
    }

    [Theory]
    [InlineData(0x9000, true, false)]
    [InlineData(0x6283, false, true)]
    [InlineData(0x63C1, false, true)]
    [InlineData(0x611A, false, false)]
    [InlineData(0x6A82, false, false)]
    [InlineData(0x9001, false, false)]
    public void Success_and_warning_classification(int value, bool success, bool warning)
    {
        var sw = new StatusWord((ushort)value);
        Assert.Equal((success, warning), (sw.IsSuccess, sw.IsWarning));
    }

    [Fact]
    public void Bytes_and_value_agree_and_print_as_four_hex_digits()
    {
        var sw = new StatusWord(0x6A, 0x82);
        Assert.Equal(0x6A82, sw.Value);
        Assert.Equal((0x6A, 0x82), (sw.Sw1, sw.Sw2));
        Assert.Equal("6A82", sw.ToString());
        Assert.Equal(StatusWord.FileNotFound, sw);
    }

    [Fact]
    public void Named_constants_carry_the_values_their_names_say()
    {
        Assert.Equal("9000", StatusWord.Success.ToString());
        Assert.Equal("6985", StatusWord.ConditionsOfUseNotSatisfied.ToString());
        Assert.Equal("6A83", StatusWord.RecordNotFound.ToString());
        Assert.Equal("9401", StatusWord.InsufficientBalance.ToString());
        Assert.Equal("9402", StatusWord.TransactionCounterAtMaximum.ToString());
        Assert.Equal("9403", StatusWord.KeyIndexNotSupported.ToString());
        Assert.Equal("9406", StatusWord.RequiredMacNotAvailable.ToString());
        Assert.Equal("9302", StatusWord.MacInvalid.ToString());
        Assert.Equal("6883", StatusWord.LastCommandOfChainExpected.ToString());
    }

    [Fact]
    public void Range_helpers_build_and_check_their_codes()
    {
        Assert.Equal("63C2", StatusWord.VerificationFailed(2).ToString());
        Assert.Equal("6110", StatusWord.MoreBytesAvailable(16).ToString());
        Assert.Equal("6100", StatusWord.MoreBytesAvailable(256).ToString());
        Assert.Equal("6C00", StatusWord.WrongLe(256).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusWord.VerificationFailed(16));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusWord.MoreBytesAvailable(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StatusWord.WrongLe(257));
    }
}
