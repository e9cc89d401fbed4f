using System.Text;
using Jinka.Core;
using Jinka.Crypto.Symmetric;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Tests.Crypto;

/// <summary>The CUP POS MAC (field 64) against the two published messages, and its steps against an independent computation.</summary>
public sealed class CupPosMacTests
{
    [Fact]
    public void Published_purchase_MAC_is_8A9E91B8()
    {
        byte[] mac = CupPosMac.Compute(PublishedMessages.PurchaseTak, PublishedMessages.PurchaseMacBlock);

        Assert.Equal(PublishedMessages.PurchaseMac, Encoding.ASCII.GetString(mac));
    }

    [Fact]
    public void Published_TAK_decrypts_under_the_published_TMK()
    {
        using var tmk = BlockCipher.Create(CipherAlgorithm.TripleDes, PublishedMessages.PurchaseTmk);

        Assert.Equal(PublishedMessages.PurchaseTak, tmk.DecryptEcb(PublishedMessages.PurchaseTakEncrypted));
    }

    [Fact]
    public void Published_frame_MAC_is_B3A092AE_over_MTI_to_field_62()
    {
        var (_, message) = CupPosFrame.ReadFramed(PublishedMessages.QrFrame);

        byte[] mac = CupPosMac.Compute(PublishedMessages.QrTak, message.MacBlock);

        Assert.Equal(PublishedMessages.QrMac, Encoding.ASCII.GetString(mac));
        Assert.Equal(message.Mac.ToArray(), mac);
    }

    [Theory]
    [InlineData("one short block", "0102030405")]
    [InlineData("exactly two blocks", "00112233445566778899AABBCCDDEEFF")]
    [InlineData("empty", "")]
    [InlineData("17 bytes", "000102030405060708090A0B0C0D0E0F10")]
    public void Matches_the_steps_done_by_hand_with_3DES(string description, string data)
    {
        _ = description;
        byte[] key = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] input = Hex.Parse(data);

        // XOR of 8-byte blocks (00-padded), hex-expanded, E(left) XOR right, E again, first 8 hex characters.
        byte[] padded = new byte[(input.Length + 7) / 8 * 8];
        input.CopyTo(padded, 0);
        byte[] folded = new byte[8];
        for (int i = 0; i < padded.Length; i++)
        {
            folded[i % 8] ^= padded[i];
        }

        byte[] expanded = Encoding.ASCII.GetBytes(Convert.ToHexString(folded));
        using var cipher = BlockCipher.Create(CipherAlgorithm.TripleDes, key);
        byte[] first = cipher.EncryptEcb(expanded.AsSpan(0, 8));
        for (int i = 0; i < 8; i++)
        {
            first[i] ^= expanded[8 + i];
        }

        byte[] second = cipher.EncryptEcb(first);
        string expected = Convert.ToHexString(second)[..8];

        Assert.Equal(expected, Encoding.ASCII.GetString(CupPosMac.Compute(key, input)));
    }

    [Fact]
    public void A_changed_byte_fails_verification()
    {
        using var tak = BlockCipher.Create(CipherAlgorithm.Des, PublishedMessages.PurchaseTak);
        byte[] altered = [.. PublishedMessages.PurchaseMacBlock];
        altered[20] ^= 0x01;

        Assert.True(CupPosMac.Verify(tak, PublishedMessages.PurchaseMacBlock, "8A9E91B8"u8));
        Assert.False(CupPosMac.Verify(tak, altered, "8A9E91B8"u8));
        Assert.False(CupPosMac.Verify(tak, PublishedMessages.PurchaseMacBlock, "8A9E91"u8));
    }
}
