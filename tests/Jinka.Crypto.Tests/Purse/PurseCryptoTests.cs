using Jinka.Core;
using Jinka.Crypto.Purse;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Purse;

/// <summary>NOTES B.4 and the purchase vector of Appendix A.1 (W1 inputs, recomputed).</summary>
public class PurseCryptoTests
{
    private static readonly byte[] s_purchaseKey = Hex.Parse("11223344556677888877665544332211");
    private static readonly byte[] s_amount = Hex.Parse("00001000");
    private static readonly byte[] s_terminalId = Hex.Parse("001122334455");
    private static readonly byte[] s_terminalSerial = Hex.Parse("00000001");
    private static readonly byte[] s_date = Hex.Parse("20120229");
    private static readonly byte[] s_time = Hex.Parse("135100");

    [Fact]
    public void Appendix_A1_purchase_session_key()
    {
        byte[] sespk = PurchaseSessionKey();
        Assert.Equal("003238ABC57659DD", Hex.Encode(sespk));
    }

    [Fact]
    public void Appendix_A1_purchase_mac1()
    {
        byte[] mac1 = new byte[4];
        PurseCrypto.PurchaseMac1(PurchaseSessionKey(), s_amount, 0x06, s_terminalId, s_date, s_time, mac1);
        Assert.Equal("F15CAB75", Hex.Encode(mac1));
    }

    [Fact]
    public void Appendix_A1_purchase_mac2()
    {
        byte[] mac2 = new byte[4];
        PurseCrypto.PurchaseMac2(PurchaseSessionKey(), s_amount, mac2);
        Assert.Equal("56988A13", Hex.Encode(mac2));
    }

    [Fact]
    public void Appendix_A1_tac_key_and_tac()
    {
        byte[] dtk = Hex.Parse("00112233445566778899AABBCCDDEEFF");
        byte[] key = new byte[8];
        PurseCrypto.TacKey(dtk, key);
        Assert.Equal("8888888888888888", Hex.Encode(key));
        byte[] tac = new byte[4];
        PurseCrypto.PurchaseTac(dtk, s_amount, 0x06, s_terminalId, s_terminalSerial, s_date, s_time, tac);
        Assert.Equal("B3A0D49C", Hex.Encode(tac));
    }

    [Fact]
    public void Purse_mac_is_single_des_cbc_mac_of_the_80_padded_data()
    {
        byte[] key = Hex.Parse("003238ABC57659DD");
        byte[] data = Hex.Parse("000010000600112233445520120229135100");
        using var des = BlockCipher.Create(CipherAlgorithm.Des, key);
        byte[] cbc = des.EncryptCbc(new byte[8], Hex.Parse("000010000600112233445520120229135100800000000000"));
        byte[] mac = new byte[4];
        PurseCrypto.Mac(key, data, mac);
        Assert.Equal(cbc[^8..^4], mac);
    }

    [Fact]
    public void Load_session_key_and_macs_follow_their_field_order()
    {
        byte[] dlk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] seslk = new byte[8];
        PurseCrypto.LoadSessionKey(dlk, Hex.Parse("A1B2C3D4"), Hex.Parse("0005"), seslk);
        using var tdes = BlockCipher.Create(CipherAlgorithm.TripleDes, dlk);
        Assert.Equal(tdes.EncryptEcb(Hex.Parse("A1B2C3D400058000")), seslk);

        byte[] mac1 = new byte[4];
        PurseCrypto.LoadMac1(seslk, Hex.Parse("00000064"), Hex.Parse("000003E8"), 0x02, s_terminalId, mac1);
        byte[] expected = new byte[4];
        PurseCrypto.Mac(seslk, Hex.Parse("00000064" + "000003E8" + "02" + "001122334455"), expected);
        Assert.Equal(expected, mac1);

        byte[] mac2 = new byte[4];
        PurseCrypto.LoadMac2(seslk, Hex.Parse("000003E8"), 0x02, s_terminalId, s_date, s_time, mac2);
        PurseCrypto.Mac(seslk, Hex.Parse("000003E8" + "02" + "001122334455" + "20120229" + "135100"), expected);
        Assert.Equal(expected, mac2);

        byte[] tac = new byte[4];
        byte[] dtk = Hex.Parse("00112233445566778899AABBCCDDEEFF");
        PurseCrypto.LoadTac(dtk, Hex.Parse("0000044C"), Hex.Parse("0005"), Hex.Parse("000003E8"), 0x02, s_terminalId, s_date, s_time, tac);
        PurseCrypto.Mac(Hex.Parse("8888888888888888"), Hex.Parse("0000044C" + "0005" + "000003E8" + "02" + "001122334455" + "20120229" + "135100"), expected);
        Assert.Equal(expected, tac);
    }

    [Fact]
    public void Card_key_diversification_is_3des_of_the_diversifier_and_its_complement()
    {
        byte[] mk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] asn = Hex.Parse("1000000000000001");
        byte[] cardKey = new byte[16];
        PurseCrypto.DiversifyKey(mk, asn, cardKey);
        using var tdes = BlockCipher.Create(CipherAlgorithm.TripleDes, mk);
        Assert.Equal(tdes.EncryptEcb(Hex.Parse("1000000000000001EFFFFFFFFFFFFFFE")), cardKey);
    }

    [Theory]
    [InlineData("amount of 3 bytes", "amount")]
    [InlineData("terminal ID of 5 bytes", "terminalId")]
    [InlineData("terminal serial of 2 bytes", "terminalSerial")]
    [InlineData("card random of 8 bytes", "cardRandom")]
    [InlineData("ATC of 1 byte", "offlineAtc")]
    [InlineData("DTK of 8 bytes", "tacKey")]
    public void Malformed_fields_are_rejected_naming_the_field(string description, string parameter)
    {
        _ = description;
        byte[] mac = new byte[4];
        byte[] key8 = new byte[8];
        var ex = Assert.Throws<ArgumentException>(() =>
        {
            switch (parameter)
            {
                case "amount":
                    PurseCrypto.PurchaseMac1(key8, new byte[3], 6, s_terminalId, s_date, s_time, mac);
                    break;
                case "terminalId":
                    PurseCrypto.PurchaseMac1(key8, s_amount, 6, new byte[5], s_date, s_time, mac);
                    break;
                case "terminalSerial":
                    PurseCrypto.PurchaseSessionKey(s_purchaseKey, new byte[4], new byte[2], new byte[2], key8);
                    break;
                case "cardRandom":
                    PurseCrypto.LoadSessionKey(s_purchaseKey, new byte[8], new byte[2], key8);
                    break;
                case "offlineAtc":
                    PurseCrypto.PurchaseSessionKey(s_purchaseKey, new byte[4], new byte[1], s_terminalSerial, key8);
                    break;
                default:
                    PurseCrypto.PurchaseTac(new byte[8], s_amount, 6, s_terminalId, s_terminalSerial, s_date, s_time, mac);
                    break;
            }
        });
        Assert.Equal(parameter, ex.ParamName);
    }

    private static byte[] PurchaseSessionKey()
    {
        byte[] sespk = new byte[8];
        PurseCrypto.PurchaseSessionKey(s_purchaseKey, Hex.Parse("11223344"), Hex.Parse("0000"), s_terminalSerial, sespk);
        return sespk;
    }
}
