using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// SM2 signed dynamic application data, tag 9F4B (ADDENDUM 1.2, "likely"): <c>15 ‖ Ldd 1 ‖ ICC dynamic data Ldd ‖
/// signature 64</c>, signed by the ICC key over <c>15 ‖ Ldd ‖ ICC dynamic data ‖ terminal dynamic data</c>
/// (DDOL data for DDA; 9F37 ‖ 9F02 ‖ 5F2A ‖ 9F69 for fDDA). Immutable.
/// </summary>
public sealed class Sm2SignedDynamicData
{
    /// <summary>The format byte.</summary>
    public const byte FormatCode = 0x15;

    private const string What = "signed dynamic data (tag 9F4B)";

    private readonly byte[] _encoded;

    private Sm2SignedDynamicData(byte[] encoded) => _encoded = encoded;

    /// <summary>The format byte (15).</summary>
    public byte Format => _encoded[0];

    /// <summary>The ICC dynamic data (Ldd bytes).</summary>
    public ReadOnlySpan<byte> IccDynamicData => _encoded.AsSpan(2, _encoded[1]);

    /// <summary>
    /// The ICC dynamic number: the first field of the ICC dynamic data (length 1 ‖ number 2–8, EMV Book 2 Table 19;
    /// ADDENDUM 1.2 for CDA). Empty when the data does not hold a well-formed one.
    /// </summary>
    public ReadOnlySpan<byte> IccDynamicNumber
    {
        get
        {
            var data = IccDynamicData;
            return data.Length >= 1 && data[0] is >= 2 and <= 8 && data.Length >= 1 + data[0] ? data.Slice(1, data[0]) : default;
        }
    }

    /// <summary>The signature r ‖ s.</summary>
    public ReadOnlySpan<byte> Signature => _encoded.AsSpan(_encoded.Length - Sm2.SignatureLength);

    /// <summary>The whole object as carried in the tag.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    /// <summary>Parses the tag-9F4B value.</summary>
    /// <exception cref="FormatException">Wrong format byte, or a length that disagrees with Ldd; the message names the offset.</exception>
    public static Sm2SignedDynamicData Parse(ReadOnlySpan<byte> encoded) =>
        TryParse(encoded, out var data, out var error) ? data : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/> but returns false with the reason.</summary>
    public static bool TryParse(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out Sm2SignedDynamicData? data, [NotNullWhen(false)] out string? error)
    {
        data = null;
        if (encoded.IsEmpty)
        {
            error = $"{What} is empty; expected format {FormatCode:X2} ‖ Ldd ‖ data ‖ 64-byte signature";
            return false;
        }

        if (encoded[0] != FormatCode)
        {
            error = $"{What}: byte 0 is {encoded[0]:X2}; expected format {FormatCode:X2}";
            return false;
        }

        if (encoded.Length < 2)
        {
            error = $"{What}: byte 1 (Ldd) is missing";
            return false;
        }

        int expected = 2 + encoded[1] + Sm2.SignatureLength;
        if (encoded.Length != expected)
        {
            error = $"{What} is {encoded.Length} bytes; byte 1 (Ldd = {encoded[1]:X2}) means {expected}";
            return false;
        }

        error = null;
        data = new Sm2SignedDynamicData(encoded.ToArray());
        return true;
    }

    /// <summary>Verifies over 15 ‖ Ldd ‖ ICC dynamic data ‖ <paramref name="terminalDynamicData"/>, default user ID.</summary>
    public bool Verify(Sm2PublicKey iccPublicKey, ReadOnlySpan<byte> terminalDynamicData) => Verify(iccPublicKey, terminalDynamicData, Sm2.DefaultUserId);

    /// <summary>Verifies for <paramref name="userId"/>.</summary>
    public bool Verify(Sm2PublicKey iccPublicKey, ReadOnlySpan<byte> terminalDynamicData, ReadOnlySpan<byte> userId) =>
        Sm2SignedObject.Verify(iccPublicKey, _encoded.AsSpan(0, _encoded.Length - Sm2.SignatureLength), terminalDynamicData, Signature, userId);

    /// <summary>The card's DDA/fDDA/CDA signature: signs ICC dynamic data (at most 255 bytes) with terminal dynamic data.</summary>
    /// <exception cref="ArgumentException">The ICC dynamic data is longer than 255 bytes.</exception>
    public static Sm2SignedDynamicData Create(ReadOnlySpan<byte> iccDynamicData, ReadOnlySpan<byte> terminalDynamicData, Sm2PrivateKey iccPrivateKey)
    {
        if (iccDynamicData.Length > byte.MaxValue)
        {
            throw new ArgumentException($"ICC dynamic data is {iccDynamicData.Length} bytes; Ldd allows at most 255", nameof(iccDynamicData));
        }

        var encoded = new byte[2 + iccDynamicData.Length + Sm2.SignatureLength];
        encoded[0] = FormatCode;
        encoded[1] = (byte)iccDynamicData.Length;
        iccDynamicData.CopyTo(encoded.AsSpan(2));
        int signedLength = 2 + iccDynamicData.Length;
        Sm2SignedObject.Sign(iccPrivateKey, encoded.AsSpan(0, signedLength), terminalDynamicData, encoded.AsSpan(signedLength), Sm2.DefaultUserId);
        return new Sm2SignedDynamicData(encoded);
    }
}
