using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Certificates.EmvRsaCertificateSupport;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// RSA signed static application data, tag 93, format 03 (EMV Book 2 §5.4, Table 7): recovered with the issuer key,
/// <c>6A ‖ 03 ‖ hash algorithm 01 ‖ data authentication code 2 ‖ pad BB… ‖ SHA-1 hash ‖ BC</c>, the hash over
/// format … pad ‖ static data to be authenticated. Immutable.
/// </summary>
public sealed class EmvRsaSignedStaticData
{
    /// <summary>The signed data format.</summary>
    public const byte FormatCode = Iso9796Block.SignedStaticDataFormat;

    /// <summary>Length of the data authentication code (9F45).</summary>
    public const int DacLength = 2;

    private const string What = "signed static data (tag 93)";

    private readonly byte[] _recovered;

    private EmvRsaSignedStaticData(byte[] recovered) => _recovered = recovered;

    /// <summary>The recovered data, 6A … BC.</summary>
    public ReadOnlySpan<byte> Recovered => _recovered;

    /// <summary>Hash algorithm indicator (01).</summary>
    public byte HashAlgorithm => _recovered[2];

    /// <summary>The data authentication code, stored by the terminal as 9F45.</summary>
    public ReadOnlySpan<byte> DataAuthenticationCode => _recovered.AsSpan(3, DacLength);

    /// <summary>
    /// Recovers and checks 93 (Book 2 §5.4 steps 1–7): length, header, trailer, format 03, hash algorithm and the hash
    /// over the recovered data ‖ <paramref name="staticData"/>.
    /// </summary>
    /// <param name="issuerPublicKey">The key recovered from the issuer certificate.</param>
    /// <param name="signedData">Tag 93.</param>
    /// <param name="staticData">Static data to be authenticated, ending with the AIP when 9F4A lists 82.</param>
    public static EmvRsaRecovery<EmvRsaSignedStaticData> Recover(EmvRsaPublicKey issuerPublicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> staticData)
    {
        ArgumentNullException.ThrowIfNull(issuerPublicKey);
        if (!TryRecover(issuerPublicKey, signedData, What, out var recovered, out var failure, out var reason)
            || !CheckFrame(recovered, FormatCode, What, out failure, out reason))
        {
            return EmvRsaRecovery<EmvRsaSignedStaticData>.Fail(failure, reason!);
        }

        if (recovered.Length < 26)
        {
            return EmvRsaRecovery<EmvRsaSignedStaticData>.Fail(EmvRsaFailure.LengthMismatch, $"{What}: a {recovered.Length}-byte block is too short");
        }

        if (recovered[2] != Sha1Indicator)
        {
            return EmvRsaRecovery<EmvRsaSignedStaticData>.Fail(EmvRsaFailure.UnsupportedHashAlgorithm, $"{What}: hash algorithm indicator is {recovered[2]:X2}; only 01 (SHA-1) is defined");
        }

        return Iso9796Block.Check(recovered, FormatCode, staticData) == Iso9796Status.Valid
            ? EmvRsaRecovery<EmvRsaSignedStaticData>.Valid(new EmvRsaSignedStaticData(recovered))
            : EmvRsaRecovery<EmvRsaSignedStaticData>.Fail(EmvRsaFailure.HashMismatch, $"{What}: the SHA-1 hash does not match the recovered data and the static data to be authenticated");
    }

    /// <summary>Signs static data for SDA (the issuer's side); returns the value of tag 93.</summary>
    /// <param name="dataAuthenticationCode">2 bytes chosen by the issuer.</param>
    /// <param name="staticData">Static data to be authenticated, ending with the AIP when 9F4A lists 82.</param>
    /// <param name="issuerPrivateKey">The issuer key.</param>
    /// <exception cref="ArgumentException">The DAC is not 2 bytes.</exception>
    public static byte[] Create(ReadOnlySpan<byte> dataAuthenticationCode, ReadOnlySpan<byte> staticData, EmvRsaPrivateKey issuerPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(issuerPrivateKey);
        CheckLength(dataAuthenticationCode, DacLength, nameof(dataAuthenticationCode));
        Span<byte> data = [Sha1Indicator, dataAuthenticationCode[0], dataAuthenticationCode[1]];
        var block = Iso9796Block.Build(FormatCode, data, staticData, issuerPrivateKey.ModulusLength);
        return EmvRsa.Sign(issuerPrivateKey, block);
    }
}
