using Jinka.Core;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Emv;

/// <summary>
/// The SM suite's cryptograms. No public SM4 AC/ARPC vector exists (ADDENDUM §6 "not yet found"), so each value is
/// checked against its definition computed with independent primitive calls.
/// </summary>
public class SmCryptogramTests
{
    private static readonly AlgorithmSuite s_suite = AlgorithmSuite.Sm;
    private static readonly byte[] s_sk = Hex.Parse("0834652205547933E8F81121B2C5AC80");
    private static readonly byte[] s_acData = Hex.Parse("000000000100 000000000000 0156 0000000000 0156 240101 00 12345678 7C00 0001 03A00000");

    [Fact]
    public void Sm_ac_is_the_leftmost_8_bytes_of_the_sm4_cbc_mac_over_16_byte_padding()
    {
        // 37 bytes of data → 80 then zeros to 48 (ADDENDUM 1.4), CBC with IV 0, last block, leftmost 8.
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, s_sk);
        byte[] padded = Hex.Parse(Hex.Encode(s_acData) + "80" + new string('0', 2 * 10));
        Assert.Equal(48, padded.Length);
        byte[] expected = sm4.EncryptCbc(new byte[16], padded)[32..40];
        byte[] ac = s_suite.GenerateAc(s_sk, s_acData);
        Assert.Equal(expected, ac);
        Assert.True(s_suite.VerifyAc(s_sk, s_acData, ac));
    }

    [Fact]
    public void Sm_arpc_method_1_encrypts_arqc_xor_arc_padded_with_zeros_to_16()
    {
        byte[] arqc = s_suite.GenerateAc(s_sk, s_acData);
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, s_sk);
        byte[] block = new byte[16];
        arqc.CopyTo(block, 0);
        block[0] ^= 0x30;
        block[1] ^= 0x30;
        byte[] expected = sm4.EncryptEcb(block)[..8];
        Assert.Equal(expected, s_suite.Arpc1(s_sk, arqc, "00"u8));
    }

    [Fact]
    public void Sm_script_mac_is_4_bytes_of_the_sm4_cbc_mac()
    {
        byte[] input = Hex.Parse("04DA9F790A" + "0001" + "1122334455667788" + "000000010000");
        using var sm4 = BlockCipher.Create(CipherAlgorithm.Sm4, s_sk);
        byte[] full = Iso9797Mac.ComputeAlgorithm1(sm4, input, PaddingMethod.Iso9797Method2);
        Assert.Equal(full[..4], s_suite.ScriptMac(s_sk, input));
    }

    [Fact]
    public void Sm_chain_from_NOTES_A4_runs_end_to_end()
    {
        byte[] mdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
        byte[] udk = s_suite.DeriveUdk(mdk, "6225880000000001");
        byte[] sk = s_suite.DeriveSessionKey(udk, Hex.Parse("0001"));
        Assert.Equal(s_sk, sk);
        Assert.Equal(0x04, s_suite.AlgorithmIdentifier);
        Assert.Same(s_suite, AlgorithmSuite.FromAlgorithmIdentifier(0x04));
    }
}
