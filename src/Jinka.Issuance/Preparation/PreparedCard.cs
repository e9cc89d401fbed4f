using System.Security.Cryptography;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Crypto.Emv;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Preparation;

/// <summary>
/// Where the card's symmetric keys come from (D6, D7): the three UDKs are derived from the issuer master keys inside
/// the key store and leave it only wrapped under the SCP02 DEK session key, at personalisation time; so data
/// preparation names them here instead of holding them (D17).
/// </summary>
/// <param name="KeysDgi">8000 (International, 3DES) or 8030 (SM4).</param>
/// <param name="KcvDgi">9000 or 9030: the three KCVs.</param>
/// <param name="MdkAcLabel">Key store label of MDK-AC.</param>
/// <param name="MdkMacLabel">Key store label of MDK-MAC.</param>
/// <param name="MdkEncLabel">Key store label of MDK-ENC.</param>
/// <param name="Pan">PAN digits the UDKs are derived for.</param>
/// <param name="Psn">PAN sequence number.</param>
/// <param name="Option">UDK derivation option (A for PBOC, NOTES A.5).</param>
public sealed record CardKeyExport(ushort KeysDgi, ushort KcvDgi, string MdkAcLabel, string MdkMacLabel, string MdkEncLabel, string Pan, byte Psn, UdkOption Option);

/// <summary>
/// The personalisation data of one application instance, in the order the personaliser sends it (D14):
/// <see cref="PlainDgis"/>, then the KCV DGI and the encrypted key DGI of <see cref="CardKeys"/>, then
/// <see cref="SecretDgis"/> encrypted. Secret values are held in clear only here, and zeroed on dispose.
/// </summary>
public sealed class PreparedApplication : IDisposable
{
    internal PreparedApplication(ApplicationProfile application, IReadOnlyList<DgiElement> plain, CardKeyExport cardKeys, IReadOnlyList<DgiElement> secrets)
    {
        Application = application;
        PlainDgis = plain;
        CardKeys = cardKeys;
        SecretDgis = secrets;
    }

    public ApplicationProfile Application { get; }

    /// <summary>Records (SSRR), 9102, 9104, 9200, 0D01, 0E01, 8206/8207 (RSA ICC key), 9010.</summary>
    public IReadOnlyList<DgiElement> PlainDgis { get; }

    public CardKeyExport CardKeys { get; }

    /// <summary>8201–8205 (RSA) or 8100 (SM2) when the card has an ICC key, then 8010; clear values.</summary>
    public IReadOnlyList<DgiElement> SecretDgis { get; }

    public void Dispose()
    {
        foreach (var secret in SecretDgis)
        {
            if (System.Runtime.InteropServices.MemoryMarshal.TryGetArray(secret.Value, out var segment) && segment.Array is not null)
            {
                CryptographicOperations.ZeroMemory(segment.Array);
            }
        }
    }
}

/// <summary>Everything data preparation made for one card: per-application DGIs, the PSE directory, the records and the ODA chain.</summary>
public sealed class PreparedCard : IDisposable
{
    internal PreparedCard(CardProfile profile, IReadOnlyList<PreparedApplication> applications, IReadOnlyList<DgiElement> pseDgis, RecordLayout records, byte[] staticData, OdaChain? oda)
    {
        Profile = profile;
        Applications = applications;
        PseDgis = pseDgis;
        Records = records;
        StaticData = staticData;
        Oda = oda;
    }

    public CardProfile Profile { get; }

    public IReadOnlyList<PreparedApplication> Applications { get; }

    /// <summary>The PSE's directory records (0101…) and FCI proprietary data (9102), D12.</summary>
    public IReadOnlyList<DgiElement> PseDgis { get; }

    public RecordLayout Records { get; }

    /// <summary>The static data to be authenticated (ending with the AIP when 9F4A lists it): what 9F46 and 93 sign.</summary>
    public byte[] StaticData { get; }

    /// <summary>The certificates and key pairs, or null when the card offers no offline data authentication.</summary>
    public OdaChain? Oda { get; }

    public void Dispose()
    {
        foreach (var application in Applications)
        {
            application.Dispose();
        }

        Oda?.Dispose();
    }
}
