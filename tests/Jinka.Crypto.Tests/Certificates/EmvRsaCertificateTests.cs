using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using static Jinka.Crypto.Tests.Certificates.EmvRsaTestKeys;

namespace Jinka.Crypto.Tests.Certificates;

public class EmvRsaCertificateTests
{
    private const string Pan = "6225880000000001";
    private static readonly DateOnly s_today = new(2024, 1, 15);
    private static readonly byte[] s_staticData = Hex.Parse("5A0862258800000000015F24032512315F25032001017C00");

    [Fact]
    public void Issuer_certificate_recovered_data_follows_book_2_table_6_with_a_remainder()
    {
        var data = EmvRsaIssuerCertificate.Create(Hex.Parse("622588FF"), Hex.Parse("1230"), Hex.Parse("000042"), Issuer.PublicKey, Ca);
        Assert.Equal(144, data.Certificate.Length);
        Assert.Equal(128 - (144 - 36), data.Remainder.Length);
        Assert.Equal("010001", Hex.Encode(data.Exponent));

        // Table 6 written out by hand: the raw recovery (s^e mod n) must give exactly this block.
        var modulus = Issuer.PublicKey.Modulus;
        var body = Hex.Parse("02" + "622588FF" + "1230" + "000042" + "01" + "01" + "80" + "03").Concat(modulus[..108].ToArray()).ToArray();
        var hash = SHA1.HashData([.. body, .. modulus[108..], .. Hex.Parse("010001")]);
        byte[] expected = [0x6A, .. body, .. hash, 0xBC];
        Assert.Equal(expected, EmvRsa.Recover(Ca.PublicKey, data.Certificate));
        Assert.Equal(modulus[108..].ToArray(), data.Remainder);

        var recovery = EmvRsaIssuerCertificate.Recover(Ca.PublicKey, data.Certificate, data.Remainder, data.Exponent, Pan, s_today);
        Assert.True(recovery.IsValid, recovery.Reason);
        Assert.Equal(Issuer.PublicKey, recovery.Value.PublicKey);
        Assert.Equal("622588", recovery.Value.IssuerIdDigits);
        Assert.Equal("1230", recovery.Value.ExpiryMmyy);
        Assert.Equal("000042", Hex.Encode(recovery.Value.SerialNumber));
        Assert.Equal(0x01, recovery.Value.HashAlgorithm);
        Assert.Equal(0x01, recovery.Value.PublicKeyAlgorithm);
    }

    [Fact]
    public void A_key_that_fits_has_no_remainder_and_is_padded_with_BB()
    {
        var data = EmvRsaIssuerCertificate.Create(Hex.Parse("62258800"[..6] + "FF"), Hex.Parse("1230"), Hex.Parse("000001"), Issuer.PublicKey, LargeCa);
        Assert.Empty(data.Remainder);
        var recovered = EmvRsa.Recover(LargeCa.PublicKey, data.Certificate);
        Assert.Equal(Issuer.PublicKey.Modulus.ToArray(), recovered[15..143]);
        Assert.All(recovered[143..(176 - 21)], b => Assert.Equal(0xBB, b));

        var recovery = EmvRsaIssuerCertificate.Recover(LargeCa.PublicKey, data.Certificate, [], data.Exponent, Pan, s_today);
        Assert.True(recovery.IsValid, recovery.Reason);
        Assert.Equal(Issuer.PublicKey, recovery.Value.PublicKey);
    }

    [Fact]
    public void ICC_certificate_hash_covers_remainder_exponent_and_static_data()
    {
        var data = EmvRsaIccCertificate.Create(Hex.Parse("6225880000000001FFFF"), Hex.Parse("1226"), Hex.Parse("000007"), Icc.PublicKey, s_staticData, Issuer);
        Assert.Equal(128 - (128 - 42), data.Remainder.Length);
        Assert.Equal("03", Hex.Encode(data.Exponent));

        var modulus = Icc.PublicKey.Modulus;
        var body = Hex.Parse("04" + "6225880000000001FFFF" + "1226" + "000007" + "0101" + "80" + "01").Concat(modulus[..86].ToArray()).ToArray();
        var hash = SHA1.HashData([.. body, .. modulus[86..], 0x03, .. s_staticData]);
        Assert.Equal([0x6A, .. body, .. hash, 0xBC], EmvRsa.Recover(Issuer.PublicKey, data.Certificate));

        var recovery = EmvRsaIccCertificate.Recover(Issuer.PublicKey, data.Certificate, data.Remainder, data.Exponent, s_staticData, Pan, s_today);
        Assert.True(recovery.IsValid, recovery.Reason);
        Assert.Equal(Icc.PublicKey, recovery.Value.PublicKey);
        Assert.Equal(Pan, recovery.Value.PanDigits);

        var otherStatic = (byte[])s_staticData.Clone();
        otherStatic[^1] ^= 0x01;
        var tampered = EmvRsaIccCertificate.Recover(Issuer.PublicKey, data.Certificate, data.Remainder, data.Exponent, otherStatic, Pan, s_today);
        Assert.Equal(EmvRsaFailure.HashMismatch, tampered.Failure);
        Assert.Contains("static data", tampered.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_static_data_carries_the_DAC_and_fails_on_other_static_data()
    {
        var signed = EmvRsaSignedStaticData.Create(Hex.Parse("DAC1"), s_staticData, Issuer);
        var recovered = EmvRsa.Recover(Issuer.PublicKey, signed);
        Assert.Equal("6A0301DAC1", Hex.Encode(recovered[..5]));
        Assert.All(recovered[5..^21], b => Assert.Equal(0xBB, b));
        Assert.Equal(SHA1.HashData([.. recovered[1..^21], .. s_staticData]), recovered[^21..^1]);

        var recovery = EmvRsaSignedStaticData.Recover(Issuer.PublicKey, signed, s_staticData);
        Assert.True(recovery.IsValid, recovery.Reason);
        Assert.Equal("DAC1", Hex.Encode(recovery.Value.DataAuthenticationCode));
        Assert.Equal(EmvRsaFailure.HashMismatch, EmvRsaSignedStaticData.Recover(Issuer.PublicKey, signed, s_staticData[..^1]).Failure);
    }

    [Fact]
    public void Signed_dynamic_data_for_DDA_covers_the_DDOL_data()
    {
        var iccDynamic = Hex.Parse("080102030405060708");
        var ddolData = Hex.Parse("A1B2C3D4");
        var signed = EmvRsaSignedDynamicData.Create(iccDynamic, ddolData, Icc);
        var recovered = EmvRsa.Recover(Icc.PublicKey, signed);
        Assert.Equal("6A050109" + "080102030405060708", Hex.Encode(recovered[..13]));
        Assert.Equal(SHA1.HashData([.. recovered[1..^21], .. ddolData]), recovered[^21..^1]);

        var recovery = EmvRsaSignedDynamicData.Recover(Icc.PublicKey, signed, ddolData);
        Assert.True(recovery.IsValid, recovery.Reason);
        Assert.Equal("0102030405060708", Hex.Encode(recovery.Value.IccDynamicNumber));
        Assert.Null(recovery.Value.Cda);
        Assert.Equal(EmvRsaFailure.HashMismatch, EmvRsaSignedDynamicData.Recover(Icc.PublicKey, signed, Hex.Parse("A1B2C3D5")).Failure);
    }

    [Fact]
    public void CDA_signature_checks_cid_and_transaction_data_hash()
    {
        var response = Hex.Parse("9F270180" + "9F360200 2A".Replace(" ", "", StringComparison.Ordinal) + "9F10080701010300000001");
        var hash = CdaTransactionData.ComputeHash(Jinka.Crypto.Hashing.HashAlgorithmKind.Sha1, Hex.Parse("0000000001"), Hex.Parse("000000000100"), [], response);
        Assert.Equal(SHA1.HashData(Hex.Parse("0000000001" + "000000000100").Concat(response).ToArray()), hash);

        var dynamicData = new CdaIccDynamicData(Hex.Parse("1122334455667788"), 0x80, Hex.Parse("A6364607F31A5DB3"), hash);
        Assert.Equal("08" + "1122334455667788" + "80" + "A6364607F31A5DB3" + Hex.Encode(hash), Hex.Encode(dynamicData.Encode()));
        var un = Hex.Parse("CAFEBABE");
        var signed = EmvRsaSignedDynamicData.CreateCda(dynamicData, un, Icc);

        var ok = EmvRsaSignedDynamicData.VerifyCda(Icc.PublicKey, signed, un, 0x80, hash);
        Assert.True(ok.IsValid, ok.Reason);
        Assert.Equal("A6364607F31A5DB3", Hex.Encode(ok.Value.Cda!.Cryptogram));
        Assert.Equal("1122334455667788", Hex.Encode(ok.Value.IccDynamicNumber));

        Assert.Equal(EmvRsaFailure.CryptogramInformationMismatch, EmvRsaSignedDynamicData.VerifyCda(Icc.PublicKey, signed, un, 0x40, hash).Failure);
        var otherHash = (byte[])hash.Clone();
        otherHash[0] ^= 1;
        Assert.Equal(EmvRsaFailure.TransactionDataHashMismatch, EmvRsaSignedDynamicData.VerifyCda(Icc.PublicKey, signed, un, 0x80, otherHash).Failure);
        Assert.Equal(EmvRsaFailure.HashMismatch, EmvRsaSignedDynamicData.VerifyCda(Icc.PublicKey, signed, Hex.Parse("CAFEBABF"), 0x80, hash).Failure);

        // DDA-shaped ICC dynamic data is not CDA data.
        var dda = EmvRsaSignedDynamicData.Create(Hex.Parse("080102030405060708"), un, Icc);
        var bad = EmvRsaSignedDynamicData.VerifyCda(Icc.PublicKey, dda, un, 0x80, hash);
        Assert.Equal(EmvRsaFailure.BadDynamicData, bad.Failure);
        Assert.Contains("9 bytes", bad.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_objects_for_the_CDA_hash_keep_order_and_drop_9F4B()
    {
        var value = Hex.Parse("9F2701809F360200019F4B03AABBCC9F100201029F2608" + "0102030405060708");
        Assert.Equal("9F2701809F360200019F100201029F26080102030405060708", Hex.Encode(CdaTransactionData.ResponseObjects(value)));
        Assert.False(CdaTransactionData.TryResponseObjects(Hex.Parse("9F2701"), out _, out var error));
        Assert.NotNull(error);
        Assert.Throws<Core.Tlv.TlvException>(() => CdaTransactionData.ResponseObjects(Hex.Parse("9F2705AA")));
    }

    [Fact]
    public void CDA_ICC_dynamic_data_parse_rejects_malformed_input()
    {
        Assert.False(CdaIccDynamicData.TryParse([], 20, out _, out var error));
        Assert.Equal("the CDA ICC dynamic data is empty", error);
        Assert.False(CdaIccDynamicData.TryParse(Hex.Parse("09" + new string('0', 80)), 20, out _, out error));
        Assert.Contains("byte 0", error, StringComparison.Ordinal);
        Assert.False(CdaIccDynamicData.TryParse(Hex.Parse("02AABB80" + "0102030405060708"), 20, out _, out error));
        Assert.Contains("is 12 bytes", error, StringComparison.Ordinal);
        Assert.True(CdaIccDynamicData.TryParse(Hex.Parse("02AABB80" + "0102030405060708" + new string('1', 64)), 32, out var sm, out _));
        Assert.Equal(32, sm.TransactionDataHash.Length);
        Assert.Throws<ArgumentException>(() => new CdaIccDynamicData([1], 0x80, new byte[8], new byte[20]).Encode());
    }

    [Fact]
    public void Create_refuses_wrong_field_lengths()
    {
        Assert.Throws<ArgumentException>(() => EmvRsaIssuerCertificate.Create(Hex.Parse("6225"), Hex.Parse("1230"), Hex.Parse("000001"), Issuer.PublicKey, Ca));
        Assert.Throws<ArgumentException>(() => EmvRsaIssuerCertificate.Create(Hex.Parse("622588FF"), Hex.Parse("12"), Hex.Parse("000001"), Issuer.PublicKey, Ca));
        Assert.Throws<ArgumentException>(() => EmvRsaIssuerCertificate.Create(Hex.Parse("622588FF"), Hex.Parse("1230"), Hex.Parse("01"), Issuer.PublicKey, Ca));
        Assert.Throws<ArgumentException>(() => EmvRsaIccCertificate.Create(Hex.Parse("6225880000000001"), Hex.Parse("1230"), Hex.Parse("000001"), Icc.PublicKey, [], Issuer));
        Assert.Throws<ArgumentException>(() => EmvRsaSignedStaticData.Create(Hex.Parse("DA"), [], Issuer));
        Assert.Throws<ArgumentException>(() => EmvRsaSignedDynamicData.Create(new byte[104], [], Icc));
    }
}
