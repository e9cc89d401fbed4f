using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// SM2 signed static application data, tag 93, 67 bytes (ADDENDUM 1.2, "likely"): <c>13 ‖ data authentication code 2 ‖
/// signature 64</c>, signed by the issuer key over <c>13 ‖ DAC ‖ static data to be authenticated (‖ AIP)</c>. Immutable.
/// </summary>
public sealed class Sm2SignedStaticData
{
    /// <summary>The format byte.</summary>
    public const byte FormatCode = 0x13;

    /// <summary>Length of the data authentication code.</summary>
    public const int DacLength = 2;

    /// <summary>Length of the whole object.</summary>
    public const int Length = 1 + DacLength + Sm2.SignatureLength;

    private const string What = "signed static data (tag 93)";

    private readonly byte[] _encoded;

    private Sm2SignedStaticData(byte[] encoded) => _encoded = encoded;

    /// <summary>The format byte (13).</summary>
    public byte Format => _encoded[0];

    /// <summary>The data authentication code.</summary>
    public ReadOnlySpan<byte> DataAuthenticationCode => _encoded.AsSpan(1, DacLength);

    /// <summary>The signature r ‖ s.</summary>
    public ReadOnlySpan<byte> Signature => _encoded.AsSpan(1 + DacLength);

    /// <summary>The whole object as carried in the tag.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Parses the tag-93 value.</summary>
    /// <exception cref="FormatException">Wrong format byte or length; the message names the offset.</exception>
    public static Sm2SignedStaticData Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var data, out var error) ? data : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/> but returns false with the reason.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Sm2SignedStaticData? data, [NotNullWhen(false)] out string? error)
    {
        data = null;
        error = encoded.IsEmpty ? $"{What} is empty; expected {Length} bytes starting with format {FormatCode:X2}"
            : encoded[0] != FormatCode ? $"{What}: byte 0 is {encoded[0]:X2}; expected format {FormatCode:X2}"
            : encoded.Length != Length ? $"{What} is {encoded.Length} bytes; expected {Length}"
            : null;
        if (error is not null)
        {
            return false;
        }

        data = new Sm2SignedStaticData(encoded.ToArray());
        return true;
    }

    /// <summary>Verifies over 13 ‖ DAC ‖ <paramref name="staticData"/> (ending with the AIP when 9F4A lists it), default user ID.</summary>
    public bool Verify(Sm2PublicKey issuerPublicKey, ReadOnlySpan<byte> staticData) => Verify(issuerPublicKey, staticData, Sm2.DefaultUserId);

    /// <summary>Verifies for <paramref name="userId"/>.</summary>
    public bool Verify(Sm2PublicKey issuerPublicKey, ReadOnlySpan<byte> staticData, ReadOnlySpan<byte> userId) =>
        Sm2SignedObject.Verify(issuerPublicKey, _encoded.AsSpan(0, 1 + DacLength), staticData, Signature, userId);

    /// <summary>Signs static data for SDA with the issuer key.</summary>
    /// <exception cref="ArgumentException">The DAC is not 2 bytes.</exception>
    public static Sm2SignedStaticData Create(ReadOnlySpan<byte> dataAuthenticationCode, ReadOnlySpan<byte> staticData, Sm2PrivateKey issuerPrivateKey)
    {
        Sm2SignedObject.CheckLength(dataAuthenticationCode, DacLength, nameof(dataAuthenticationCode));
        var encoded = new byte[Length];
        encoded[0] = FormatCode;
        dataAuthenticationCode.CopyTo(encoded.AsSpan(1));
        Sm2SignedObject.Sign(issuerPrivateKey, encoded.AsSpan(0, 1 + DacLength), staticData, encoded.AsSpan(1 + DacLength), Sm2.DefaultUserId);
        return new Sm2SignedStaticData(encoded);
    }
}
