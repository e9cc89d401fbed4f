using Jinka.Testing;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto.GlobalPlatform;

namespace Jinka.Card.Tests.GlobalPlatform;

/// <summary>STORE DATA through the ISD: block numbering, DGI parsing, decryption of secret DGIs, routing and rollback.</summary>
public class StoreDataTests
{
    private static (VirtualCard Card, GpHost Host) ReadyToPersonalize(Scp02SecurityLevel level = Scp02SecurityLevel.CMac)
    {
        var card = GpCards.WithIsd();
        var host = GpHost.Open(card, level);
        Assert.Equal("9000", host.Sw(GpCards.InstallPboc()));
        Assert.Equal("9000", host.Sw(GpCards.InstallForPersonalization(GpCards.Pboc)));
        return (card, host);
    }

    private static byte[] Dgis(params (ushort Dgi, string Value)[] dgis) => DgiEncoding.Encode(dgis.Select(d => new DgiElement(d.Dgi, Hex.Parse(d.Value))));

    /// <summary>A secret value as data preparation sends it: padded 80 00… when not aligned, 3DES-ECB under the DEK session key.</summary>
    private static string Encrypt(GpHost host, string clearHex) => Hex.Encode(host.Session.EncryptKey(DgiProtection.Pad(Hex.Parse(clearHex))));

    [Fact]
    public void Dgis_reach_the_application_in_order_with_the_last_block_flag()
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x0101, "7003570111"), (0x9102, "5003414243")))));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x01, Dgis((0x9200, "9F1003070101")))));
        }

        var received = RecordingApplication.Received(card, GpCards.Pboc);
        Assert.Equal(
            [(0x0101, "7003570111", false), (0x9102, "5003414243", false), (0x9200, "9F1003070101", true)],
            received.Select(r => ((int)r.Dgi, r.ValueHex, r.Last)).ToArray());
        Assert.Equal(ApplicationLifeCycle.Personalized, card.Applications.Single(e => e.Aid == GpCards.Pboc).LifeCycle);
    }

    [Fact]
    public void A_command_may_mix_one_byte_and_three_byte_lengths()
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            var data = Hex.Parse("010103700100" + "0201FF0003700100");
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x00, data)));
        }

        Assert.Equal([0x0101, 0x0201], RecordingApplication.Received(card, GpCards.Pboc).Select(r => (int)r.Dgi));
    }

    [Theory]
    [InlineData(0x00, 0x01, "6A86", "the first block numbered 01")]
    [InlineData(0x20, 0x00, "6A86", "encryption bits 01 (application dependent) are not offered")]
    [InlineData(0x40, 0x00, "6A86", "encryption bits 10 (RFU)")]
    [InlineData(0x10, 0x00, "6A86", "data structure bits 10 (BER-TLV) are not DGIs")]
    [InlineData(0x01, 0x00, "6A86", "RFU bit b1")]
    [InlineData(0x08, 0x00, "9000", "b5–b4 = 01 says DGI format")]
    public void Store_data_checks_p1_and_the_block_number(byte p1, byte p2, string expected, string description)
    {
        var (_, host) = ReadyToPersonalize();
        using (host)
        {
            Check.Equal(expected, host.Sw(GpCards.StoreData(p1, p2, Dgis((0x0101, "700100")))), description);
        }
    }

    [Fact]
    public void Blocks_must_run_00_01_02_and_nothing_follows_the_last()
    {
        var (_, host) = ReadyToPersonalize();
        using (host)
        {
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x0101, "700100")))));
            Assert.Equal("6A86", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x0102, "700100")))));
            Assert.Equal("6A86", host.Sw(GpCards.StoreData(0x00, 0x02, Dgis((0x0102, "700100")))));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x01, Dgis((0x0102, "700100")))));
            Assert.Equal("6985", host.Sw(GpCards.StoreData(0x00, 0x02, Dgis((0x0103, "700100")))));
        }
    }

    [Fact]
    public void Store_data_before_install_for_personalisation_answers_6985()
    {
        var card = GpCards.WithIsd();
        using var host = GpHost.Open(card);
        Assert.Equal("6985", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis((0x0101, "700100")))));
    }

    [Theory]
    [InlineData("0101", "a DGI cut short")]
    [InlineData("010105700100", "a length past the end")]
    [InlineData("0101037001000202", "a whole DGI then two stray bytes")]
    public void Data_that_is_not_whole_dgis_answers_6A80(string data, string description)
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            Check.Equal("6A80", host.Sw(GpCards.StoreData(0x80, 0x00, Hex.Parse(data))), description);
        }

        Assert.Empty(RecordingApplication.Received(card, GpCards.Pboc));
    }

    [Fact]
    public void Encrypted_dgis_are_decrypted_with_the_dek_session_key_and_unpadded_by_their_defined_length()
    {
        var (card, host) = ReadyToPersonalize();
        string keys = string.Concat(Enumerable.Range(0, 48).Select(i => $"{i + 0x10:X2}"));
        string pinBlock = "241234FFFFFFFFFF";
        string modulus = "C1" + new string('5', 2 * 98) + "07";      // 100 bytes: CRT parts of 50 bytes, padded to 56
        string qInv = new string('3', 2 * 49) + "80";                  // ends in 80: only the defined length tells padding apart
        using (host)
        {
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x8206, modulus)))));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x60, 0x01, Dgis((0x8000, Encrypt(host, keys)), (0x8010, Encrypt(host, pinBlock))))));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0xE0, 0x02, Dgis((0x8201, Encrypt(host, qInv))))));
        }

        var received = RecordingApplication.Received(card, GpCards.Pboc);
        Assert.Equal(keys, received.Single(r => r.Dgi == 0x8000).ValueHex);
        Assert.Equal(pinBlock, received.Single(r => r.Dgi == 0x8010).ValueHex);
        Assert.Equal(qInv, received.Single(r => r.Dgi == 0x8201).ValueHex);
    }

    [Fact]
    public void An_encrypted_dgi_computed_with_openssl_decrypts_on_the_card()
    {
        // Our own vector with `openssl enc -des-ede-cbc` and `-des-ede-ecb`: keys 404142…4F, sequence counter 0000 →
        // DEK session key E11987EE331B417A5D67D760692F89D4; 00 01 … 2F under it (ECB) is the ciphertext below.
        var (card, host) = ReadyToPersonalize();
        Assert.Equal("0000", Hex.Encode(host.SequenceCounter));
        using (host)
        {
            string ciphertext = "1D432D81BC7842AE4428D04B4C87FCA5B441C7006707FC61E227F805615CAF0A1393290339C75836BB8903E77DB76B63";
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0xE0, 0x00, Dgis((0x8000, ciphertext)))));
        }

        Assert.Equal(string.Concat(Enumerable.Range(0, 48).Select(i => $"{i:X2}")), RecordingApplication.Received(card, GpCards.Pboc).Single().ValueHex);
    }

    [Fact]
    public void The_crt_part_length_follows_the_modulus_and_an_odd_half_is_unpadded()
    {
        var (card, host) = ReadyToPersonalize();
        string modulus = "C1" + new string('5', 2 * 119) + "07";     // 121 bytes → CRT parts of ⌈121 / 2⌉ = 61 bytes
        string part = new string('3', 2 * 60) + "80";
        using (host)
        {
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x8206, modulus)))));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0xE0, 0x01, Dgis((0x8205, Encrypt(host, part))))));
        }

        Assert.Equal(part, RecordingApplication.Received(card, GpCards.Pboc).Single(r => r.Dgi == 0x8205).ValueHex);
    }

    [Theory]
    [InlineData(0x8201, "00", "a CRT part before the modulus (8206)", "6985")]
    [InlineData(0x8000, "0011", "a value that is not a multiple of 8", "6A80")]
    [InlineData(0x8010, "0000000000000000" + "0000000000000000", "16 bytes for the 8-byte PIN block", "6A80")]
    public void Encrypted_dgis_that_do_not_decrypt_to_their_defined_form_are_refused(int dgi, string ciphertext, string description, string expected)
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            Check.Equal(expected, host.Sw(GpCards.StoreData(0xE0, 0x00, Dgis(((ushort)dgi, ciphertext)))), description);
        }

        Assert.Empty(RecordingApplication.Received(card, GpCards.Pboc));
    }

    [Theory]
    [InlineData(0x8000)]
    [InlineData(0x8030)]
    [InlineData(0x8100)]
    [InlineData(0x8203)]
    [InlineData(0x8010)]
    public void A_secret_dgi_sent_in_clear_is_refused_with_6982(int dgi)
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            Assert.Equal("6982", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis(((ushort)dgi, "0000000000000000")))));
        }

        Assert.Empty(RecordingApplication.Received(card, GpCards.Pboc));
    }

    [Fact]
    public void A_dgi_the_application_refuses_rolls_the_whole_block_back_and_the_block_can_be_sent_again()
    {
        var (card, host) = ReadyToPersonalize();
        using (host)
        {
            Assert.Equal("6A80", host.Sw(GpCards.StoreData(0x00, 0x00, Dgis((0x0101, "700100"), (RecordingApplication.RefusedDgi, "00")))));
            Assert.Empty(RecordingApplication.Received(card, GpCards.Pboc));
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis((0x0101, "700100")))));
        }

        Assert.Single(RecordingApplication.Received(card, GpCards.Pboc));
    }

    [Fact]
    public void Store_data_works_under_c_decryption_too()
    {
        var (card, host) = ReadyToPersonalize(Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption);
        using (host)
        {
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis((0x9200, "9F1003070101")))));
        }

        Assert.Equal("9F1003070101", RecordingApplication.Received(card, GpCards.Pboc).Single().ValueHex);
    }

    [Fact]
    public void The_pse_is_personalised_by_the_domain_record_dgis_and_9102_replace_the_built_directory()
    {
        var card = GpCards.WithIsd();
        using (var host = GpHost.Open(card))
        {
            var install = InstallData.ForInstall(ExecutableModuleTable.JinkaLoadFile, ExecutableModuleTable.PseModule, Aid.Pse, ApplicationPrivileges.None);
            Assert.Equal("9000", host.Sw(new CommandApdu(0x80, 0xE6, 0x0C, 0x00, install.Encode(), 256)));
            Assert.Equal("9000", host.Sw(GpCards.InstallForPersonalization(Aid.Pse)));
            var record = "701B6119" + "4F08A000000333010101" + "500A50424F43204445424954" + "870101";
            Assert.Equal("9000", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis((0x0101, record), (0x9102, "8801015F2D047A68656E")))));

            // A DGI the directory has no use for.
            Assert.Equal("9000", host.Sw(GpCards.InstallForPersonalization(Aid.Pse)));
            Assert.Equal("6A80", host.Sw(GpCards.StoreData(0x80, 0x00, Dgis((0x9200, "00")))));
        }

        var select = card.Process(ApduCommands.SelectByName(Aid.Pse.Span));
        Assert.Equal("6F1C840E315041592E5359532E4444463031A50A8801015F2D047A68656E", Hex.Encode(select.Data.Span));
        Assert.Equal("701B6119" + "4F08A000000333010101" + "500A50424F43204445424954" + "870101", Hex.Encode(card.Send("00B2010C00").Data.Span));
    }
}
