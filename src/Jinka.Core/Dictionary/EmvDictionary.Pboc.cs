using static Jinka.Core.Dictionary.DataFormat;
using static Jinka.Core.Dictionary.DataSource;

namespace Jinka.Core.Dictionary;

public static partial class EmvDictionary
{
    private const string Uncertain = "UNCERTAIN: ";

    /// <summary>PBOC 3.0 / UICS / qPBOC / EC elements (NOTES A.2–A.9, F.2), in tag order.</summary>
    private static DataElement[] PbocElements() =>
    [
        E("9F4D", "Log Entry", B, 2, 2, Card, "BF0C", cn: "交易日志入口", note: "SFI ‖ max records, e.g. 0B0A (NOTES A.3)"),
        E("9F4F", "Log Format", B, 1, 252, Card, cn: "交易日志格式", note: "A DOL: tags and lengths only (NOTES A.3)"),
        E("9F51", "Application Currency Code", N, 2, 2, Card, cn: "应用货币代码", note: "Not a CDOL element (NOTES A.3)"),
        E("9F52", "Application Default Action (ADA)", B, 2, 2, Card, cn: "应用缺省行为"),
        E("9F53", "Consecutive Transaction Limit (International–Currency)", B, 1, 1, Card, cn: "连续脱机交易限制数(国际-货币)"),
        E("9F54", "Cumulative Total Transaction Amount Limit (CTTAL)", N, 6, 6, Card, cn: "累计脱机交易金额限制数"),
        E("9F55", "Geographic Indicator", B, 1, 1, Card, note: Uncertain + "Visa VIS meaning; not in NOTES A.3"),
        E("9F56", "Issuer Authentication Indicator", B, 1, 1, Card, cn: "发卡行认证指示位"),
        E("9F57", "Issuer Country Code (card velocity checking)", N, 2, 2, Card, cn: "发卡行国家代码"),
        E("9F58", "Lower Consecutive Offline Limit (LCOL)", B, 1, 1, Card, cn: "连续脱机交易下限"),
        E("9F59", "Upper Consecutive Offline Limit (UCOL)", B, 1, 1, Card, cn: "连续脱机交易上限"),
        E("9F5C", "Cumulative Total Transaction Amount Upper Limit (CTTAUL)", N, 6, 6, Card, cn: "累计脱机交易金额上限"),
        E("9F5D", "Available Offline Spending Amount", N, 6, 6, Card, "70 77", cn: "可用脱机消费金额"),
        E("9F61", "Cardholder ID Number", An, 1, 40, Card, "70", cn: "持卡人证件号", note: "Maximum length not in NOTES; 40 chosen"),
        E("9F62", "Cardholder ID Type", B, 1, 1, Card, "70", cn: "持卡人证件类型"),
        E("9F63", "Card Product Identification", B, 16, 16, Card, "70 77", cn: "卡产品标识信息", note: "PBOC meaning; other schemes use 9F63 differently"),
        E("9F66", "Terminal Transaction Qualifiers (TTQ)", B, 4, 4, Terminal, cn: "终端交易属性", bits: EmvBits.Ttq),
        E("9F68", "Card Additional Processes", B, 4, 4, Card, "70", cn: "卡片附加处理"),
        E("9F69", "Card Authentication Related Data", B, 8, 16, Card, "70 77", cn: "卡片认证相关数据"),
        E("9F6B", "Card CVM Limit", N, 6, 6, Card, "70", cn: "卡片CVM限额", note: "PBOC meaning; other schemes use 9F6B differently"),
        E("9F6C", "Card Transaction Qualifiers (CTQ)", B, 2, 2, Card, "70 77", cn: "卡片交易属性", bits: EmvBits.Ctq),
        E("9F6D", "EC Reset Threshold", N, 6, 6, Card, cn: "电子现金重置阈值", note: "PBOC meaning; other schemes use 9F6D differently (ADDENDUM 2.3)"),
        E("9F72", "Consecutive Transaction Limit (International–Country)", B, 1, 1, Card),
        E("9F73", "Currency Conversion Factor", N, 4, 4, Card, note: Uncertain + "format not in NOTES; n8 as in Visa VIS"),
        E("9F74", "EC Issuer Authorisation Code", An, 6, 6, Card, "70", cn: "电子现金发卡行授权码", note: "Present in records → EC transaction (NOTES A.9)"),
        E("9F75", "Cumulative Total Transaction Amount Limit (Dual Currency)", N, 6, 6, Card, note: Uncertain + "format not in NOTES; n12 as in Visa VIS"),
        E("9F76", "Secondary Application Currency Code", N, 2, 2, Card, note: Uncertain + "format not in NOTES; n3 as in Visa VIS"),
        E("9F77", "EC Balance Limit", N, 6, 6, Card, cn: "电子现金余额上限"),
        E("9F78", "EC Single Transaction Limit", N, 6, 6, Card, cn: "电子现金单笔交易限额"),
        E("9F79", "EC Balance", N, 6, 6, Card, cn: "电子现金余额"),
        E("9F7A", "EC Terminal Support Indicator", B, 1, 1, Terminal, cn: "电子现金终端支持指示器"),
        E("9F7B", "EC Terminal Transaction Limit", N, 6, 6, Terminal, cn: "电子现金终端交易限额"),
        E("DF31", "Issuer Script Results", B, 5, 250, Terminal, cn: "发卡行脚本结果", note: "5 bytes per script, terminal → host in field 55 (NOTES A.2, F.2)"),
        E("DF4D", "EC Load Log Entry", B, 2, 2, Card, "BF0C", cn: "电子现金圈存日志入口"),
        E("DF4F", "EC Load Log Format", B, 1, 252, Card, cn: "圈存日志格式", note: "A DOL (NOTES A.3)"),
        E("DF60", "Extended (CAPP) Application Transaction Indicator", B, 1, 1, Terminal, cn: "CAPP扩展应用交易指示位"),
        E("DF61", "Segmented-Fare Application Identifier", B, 1, 1, Card, "BF0C", cn: "分段扣费应用标识", note: Uncertain + "01 = card supports only the extended application (ADDENDUM 2.4)"),
        E("DF62", "Segmented-Fare Deduction Limit", N, 6, 6, Card, cn: "分段扣费抵扣限额", note: Uncertain + "format not in NOTES; n12 assumed"),
        E("DF63", "Segmented-Fare Amount Already Deducted", N, 6, 6, Card, cn: "分段扣费已抵扣金额", note: Uncertain + "format not in NOTES; n12 assumed"),
        E("DF69", "SM Algorithm Support Indicator", B, 1, 1, Terminal, cn: "SM算法支持指示器", bits: EmvBits.SmSupport),
        E("DF71", "EC Second Currency Code", N, 2, 2, Card),
        E("DF72", "EC Second Currency Card CVM Limit", N, 6, 6, Card),
        E("DF76", "EC Second Currency Reset Threshold", N, 6, 6, Card),
        E("DF77", "EC Second Currency Balance Limit", N, 6, 6, Card),
        E("DF78", "EC Second Currency Single Transaction Limit", N, 6, 6, Card),
        E("DF79", "EC Second Currency Balance", N, 6, 6, Card),
    ];
}
