using Jinka.Crypto.Asymmetric;
using static Jinka.Crypto.Certificates.EmvRsaCertificateSupport;

namespace Jinka.Crypto.Certificates;

/// <summary>
/// RSA signed dynamic application data, tag 9F4B, format 05 (EMV Book 2 §6.5, Table 17): recovered with the ICC key,
/// <c>6A ‖ 05 ‖ hash algorithm 01 ‖ Ldd ‖ ICC dynamic data ‖ pad BB… ‖ SHA-1 hash ‖ BC</c>, the hash over
/// format … pad ‖ terminal dynamic data (the DDOL data for DDA, the unpredictable number 9F37 for CDA). The CDA form
/// (Book 2 §6.6) is in <c>EmvRsaSignedDynamicData.Cda.cs</c>. Immutable.
/// </summary>
public sealed partial class EmvRsaSignedDynamicData
{
    /// <summary>The signed data format.</summary>
    public const byte FormatCode = Iso9796Block.SignedDynamicDataFormat;

    /// <summary>Bytes of a block that are not ICC dynamic data or pad: 6A, format, hash algorithm, Ldd, hash, BC.</summary>
    public const int Overhead = 25;

    private const string What = "signed dynamic data (tag 9F4B)";

    private readonly byte[] _recovered;

    private EmvRsaSignedDynamicData(byte[] recovered, CdaIccDynamicData? cda)
    {
        _recovered = recovered;
        Cda = cda;
    }

    /// <summary>The recovered data, 6A … BC.</summary>
    public ReadOnlySpan<byte> Recovered => _recovered;

    /// <summary>Hash algorithm indicator (01).</summary>
    public byte HashAlgorithm => _recovered[2];

    /// <summary>The ICC dynamic data (Ldd bytes).</summary>
    public ReadOnlySpan<byte> IccDynamicData => _recovered.AsSpan(4, _recovered[3]);

    /// <summary>
    /// The ICC dynamic number (9F4C): the first field of the ICC dynamic data (length 1 ‖ number 2–8, Book 2 Table 19).
    /// Empty when the data does not start with a well-formed one.
    /// </summary>
    public ReadOnlySpan<byte> IccDynamicNumber
    {
        get
        {
            var data = IccDynamicData;
            return data.Length >= 1 && data[0] is >= 2 and <= 8 && data.Length >= 1 + data[0] ? data.Slice(1, data[0]) : default;
        }
    }

    /// <summary>The CDA fields, when this was checked with <see cref="VerifyCda"/>.</summary>
    public CdaIccDynamicData? Cda { get; }

    /// <summary>
    /// Recovers and checks 9F4B for DDA (Book 2 §6.5.2 steps 1–7): length, header, trailer, format 05, hash algorithm,
    /// Ldd within the block and the hash over the recovered data ‖ <paramref name="terminalDynamicData"/>.
    /// </summary>
    /// <param name="iccPublicKey">The key recovered from the ICC certificate.</param>
    /// <param name="signedData">Tag 9F4B.</param>
    /// <param name="terminalDynamicData">The DDOL data sent in INTERNAL AUTHENTICATE.</param>
    public static EmvRsaRecovery<EmvRsaSignedDynamicData> Recover(EmvRsaPublicKey iccPublicKey, ReadOnlySpan<byte> signedData, ReadOnlySpan<byte> terminalDynamicData)
    {
        ArgumentNullException.ThrowIfNull(iccPublicKey);
        if (!TryRecover(iccPublicKey, signedData, What, out var recovered, out var failure, out var reason)
            || !CheckFrame(recovered, FormatCode, What, out failure, out reason))
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(failure, reason!);
        }

        if (recovered.Length < Overhead)
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.LengthMismatch, $"{What}: a {recovered.Length}-byte block is too short");
        }

        if (recovered[2] != Sha1Indicator)
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.UnsupportedHashAlgorithm, $"{What}: hash algorithm indicator is {recovered[2]:X2}; only 01 (SHA-1) is defined");
        }

        if (recovered[3] > recovered.Length - Overhead)
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.BadDynamicData, $"{What}: ICC dynamic data length {recovered[3]} exceeds the {recovered.Length - Overhead} bytes the block holds");
        }

        return Iso9796Block.Check(recovered, FormatCode, terminalDynamicData) == Iso9796Status.Valid
            ? EmvRsaRecovery<EmvRsaSignedDynamicData>.Valid(new EmvRsaSignedDynamicData(recovered, null))
            : EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.HashMismatch, $"{What}: the SHA-1 hash does not match the recovered data and the terminal dynamic data");
    }

    /// <summary>Signs ICC dynamic data with terminal dynamic data (the card's side of DDA); returns the value of 9F4B.</summary>
    /// <param name="iccDynamicData">For DDA: ICC dynamic number length ‖ number (Book 2 Table 19; P6: 08 ‖ 8 bytes).</param>
    /// <param name="terminalDynamicData">The DDOL data received in INTERNAL AUTHENTICATE.</param>
    /// <param name="iccPrivateKey">The ICC key.</param>
    /// <exception cref="ArgumentException">The ICC dynamic data does not fit the block.</exception>
    public static byte[] Create(ReadOnlySpan<byte> iccDynamicData, ReadOnlySpan<byte> terminalDynamicData, EmvRsaPrivateKey iccPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(iccPrivateKey);
        if (iccDynamicData.Length > iccPrivateKey.ModulusLength - Overhead || iccDynamicData.Length > byte.MaxValue)
        {
            throw new ArgumentException($"{iccDynamicData.Length} bytes of ICC dynamic data do not fit a {iccPrivateKey.ModulusLength}-byte block", nameof(iccDynamicData));
        }

        var data = new byte[2 + iccDynamicData.Length];
        data[0] = Sha1Indicator;
        data[1] = (byte)iccDynamicData.Length;
        iccDynamicData.CopyTo(data.AsSpan(2));
        var block = Iso9796Block.Build(FormatCode, data, terminalDynamicData, iccPrivateKey.ModulusLength);
        return EmvRsa.Sign(iccPrivateKey, block);
    }
}
