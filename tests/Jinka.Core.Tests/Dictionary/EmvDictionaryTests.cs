using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Core.Tests.Dictionary;

public class EmvDictionaryTests
{
    public static TheoryData<string> AnnexATags =>
    [
        "42", "4F", "50", "57", "5A", "5F20", "5F24", "5F25", "5F28", "5F2A", "5F2D", "5F30", "5F34", "5F36",
        "5F50", "5F53", "5F54", "5F55", "5F56", "5F57",
        "61", "6F", "70", "71", "72", "73", "77", "80", "81", "82", "83", "84", "86", "87", "88", "89", "8A",
        "8C", "8D", "8E", "8F", "90", "91", "92", "93", "94", "95", "97", "98", "99", "9A", "9B", "9C", "9D",
        "9F01", "9F02", "9F03", "9F04", "9F05", "9F06", "9F07", "9F08", "9F09", "9F0A", "9F0B", "9F0C", "9F0D", "9F0E", "9F0F",
        "9F10", "9F11", "9F12", "9F13", "9F14", "9F15", "9F16", "9F17", "9F18", "9F1A", "9F1B", "9F1C", "9F1D", "9F1E", "9F1F",
        "9F20", "9F21", "9F22", "9F23", "9F26", "9F27", "9F2D", "9F2E", "9F2F", "9F32", "9F33", "9F34", "9F35", "9F36", "9F37",
        "9F38", "9F39", "9F3A", "9F3B", "9F3C", "9F3D", "9F40", "9F41", "9F42", "9F43", "9F44", "9F45", "9F46", "9F47", "9F48",
        "9F49", "9F4A", "9F4B", "9F4C", "9F4D", "9F4E", "9F4F", "A5", "BF0C",
    ];

    [Theory]
    [MemberData(nameof(AnnexATags))]
    public void Every_Annex_A_element_is_present(string tag)
    {
        Assert.True(EmvDictionary.TryGet(Tag.Parse(tag), out var element), tag);
        Assert.False(string.IsNullOrWhiteSpace(element.Name));
    }

    // NOTES A.3 / A.8 / F.2: tag, format, length in bytes (min, max), Chinese name.
    [Theory]
    [InlineData("9F79", DataFormat.N, 6, 6, "电子现金余额")]
    [InlineData("9F77", DataFormat.N, 6, 6, "电子现金余额上限")]
    [InlineData("9F78", DataFormat.N, 6, 6, "电子现金单笔交易限额")]
    [InlineData("9F6D", DataFormat.N, 6, 6, "电子现金重置阈值")]
    [InlineData("9F74", DataFormat.An, 6, 6, "电子现金发卡行授权码")]
    [InlineData("9F7A", DataFormat.B, 1, 1, "电子现金终端支持指示器")]
    [InlineData("9F7B", DataFormat.N, 6, 6, "电子现金终端交易限额")]
    [InlineData("9F5D", DataFormat.N, 6, 6, "可用脱机消费金额")]
    [InlineData("9F63", DataFormat.B, 16, 16, "卡产品标识信息")]
    [InlineData("9F4D", DataFormat.B, 2, 2, "交易日志入口")]
    [InlineData("9F4F", DataFormat.B, 1, 252, "交易日志格式")]
    [InlineData("DF4D", DataFormat.B, 2, 2, "电子现金圈存日志入口")]
    [InlineData("DF4F", DataFormat.B, 1, 252, "圈存日志格式")]
    [InlineData("9F51", DataFormat.N, 2, 2, "应用货币代码")]
    [InlineData("9F52", DataFormat.B, 2, 2, "应用缺省行为")]
    [InlineData("9F53", DataFormat.B, 1, 1, "连续脱机交易限制数(国际-货币)")]
    [InlineData("9F54", DataFormat.N, 6, 6, "累计脱机交易金额限制数")]
    [InlineData("9F56", DataFormat.B, 1, 1, "发卡行认证指示位")]
    [InlineData("9F57", DataFormat.N, 2, 2, "发卡行国家代码")]
    [InlineData("9F58", DataFormat.B, 1, 1, "连续脱机交易下限")]
    [InlineData("9F59", DataFormat.B, 1, 1, "连续脱机交易上限")]
    [InlineData("9F5C", DataFormat.N, 6, 6, "累计脱机交易金额上限")]
    [InlineData("9F61", DataFormat.An, 1, 40, "持卡人证件号")]
    [InlineData("9F62", DataFormat.B, 1, 1, "持卡人证件类型")]
    [InlineData("9F66", DataFormat.B, 4, 4, "终端交易属性")]
    [InlineData("9F68", DataFormat.B, 4, 4, "卡片附加处理")]
    [InlineData("9F69", DataFormat.B, 8, 16, "卡片认证相关数据")]
    [InlineData("9F6B", DataFormat.N, 6, 6, "卡片CVM限额")]
    [InlineData("9F6C", DataFormat.B, 2, 2, "卡片交易属性")]
    [InlineData("DF60", DataFormat.B, 1, 1, "CAPP扩展应用交易指示位")]
    [InlineData("DF61", DataFormat.B, 1, 1, "分段扣费应用标识")]
    [InlineData("DF62", DataFormat.N, 6, 6, "分段扣费抵扣限额")]
    [InlineData("DF63", DataFormat.N, 6, 6, "分段扣费已抵扣金额")]
    [InlineData("DF69", DataFormat.B, 1, 1, "SM算法支持指示器")]
    [InlineData("DF31", DataFormat.B, 5, 250, "发卡行脚本结果")]
    public void PBOC_elements_have_the_NOTES_formats(string tag, DataFormat format, int min, int max, string chineseName)
    {
        var element = EmvDictionary.Get(Tag.Parse(tag));
        Assert.Equal(format, element.Format);
        Assert.Equal(min, element.MinLength);
        Assert.Equal(max, element.MaxLength);
        Assert.Equal(chineseName, element.ChineseName);
    }

    [Theory]
    [InlineData("9F55")]
    [InlineData("9F72")]
    [InlineData("9F73")]
    [InlineData("9F75")]
    [InlineData("9F76")]
    [InlineData("DF71")]
    [InlineData("DF72")]
    [InlineData("DF76")]
    [InlineData("DF77")]
    [InlineData("DF78")]
    [InlineData("DF79")]
    public void Other_PBOC_tags_of_NOTES_A3_are_present(string tag)
        => Assert.True(EmvDictionary.TryGet(Tag.Parse(tag), out _));

    [Fact]
    public void PBOC_meanings_win_over_other_schemes()
    {
        Assert.Equal("Card Product Identification", EmvDictionary.NameOf(new Tag(0x9F63)));
        Assert.Equal("EC Reset Threshold", EmvDictionary.NameOf(new Tag(0x9F6D)));
        Assert.Equal("Card CVM Limit", EmvDictionary.NameOf(new Tag(0x9F6B)));
    }

    [Fact]
    public void The_table_is_consistent()
    {
        Assert.True(EmvDictionary.All.Count >= 160, $"only {EmvDictionary.All.Count} elements");
        Assert.Equal(EmvDictionary.All.Count, EmvDictionary.All.Select(e => e.Tag).Distinct().Count());
        foreach (var element in EmvDictionary.All)
        {
            Assert.True(element.MinLength >= 0 && element.MinLength <= element.MaxLength, $"{element}: {element.MinLength}..{element.MaxLength}");
            Assert.True(Tag.TryParse(element.Tag.ToString(), out _), $"{element}: malformed tag");
            Assert.True(!element.IsConstructed || element.Format == DataFormat.Var, $"{element}: templates are var.");
            Assert.True(element.Format != DataFormat.N || element.MaxLength <= 8, $"{element}: numeric too long");
            foreach (var template in element.Templates)
            {
                // 80 (format 1 response) is a template in EMV's words but primitive in BER: its value is untagged.
                bool isTemplate = template.IsConstructed || template == new Tag(0x80);
                Assert.True(isTemplate && EmvDictionary.TryGet(template, out _), $"{element}: template {template}");
            }

            foreach (var bit in element.Bits)
            {
                Assert.True(bit.Byte >= 1 && bit.Byte <= element.MaxLength, $"{element}: bit in byte {bit.Byte}");
                Assert.Equal(0, bit.Value & ~bit.Mask);
            }
        }
    }

    [Fact]
    public void Unknown_tags_are_named_unknown_and_Get_throws()
    {
        Assert.Equal("unknown", EmvDictionary.NameOf(new Tag(0xDF7F)));
        Assert.False(EmvDictionary.TryGet(new Tag(0xDF7F), out _));
        var ex = Assert.Throws<KeyNotFoundException>(() => EmvDictionary.Get(new Tag(0xDF7F)));
        Assert.Contains("DF7F", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("95", "8000048000", new[] { "Offline data authentication was not performed", "Online PIN entered", "Transaction exceeds floor limit" })]
    [InlineData("95", "0000000000", new string[0])]
    [InlineData("9B", "E800", new[] { "Offline data authentication was performed", "Cardholder verification was performed", "Card risk management was performed", "Terminal risk management was performed" })]
    [InlineData("82", "7C00", new[] { "SDA supported", "DDA supported", "Cardholder verification is supported", "Terminal risk management is to be performed", "Issuer authentication is supported" })]
    [InlineData("82", "7D00", new[] { "SDA supported", "DDA supported", "Cardholder verification is supported", "Terminal risk management is to be performed", "Issuer authentication is supported", "CDA supported" })]
    [InlineData("9F07", "FF00", new[] { "Valid for domestic cash transactions", "Valid for international cash transactions", "Valid for domestic goods", "Valid for international goods", "Valid for domestic services", "Valid for international services", "Valid at ATMs", "Valid at terminals other than ATMs" })]
    [InlineData("9F33", "E0F8C8", new[] { "Manual key entry", "Magnetic stripe", "IC with contacts", "Plaintext PIN for ICC verification", "Enciphered PIN for online verification", "Signature (paper)", "Enciphered PIN for offline verification", "No CVM required", "SDA", "DDA", "CDA" })]
    [InlineData("9F27", "80", new[] { "ARQC" })]
    [InlineData("9F27", "40", new[] { "TC" })]
    [InlineData("9F27", "00", new[] { "AAC" })]
    [InlineData("9F27", "0A", new[] { "AAC", "Advice required", "Reason: PIN Try Limit exceeded" })]
    [InlineData("9F66", "26800000", new[] { "qPBOC supported", "Online PIN supported", "Signature supported", "Online cryptogram required" })]
    [InlineData("9F66", "28000000", new[] { "qPBOC supported", "Offline-only reader" })]
    [InlineData("9F6C", "2000", new[] { "Go online if offline data authentication fails and the reader is online-capable" })]
    [InlineData("DF69", "01", new[] { "SM algorithms supported" })]
    public void DescribeBits_lists_the_set_bits_and_fields(string tag, string value, string[] expected)
        => Assert.Equal(expected, EmvDictionary.Get(Tag.Parse(tag)).DescribeBits(Hex.Parse(value)));

    [Fact]
    public void DescribeBits_ignores_bytes_missing_from_a_short_value()
        => Assert.Equal(["Offline data authentication was not performed"], EmvDictionary.Get(new Tag(0x95)).DescribeBits([0x80]));

    [Theory]
    [InlineData("5A", "6225880000000001FFFF", "6225880000000001")]
    [InlineData("9F02", "000000000100", "000000000100")]
    [InlineData("5F20", "5A48414E472F53414E", "ZHANG/SAN")]
    [InlineData("9F74", "454343303031", "ECC001")]
    [InlineData("82", "7C00", "7C00")]
    public void FormatValue_renders_by_format(string tag, string value, string expected)
        => Assert.Equal(expected, EmvDictionary.Get(Tag.Parse(tag)).FormatValue(Hex.Parse(value)));
}
