using System.Reflection;
using Jinka.Core;
using Jinka.Crypto.Emv;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Crypto.Tests.Keys;

public sealed class SoftwareKeyStoreTests : IDisposable
{
    private static readonly byte[] s_mdk = Hex.Parse("0123456789ABCDEFFEDCBA9876543210");
    private static readonly byte[] s_acData = Hex.Parse("00000000010000000000000001560000000000015624010100123456787C00000103A00000");
    private readonly SoftwareKeyStore _store = new();

    public SoftwareKeyStoreTests()
    {
        _store.ImportClearKey("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdk, Hex.Parse("08D7B4"));
        _store.ImportClearKey("mac", KeyUsage.MdkMac, CipherAlgorithm.TripleDes, s_mdk);
        _store.ImportClearKey("enc", KeyUsage.MdkEnc, CipherAlgorithm.TripleDes, s_mdk);
        _store.ImportClearKey("sm-ac", KeyUsage.MdkAc, CipherAlgorithm.Sm4, s_mdk);
    }

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Verifies_the_NOTES_A3_arqc_and_answers_with_its_arpc()
    {
        Assert.True(_store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.Pboc));
        byte[] arpc = new byte[8];
        _store.GenerateArpc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), Hex.Parse("A6364607F31A5DB3"), "00"u8, EmvKeyScheme.Pboc, arpc);
        Assert.Equal("BB4244A6AA844C52", Hex.Encode(arpc));
    }

    [Fact]
    public void Rejects_a_wrong_arqc_and_wrong_card_data()
    {
        Assert.False(_store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5DB2"), EmvKeyScheme.Pboc));
        Assert.False(_store.VerifyArqc("ac", "6225880000000002", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.Pboc));
        Assert.False(_store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0002"), s_acData, Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.Pboc));
        Assert.False(_store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5DB3"), EmvKeyScheme.EmvCommon));
        Assert.Throws<ArgumentException>(() => _store.VerifyArqc("ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, Hex.Parse("A6364607F31A5D"), EmvKeyScheme.Pboc));
    }

    [Fact]
    public void Sm4_master_key_gives_sm_cryptograms()
    {
        byte[] sk = AlgorithmSuite.Sm.DeriveSessionKey(AlgorithmSuite.Sm.DeriveUdk(s_mdk, "6225880000000001"), Hex.Parse("0001"));
        Assert.Equal("0834652205547933E8F81121B2C5AC80", Hex.Encode(sk));
        byte[] arqc = AlgorithmSuite.Sm.GenerateAc(sk, s_acData);
        Assert.True(_store.VerifyArqc("sm-ac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, arqc, EmvKeyScheme.Pboc));
        byte[] arpc = new byte[8];
        _store.GenerateArpc("sm-ac", "6225880000000001", 0x00, Hex.Parse("0001"), arqc, "00"u8, EmvKeyScheme.Pboc, arpc);
        Assert.Equal(AlgorithmSuite.Sm.Arpc1(sk, arqc, "00"u8), arpc);
    }

    [Fact]
    public void Script_mac_and_encryption_match_the_suite_with_derived_keys()
    {
        byte[] atc = Hex.Parse("0001");
        byte[] sk = AlgorithmSuite.International.DeriveSessionKey(AlgorithmSuite.International.DeriveUdk(s_mdk, "6225880000000001"), atc);
        byte[] macInput = Hex.Parse("04DA9F790A" + "0001" + "A6364607F31A5DB3" + "000000010000");
        byte[] mac = new byte[4];
        _store.GenerateScriptMac("mac", "6225880000000001", 0x00, atc, macInput, EmvKeyScheme.Pboc, mac);
        Assert.Equal(AlgorithmSuite.International.ScriptMac(sk, macInput), mac);
        byte[] encrypted = _store.EncryptScriptData("enc", "6225880000000001", 0x00, atc, Hex.Parse("241234FFFFFFFFFF"), EmvKeyScheme.Pboc);
        Assert.Equal(AlgorithmSuite.International.EncryptScriptData(sk, Hex.Parse("241234FFFFFFFFFF")), encrypted);

        byte[] arpc2 = new byte[4];
        _store.GenerateArpcMethod2("ac", "6225880000000001", 0x00, atc, Hex.Parse("A6364607F31A5DB3"), Hex.Parse("00000000"), default, EmvKeyScheme.Pboc, arpc2);
        Assert.Equal(AlgorithmSuite.International.Arpc2(sk, Hex.Parse("A6364607F31A5DB3"), Hex.Parse("00000000")), arpc2);
    }

    [Fact]
    public void Usage_is_enforced()
    {
        var ex = Assert.Throws<KeyStoreException>(() => _store.VerifyArqc("mac", "6225880000000001", 0x00, Hex.Parse("0001"), s_acData, new byte[8], EmvKeyScheme.Pboc));
        Assert.Contains("MdkAc", ex.Message, StringComparison.Ordinal);
        Assert.Throws<KeyStoreException>(() => _store.EncryptScriptData("ac", "6225880000000001", 0x00, Hex.Parse("0001"), new byte[8], EmvKeyScheme.Pboc));
        Assert.Throws<KeyStoreException>(() => _store.GenerateScriptMac("enc", "6225880000000001", 0x00, Hex.Parse("0001"), new byte[8], EmvKeyScheme.Pboc, new byte[4]));
        Assert.Throws<KeyStoreException>(() => _store.GetInfo("missing"));
    }

    [Fact]
    public void Import_checks_kcv_duplicates_and_lengths()
    {
        Assert.Throws<KeyStoreException>(() => _store.ImportClearKey("bad-kcv", KeyUsage.Kek, CipherAlgorithm.TripleDes, s_mdk, Hex.Parse("000000")));
        Assert.False(_store.TryGetInfo("bad-kcv", out _));
        Assert.Throws<KeyStoreException>(() => _store.ImportClearKey("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdk));
        Assert.Throws<ArgumentException>(() => _store.ImportClearKey("short", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, new byte[8]));
        Assert.Throws<ArgumentException>(() => _store.ImportClearKey("with space", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, s_mdk));
    }

    [Fact]
    public void Key_info_and_listing_carry_kcv_but_no_key_material()
    {
        var info = _store.GetInfo("ac");
        Assert.Equal(new KeyInfo("ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, 16, "08D7B4"), info);
        Assert.Equal("08D7B4", Hex.Encode(_store.KeyCheckValue("ac")));
        Assert.Equal(["ac", "enc", "mac", "sm-ac"], _store.ListKeys().Select(k => k.Label));
        Assert.DoesNotContain(typeof(KeyInfo).GetProperties(), p => p.PropertyType == typeof(byte[]) || p.PropertyType == typeof(ReadOnlyMemory<byte>));
    }

    [Fact]
    public void Host_facing_interface_has_no_member_that_can_return_key_material()
    {
        // Only booleans, descriptions, 3-byte KCVs, cryptograms written into caller spans, script ciphertext and
        // KEK-wrapped keys and 4-digit PVVs (string) leave the store.
        var allowed = new HashSet<Type> { typeof(bool), typeof(void), typeof(KeyInfo), typeof(IReadOnlyList<KeyInfo>), typeof(byte[]), typeof(WrappedKey), typeof(string) };
        foreach (var method in typeof(IKeyStore).GetMethods(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.Contains(method.ReturnType, allowed);
        }

        byte[] kcv = _store.KeyCheckValue("ac");
        Assert.Equal(3, kcv.Length);
        byte[] script = _store.EncryptScriptData("enc", "6225880000000001", 0x00, Hex.Parse("0001"), new byte[16], EmvKeyScheme.Pboc);
        Assert.False(script.AsSpan().IndexOf(s_mdk.AsSpan(0, 8)) >= 0);
    }

    [Fact]
    public void Exported_card_key_is_wrapped_under_the_kek_with_the_udk_kcv()
    {
        byte[] kek = Hex.Parse("11111111111111112222222222222222");
        _store.ImportClearKey("kek", KeyUsage.Kek, CipherAlgorithm.TripleDes, kek);
        var wrapped = _store.ExportCardKey("ac", "kek", "6225880000000001", 0x00, UdkOption.OptionA);
        Assert.Equal("237385", wrapped.KeyCheckValue);
        using var unwrap = BlockCipher.Create(CipherAlgorithm.TripleDes, kek);
        Assert.Equal("A4855751C29237E91F01E9679DC85E61", Hex.Encode(unwrap.DecryptEcb(wrapped.Ciphertext)));
        Assert.Throws<KeyStoreException>(() => _store.ExportCardKey("ac", "mac", "6225880000000001", 0x00, UdkOption.OptionA));
    }

    [Fact]
    public void Removed_and_disposed_keys_are_gone()
    {
        Assert.True(_store.Remove("enc"));
        Assert.False(_store.Remove("enc"));
        Assert.Throws<KeyStoreException>(() => _store.EncryptScriptData("enc", "6225880000000001", 0x00, Hex.Parse("0001"), new byte[8], EmvKeyScheme.Pboc));

        var store = new SoftwareKeyStore();
        var info = store.GenerateKey("gen", KeyUsage.MdkAc, CipherAlgorithm.Sm4);
        Assert.Equal(6, info.KeyCheckValue.Length);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.GetInfo("gen"));
    }

    [Fact]
    public void Concurrent_verifications_and_key_changes_are_safe()
    {
        byte[] arqc = Hex.Parse("A6364607F31A5DB3");
        int failures = 0;
        Parallel.For(0, 200, i =>
        {
            if (i % 20 == 0)
            {
                _store.GenerateKey($"tmp{i}", KeyUsage.Kek, CipherAlgorithm.TripleDes);
                _store.Remove($"tmp{i}");
            }

            if (!_store.VerifyArqc("ac", "6225880000000001", 0x00, [0x00, 0x01], s_acData, arqc, EmvKeyScheme.Pboc))
            {
                Interlocked.Increment(ref failures);
            }
        });
        Assert.Equal(0, failures);
    }
}
