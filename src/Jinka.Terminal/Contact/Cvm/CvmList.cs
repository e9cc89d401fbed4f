using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jinka.Terminal.Contact.Cvm;

/// <summary>One cardholder verification rule (EMV Book 3 Annex C3): method byte (b7 = apply the next rule if this fails, b6–b1 the CVM) and condition.</summary>
internal readonly record struct CvRule(byte Method, byte Condition)
{
    public const int FailCvm = 0x00;
    public const int PlaintextPin = 0x01;
    public const int OnlinePin = 0x02;
    public const int PlaintextPinAndSignature = 0x03;
    public const int EncipheredPin = 0x04;
    public const int EncipheredPinAndSignature = 0x05;
    public const int Signature = 0x1E;
    public const int NoCvm = 0x1F;

    /// <summary>JR/T 0025: cardholder ID presentation (持卡人证件出示); recognised, not supported by this terminal.</summary>
    public const int CardholderId = 0x20;

    public int Code => Method & 0x3F;

    public bool ApplyNextIfFails => (Method & 0x40) != 0;

    public bool IsRecognised => Code is FailCvm or PlaintextPin or OnlinePin or PlaintextPinAndSignature or EncipheredPin or EncipheredPinAndSignature or Signature or NoCvm or CardholderId;

    public bool IsOfflinePin => Code is PlaintextPin or PlaintextPinAndSignature or EncipheredPin or EncipheredPinAndSignature;

    public bool IsEnciphered => Code is EncipheredPin or EncipheredPinAndSignature;

    public bool NeedsSignature => Code is PlaintextPinAndSignature or EncipheredPinAndSignature or Signature;

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Method:X2}{Condition:X2} ({CvmResults.CvmMethodName(Method)}, {CvmResults.ConditionName(Condition)}{(ApplyNextIfFails ? ", else next rule" : "")})");
}

/// <summary>The CVM list 8E: amount X (4), amount Y (4), then 2-byte rules (EMV Book 3 §10.5, Annex C3).</summary>
internal sealed record CvmList(long AmountX, long AmountY, IReadOnlyList<CvRule> Rules)
{
    public static bool TryParse(ReadOnlySpan<byte> value, [NotNullWhen(true)] out CvmList? list)
    {
        list = null;
        if (value.Length < 8 || (value.Length - 8) % 2 != 0)
        {
            return false;
        }

        var rules = new List<CvRule>();
        for (int at = 8; at < value.Length; at += 2)
        {
            rules.Add(new CvRule(value[at], value[at + 1]));
        }

        list = new CvmList(ReadAmount(value[..4]), ReadAmount(value[4..8]), rules);
        return true;
    }

    private static long ReadAmount(ReadOnlySpan<byte> bytes) => ((long)bytes[0] << 24) | ((long)bytes[1] << 16) | ((long)bytes[2] << 8) | bytes[3];
}
