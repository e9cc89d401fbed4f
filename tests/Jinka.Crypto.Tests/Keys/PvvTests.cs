using System.Security.Cryptography;
using Jinka.Core;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Keys;

/// <summary>Visa PIN Verification Value: <see cref="IKeyStore.GeneratePvv"/> and <see cref="IKeyStore.VerifyPinBlock"/>.</summary>
public sealed class PvvTests : IDisposable
{
    private const string PublishedPvk = "0123456789ABCDEFFEDCBA9876543210";
    private const string Pan = "6225880000000001";
    private const string Pin = "123456";
    private readonly SoftwareKeyStore _store = new();

    public PvvTests()
    {
        _store.ImportClearKey("pvk", KeyUsage.PinVerification, CipherAlgorithm.TripleDes, Hex.Parse(PublishedPvk));
        _store.ImportClearKey("pek", KeyUsage.PinEncryption, CipherAlgorithm.TripleDes, Hex.Parse("89ABCDEF0123456776543210FEDCBA98"));
        _store.ImportClearKey("pvk-sm4", KeyUsage.PinVerification, CipherAlgorithm.Sm4, Hex.Parse(PublishedPvk));
        _store.ImportClearKey("pvk-24", KeyUsage.PinVerification, CipherAlgorithm.TripleDes, Hex.Parse(PublishedPvk + "89ABCDEF01234567"));
    }

    public void Dispose() => _store.Dispose();

    // Published examples: the psec library's documentation (generate_visa_pvv docstring and README), same PVK.
    [Theory]
    [InlineData("psec docstring: PVKI 3", "1122334455667788", 3, "4524", "4021")]
    [InlineData("psec README: PVKI 1", "4321000000001234", 1, "1234", "6629")]
    public void Published_pvv_values(string description, string pan, int pvki, string pin, string expected)
    {
        _ = description;
        Assert.Equal(expected, _store.GeneratePvv("pvk", pan, pvki, pin));
        Assert.True(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0(pin, pan), pan, pvki, expected));
    }

    [Fact]
    public void Every_4_digit_pin_matches_an_independent_computation_including_the_second_decimalisation_pass()
    {
        using var tdes = TripleDES.Create();
        tdes.Key = Hex.Parse(PublishedPvk + PublishedPvk[..16]); // two-key 3DES as K1 ‖ K2 ‖ K1 (OpenSSL takes 24 bytes)
        int secondPass = 0;
        for (int p = 0; p < 10_000; p++)
        {
            string pin = p.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);
            string result = Convert.ToHexString(tdes.EncryptEcb(Convert.FromHexString("88000000000" + "2" + pin), PaddingMode.None));
            // "88000000000" = PAN 6225880000000001's 11 digits before the check digit; "2" = the PVKI.
            string digits = new([.. result.Where(char.IsAsciiDigit)]);
            if (digits.Length < 4)
            {
                secondPass++;
                digits += new string([.. result.Where(c => c >= 'A').Select(c => (char)(c - 'A' + '0'))]);
            }

            Assert.Equal(digits[..4], _store.GeneratePvv("pvk", Pan, 2, pin));
        }

        Assert.True(secondPass > 0, "no PIN needed the second pass; choose another PVKI");
    }

    [Fact]
    public void Only_the_4_leftmost_pin_digits_count()
    {
        Assert.Equal(_store.GeneratePvv("pvk", Pan, 1, "1234"), _store.GeneratePvv("pvk", Pan, 1, Pin));
        Assert.Equal(_store.GeneratePvv("pvk", Pan, 1, "1234"), _store.GeneratePvv("pvk", Pan + "F", 1, "123499999999"));
    }

    [Fact]
    public void The_right_pin_verifies_a_wrong_pin_or_pvki_does_not()
    {
        string pvv = _store.GeneratePvv("pvk", Pan, 1, Pin);
        Assert.True(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0(Pin, Pan), Pan, 1, pvv));
        Assert.False(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0("000000", Pan), Pan, 1, pvv));
        Assert.False(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0("1235", Pan), Pan, 1, pvv));
        Assert.NotEqual(pvv, _store.GeneratePvv("pvk", Pan, 2, Pin));
        Assert.False(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0(Pin, Pan), Pan, 2, pvv));
    }

    [Theory]
    [InlineData("7 bytes", "06123456FFFFFF")]
    [InlineData("9 bytes", "06123456FFFFFFFF00")]
    [InlineData("format 2 control nibble", "26123456FFFFFFFF")]
    [InlineData("format 1 control nibble", "16123456FFFFFFFF")]
    [InlineData("PIN length 3", "03123FFFFFFFFFFF")]
    [InlineData("PIN length 13", "0D123456789012FF")]
    [InlineData("non-digit in the PIN", "0612345AFFFFFFFF")]
    [InlineData("filler not F", "06123456FFFFFF0F")]
    public void Malformed_blocks_are_false_without_an_exception(string description, string clearPinField)
    {
        _ = description;
        string pvv = _store.GeneratePvv("pvk", Pan, 1, Pin);
        // The clear PIN field XOR the PAN field, as the terminal would have built it (only the last 12 digits before the check digit count).
        byte[] block = Hex.Parse(clearPinField);
        byte[] panField = Hex.Parse("0000588000000000");
        for (int i = 0; i < Math.Min(block.Length, 8); i++)
        {
            block[i] ^= panField[i];
        }

        Assert.False(_store.VerifyPinBlock("pvk", block, Pan, 1, pvv));
    }

    [Fact]
    public void The_pin_field_of_the_block_must_be_the_right_ones_for_the_pan()
    {
        // A well-formed PIN field under the right PAN decodes, so the mismatches below come from the PAN alone.
        string pvv = _store.GeneratePvv("pvk", Pan, 1, Pin);
        Assert.True(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0(Pin, Pan), Pan, 1, pvv));
        Assert.False(_store.VerifyPinBlock("pvk", IsoPinBlock.Format0(Pin, "6225880000000019"), Pan, 1, pvv));
        Assert.False(_store.VerifyPinBlock("pvk", IsoPinBlock.Format2(Pin), Pan, 1, pvv));
    }

    [Theory]
    [InlineData("PVKI -1", Pan, -1, "1234")]
    [InlineData("PVKI 7", Pan, 7, "1234")]
    [InlineData("PVV of 3 digits", Pan, 1, "123")]
    [InlineData("PVV of 5 digits", Pan, 1, "12345")]
    [InlineData("PVV with a letter", Pan, 1, "12A4")]
    [InlineData("PAN not digits", "62258800000000X1", 1, "1234")]
    [InlineData("PAN of 11 digits", "62258800001", 1, "1234")]
    [InlineData("empty PAN", "", 1, "1234")]
    public void Malformed_references_are_false_without_an_exception(string description, string pan, int pvki, string pvv)
    {
        _ = description;
        var block = new byte[8];
        Assert.False(_store.VerifyPinBlock("pvk", block, pan, pvki, pvv));
    }

    [Fact]
    public void Generation_refuses_bad_input()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.GeneratePvv("pvk", Pan, 7, Pin));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.GeneratePvv("pvk", Pan, -1, Pin));
        Assert.Throws<ArgumentException>(() => _store.GeneratePvv("pvk", Pan, 1, "123"));
        Assert.Throws<ArgumentException>(() => _store.GeneratePvv("pvk", Pan, 1, "12a4"));
        Assert.Throws<ArgumentException>(() => _store.GeneratePvv("pvk", "62258800001", 1, Pin));
    }

    [Fact]
    public void Only_a_16_byte_3des_pin_verification_key_serves()
    {
        byte[] block = IsoPinBlock.Format0(Pin, Pan);
        Assert.Throws<KeyStoreException>(() => _store.GeneratePvv("pek", Pan, 1, Pin));
        Assert.Throws<KeyStoreException>(() => _store.GeneratePvv("pvk-sm4", Pan, 1, Pin));
        Assert.Throws<KeyStoreException>(() => _store.GeneratePvv("pvk-24", Pan, 1, Pin));
        Assert.Throws<KeyStoreException>(() => _store.GeneratePvv("absent", Pan, 1, Pin));
        Assert.Throws<KeyStoreException>(() => _store.VerifyPinBlock("pek", block, Pan, 1, "1234"));
        Assert.Throws<KeyStoreException>(() => _store.VerifyPinBlock("absent", block, Pan, 1, "1234"));
    }
}
