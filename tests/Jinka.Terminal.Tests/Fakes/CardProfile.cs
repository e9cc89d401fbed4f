using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Terminal.Tests.Fakes;

/// <summary>Which piece of ODA data the fake card corrupts after signing it.</summary>
public enum Tamper
{
    None,
    IssuerCertificate,
    IccCertificate,
    SignedStaticData,
    StaticDataAfterSigning,
    DynamicSignature,
    CdaSignature,
}

/// <summary>Another application on the fake card (selection tests): answers SELECT but nothing else well.</summary>
internal sealed record OtherApplication(string Aid, string Label, byte? Priority = null, bool Blocked = false, bool RefuseGpo = false);

/// <summary>
/// Everything the fake PBOC card is personalised with and how it behaves. Defaults: an International-suite debit
/// card (AIP 7D00: SDA, DDA, CV, TRM, issuer authentication, CDA), PSE present, CVM list "no CVM", IACs all zero.
/// </summary>
internal sealed record CardProfile
{
    public SuiteId Suite { get; init; } = SuiteId.International;

    public string Aid { get; init; } = "A000000333010101";

    public string Label { get; init; } = "PBOC DEBIT";

    public byte? Priority { get; init; } = 0x01;

    public bool HasPse { get; init; } = true;

    /// <summary>Answer SELECT PSE with this status (e.g. 6A81) instead of the FCI.</summary>
    public ushort? PseStatus { get; init; }

    /// <summary>The main application answers SELECT with 6283.</summary>
    public bool Blocked { get; init; }

    /// <summary>The main application answers GPO with 6985.</summary>
    public bool RefuseGpo { get; init; }

    public IReadOnlyList<OtherApplication> OtherApplications { get; init; } = [];

    public string Pan { get; init; } = "6225880000000001";

    public byte Psn { get; init; } = 0x01;

    public string ExpiryDate { get; init; } = "301231";

    public string EffectiveDate { get; init; } = "200101";

    public string IssuerCountry { get; init; } = "0156";

    public string ApplicationCurrency { get; init; } = "0156";

    public string? Auc { get; init; } = "FF00";

    public string ApplicationVersion { get; init; } = "0030";

    public string Aip { get; init; } = "7D00";

    public string CvmList { get; init; } = "00000000000000001F00";

    public string IacDefault { get; init; } = "0000000000";

    public string IacDenial { get; init; } = "0000000000";

    public string IacOnline { get; init; } = "0000000000";

    public string Pdol { get; init; } = "9F7A019F02065F2A02DF6901";

    public string Cdol1 { get; init; } = "9F02069F03069F1A0295055F2A029A039C019F37049F21039F4E14";

    public string Cdol2 { get; init; } = "8A029F02069F03069F1A0295055F2A029A039C019F37049F2103";

    public string? Ddol { get; init; } = "9F3704";

    public string? StaticDataTagList { get; init; } = "82";

    /// <summary>9F14 / 9F23; null leaves them out (no velocity checking).</summary>
    public byte? LowerConsecutiveOfflineLimit { get; init; }

    public byte? UpperConsecutiveOfflineLimit { get; init; }

    public ushort Atc { get; init; } = 0x0001;

    public ushort LastOnlineAtc { get; init; }

    /// <summary>GET DATA 9F36 / 9F13 answer this status instead.</summary>
    public ushort? VelocityDataStatus { get; init; }

    public string Pin { get; init; } = "1234";

    public int PinTries { get; init; } = 3;

    public string IssuerCertificateExpiry { get; init; } = "1230";

    public string IccCertificateExpiry { get; init; } = "1230";

    public string IssuerCertificateSerial { get; init; } = "000001";

    /// <summary>The CA index in 8F; by default the test CA of the suite.</summary>
    public byte? CaIndex { get; init; }

    public Tamper Tamper { get; init; }

    /// <summary>Tags to leave out of the records (e.g. 93, 9F32, 8E).</summary>
    public IReadOnlyList<string> OmitTags { get; init; } = [];

    /// <summary>Extra TLV appended to record 1 of SFI 1 (e.g. a duplicate 5A).</summary>
    public string ExtraRecordData { get; init; } = "";

    /// <summary>The card's decision: given the cryptogram asked for and whether it is the second GAC, what it returns.</summary>
    public Func<CryptogramType, bool, CryptogramType> Decide { get; init; } = (requested, _) => requested;

    /// <summary>Answer INTERNAL AUTHENTICATE with format 2 (77 with 9F4B) instead of format 1.</summary>
    public bool DdaFormat2 { get; init; }

    /// <summary>Script commands with this INS answer 6A80.</summary>
    public byte? FailScriptIns { get; init; }

    public AlgorithmSuite AlgorithmSuite => AlgorithmSuite.Get(Suite);

    public bool IsSm => Suite == SuiteId.Sm;

    public static CardProfile Rsa() => new();

    public static CardProfile Sm() => new() { Suite = SuiteId.Sm };
}
