using Jinka.Core.Tlv;
using Jinka.Crypto.Certificates;
using Jinka.Issuance.Ca;
using Jinka.Issuance.Keys;
using Jinka.Issuance.Profiles;

namespace Jinka.Issuance.Preparation;

/// <summary>
/// The offline data authentication objects of one card (NOTES A.7, ADDENDUM 1.2): the issuer key pair and its
/// certificate from the CA (90, with 92 and 9F32 for RSA), then — once the static data to be authenticated is known
/// — the ICC key pair and certificate (9F46, with 9F48 and 9F47 for RSA) and the signed static data (93).
/// Disposing zeroes both private keys.
/// </summary>
public sealed class OdaChain : IDisposable
{
    private readonly CardProfile _profile;
    private readonly IRandomSource _random;
    private readonly DeterministicRandom? _keySeed;

    private OdaChain(CardProfile profile, CaKey ca, CardKeyPair issuerKey, IRandomSource random, DeterministicRandom? keySeed)
    {
        _profile = profile;
        Ca = ca;
        IssuerKey = issuerKey;
        _random = random;
        _keySeed = keySeed;
    }

    public CaKey Ca { get; }

    public CardKeyPair IssuerKey { get; }

    /// <summary>The ICC key pair, once <see cref="CertifyCard"/> has run (DDA or CDA only).</summary>
    public CardKeyPair? IccKey { get; private set; }

    /// <summary>90.</summary>
    public byte[] IssuerCertificate { get; private set; } = [];

    /// <summary>92 (RSA; empty when the key fits or for SM2).</summary>
    public byte[] IssuerRemainder { get; private set; } = [];

    /// <summary>9F32 (RSA; empty for SM2).</summary>
    public byte[] IssuerExponent { get; private set; } = [];

    /// <summary>9F46, or empty.</summary>
    public byte[] IccCertificate { get; private set; } = [];

    /// <summary>9F48 (RSA), or empty.</summary>
    public byte[] IccRemainder { get; private set; } = [];

    /// <summary>9F47 (RSA), or empty.</summary>
    public byte[] IccExponent { get; private set; } = [];

    /// <summary>93, or empty when SDA is not offered.</summary>
    public byte[] SignedStaticData { get; private set; } = [];

    /// <summary>Makes the issuer key pair and has the CA certify it.</summary>
    /// <param name="profile">The card profile (suite, key profiles, PAN for the issuer identifier, expiry).</param>
    /// <param name="ca">The CA key named by the profile's RID and index; its algorithm must fit the suite.</param>
    /// <param name="random">Serial numbers and the data authentication code.</param>
    /// <param name="keySeed">A seeded source for reproducible key pairs, or null for fresh ones.</param>
    public static OdaChain CertifyIssuer(CardProfile profile, CaKey ca, IRandomSource random, DeterministicRandom? keySeed)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentNullException.ThrowIfNull(random);
        if (ca.IsRsa != profile.IssuerKey.IsRsa)
        {
            throw new InvalidOperationException($"CA key {ca} does not fit the {profile.Suite} suite of profile '{profile.Name}'");
        }

        var issuerKey = CardKeyPair.Create(profile.IssuerKey, keySeed?.For("issuer-key"));
        var chain = new OdaChain(profile, ca, issuerKey, random, keySeed);
        var issuerId = EmvEncoding.CompressedNumeric(profile.IssuerIdentifier, 4);
        var expiry = EmvEncoding.CertificateExpiry(profile.ExpiryDate);
        var serial = chain.Draw(3);
        if (issuerKey.Rsa is { } rsa)
        {
            var certificate = EmvRsaIssuerCertificate.Create(issuerId, expiry, serial, rsa.PublicKey, ca.Rsa!);
            (chain.IssuerCertificate, chain.IssuerRemainder, chain.IssuerExponent) = (certificate.Certificate, certificate.Remainder, certificate.Exponent);
        }
        else
        {
            chain.IssuerCertificate = Sm2IssuerCertificate.Create(issuerId, expiry, serial, issuerKey.Sm2!.PublicKey, ca.Sm2!).Encoded.ToArray();
        }

        return chain;
    }

    /// <summary>
    /// Signs what the card's static data needs: the ICC certificate over <paramref name="staticData"/> when DDA or CDA
    /// is offered, 93 over it when SDA is. <paramref name="staticData"/> already ends with the AIP (9F4A = 82).
    /// </summary>
    public void CertifyCard(ReadOnlySpan<byte> staticData)
    {
        var expiry = EmvEncoding.CertificateExpiry(_profile.ExpiryDate);
        if (_profile.NeedsIccKey)
        {
            IccKey = CardKeyPair.Create(_profile.IccKey, _keySeed?.For("icc-key"));
            var pan = EmvEncoding.CompressedNumeric(_profile.Pan, 10);
            var serial = Draw(3);
            if (IssuerKey.Rsa is { } issuer)
            {
                var certificate = EmvRsaIccCertificate.Create(pan, expiry, serial, IccKey.Rsa!.PublicKey, staticData, issuer);
                (IccCertificate, IccRemainder, IccExponent) = (certificate.Certificate, certificate.Remainder, certificate.Exponent);
            }
            else
            {
                IccCertificate = Sm2IccCertificate.Create(pan, expiry, serial, IccKey.Sm2!.PublicKey, staticData, IssuerKey.Sm2!).Encoded.ToArray();
            }
        }

        if (_profile.Oda.HasFlag(OdaMethods.Sda))
        {
            var dac = Draw(2);
            SignedStaticData = IssuerKey.Rsa is { } issuer
                ? EmvRsaSignedStaticData.Create(dac, staticData, issuer)
                : Sm2SignedStaticData.Create(dac, staticData, IssuerKey.Sm2!).Encoded.ToArray();
        }
    }

    /// <summary>The data objects of the certificate file, in the order they are packed into records: 8F, 9F32, 92, 9F47, 9F48, 9F49, 90, 9F46, 93.</summary>
    public IEnumerable<byte[]> DataObjects()
    {
        yield return Tlv(0x8F, [Ca.Index]);
        foreach (var (tag, value) in new (uint, byte[])[]
        {
            (0x9F32, IssuerExponent), (0x92, IssuerRemainder), (0x9F47, IccExponent), (0x9F48, IccRemainder),
            (0x9F49, _profile.NeedsIccKey ? _profile.Ddol : []), (0x90, IssuerCertificate), (0x9F46, IccCertificate), (0x93, SignedStaticData),
        })
        {
            if (value.Length > 0)
            {
                yield return Tlv(tag, value);
            }
        }
    }

    public void Dispose()
    {
        IssuerKey.Dispose();
        IccKey?.Dispose();
    }

    internal static byte[] Tlv(uint tag, ReadOnlySpan<byte> value)
    {
        using var writer = new TlvWriter(value.Length + 8);
        writer.WritePrimitive(new Tag(tag), value);
        return writer.ToArray();
    }

    private byte[] Draw(int length)
    {
        var bytes = new byte[length];
        _random.Fill(bytes);
        return bytes;
    }
}
