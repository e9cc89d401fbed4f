using System.Globalization;

namespace Jinka.Terminal;

/// <summary>
/// CVM Results, tag 9F34 (EMV Book 4 Annex A4): the CV rule performed (method code, condition code) and its result
/// (00 unknown, 01 failed, 02 successful). 3F 00 01 when no CVM was performed.
/// </summary>
public readonly record struct CvmResults(byte Method, byte Condition, byte Result)
{
    public const byte ResultUnknown = 0x00;
    public const byte ResultFailed = 0x01;
    public const byte ResultSuccessful = 0x02;

    /// <summary>3F 00 00: CVM processing not done (cardholder verification not supported by the card).</summary>
    public static CvmResults NotPerformed => new(0x3F, 0x00, ResultUnknown);

    /// <summary>3F 00 01: no CV rule could be satisfied.</summary>
    public static CvmResults NoCvmPerformed => new(0x3F, 0x00, ResultFailed);

    public byte[] ToArray() => [Method, Condition, Result];

    /// <summary>In words, e.g. "enciphered PIN verified online, if terminal supports the CVM: unknown".</summary>
    public string Describe() => $"{CvmMethodName(Method)}, {ConditionName(Condition)}: {ResultName(Result)}";

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Method:X2}{Condition:X2}{Result:X2}");

    /// <summary>The CVM code (b6–b1 of the rule's first byte) in words (EMV Book 3 Annex C3; JR/T 0025 adds 20).</summary>
    public static string CvmMethodName(byte method) => (method & 0x3F) switch
    {
        0x00 => "fail CVM processing",
        0x01 => "plaintext PIN verified by ICC",
        0x02 => "enciphered PIN verified online",
        0x03 => "plaintext PIN verified by ICC and signature",
        0x04 => "enciphered PIN verified by ICC",
        0x05 => "enciphered PIN verified by ICC and signature",
        0x1E => "signature (paper)",
        0x1F => "no CVM required",
        0x20 => "cardholder ID presentation (JR/T 0025)",
        0x3F => "no CVM performed",
        var other => string.Create(CultureInfo.InvariantCulture, $"unrecognised CVM {other:X2}"),
    };

    /// <summary>The CV rule condition code in words (EMV Book 3 Annex C3).</summary>
    public static string ConditionName(byte condition) => condition switch
    {
        0x00 => "always",
        0x01 => "if unattended cash",
        0x02 => "if not unattended cash and not manual cash and not purchase with cashback",
        0x03 => "if terminal supports the CVM",
        0x04 => "if manual cash",
        0x05 => "if purchase with cashback",
        0x06 => "if in application currency and under X",
        0x07 => "if in application currency and over X",
        0x08 => "if in application currency and under Y",
        0x09 => "if in application currency and over Y",
        var other => string.Create(CultureInfo.InvariantCulture, $"condition {other:X2} (RFU)"),
    };

    private static string ResultName(byte result) => result switch
    {
        ResultUnknown => "unknown",
        ResultFailed => "failed",
        ResultSuccessful => "successful",
        var other => string.Create(CultureInfo.InvariantCulture, $"result {other:X2}"),
    };
}
