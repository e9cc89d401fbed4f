using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Keys;

/// <summary>The key store operations the issuer added: card-level keys (UDKs), PIN encryption and PIN script data.</summary>
public sealed class PinAndCardKeyTests : IDisposable
{
    private const string Pan = "6225880000000001";
    private static readonly byte[] s_mdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_pek = Hex.Parse("89ABCDEF0123456776543210FEDCBA98");
    private readonly SoftwareKeyStore _store = new();

    public PinAndCardKeyTests()
    {
        _store.ImportClearKey("pek", KeyUsage.PinEncryption, CipherAlgorithm.TripleDes, s_pek);
        _store.ImportClearKey("enc", KeyUsage.MdkEnc, CipherAlgorithm.TripleDes, s_mdk);
        _store.ImportClearKey("sm-enc", KeyUsage.MdkEnc, CipherAlgorithm.Sm4, s_mdk);
    }

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("Wikipedia ISO 9564 format 0 example", "1234", "43219876543210987", "0412AC89ABCDEF67")]
    [InlineData("16-digit PAN: the 12 digits before the check digit", "1234", "4111111111111111", "041225EEEEEEEEEE")]
    [InlineData("12-digit PIN, PAN shorter than 13 digits is zero-padded", "123456789012", "123456789012", "0C1235753DF79BFE")]
    public void Format_0_blocks(string description, string pin, string pan, string expected)
    {
        _ = description;
        Assert.Equal(expected, Hex.Encode(IsoPinBlock.Format0(pin, pan)));
        var back = new char[12];
        Assert.True(IsoPinBlock.TryDecodeFormat0(Hex.Parse(expected), pan, back, out int length));
        Assert.Equal(pin, new string(back, 0, length));
    }

    [Theory]
    [InlineData("4 digits", "1234", "241234FFFFFFFFFF")]
    [InlineData("6 digits", "123456", "26123456FFFFFFFF")]
    [InlineData("12 digits", "123456789012", "2C123456789012FF")]
    public void Format_2_blocks(string description, string pin, string expected)
    {
        _ = description;
        Assert.Equal(expected, Hex.Encode(IsoPinBlock.Format2(pin)));
        var back = new char[12];
        Assert.True(IsoPinBlock.TryDecodeFormat2(Hex.Parse(expected), back, out int length));
        Assert.Equal(pin, new string(back, 0, length));
    }

    [Theory]
    [InlineData("3 digits", "123")]
    [InlineData("13 digits", "1234567890123")]
    [InlineData("a letter", "12A4")]
    [InlineData("empty", "")]
    public void Malformed_pins_are_rejected(string description, string pin)
    {
        _ = description;
        Assert.False(IsoPinBlock.IsValidPin(pin));
        Assert.Throws<ArgumentException>(() => IsoPinBlock.Format2(pin));
        Assert.Throws<ArgumentException>(() => _store.EncryptPin("pek", pin, Pan));
    }

    [Theory]
    [InlineData("control nibble 0 in a format 2 block", "041234FFFFFFFFFF")]
    [InlineData("length 3", "23123FFFFFFFFFFF")]
    [InlineData("length 13", "2D1234567890123F")]
    [InlineData("non-digit in the PIN", "2412A4FFFFFFFFFF")]
    [InlineData("fill not F", "241234FFFFFFFFFE")]
    [InlineData("7 bytes", "241234FFFFFFFF")]
    public void Malformed_format_2_blocks_do_not_decode(string description, string block)
    {
        _ = description;
        Assert.False(IsoPinBlock.TryDecodeFormat2(Hex.Parse(block), new char[12], out int length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void Encrypt_pin_gives_the_format_0_block_under_the_pin_key()
    {
        byte[] encrypted = _store.EncryptPin("pek", "1234", Pan);
        using var pek = BlockCipher.Create(CipherAlgorithm.TripleDes, s_pek);
        Assert.Equal(IsoPinBlock.Format0("1234", Pan), pek.DecryptEcb(encrypted));
    }

    [Theory]
    [InlineData("International", "enc")]
    [InlineData("SM", "sm-enc")]
    public void Pin_script_data_deciphers_to_the_format_2_block_under_the_enc_session_key(string suiteName, string encLabel)
    {
        var suite = suiteName == "SM" ? AlgorithmSuite.Sm : AlgorithmSuite.International;
        byte[] atc = Hex.Parse("0007");
        byte[] encrypted = _store.EncryptPin("pek", "987654", Pan);
        byte[] data = _store.TranslatePinForScript("pek", encrypted, encLabel, Pan, 0x00, atc, EmvKeyScheme.Pboc);
        Assert.Equal(16, data.Length);

        // The card's side, computed independently of the store: UDK-ENC → SK-ENC → decipher.
        byte[] sk = suite.DeriveSessionKey(suite.DeriveUdk(s_mdk, Pan), atc);
        byte[] plain = new byte[16];
        Assert.True(suite.TryDecryptScriptData(sk, data, plain, out int written));
        Assert.Equal("26987654FFFFFFFF", Hex.Encode(plain.AsSpan(0, written)));
    }

    [Fact]
    public void Pin_translation_refuses_a_block_for_another_pan_or_a_wrong_key()
    {
        byte[] encrypted = _store.EncryptPin("pek", "1234", "6225880000000019");
        var ex = Assert.Throws<KeyStoreException>(() => _store.TranslatePinForScript("pek", encrypted, "enc", Pan, 0x00, Hex.Parse("0001"), EmvKeyScheme.Pboc));
        Assert.Contains("format 0", ex.Message, StringComparison.Ordinal);
        Assert.Throws<KeyStoreException>(() => _store.TranslatePinForScript("enc", encrypted, "enc", Pan, 0x00, Hex.Parse("0001"), EmvKeyScheme.Pboc));
        Assert.Throws<ArgumentException>(() => _store.TranslatePinForScript("pek", encrypted[..7], "enc", Pan, 0x00, Hex.Parse("0001"), EmvKeyScheme.Pboc));
    }

    [Fact]
    public void An_sm4_pin_key_is_refused_for_format_0()
    {
        _store.ImportClearKey("sm-pek", KeyUsage.PinEncryption, CipherAlgorithm.Sm4, s_pek);
        var ex = Assert.Throws<KeyStoreException>(() => _store.EncryptPin("sm-pek", "1234", Pan));
        Assert.Contains("3DES", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADDENDUM_V5_card_key_verifies_its_arqc_and_gives_its_arpc_without_an_mdk()
    {
        _store.ImportClearKey("v5-ac", KeyUsage.CardAc, CipherAlgorithm.TripleDes, Hex.Parse("0D2E3CB0BC1F9E03AED58F663A2F9679"));
        byte[] atc = Hex.Parse("000E");
        byte[] acData = Hex.Parse("0000000012340000000000340156D86004A80001561205160101010101" + "7C00" + "000E" + "03A4B904");
        byte[] arqc = Hex.Parse("F294D7022FA9B058");

        // The PAN and PSN do not enter: the card key is already bound to its card.
        Assert.True(_store.VerifyArqc("v5-ac", "6200000000000000", 0x00, atc, acData, arqc, EmvKeyScheme.Pboc));
        byte[] arpc = new byte[8];
        _store.GenerateArpc("v5-ac", "6200000000000000", 0x00, atc, arqc, "00"u8, EmvKeyScheme.Pboc, arpc);
        Assert.Equal("3846EEB4C8D34271", Hex.Encode(arpc));
        Assert.False(_store.VerifyArqc("v5-ac", "6200000000000000", 0x00, Hex.Parse("000F"), acData, arqc, EmvKeyScheme.Pboc));
    }

    [Fact]
    public void Card_keys_keep_their_purpose_and_are_not_exported()
    {
        _store.ImportClearKey("card-mac", KeyUsage.CardMac, CipherAlgorithm.TripleDes, s_mdk);
        _store.ImportClearKey("kek", KeyUsage.Kek, CipherAlgorithm.TripleDes, s_pek);
        byte[] mac = new byte[4];
        _store.GenerateScriptMac("card-mac", Pan, 0x00, Hex.Parse("0001"), Hex.Parse("841E000004"), EmvKeyScheme.Pboc, mac);
        byte[] sk = AlgorithmSuite.International.DeriveSessionKey(s_mdk, Hex.Parse("0001"));
        Assert.Equal(AlgorithmSuite.International.ScriptMac(sk, Hex.Parse("841E000004")), mac);

        var ex = Assert.Throws<KeyStoreException>(() => _store.VerifyArqc("card-mac", Pan, 0x00, Hex.Parse("0001"), new byte[8], new byte[8], EmvKeyScheme.Pboc));
        Assert.Contains("CardAc", ex.Message, StringComparison.Ordinal);
        Assert.Throws<KeyStoreException>(() => _store.ExportCardKey("card-mac", "kek", Pan, 0x00, UdkOption.OptionA));
    }
}
