using Jinka.Core;
using Jinka.Crypto.GlobalPlatform;
using Jinka.Crypto.Symmetric;
using Jinka.Crypto.Tests.Peers;
using Jinka.Crypto.Tests.Symmetric;

namespace Jinka.Crypto.Tests.GlobalPlatform;

public class Scp02Tests
{
    private static readonly byte[] s_enc = Hex.Parse("404142434445464748494A4B4C4D4E4F");
    private static readonly byte[] s_mac = Hex.Parse("505152535455565758595A5B5C5D5E5F");
    private static readonly byte[] s_dek = Hex.Parse("606162636465666768696A6B6C6D6E6F");
    private static readonly byte[] s_seq = Hex.Parse("0012");
    private static readonly byte[] s_hostChallenge = Hex.Parse("0102030405060708");
    private static readonly byte[] s_cardChallenge = Hex.Parse("A1A2A3A4A5A6");

    [Fact]
    public void ADDENDUM_V8_zero_keys()
    {
        byte[] zero = new byte[16];
        byte[] seq = Hex.Parse("0000");
        byte[] host = Hex.Parse("2923BE84E16CD6AE");
        byte[] card = Hex.Parse("3B2E0D1DBDB6");
        byte[] sEnc = Scp02.DeriveSessionKey(zero, Scp02SessionKeyType.SEnc, seq);
        byte[] cMac = Scp02.DeriveSessionKey(zero, Scp02SessionKeyType.CMac, seq);
        Assert.Equal("D988CD4D75B8B50A0182000000000000", Hex.Encode(sEnc));
        Assert.Equal("51E7C94C45B6C33A0101000000000000", Hex.Encode(cMac));

        byte[] cardCryptogram = new byte[8];
        Scp02.CardCryptogram(sEnc, host, seq, card, cardCryptogram);
        Assert.Equal("6C37957E5C362547", Hex.Encode(cardCryptogram));
        byte[] hostCryptogram = new byte[8];
        Scp02.HostCryptogram(sEnc, host, seq, card, hostCryptogram);
        Assert.Equal("B46141E4720FB2FA", Hex.Encode(hostCryptogram));

        byte[] mac = new byte[8];
        Scp02.CMac(cMac, new byte[8], [.. Hex.Parse("8482000010"), .. hostCryptogram], mac);
        Assert.Equal("4F47F205A88A3600", Hex.Encode(mac));

        // The same through a session object (security level 00 keeps P1 = 00 as in the vector).
        using var session = new Scp02Session(zero, zero, zero, seq);
        Assert.Equal(cardCryptogram, session.CardCryptogram(host, card));
        byte[] extAuth = session.BuildExternalAuthenticate(host, card, Scp02SecurityLevel.None);
        Assert.Equal("8482000010" + "B46141E4720FB2FA" + "4F47F205A88A3600", Hex.Encode(extAuth));
    }

    [Fact]
    public void Own_non_weak_key_vector_computed_with_openssl()
    {
        // Values computed with `openssl enc -des-ede-cbc` / `-des-cbc` (see the OpenSSL test below, which recomputes them).
        byte[] sEnc = Scp02.DeriveSessionKey(s_enc, Scp02SessionKeyType.SEnc, s_seq);
        byte[] cMac = Scp02.DeriveSessionKey(s_mac, Scp02SessionKeyType.CMac, s_seq);
        Assert.Equal("CB4ED15E982DB16EB630FE9F3E04D665", Hex.Encode(sEnc));
        Assert.Equal("7B662AF7928D819AA1983F924E90E5C6", Hex.Encode(cMac));
        using var session = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        Assert.Equal("9970B5FC2C95B105", Hex.Encode(session.CardCryptogram(s_hostChallenge, s_cardChallenge)));
        Assert.Equal("4CB953EBA79DC75F", Hex.Encode(session.HostCryptogram(s_hostChallenge, s_cardChallenge)));
        byte[] extAuth = session.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CMac);
        Assert.Equal("8482010010" + "4CB953EBA79DC75F" + "DB882C62BEE8C8E5", Hex.Encode(extAuth));
    }

    [OpenSslFact]
    public void Own_vector_matches_openssl_step_by_step()
    {
        byte[] sEnc = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-cbc", s_enc, new byte[8], Hex.Parse("01820012000000000000000000000000"), decrypt: false);
        Assert.Equal(Scp02.DeriveSessionKey(s_enc, Scp02SessionKeyType.SEnc, s_seq), sEnc);
        byte[] cMac = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-cbc", s_mac, new byte[8], Hex.Parse("01010012000000000000000000000000"), decrypt: false);
        Assert.Equal(Scp02.DeriveSessionKey(s_mac, Scp02SessionKeyType.CMac, s_seq), cMac);
        byte[] dek = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-cbc", s_dek, new byte[8], Hex.Parse("01810012000000000000000000000000"), decrypt: false);
        Assert.Equal(Scp02.DeriveSessionKey(s_dek, Scp02SessionKeyType.Dek, s_seq), dek);

        byte[] card = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-cbc", sEnc, new byte[8], Hex.Parse("01020304050607080012A1A2A3A4A5A68000000000000000"), decrypt: false)[^8..];
        byte[] host = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ede-cbc", sEnc, new byte[8], Hex.Parse("0012A1A2A3A4A5A601020304050607088000000000000000"), decrypt: false)[^8..];
        using var session = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        Assert.Equal(card, session.CardCryptogram(s_hostChallenge, s_cardChallenge));
        Assert.Equal(host, session.HostCryptogram(s_hostChallenge, s_cardChallenge));

        byte[] h = OpenSslCipherCrossCheckTests.OpenSslEnc("des-cbc", cMac[..8], new byte[8], [.. Hex.Parse("8482010010"), .. host, 0x80, 0, 0], decrypt: false)[^8..];
        byte[] mac = OpenSslCipherCrossCheckTests.OpenSslEnc("des-ecb", cMac[..8], null, OpenSslCipherCrossCheckTests.OpenSslEnc("des-ecb", cMac[8..], null, h, decrypt: true), decrypt: false);
        Assert.Equal(mac, session.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CMac)[^8..]);
    }

    [Fact]
    public void Icv_chain_uses_the_previous_mac_encrypted_with_single_des()
    {
        using var session = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        byte[] extAuth = session.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CMac);
        byte[] getStatus = session.Wrap(Hex.Parse("80F24000024F0000"));
        Assert.Equal("84F240000A4F00", Hex.Encode(getStatus[..7]));
        Assert.Equal(0x00, getStatus[^1]);

        byte[] cMac = Scp02.DeriveSessionKey(s_mac, Scp02SessionKeyType.CMac, s_seq);
        using var des = BlockCipher.Create(CipherAlgorithm.Des, cMac.AsSpan(0, 8));
        byte[] icv = des.EncryptEcb(extAuth[^8..]);
        byte[] expected = Iso9797Mac.ComputeAlgorithm3(cMac, Hex.Parse("84F240000A4F00"), PaddingMethod.Iso9797Method2, 8, icv);
        Assert.Equal(expected, getStatus[7..15]);
    }

    [Theory]
    [InlineData("case 1", "80F24000", "80F24000")]
    [InlineData("case 2", "80CA006600", "80CA006600")]
    [InlineData("case 3", "80E60C0003010203", "80E60C0003010203")]
    [InlineData("case 4", "80F24000024F0000", "80F24000024F0000")]
    public void Card_unwraps_what_the_host_wrapped_at_both_levels(string description, string command, string expectedPlain)
    {
        _ = description;
        foreach (var level in new[] { Scp02SecurityLevel.CMac, Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption })
        {
            using var host = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
            using var card = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
            byte[] extAuth = host.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, level);
            Assert.True(card.AcceptExternalAuthenticate(extAuth, s_hostChallenge, s_cardChallenge));
            Assert.Equal(level, card.SecurityLevel);
            for (int i = 0; i < 3; i++)
            {
                byte[] wrapped = host.Wrap(Hex.Parse(command));
                Assert.True(card.TryUnwrap(wrapped, out byte[]? plain));
                Assert.Equal(expectedPlain, Hex.Encode(plain));
            }
        }
    }

    [Fact]
    public void C_decryption_encrypts_the_data_and_a_tampered_command_is_refused()
    {
        using var host = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        using var card = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        var level = Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption;
        Assert.True(card.AcceptExternalAuthenticate(host.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, level), s_hostChallenge, s_cardChallenge));
        byte[] wrapped = host.Wrap(Hex.Parse("80E2000003DF0102"));
        Assert.Equal(5 + 8 + 8, wrapped.Length); // 3 data bytes pad to 8, then the MAC
        byte[] sEnc = Scp02.DeriveSessionKey(s_enc, Scp02SessionKeyType.SEnc, s_seq);
        using var tdes = BlockCipher.Create(CipherAlgorithm.TripleDes, sEnc);
        Assert.Equal("DF01028000000000", Hex.Encode(tdes.DecryptCbc(new byte[8], wrapped.AsSpan(5, 8))));

        wrapped[6] ^= 0x01;
        Assert.False(card.TryUnwrap(wrapped, out _));
    }

    [Fact]
    public void Wrong_host_cryptogram_or_mac_fails_external_authenticate()
    {
        using var host = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        using var card = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        byte[] extAuth = host.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CMac);
        Assert.False(card.AcceptExternalAuthenticate(extAuth, Hex.Parse("0102030405060709"), s_cardChallenge));
        extAuth[^1] ^= 0x80;
        Assert.False(card.AcceptExternalAuthenticate(extAuth, s_hostChallenge, s_cardChallenge));
        Assert.Equal(Scp02SecurityLevel.None, card.SecurityLevel);
        Assert.False(card.AcceptExternalAuthenticate(extAuth[..20], s_hostChallenge, s_cardChallenge));
    }

    [Fact]
    public void Malformed_inputs_are_rejected()
    {
        Assert.Equal("staticKey", Assert.Throws<ArgumentException>(() => Scp02.DeriveSessionKey(new byte[24], Scp02SessionKeyType.SEnc, s_seq)).ParamName);
        Assert.Equal("sequenceCounter", Assert.Throws<ArgumentException>(() => Scp02.DeriveSessionKey(s_enc, Scp02SessionKeyType.SEnc, new byte[3])).ParamName);
        using var session = new Scp02Session(s_enc, s_mac, s_dek, s_seq);
        Assert.Equal("cardChallenge", Assert.Throws<ArgumentException>(() => session.CardCryptogram(s_hostChallenge, new byte[8])).ParamName);
        session.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CMac);
        Assert.Throws<ArgumentException>(() => session.Wrap(Hex.Parse("80E2")));
        Assert.Throws<ArgumentException>(() => session.Wrap(Hex.Parse("80E2000005DF01")));
        Assert.Throws<ArgumentException>(() => session.Wrap([0x80, 0xE2, 0x00, 0x00, 250, .. new byte[250]]));
        Assert.Throws<ArgumentException>(() => session.BuildExternalAuthenticate(s_hostChallenge, s_cardChallenge, Scp02SecurityLevel.CDecryption));
    }
}
