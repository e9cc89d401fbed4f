using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Jinka.Core.Tlv;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;

namespace Jinka.Crypto.Certificates;

public sealed partial class EmvRsaSignedDynamicData
{
    /// <summary>
    /// The card's CDA signature (Book 2 §6.6.1): signs <paramref name="iccDynamicData"/> (ICC dynamic number, CID, AC,
    /// transaction data hash) with the terminal's unpredictable number as terminal dynamic data; returns 9F4B.
    /// </summary>
    public static byte[] CreateCda(CdaIccDynamicData iccDynamicData, ReadOnlySpan<byte> unpredictableNumber, EmvRsaPrivateKey iccPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(iccDynamicData);
        return Create(iccDynamicData.Encode(), unpredictableNumber, iccPrivateKey);
    }

    /// <summary>
    /// Recovers and checks a CDA signature (Book 2 §6.6.2 steps 1–9): the DDA checks with the unpredictable number as
    /// terminal dynamic data, then the ICC dynamic data's layout, its CID against the CID of the GENERATE AC response
    /// and its transaction data hash code against the terminal's (<see cref="CdaTransactionData.ComputeHash"/>).
    /// The application cryptogram is then <see cref="CdaIccDynamicData.Cryptogram"/> of <see cref="Cda"/>.
    /// </summary>
    public static EmvRsaRecovery<EmvRsaSignedDynamicData> VerifyCda(
        EmvRsaPublicKey iccPublicKey,
        ReadOnlySpan<byte> signedData,
        ReadOnlySpan<byte> unpredictableNumber,
        byte cryptogramInformationData,
        ReadOnlySpan<byte> transactionDataHash)
    {
        var recovery = Recover(iccPublicKey, signedData, unpredictableNumber);
        if (!recovery.IsValid)
        {
            return recovery;
        }

        if (!CdaIccDynamicData.TryParse(recovery.Value.IccDynamicData, Hashes.Size(HashAlgorithmKind.Sha1), out var cda, out var error))
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.BadDynamicData, $"{What}: {error}");
        }

        if (cda.CryptogramInformationData != cryptogramInformationData)
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(
                EmvRsaFailure.CryptogramInformationMismatch,
                $"{What}: the signed CID is {cda.CryptogramInformationData:X2}; the GENERATE AC response says {cryptogramInformationData:X2}");
        }

        if (!CryptographicOperations.FixedTimeEquals(cda.TransactionDataHash, transactionDataHash))
        {
            return EmvRsaRecovery<EmvRsaSignedDynamicData>.Fail(EmvRsaFailure.TransactionDataHashMismatch, $"{What}: the signed transaction data hash code differs from the terminal's");
        }

        return EmvRsaRecovery<EmvRsaSignedDynamicData>.Valid(new EmvRsaSignedDynamicData(recovery.Value._recovered, cda));
    }
}

/// <summary>
/// The ICC dynamic data of a CDA signature (EMV Book 2 Table 22; ADDENDUM 1.2 for SM2; contract P6):
/// <c>ICC dynamic number length 1 ‖ ICC dynamic number 2–8 ‖ CID 1 ‖ AC 8 ‖ transaction data hash code</c>
/// (20 bytes SHA-1 with RSA, 32 bytes SM3 with SM2).
/// </summary>
public sealed record CdaIccDynamicData(byte[] IccDynamicNumber, byte CryptogramInformationData, byte[] Cryptogram, byte[] TransactionDataHash)
{
    /// <summary>Length of the application cryptogram.</summary>
    public const int CryptogramLength = 8;

    /// <summary>The encoded ICC dynamic data.</summary>
    /// <exception cref="ArgumentException">The ICC dynamic number is not 2–8 bytes, or the AC not 8.</exception>
    public byte[] Encode()
    {
        if (IccDynamicNumber.Length is < 2 or > 8)
        {
            throw new ArgumentException($"the ICC dynamic number is {IccDynamicNumber.Length} bytes; expected 2–8", nameof(IccDynamicNumber));
        }

        if (Cryptogram.Length != CryptogramLength)
        {
            throw new ArgumentException($"the cryptogram is {Cryptogram.Length} bytes; expected {CryptogramLength}", nameof(Cryptogram));
        }

        var data = new byte[1 + IccDynamicNumber.Length + 1 + CryptogramLength + TransactionDataHash.Length];
        data[0] = (byte)IccDynamicNumber.Length;
        IccDynamicNumber.CopyTo(data, 1);
        int at = 1 + IccDynamicNumber.Length;
        data[at] = CryptogramInformationData;
        Cryptogram.CopyTo(data, at + 1);
        TransactionDataHash.CopyTo(data, at + 1 + CryptogramLength);
        return data;
    }

    /// <summary>Parses CDA ICC dynamic data whose hash code is <paramref name="hashLength"/> bytes; false with a reason when malformed.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, int hashLength, [NotNullWhen(true)] out CdaIccDynamicData? parsed, [NotNullWhen(false)] out string? error)
    {
        parsed = null;
        if (data.IsEmpty || data[0] is < 2 or > 8)
        {
            error = data.IsEmpty ? "the CDA ICC dynamic data is empty" : $"byte 0 of the CDA ICC dynamic data (ICC dynamic number length) is {data[0]:X2}; expected 02–08";
            return false;
        }

        int n = data[0];
        int expected = 1 + n + 1 + CryptogramLength + hashLength;
        if (data.Length != expected)
        {
            error = $"the CDA ICC dynamic data is {data.Length} bytes; a {n}-byte ICC dynamic number and a {hashLength}-byte hash make {expected}";
            return false;
        }

        parsed = new CdaIccDynamicData(
            data.Slice(1, n).ToArray(),
            data[1 + n],
            data.Slice(2 + n, CryptogramLength).ToArray(),
            data[(2 + n + CryptogramLength)..].ToArray());
        error = null;
        return true;
    }
}

/// <summary>
/// The transaction data the CDA hash code covers (EMV Book 2 §6.6.1; contract P6 and P13): the PDOL data sent in
/// GPO ‖ the CDOL1 data of the first GENERATE AC ‖ (for the second GENERATE AC) the CDOL2 data ‖ the data objects of
/// the GENERATE AC response template 77, tag, length and value as returned, in order, without 9F4B.
/// </summary>
public static class CdaTransactionData
{
    private static readonly Tag s_signedDynamicData = new(0x9F4B);

    /// <summary>The hash code over the concatenated transaction data (SHA-1 for RSA, SM3 for SM2).</summary>
    public static byte[] ComputeHash(HashAlgorithmKind hash, ReadOnlySpan<byte> pdolData, ReadOnlySpan<byte> cdol1Data, ReadOnlySpan<byte> cdol2Data, ReadOnlySpan<byte> responseObjects)
    {
        var all = new byte[pdolData.Length + cdol1Data.Length + cdol2Data.Length + responseObjects.Length];
        pdolData.CopyTo(all);
        cdol1Data.CopyTo(all.AsSpan(pdolData.Length));
        cdol2Data.CopyTo(all.AsSpan(pdolData.Length + cdol1Data.Length));
        responseObjects.CopyTo(all.AsSpan(pdolData.Length + cdol1Data.Length + cdol2Data.Length));

        return Hashes.Compute(hash, all);
    }

    /// <summary>The data objects of a GENERATE AC response template 77's value, as encoded, without 9F4B.</summary>
    /// <exception cref="TlvException">The template's value is not BER-TLV.</exception>
    public static byte[] ResponseObjects(ReadOnlySpan<byte> template77Value)
    {
        var kept = new List<byte>(template77Value.Length);
        var reader = new TlvReader(template77Value);
        while (reader.Read())
        {
            if (reader.Tag != s_signedDynamicData)
            {
                kept.AddRange(reader.EncodedSpan);
            }
        }

        return [.. kept];
    }

    /// <summary>Like <see cref="ResponseObjects"/>, returning false with the exception it would throw.</summary>
    public static bool TryResponseObjects(ReadOnlySpan<byte> template77Value, [NotNullWhen(true)] out byte[]? objects, [NotNullWhen(false)] out TlvException? error)
    {
        try
        {
            objects = ResponseObjects(template77Value);
            error = null;
            return true;
        }
        catch (TlvException exception)
        {
            objects = null;
            error = exception;
            return false;
        }
    }
}
