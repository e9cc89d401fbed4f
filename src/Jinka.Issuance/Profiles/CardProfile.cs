using Jinka.Card;
using Jinka.Crypto;

namespace Jinka.Issuance.Profiles;

/// <summary>Debit or credit (NOTES A.1): it picks the defaults of the AID, label and risk parameters.</summary>
public enum CardProduct
{
    Debit,
    Credit,
}

/// <summary>The offline data authentication methods the card offers (AIP byte 1 b7 SDA, b6 DDA, b1 CDA; EMV Book 3 C1).</summary>
[Flags]
public enum OdaMethods
{
    None = 0,
    Sda = 1,
    Dda = 2,
    Cda = 4,
}

/// <summary>One payment application instance: AID (4F/84), label (50), priority (87), preferred name (9F12, optional).</summary>
public sealed record ApplicationProfile(Aid Aid, string Label, byte Priority, string? PreferredName = null);

/// <summary>
/// An issuer or ICC key: RSA with a modulus length (1024–1984 bits, a multiple of 8) and exponent (3 or 65537) for
/// the International suite, SM2 (fixed curve) for the SM suite.
/// </summary>
public sealed record KeyProfile(bool IsRsa, int Bits, int Exponent)
{
    public static KeyProfile Sm2 { get; } = new(false, 256, 0);

    public static KeyProfile Rsa(int bits, int exponent = 3) => new(true, bits, exponent);

    /// <summary>Modulus length in bytes (RSA).</summary>
    public int ModulusLength => Bits / 8;
}

/// <summary>An issuer master key: its label in the key store, and — for test profiles — its clear value to import there.</summary>
public sealed record MasterKeyReference(string Label, byte[]? Value);

/// <summary>The card risk management parameters (NOTES A.3; contract P10), amounts in minor units.</summary>
public sealed record RiskParameters
{
    /// <summary>Lower consecutive offline limit (9F58, also 9F14).</summary>
    public byte LowerConsecutiveOfflineLimit { get; init; } = 5;

    /// <summary>Upper consecutive offline limit (9F59, also 9F23).</summary>
    public byte UpperConsecutiveOfflineLimit { get; init; } = 10;

    /// <summary>Consecutive offline transactions limit, international-currency (9F53).</summary>
    public byte ConsecutiveInternationalLimit { get; init; } = 5;

    /// <summary>Cumulative total transaction amount limit (9F54, n12).</summary>
    public long CumulativeAmountLimit { get; init; } = 50_000;

    /// <summary>Cumulative total transaction amount upper limit (9F5C, n12).</summary>
    public long CumulativeAmountUpperLimit { get; init; } = 100_000;

    /// <summary>Application default action (9F52, 2 bytes).</summary>
    public byte[] ApplicationDefaultAction { get; init; } = [0x60, 0x10];

    /// <summary>Issuer authentication indicator (9F56).</summary>
    public byte IssuerAuthenticationIndicator { get; init; } = 0x80;
}

/// <summary>
/// Electronic cash (NOTES A.9; contract Q9–Q11) in minor units: the opening balance 9F79, the balance limit 9F77, the
/// single transaction limit 9F78, the reset threshold 9F6D (null: not personalised), the CVM limit 9F6B.
/// </summary>
public sealed record ElectronicCashSettings(long Balance, long BalanceLimit, long SingleLimit, long? ResetThreshold, long CvmLimit)
{
    /// <summary>The load log (DF4D; its format DF4F is fixed by Q37); null for none.</summary>
    public LogSettings? LoadLog { get; init; } = LogSettings.DefaultLoadLog;
}

/// <summary>The transaction log (contract P11): SFI and record count of 9F4D; the format 9F4F is fixed by P11.</summary>
public sealed record LogSettings(int Sfi, int Records)
{
    public static LogSettings Default { get; } = new(11, 10);

    /// <summary>The EC load log's default place: SFI 12, 10 records (Q37).</summary>
    public static LogSettings DefaultLoadLog { get; } = new(12, 10);
}

/// <summary>
/// Everything data preparation needs to issue one PBOC debit or credit card: identity, dates, applications, the
/// EMV data objects, the key algorithms, the PIN, risk and log parameters, the issuer master keys. Load one with
/// <see cref="CardProfileReader"/>; the shipped examples are profiles/pboc-*.json.
/// </summary>
public sealed record CardProfile
{
    /// <summary>P4 CDOL1: 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704 9F2103 9F4E14.</summary>
    public static IReadOnlyList<byte> DefaultCdol1 { get; } = Convert.FromHexString("9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14");

    /// <summary>P4 CDOL2: 8A02 9F0206 9F0306 9F1A02 9505 5F2A02 9A03 9C01 9F3704 9F2103.</summary>
    public static IReadOnlyList<byte> DefaultCdol2 { get; } = Convert.FromHexString("8A029F02069F03069F1A0295055F2A029A039C019F37049F2103");

    /// <summary>Default DDOL 9F3704 (NOTES A.7).</summary>
    public static IReadOnlyList<byte> DefaultDdol { get; } = Convert.FromHexString("9F3704");

    /// <summary>Default RID of the CA: UnionPay.</summary>
    public const string UnionPayRid = "A000000333";

    public required string Name { get; init; }

    public required SuiteId Suite { get; init; }

    public required CardProduct Product { get; init; }

    /// <summary>Application PAN digits (5A, Luhn-valid).</summary>
    public required string Pan { get; init; }

    /// <summary>PAN sequence number (5F34).</summary>
    public required byte Psn { get; init; }

    /// <summary>Cardholder name (5F20).</summary>
    public string CardholderName { get; init; } = "JINKA/TEST CARD";

    public required DateOnly EffectiveDate { get; init; }

    public required DateOnly ExpiryDate { get; init; }

    /// <summary>Service code (5F30), three digits.</summary>
    public string ServiceCode { get; init; } = "220";

    public required IReadOnlyList<ApplicationProfile> Applications { get; init; }

    /// <summary>Language preference (5F2D), e.g. "zhen".</summary>
    public string Language { get; init; } = "zhen";

    /// <summary>Issuer country code (5F28), numeric ISO 3166.</summary>
    public int IssuerCountry { get; init; } = 156;

    /// <summary>Application currency code (9F42, also 9F51), numeric ISO 4217.</summary>
    public int Currency { get; init; } = 156;

    /// <summary>Application currency exponent (9F44).</summary>
    public byte CurrencyExponent { get; init; } = 2;

    /// <summary>CVM list (8E).</summary>
    public required byte[] CvmList { get; init; }

    /// <summary>Issuer action codes denial, online, default (9F0E, 9F0F, 9F0D), 5 bytes each.</summary>
    public required byte[] IacDenial { get; init; }

    public required byte[] IacOnline { get; init; }

    public required byte[] IacDefault { get; init; }

    /// <summary>Application usage control (9F07).</summary>
    public byte[] Auc { get; init; } = [0xFF, 0x00];

    /// <summary>Application version number (9F08).</summary>
    public byte[] ApplicationVersion { get; init; } = [0x00, 0x30];

    public byte[] Cdol1 { get; init; } = [.. DefaultCdol1];

    public byte[] Cdol2 { get; init; } = [.. DefaultCdol2];

    /// <summary>DDOL (9F49), written when DDA or CDA is offered.</summary>
    public byte[] Ddol { get; init; } = [.. DefaultDdol];

    /// <summary>PDOL (9F38) in the FCI; empty for none.</summary>
    public byte[] Pdol { get; init; } = [];

    public required OdaMethods Oda { get; init; }

    /// <summary>The CA public key index (8F) under <see cref="UnionPayRid"/>.</summary>
    public required byte CaIndex { get; init; }

    public required KeyProfile IssuerKey { get; init; }

    public required KeyProfile IccKey { get; init; }

    /// <summary>Derivation key index (the DKI of 9F10).</summary>
    public byte Dki { get; init; } = 0x01;

    /// <summary>Offline PIN digits (4–12).</summary>
    public required string Pin { get; init; }

    public byte PinTryLimit { get; init; } = 3;

    public RiskParameters Risk { get; init; } = new();

    /// <summary>Electronic cash, or null for none.</summary>
    public ElectronicCashSettings? ElectronicCash { get; init; }

    /// <summary>The contactless interface: DGI 9103 (FCI, contract Q2) and 9207 (qPBOC GPO data, Q4/Q5).</summary>
    public bool Contactless { get; init; }

    /// <summary>The transaction log, or null for none.</summary>
    public LogSettings? Log { get; init; } = LogSettings.Default;

    /// <summary>The account's opening balance for the demo issuer, in minor units.</summary>
    public long OpeningBalance { get; init; }

    public required MasterKeyReference MdkAc { get; init; }

    public required MasterKeyReference MdkMac { get; init; }

    public required MasterKeyReference MdkEnc { get; init; }

    /// <summary>Issuer identifier for the issuer certificate: the leftmost 6 PAN digits.</summary>
    public string IssuerIdentifier => Pan[..6];

    /// <summary>The AIP (82): cardholder verification, terminal risk management and issuer authentication always; SDA, DDA, CDA as offered.</summary>
    public byte[] Aip =>
    [
        (byte)(0x1C | (Oda.HasFlag(OdaMethods.Sda) ? 0x40 : 0) | (Oda.HasFlag(OdaMethods.Dda) ? 0x20 : 0) | (Oda.HasFlag(OdaMethods.Cda) ? 0x01 : 0)),
        0x00,
    ];

    /// <summary>True when the card needs an ICC key pair (DDA or CDA).</summary>
    public bool NeedsIccKey => (Oda & (OdaMethods.Dda | OdaMethods.Cda)) != 0;
}
