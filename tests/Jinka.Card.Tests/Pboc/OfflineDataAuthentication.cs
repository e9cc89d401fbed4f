using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using Jinka.Crypto.Hashing;

namespace Jinka.Card.Tests.Pboc;

/// <summary>What a terminal reads after GPO, and the checks it makes on the card's signatures, done here with Jinka.Crypto only.</summary>
internal sealed class ApplicationData
{
    private ApplicationData(Dictionary<uint, byte[]> objects, byte[] staticData, List<byte[]> records)
    {
        Objects = objects;
        StaticData = staticData;
        Records = records;
    }

    public Dictionary<uint, byte[]> Objects { get; }

    /// <summary>Static data to be authenticated: ODA records of SFI 1–10 without their 70 header, then the AIP.</summary>
    public byte[] StaticData { get; }

    public List<byte[]> Records { get; }

    /// <summary>READ RECORD of every AFL entry (EMV Book 3 §10.2), as a terminal does.</summary>
    public static ApplicationData Read(PbocTerminal terminal, byte[] gpoResponse)
    {
        // Format 1: 80 L AIP(2) AFL.
        return Read(terminal, gpoResponse.AsSpan(2, 2).ToArray(), gpoResponse.AsSpan(4).ToArray());
    }

    /// <summary>READ RECORD of every entry of <paramref name="afl"/>; the static data to sign ends with <paramref name="aip"/>.</summary>
    public static ApplicationData Read(PbocTerminal terminal, byte[] aip, byte[] afl)
    {
        var objects = new Dictionary<uint, byte[]>();
        var staticData = new List<byte>();
        var records = new List<byte[]>();
        for (int i = 0; i < afl.Length; i += 4)
        {
            int sfi = afl[i] >> 3;
            for (int number = afl[i + 1]; number <= afl[i + 2]; number++)
            {
                var response = terminal.Send(ApduCommands.ReadRecord(number, sfi));
                Assert.Equal(StatusWord.Success, response.StatusWord);
                var record = response.Data.ToArray();
                records.Add(record);
                var reader = new TlvReader(record);
                Assert.True(reader.Read());
                Assert.Equal(new Tag(0x70), reader.Tag);
                if (number - afl[i + 1] < afl[i + 3])
                {
                    staticData.AddRange(reader.ValueSpan.ToArray());
                }

                var children = reader.ReadChildren();
                while (children.Read())
                {
                    objects[children.Tag.Value] = children.ValueSpan.ToArray();
                }
            }
        }

        staticData.AddRange(aip);
        return new ApplicationData(objects, [.. staticData], records);
    }

    /// <summary>The ICC RSA key recovered through the certificate chain from the CA key (EMV Book 2 §6.4).</summary>
    public EmvRsaPublicKey RecoverRsaIccKey(EmvRsaPublicKey caKey)
    {
        var issuer = EmvRsaIssuerCertificate.Recover(caKey, Objects[0x90], Objects.GetValueOrDefault(0x92u) ?? [], Objects[0x9F32], PbocTestKeys.Pan);
        Assert.True(issuer.IsValid, issuer.ToString());
        var icc = EmvRsaIccCertificate.Recover(issuer.Value!.PublicKey, Objects[0x9F46], Objects.GetValueOrDefault(0x9F48u) ?? [], Objects[0x9F47], StaticData, PbocTestKeys.Pan);
        Assert.True(icc.IsValid, icc.ToString());
        return icc.Value!.PublicKey;
    }

    /// <summary>The ICC SM2 key, both certificates verified (ADDENDUM 1.2).</summary>
    public Sm2PublicKey RecoverSm2IccKey(Sm2PublicKey caKey)
    {
        var issuer = Sm2IssuerCertificate.Parse(Objects[0x90]);
        Assert.True(issuer.Verify(caKey));
        var icc = Sm2IccCertificate.Parse(Objects[0x9F46]);
        Assert.True(icc.Verify(issuer.PublicKey, StaticData));
        return icc.PublicKey;
    }

    /// <summary>Checks a DDA answer (80 L 9F4B-value) against the terminal dynamic data; returns the ICC dynamic number.</summary>
    public byte[] VerifyDda(PbocTerminal terminal, byte[] response, byte[] ddolData)
    {
        Assert.Equal(0x80, response[0]);
        var reader = new TlvReader(response);
        Assert.True(reader.Read());
        var signed = reader.ValueSpan.ToArray();
        if (terminal.Issuer.IsSm)
        {
            var data = Sm2SignedDynamicData.Parse(signed);
            Assert.True(data.Verify(RecoverSm2IccKey(terminal.Issuer.Sm2CaPublicKey), ddolData));
            Assert.Equal(9, data.IccDynamicData.Length);
            return data.IccDynamicNumber.ToArray();
        }

        var recovery = EmvRsaSignedDynamicData.Recover(RecoverRsaIccKey(terminal.Issuer.RsaCaPublicKey), signed, ddolData);
        Assert.True(recovery.IsValid, recovery.ToString());
        Assert.Equal(9, recovery.Value!.IccDynamicData.Length);
        return recovery.Value.IccDynamicNumber.ToArray();
    }

    /// <summary>
    /// Checks a CDA answer (EMV Book 2 §6.6.2; contract P6): the signature with 9F37, the CID and the transaction data
    /// hash recomputed here over PDOL data ‖ CDOL1 data ‖ CDOL2 data ‖ the other objects of 77. Returns the signed AC.
    /// </summary>
    public byte[] VerifyCda(PbocTerminal terminal, GacAnswer answer, byte[] pdolData, byte[] cdol1Data, byte[] cdol2Data, byte[] unpredictableNumber)
    {
        Assert.NotNull(answer.SignedData);
        var others = new List<byte>();
        var reader = new TlvReader(answer.Template77Value);
        while (reader.Read())
        {
            if (reader.Tag != new Tag(0x9F4B))
            {
                others.AddRange(reader.EncodedSpan.ToArray());
            }
        }

        byte[] hashed = [.. pdolData, .. cdol1Data, .. cdol2Data, .. others];
        if (terminal.Issuer.IsSm)
        {
            var expectedHash = Hashes.Compute(HashAlgorithmKind.Sm3, hashed);
            var data = Sm2SignedDynamicData.Parse(answer.SignedData);
            Assert.True(data.Verify(RecoverSm2IccKey(terminal.Issuer.Sm2CaPublicKey), unpredictableNumber));
            Assert.True(CdaIccDynamicData.TryParse(data.IccDynamicData, 32, out var cda, out var error), error);
            Assert.Equal(answer.Cid, cda.CryptogramInformationData);
            Assert.Equal(Hex.Encode(expectedHash), Hex.Encode(cda.TransactionDataHash));
            return cda.Cryptogram;
        }

        var sha1 = SHA1.HashData(hashed);
        var recovery = EmvRsaSignedDynamicData.VerifyCda(RecoverRsaIccKey(terminal.Issuer.RsaCaPublicKey), answer.SignedData, unpredictableNumber, answer.Cid, sha1);
        Assert.True(recovery.IsValid, recovery.ToString());
        return recovery.Value!.Cda!.Cryptogram;
    }
}
