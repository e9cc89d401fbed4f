using System.Globalization;
using Jinka.Core;

namespace Jinka.Terminal;

/// <summary>
/// An application identifier the terminal supports (EMV Book 1 §12.3.1), with the Application Selection Indicator
/// and optional per-application overrides of the terminal-wide parameters.
/// </summary>
/// <param name="Aid">The terminal AID (5–16 bytes).</param>
/// <param name="AllowPartialSelection">ASI: true when a card ADF whose name starts with this AID also matches.</param>
public sealed record SupportedAid(byte[] Aid, bool AllowPartialSelection = true)
{
    /// <summary>9F09 for this application, instead of <see cref="TerminalConfig.ApplicationVersion"/>.</summary>
    public ushort? ApplicationVersion { get; init; }

    /// <summary>Floor limit for this application (minor units), instead of <see cref="TerminalConfig.FloorLimit"/>.</summary>
    public long? FloorLimit { get; init; }

    /// <summary>TAC-Denial for this application.</summary>
    public byte[]? TacDenial { get; init; }

    /// <summary>TAC-Online for this application.</summary>
    public byte[]? TacOnline { get; init; }

    /// <summary>TAC-Default for this application.</summary>
    public byte[]? TacDefault { get; init; }

    /// <summary>A supported AID from hex.</summary>
    public static SupportedAid FromHex(string aid, bool allowPartialSelection = true) => new(Hex.Parse(aid), allowPartialSelection);

    public override string ToString() => $"{Hex.Encode(Aid)}{(AllowPartialSelection ? " (partial)" : " (exact)")}";
}

/// <summary>
/// Random transaction selection (EMV Book 3 §10.6.2): below <paramref name="ThresholdAmount"/> a transaction goes
/// online with probability <paramref name="TargetPercentage"/>; between the threshold and the floor limit the
/// probability rises linearly to <paramref name="MaxTargetPercentage"/>. A target of 0 turns it off.
/// </summary>
public sealed record RandomSelectionSettings(long ThresholdAmount = 0, int TargetPercentage = 0, int MaxTargetPercentage = 0)
{
    /// <summary>Random selection off.</summary>
    public static RandomSelectionSettings Off { get; } = new();
}

/// <summary>
/// The terminal's parameters: what it sends the card (9F1A, 5F2A, 9F33, 9F35, 9F40, 9F09 …), its risk and action
/// parameters and the applications it accepts. The defaults are those of an attended online-capable PBOC POS in
/// China (terminal type 22, capabilities E0F8C8, CNY).
/// </summary>
public sealed record TerminalConfig
{
    /// <summary>The UnionPay debit, credit, quasi-credit and e-cash AIDs (NOTES A.1), partial selection allowed.</summary>
    public static IReadOnlyList<SupportedAid> PbocAids { get; } =
    [
        SupportedAid.FromHex("A000000333010101"),
        SupportedAid.FromHex("A000000333010102"),
        SupportedAid.FromHex("A000000333010103"),
        SupportedAid.FromHex("A000000333010106"),
    ];

    /// <summary>9F1A Terminal Country Code, ISO 3166 numeric (156 = China).</summary>
    public int CountryCode { get; init; } = 156;

    /// <summary>5F2A Transaction Currency Code, ISO 4217 numeric (156 = CNY).</summary>
    public int CurrencyCode { get; init; } = 156;

    /// <summary>5F36 Transaction Currency Exponent.</summary>
    public byte CurrencyExponent { get; init; } = 2;

    /// <summary>9F33 Terminal Capabilities: E0F8C8 = manual, magstripe, IC; plaintext PIN, online PIN, signature, enciphered offline PIN, no CVM; SDA, DDA, card capture, CDA.</summary>
    public byte[] Capabilities { get; init; } = [0xE0, 0xF8, 0xC8];

    /// <summary>9F35 Terminal Type: 22 = attended, merchant, offline with online capability.</summary>
    public byte TerminalType { get; init; } = 0x22;

    /// <summary>9F40 Additional Terminal Capabilities.</summary>
    public byte[] AdditionalCapabilities { get; init; } = [0xF0, 0x00, 0xF0, 0xA0, 0x01];

    /// <summary>9F09 Application Version Number (terminal); 0030 for PBOC 3.0.</summary>
    public ushort ApplicationVersion { get; init; } = 0x0030;

    /// <summary>Terminal floor limit in minor units; 0 sends every transaction online (EMV Book 3 §10.6.1).</summary>
    public long FloorLimit { get; init; }

    /// <summary>Terminal Action Code – Denial.</summary>
    public byte[] TacDenial { get; init; } = [0x00, 0x10, 0x00, 0x00, 0x00];

    /// <summary>Terminal Action Code – Online.</summary>
    public byte[] TacOnline { get; init; } = [0xDC, 0x40, 0x04, 0xF8, 0x00];

    /// <summary>Terminal Action Code – Default.</summary>
    public byte[] TacDefault { get; init; } = [0xDC, 0x40, 0x00, 0xA8, 0x00];

    public RandomSelectionSettings RandomSelection { get; init; } = RandomSelectionSettings.Off;

    /// <summary>The applications accepted, in the terminal's order (the list-of-AIDs method follows it).</summary>
    public IReadOnlyList<SupportedAid> Aids { get; init; } = PbocAids;

    /// <summary>Try the PSE (1PAY.SYS.DDF01) before the list of AIDs.</summary>
    public bool UsePse { get; init; } = true;

    /// <summary>Offer the SM algorithms: DF69 = 01 in the PDOL data (NOTES A.3, A.6).</summary>
    public bool OfferSm { get; init; } = true;

    /// <summary>False when the PIN pad is absent or broken (TVR "PIN pad not present or not working").</summary>
    public bool PinPadPresent { get; init; } = true;

    /// <summary>False on terminals that cannot ask the cardholder to confirm an application (87 bit 8 set).</summary>
    public bool SupportsCardholderConfirmation { get; init; } = true;

    /// <summary>The DDOL used when the card has none (P6: 9F3704).</summary>
    public byte[] DefaultDdol { get; init; } = [0x9F, 0x37, 0x04];

    /// <summary>PANs (digits) on the terminal exception file; optional.</summary>
    public IReadOnlySet<string> ExceptionFile { get; init; } = new HashSet<string>();

    /// <summary>9F1C Terminal Identification (8 characters; field 41).</summary>
    public string TerminalId { get; init; } = "JINKA001";

    /// <summary>9F16 Merchant Identifier (15 characters; field 42).</summary>
    public string MerchantId { get; init; } = "898310048990001";

    /// <summary>9F4E Merchant Name and Location (PBOC CDOL1 asks for 20 bytes).</summary>
    public string MerchantNameAndLocation { get; init; } = "Jinka Test Merchant";

    /// <summary>9F15 Merchant Category Code (4 digits).</summary>
    public string MerchantCategoryCode { get; init; } = "5311";

    /// <summary>9F01 Acquirer Identifier (up to 11 digits).</summary>
    public string AcquirerId { get; init; } = "00000000001";

    /// <summary>9F1E Interface Device Serial Number (8 characters).</summary>
    public string IfdSerialNumber { get; init; } = "JINKA-01";

    /// <summary>Send GET RESPONSE on 61xx and resend on 6Cxx for the card (wraps the transport).</summary>
    public bool HandleStatusWords { get; init; } = true;

    /// <summary>Terminal type digit 2 is 1, 2, 4 or 5: the terminal can go online.</summary>
    public bool IsOnlineCapable => (TerminalType & 0x0F) is 1 or 2 or 4 or 5;

    /// <summary>Terminal type digit 2 is 1 or 4: the terminal must go online.</summary>
    public bool IsOnlineOnly => (TerminalType & 0x0F) is 1 or 4;

    /// <summary>Terminal type digit 2 is 4–6: unattended.</summary>
    public bool IsUnattended => (TerminalType & 0x0F) is >= 4 and <= 6;

    /// <summary>Types 14, 15, 16: an ATM (for the AUC's "valid at ATMs").</summary>
    public bool IsAtm => TerminalType is 0x14 or 0x15 or 0x16;

    /// <summary>Checks the lengths and ranges of every field.</summary>
    /// <exception cref="ArgumentException">The message names the field.</exception>
    public void Validate()
    {
        Require(CountryCode is >= 0 and <= 999, nameof(CountryCode), "is a 3-digit number");
        Require(CurrencyCode is >= 0 and <= 999, nameof(CurrencyCode), "is a 3-digit number");
        Require(Capabilities.Length == 3, nameof(Capabilities), "is 3 bytes (9F33)");
        Require(AdditionalCapabilities.Length == 5, nameof(AdditionalCapabilities), "is 5 bytes (9F40)");
        Require(TacDenial.Length == 5 && TacOnline.Length == 5 && TacDefault.Length == 5, "TAC", "is 5 bytes");
        Require(FloorLimit >= 0, nameof(FloorLimit), "is not negative");
        Require(RandomSelection.TargetPercentage is >= 0 and <= 99 && RandomSelection.MaxTargetPercentage is >= 0 and <= 99, nameof(RandomSelection), "percentages are 0–99");
        Require(Aids.Count > 0, nameof(Aids), "names at least one application");
        foreach (var aid in Aids)
        {
            Require(aid.Aid.Length is >= 5 and <= 16, nameof(Aids), $"entry {Hex.Encode(aid.Aid)} is 5–16 bytes");
            Require(aid.TacDenial is null or { Length: 5 } && aid.TacOnline is null or { Length: 5 } && aid.TacDefault is null or { Length: 5 }, nameof(Aids), $"entry {Hex.Encode(aid.Aid)}: a TAC is 5 bytes");
        }

        Require(TerminalId.Length == 8, nameof(TerminalId), "is 8 characters");
        Require(MerchantId.Length == 15, nameof(MerchantId), "is 15 characters");
        Require(MerchantCategoryCode.Length == 4 && MerchantCategoryCode.All(char.IsAsciiDigit), nameof(MerchantCategoryCode), "is 4 digits");
        Require(AcquirerId.Length is >= 6 and <= 11 && AcquirerId.All(char.IsAsciiDigit), nameof(AcquirerId), "is 6–11 digits");
        Require(IfdSerialNumber.Length == 8, nameof(IfdSerialNumber), "is 8 characters");
        Require(DefaultDdol.Length > 0, nameof(DefaultDdol), "is not empty");
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"terminal {TerminalId} type {TerminalType:X2} caps {Hex.Encode(Capabilities)} country {CountryCode:D3} currency {CurrencyCode:D3}");

    private static void Require(bool condition, string field, string rule)
    {
        if (!condition)
        {
            throw new ArgumentException($"TerminalConfig.{field} {rule}", field);
        }
    }
}
