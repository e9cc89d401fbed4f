using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Certificates;

namespace Jinka.Terminal.Contact.Oda;

/// <summary>
/// Checks a CDA signature returned by GENERATE AC (EMV Book 2 §6.6.2; contract P6 and P39): the signature over the
/// ICC dynamic data and the unpredictable number, the CID inside against the response's, and the transaction data
/// hash over PDOL data ‖ CDOL1 data (‖ CDOL2 data) ‖ the response objects other than 9F4B. RSA or SM2 by the key.
/// </summary>
internal static class CdaVerification
{
    /// <summary>Returns the verified ICC dynamic data, or null with the reason.</summary>
    public static CdaIccDynamicData? Verify(TransactionContext context, ReadOnlySpan<byte> template77Value, byte cid, bool secondGenerateAc, out string? failure)
    {
        var key = context.IccKey!;
        if (!context.TryGet(Tags.SignedDynamicData, out var sdad) || sdad.IsEmpty)
        {
            failure = "the GENERATE AC response carries no signed dynamic data 9F4B";
            return null;
        }

        var responseObjects = CdaTransactionData.ResponseObjects(template77Value);
        var hash = CdaTransactionData.ComputeHash(key.CdaHash, context.PdolData, context.Cdol1Data, secondGenerateAc ? context.Cdol2Data : default, responseObjects);
        context.Input("CDA transaction data hash", Hex.Encode(hash));

        CdaIccDynamicData? data;
        if (key.Sm2 is { } sm2)
        {
            if (!Sm2SignedDynamicData.TryParse(sdad, out var parsed, out failure))
            {
                return null;
            }

            if (!parsed.Verify(sm2, context.UnpredictableNumber))
            {
                failure = "signed dynamic data (tag 9F4B): the SM2 signature does not verify over the ICC dynamic data and the unpredictable number";
                return null;
            }

            if (!CdaIccDynamicData.TryParse(parsed.IccDynamicData, hash.Length, out data, out failure))
            {
                failure = $"signed dynamic data (tag 9F4B): {failure}";
                return null;
            }

            if (data.CryptogramInformationData != cid)
            {
                failure = $"signed dynamic data (tag 9F4B): the signed CID is {data.CryptogramInformationData:X2}; the GENERATE AC response says {cid:X2}";
                return null;
            }

            if (!CryptographicOperations.FixedTimeEquals(data.TransactionDataHash, hash))
            {
                failure = "signed dynamic data (tag 9F4B): the signed transaction data hash code differs from the terminal's";
                return null;
            }
        }
        else
        {
            var recovery = EmvRsaSignedDynamicData.VerifyCda(key.Rsa!, sdad, context.UnpredictableNumber, cid, hash);
            if (!recovery.IsValid)
            {
                failure = recovery.Reason;
                return null;
            }

            data = recovery.Value.Cda!;
        }

        if (context.TryGet(Tags.Cryptogram, out var cryptogram) && !cryptogram.SequenceEqual(data.Cryptogram))
        {
            failure = $"the cryptogram 9F26 {Hex.Encode(cryptogram)} differs from the one signed in 9F4B {Hex.Encode(data.Cryptogram)}";
            return null;
        }

        failure = null;
        return data;
    }
}
