using Jinka.Core;

namespace Jinka.Terminal.Tests;

public class TvrTsiTests
{
    [Theory]
    [InlineData(TvrBit.OfflineDataAuthenticationNotPerformed, "8000000000", "Offline data authentication was not performed")]
    [InlineData(TvrBit.SdaFailed, "4000000000", "SDA failed")]
    [InlineData(TvrBit.IccDataMissing, "2000000000", "ICC data missing")]
    [InlineData(TvrBit.CdaFailed, "0400000000", "CDA failed")]
    [InlineData(TvrBit.ExpiredApplication, "0040000000", "Expired application")]
    [InlineData(TvrBit.NewCard, "0008000000", "New card")]
    [InlineData(TvrBit.PinTryLimitExceeded, "0000200000", "PIN Try Limit exceeded")]
    [InlineData(TvrBit.OnlinePinEntered, "0000040000", "Online PIN entered")]
    [InlineData(TvrBit.FloorLimitExceeded, "0000008000", "Transaction exceeds floor limit")]
    [InlineData(TvrBit.MerchantForcedOnline, "0000000800", "Merchant forced transaction online")]
    [InlineData(TvrBit.IssuerAuthenticationFailed, "0000000040", "Issuer authentication failed")]
    [InlineData(TvrBit.ScriptFailedAfterFinalGenerateAc, "0000000010", "Script processing failed after final GENERATE AC")]
    public void Each_TVR_bit_sits_in_its_byte_and_reads_back_in_words(TvrBit bit, string hex, string words)
    {
        var tvr = Tvr.None.With(bit);
        Assert.Equal(hex, tvr.ToString());
        Assert.True(tvr.Has(bit));
        Assert.Equal([words], tvr.Describe());
        Assert.Equal([bit], tvr.SetBits);
        Assert.Equal(Tvr.None, tvr.Without(bit));
        Assert.Equal(tvr, new Tvr(Hex.Parse(hex)));
    }

    [Fact]
    public void Tvr_matches_action_codes_bit_by_bit()
    {
        var tvr = Tvr.None.With(TvrBit.SdaFailed).With(TvrBit.FloorLimitExceeded);
        Assert.True(tvr.Intersects(Hex.Parse("4000000000")));
        Assert.False(tvr.Intersects(Hex.Parse("BF00007F00")));
        Assert.Equal("4000008000", tvr.Intersection(Hex.Parse("D84004F800")).ToString());
        Assert.Equal("0000008000", tvr.Intersection(Hex.Parse("0000008000")).ToString());
        Assert.True(tvr.SdaFailed && tvr.FloorLimitExceeded && !tvr.CdaFailed);
        Assert.Throws<ArgumentException>(() => new Tvr(Hex.Parse("00000000")));
    }

    [Fact]
    public void Tsi_bits_and_words()
    {
        var tsi = Tsi.None.With(TsiBit.OfflineDataAuthenticationPerformed).With(TsiBit.CardholderVerificationPerformed)
            .With(TsiBit.CardRiskManagementPerformed).With(TsiBit.TerminalRiskManagementPerformed);
        Assert.Equal("E800", tsi.ToString());
        Assert.Equal(
            ["Offline data authentication was performed", "Cardholder verification was performed", "Card risk management was performed", "Terminal risk management was performed"],
            tsi.Describe());
        Assert.Equal(tsi, new Tsi(Hex.Parse("E800")));
        Assert.False(tsi.ScriptProcessingPerformed);
        Assert.True(tsi.With(TsiBit.ScriptProcessingPerformed).ScriptProcessingPerformed);
    }

    [Theory]
    [InlineData(0x1F, 0x00, 0x02, "1F0002", "no CVM required, always: successful")]
    [InlineData(0x42, 0x03, 0x00, "420300", "enciphered PIN verified online, if terminal supports the CVM: unknown")]
    [InlineData(0x3F, 0x00, 0x01, "3F0001", "no CVM performed, always: failed")]
    [InlineData(0x5E, 0x08, 0x00, "5E0800", "signature (paper), if in application currency and under Y: unknown")]
    public void Cvm_results_in_hex_and_words(byte method, byte condition, byte result, string hex, string words)
    {
        var cvm = new CvmResults(method, condition, result);
        Assert.Equal(hex, cvm.ToString());
        Assert.Equal(words, cvm.Describe());
    }
}
