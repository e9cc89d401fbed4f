using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Certificates;
using static Jinka.Crypto.Tests.Certificates.EmvRsaTestKeys;

namespace Jinka.Crypto.Tests.Certificates;

/// <summary>Every check of EMV Book 2 §5.3 fails for its own reason, named by <see cref="EmvRsaFailure"/> and in words.</summary>
public class EmvRsaCertificateFailureTests
{
    private const string Pan = "6225880000000001";
    private static readonly DateOnly s_today = new(2024, 1, 15);

    public static TheoryData<string, EmvRsaFailure, string> IssuerCertificateCases() => new()
    {
        { "certificate one byte short", EmvRsaFailure.LengthMismatch, "is 143 bytes; the key that opens it has a 144-byte modulus" },
        { "certificate value not below the modulus", EmvRsaFailure.NotRecoverable, "not less than the modulus" },
        { "header 6B", EmvRsaFailure.BadHeader, "recovered data starts 6B; expected header 6A" },
        { "trailer BD", EmvRsaFailure.BadTrailer, "recovered data ends BD; expected trailer BC" },
        { "format 04", EmvRsaFailure.WrongFormat, "format is 04; expected 02" },
        { "hash algorithm 02", EmvRsaFailure.UnsupportedHashAlgorithm, "hash algorithm indicator is 02" },
        { "remainder missing", EmvRsaFailure.RemainderMissing, "needs a 20-byte remainder; none was given" },
        { "remainder one byte short", EmvRsaFailure.RemainderMissing, "19 bytes were given" },
        { "exponent 03 given for 010001", EmvRsaFailure.ExponentMismatch, "exponent length is 3; the exponent given is 1 bytes" },
        { "remainder tampered", EmvRsaFailure.HashMismatch, "SHA-1 hash does not match" },
        { "exponent 010003 given for 010001", EmvRsaFailure.HashMismatch, "SHA-1 hash does not match" },
        { "PAN of another issuer", EmvRsaFailure.IssuerIdentifierMismatch, "issuer identifier 622588FF is not the leftmost 3–8 digits of PAN 6228480000000001" },
        { "issuer identifier of two digits", EmvRsaFailure.IssuerIdentifierMismatch, "issuer identifier 62FFFFFF" },
        { "expired December 2023", EmvRsaFailure.Expired, "expired (valid to 12/2023, checked on 2024-01-15)" },
        { "expiry 13/23 is not a month", EmvRsaFailure.Expired, "1323 (not a valid MMYY)" },
        { "public key algorithm 02", EmvRsaFailure.UnsupportedPublicKeyAlgorithm, "public key algorithm indicator is 02" },
        { "even modulus certified", EmvRsaFailure.InvalidPublicKey, "RSA modulus is even" },
        { "certificate for the other CA", EmvRsaFailure.HashMismatch, "" },
    };

    [Theory]
    [MemberData(nameof(IssuerCertificateCases))]
    public void Issuer_certificate_failures_name_the_check(string description, EmvRsaFailure failure, string words)
    {
        var (certificate, remainder, exponent, pan, key) = Scenario(description);
        var recovery = EmvRsaIssuerCertificate.Recover(key, certificate, remainder, exponent, pan, s_today);
        if (description == "certificate for the other CA")
        {
            // Garbage from the wrong key: some frame or hash check fails; which one depends on the random keys.
            Assert.False(recovery.IsValid);
            Assert.Null(recovery.Value);
            return;
        }

        Assert.Equal(failure, recovery.Failure);
        Assert.Null(recovery.Value);
        Assert.StartsWith("issuer PK certificate (tag 90)", recovery.Reason, StringComparison.Ordinal);
        Assert.Contains(words, recovery.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_certificate_is_valid_through_the_last_day_of_its_expiry_month()
    {
        var data = Craft(expiry: "0124");
        Assert.True(EmvRsaIssuerCertificate.Recover(Ca.PublicKey, data.Certificate, data.Remainder, data.Exponent, Pan, new DateOnly(2024, 1, 31)).IsValid);
        Assert.Equal(EmvRsaFailure.Expired, EmvRsaIssuerCertificate.Recover(Ca.PublicKey, data.Certificate, data.Remainder, data.Exponent, Pan, new DateOnly(2024, 2, 1)).Failure);
        Assert.True(EmvRsaIssuerCertificate.Recover(Ca.PublicKey, data.Certificate, data.Remainder, data.Exponent).IsValid);
    }

    [Fact]
    public void ICC_certificate_names_a_PAN_mismatch()
    {
        var data = EmvRsaIccCertificate.Create(Hex.Parse("6225880000000001FFFF"), Hex.Parse("1230"), Hex.Parse("000001"), Icc.PublicKey, [0x7C, 0x00], Issuer);
        var recovery = EmvRsaIccCertificate.Recover(Issuer.PublicKey, data.Certificate, data.Remainder, data.Exponent, [0x7C, 0x00], "6225880000000002", s_today);
        Assert.Equal(EmvRsaFailure.PanMismatch, recovery.Failure);
        Assert.Equal("ICC PK certificate (tag 9F46): certificate PAN 6225880000000001 differs from the application PAN 6225880000000002", recovery.Reason);

        var pinKey = EmvRsaIccCertificate.Recover(Issuer.PublicKey, data.Certificate, data.Remainder, data.Exponent, [], what: "ICC PIN encipherment PK certificate (tag 9F2D)");
        Assert.Equal(EmvRsaFailure.HashMismatch, pinKey.Failure);
        Assert.StartsWith("ICC PIN encipherment PK certificate (tag 9F2D)", pinKey.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Signed_static_and_dynamic_data_name_their_failures()
    {
        var sda = EmvRsaSignedStaticData.Recover(Issuer.PublicKey, new byte[127], []);
        Assert.Equal(EmvRsaFailure.LengthMismatch, sda.Failure);
        Assert.StartsWith("signed static data (tag 93)", sda.Reason, StringComparison.Ordinal);

        var dynamicAsStatic = EmvRsaSignedStaticData.Recover(Issuer.PublicKey, EmvRsaSignedDynamicData.Create([2, 1, 2], [], Issuer), []);
        Assert.Equal(EmvRsaFailure.WrongFormat, dynamicAsStatic.Failure);
        Assert.Contains("format is 05; expected 03", dynamicAsStatic.Reason, StringComparison.Ordinal);

        var block = Iso9796Block.Build(0x05, [0x01, 0xF0], [], Icc.ModulusLength);
        var dda = EmvRsaSignedDynamicData.Recover(Icc.PublicKey, EmvRsa.Sign(Icc, block), []);
        Assert.Equal(EmvRsaFailure.BadDynamicData, dda.Failure);
        Assert.Contains("ICC dynamic data length 240 exceeds the 103 bytes", dda.Reason, StringComparison.Ordinal);
    }

    private static (byte[] Certificate, byte[] Remainder, byte[] Exponent, string Pan, EmvRsaPublicKey Key) Scenario(string description)
    {
        var good = Craft();
        return description switch
        {
            "certificate one byte short" => (good.Certificate[..^1], good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "certificate value not below the modulus" => (Enumerable.Repeat((byte)0xFF, 144).ToArray(), good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "header 6B" => (Craft(mutate: b => b[0] = 0x6B).Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "trailer BD" => (Craft(mutate: b => b[^1] = 0xBD).Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "format 04" => (Craft(format: 0x04).Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "hash algorithm 02" => (Craft(hashAlgorithm: 0x02).Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "remainder missing" => (good.Certificate, [], good.Exponent, Pan, Ca.PublicKey),
            "remainder one byte short" => (good.Certificate, good.Remainder[..^1], good.Exponent, Pan, Ca.PublicKey),
            "exponent 03 given for 010001" => (good.Certificate, good.Remainder, [0x03], Pan, Ca.PublicKey),
            "remainder tampered" => (good.Certificate, Flip(good.Remainder), good.Exponent, Pan, Ca.PublicKey),
            "exponent 010003 given for 010001" => (good.Certificate, good.Remainder, [0x01, 0x00, 0x03], Pan, Ca.PublicKey),
            "PAN of another issuer" => (good.Certificate, good.Remainder, good.Exponent, "6228480000000001", Ca.PublicKey),
            "issuer identifier of two digits" => (Craft(issuerId: "62FFFFFF").Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "expired December 2023" => (Craft(expiry: "1223").Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "expiry 13/23 is not a month" => (Craft(expiry: "1323").Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "public key algorithm 02" => (Craft(keyAlgorithm: 0x02).Certificate, good.Remainder, good.Exponent, Pan, Ca.PublicKey),
            "even modulus certified" => EvenModulus(),
            "certificate for the other CA" => (good.Certificate, good.Remainder, good.Exponent, Pan, OtherCa.PublicKey),
            _ => throw new ArgumentOutOfRangeException(nameof(description), description, "no such scenario"),
        };
    }

    private static (byte[], byte[], byte[], string, EmvRsaPublicKey) EvenModulus()
    {
        var modulus = Issuer.PublicKey.Modulus.ToArray();
        modulus[^1] &= 0xFE;
        var data = Craft(modulus: modulus);
        return (data.Certificate, data.Remainder, data.Exponent, Pan, Ca.PublicKey);
    }

    private static byte[] Flip(byte[] value)
    {
        var copy = (byte[])value.Clone();
        copy[0] ^= 0x01;
        return copy;
    }

    /// <summary>Table 6 laid out by hand, each field replaceable, signed by the test CA.</summary>
    private static EmvRsaCertificateData Craft(
        byte format = 0x02,
        string issuerId = "622588FF",
        string expiry = "1230",
        byte hashAlgorithm = 0x01,
        byte keyAlgorithm = 0x01,
        byte[]? modulus = null,
        Action<byte[]>? mutate = null)
    {
        modulus ??= Issuer.PublicKey.Modulus.ToArray();
        var exponent = Issuer.PublicKey.Exponent.ToArray();
        int field = Ca.ModulusLength - 36;
        byte[] data = [.. Hex.Parse(issuerId + expiry + "000001"), hashAlgorithm, keyAlgorithm, (byte)modulus.Length, (byte)exponent.Length, .. modulus[..field]];
        var remainder = modulus[field..];
        var block = Iso9796Block.Build(format, data, [.. remainder, .. exponent], Ca.ModulusLength);
        mutate?.Invoke(block);
        return new EmvRsaCertificateData(EmvRsa.Sign(Ca, block), remainder, exponent);
    }
}
