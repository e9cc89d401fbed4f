using System.Diagnostics.CodeAnalysis;
using Jinka.Crypto.Asymmetric;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// What the SM2 issuer (tag 90) and ICC (tag 9F46) public key certificates share (NOTES A.7, ADDENDUM 1.2):
/// <c>format ‖ identifier ‖ expiry MMYY 2 ‖ serial 3 ‖ signature algorithm 04 ‖ PK algorithm ‖ PK parameter ‖
/// PK length 40 ‖ PK x‖y 64 ‖ signature r‖s 64</c>. Nothing is recovered: the body is plain and signed as is.
/// </summary>
public abstract class Sm2PublicKeyCertificate
{
    /// <summary>Signature algorithm indicator for SM2 with SM3 (ADDENDUM 1.2–1.3).</summary>
    public const byte Sm2SignatureAlgorithm = 0x04;

    /// <summary>PK encryption algorithm indicator: "not used, value 00" (ADDENDUM 1.2).</summary>
    public const byte UnusedPublicKeyAlgorithm = 0x00;

    /// <summary>PK parameter indicator for the SM2 recommended curve (ADDENDUM 1.2–1.3).</summary>
    public const byte Sm2CurveParameter = 0x11;

    private readonly byte[] _encoded;
    private readonly int _idLength;

    private protected Sm2PublicKeyCertificate(byte[] encoded, int idLength, Sm2PublicKey publicKey)
    {
        _encoded = encoded;
        _idLength = idLength;
        PublicKey = publicKey;
    }

    /// <summary>The format byte (12 issuer, 14 ICC).</summary>
    public byte Format => _encoded[0];

    /// <summary>Expiry date MMYY, 2 bytes BCD.</summary>
    public ReadOnlySpan<byte> Expiry => _encoded.AsSpan(1 + _idLength, 2);

    /// <summary>Expiry as the four digits MMYY.</summary>
    public string ExpiryMmyy => Convert.ToHexString(Expiry);

    /// <summary>Certificate serial number, 3 bytes.</summary>
    public ReadOnlySpan<byte> SerialNumber => _encoded.AsSpan(3 + _idLength, 3);

    /// <summary>Signature algorithm indicator (always 04 once parsed).</summary>
    public byte SignatureAlgorithm => _encoded[6 + _idLength];

    /// <summary>PK encryption algorithm indicator (00 in practice).</summary>
    public byte PublicKeyAlgorithm => _encoded[7 + _idLength];

    /// <summary>PK parameter indicator (11 = SM2 recommended curve).</summary>
    public byte PublicKeyParameter => _encoded[8 + _idLength];

    /// <summary>The certified public key.</summary>
    public Sm2PublicKey PublicKey { get; }

    /// <summary>The signature r ‖ s.</summary>
    public ReadOnlySpan<byte> Signature => _encoded.AsSpan(_encoded.Length - Sm2.SignatureLength);

    /// <summary>Everything before the signature: the signed body.</summary>
    public ReadOnlySpan<byte> Body => _encoded.AsSpan(0, _encoded.Length - Sm2.SignatureLength);

    /// <summary>The whole certificate as carried in the tag.</summary>
    public ReadOnlySpan<byte> Encoded => _encoded;

    private protected ReadOnlySpan<byte> Identifier => _encoded.AsSpan(1, _idLength);

    /// <summary>Body length for an identifier of <paramref name="idLength"/> bytes: 1 + id + 2 + 3 + 4 + 64.</summary>
    private protected static int BodyLength(int idLength) => idLength + 74;

    private protected static bool TryParseLayout(
        ReadOnlySpan<byte> encoded,
        byte format,
        int idLength,
        string what,
        [NotNullWhen(true)] out Sm2PublicKey? publicKey,
        [NotNullWhen(false)] out string? error)
    {
        publicKey = null;
        int total = BodyLength(idLength) + Sm2.SignatureLength;
        int header = idLength + 10;
        if (encoded.IsEmpty)
        {
            error = $"{what} is empty; expected {total} bytes starting with format {format:X2}";
            return false;
        }

        if (encoded[0] != format)
        {
            error = $"{what}: byte 0 is {encoded[0]:X2}; expected format {format:X2}";
            return false;
        }

        if (encoded.Length != total)
        {
            error = $"{what} is {encoded.Length} bytes; expected {total}";
            return false;
        }

        int at = 6 + idLength;
        if (encoded[at] != Sm2SignatureAlgorithm)
        {
            error = $"{what}: byte {at} (signature algorithm indicator) is {encoded[at]:X2}; expected {Sm2SignatureAlgorithm:X2} (SM2)";
            return false;
        }

        at = 9 + idLength;
        if (encoded[at] != Sm2PublicKey.XyLength)
        {
            error = $"{what}: byte {at} (public key length) is {encoded[at]:X2}; expected {Sm2PublicKey.XyLength:X2} (64 bytes x‖y)";
            return false;
        }

        if (!Sm2PublicKey.TryCreate(encoded.Slice(header, Sm2PublicKey.XyLength), out publicKey, out _))
        {
            error = $"{what}: bytes {header}–{header + Sm2PublicKey.XyLength - 1} (public key) are not a point on the SM2 curve";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>Lays out the body (without signature) into <paramref name="destination"/>.</summary>
    private protected static void WriteBody(
        Span<byte> destination,
        byte format,
        ReadOnlySpan<byte> identifier,
        ReadOnlySpan<byte> expiry,
        ReadOnlySpan<byte> serialNumber,
        Sm2PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        Sm2SignedObject.CheckLength(expiry, 2, nameof(expiry));
        Sm2SignedObject.CheckLength(serialNumber, 3, nameof(serialNumber));
        destination[0] = format;
        identifier.CopyTo(destination[1..]);
        int at = 1 + identifier.Length;
        expiry.CopyTo(destination[at..]);
        serialNumber.CopyTo(destination[(at + 2)..]);
        destination[at + 5] = Sm2SignatureAlgorithm;
        destination[at + 6] = UnusedPublicKeyAlgorithm;
        destination[at + 7] = Sm2CurveParameter;
        destination[at + 8] = Sm2PublicKey.XyLength;
        publicKey.Xy.CopyTo(destination[(at + 9)..]);
    }
}
