using System.Text;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;

namespace Jinka.Iso8583.Tests.Crypto;

/// <summary>The TMK → working key hierarchy of <see cref="ITerminalKeyStore"/> in the software key store.</summary>
public sealed class TerminalKeyStoreTests
{
    private static readonly byte[] Tmk = Convert.FromHexString("0123456789ABCDEFFEDCBA9876543210");

    [Fact]
    public void Published_TAK_imported_under_the_published_TMK_gives_the_published_MAC()
    {
        using var terminal = new SoftwareKeyStore();
        terminal.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, PublishedMessages.PurchaseTmk);
        byte[] checkValue = KeyCheckValue.Compute(CipherAlgorithm.Des, PublishedMessages.PurchaseTak, 4);

        terminal.ImportWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication, PublishedMessages.PurchaseTakEncrypted, checkValue);
        byte[] mac = new byte[8];
        terminal.GenerateCupPosMac("mak", PublishedMessages.PurchaseMacBlock, mac);

        Assert.Equal(PublishedMessages.PurchaseMac, Encoding.ASCII.GetString(mac));
        Assert.True(terminal.VerifyCupPosMac("mak", PublishedMessages.PurchaseMacBlock, mac));
    }

    [Fact]
    public void Host_generated_working_keys_import_at_the_terminal_and_agree()
    {
        using var host = new SoftwareKeyStore();
        using var terminal = new SoftwareKeyStore();
        host.ImportClearKey("tmk-T1", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);
        terminal.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);

        var pik = host.GenerateWorkingKey("tmk-T1", "pik-T1", KeyUsage.PinEncryption);
        var mak = host.GenerateWorkingKey("tmk-T1", "mak-T1", KeyUsage.MessageAuthentication);
        terminal.ImportWorkingKey("tmk", "pik", KeyUsage.PinEncryption, pik.Ciphertext, pik.CheckValue);
        terminal.ImportWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication, mak.Ciphertext, mak.CheckValue);

        byte[] data = Encoding.ASCII.GetBytes("0200 any message bytes");
        byte[] mac = new byte[8];
        terminal.GenerateCupPosMac("mak", data, mac);
        Assert.True(host.VerifyCupPosMac("mak-T1", data, mac));
        Assert.Equal(4, mak.CheckValue.Length);

        byte[] clear = Convert.FromHexString("041234FEDCBA9876");
        byte[] encrypted = new byte[8];
        byte[] decrypted = new byte[8];
        terminal.EncryptPinBlock("pik", clear, encrypted);
        host.DecryptPinBlock("pik-T1", encrypted, decrypted);
        Assert.NotEqual(clear, encrypted);
        Assert.Equal(clear, decrypted);
    }

    [Fact]
    public void A_new_sign_on_replaces_the_MAK_and_old_MACs_stop_verifying()
    {
        using var host = new SoftwareKeyStore();
        host.ImportClearKey("tmk-T1", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);
        host.GenerateWorkingKey("tmk-T1", "mak-T1", KeyUsage.MessageAuthentication);
        byte[] data = [1, 2, 3];
        byte[] mac = new byte[8];
        host.GenerateCupPosMac("mak-T1", data, mac);

        var second = host.GenerateWorkingKey("tmk-T1", "mak-T1", KeyUsage.MessageAuthentication);

        Assert.False(host.VerifyCupPosMac("mak-T1", data, mac));
        Assert.Equal(Convert.ToHexString(second.CheckValue)[..6], host.GetInfo("mak-T1").KeyCheckValue);
    }

    [Fact]
    public void Wrong_check_value_or_master_key_is_refused()
    {
        using var host = new SoftwareKeyStore();
        using var terminal = new SoftwareKeyStore();
        host.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);
        terminal.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Convert.FromHexString("FEDCBA98765432100123456789ABCDEF"));
        var mak = host.GenerateWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication);

        Assert.Throws<KeyStoreException>(() => terminal.ImportWorkingKey("tmk", "mak", KeyUsage.MessageAuthentication, mak.Ciphertext, mak.CheckValue));
        Assert.False(terminal.TryGetInfo("mak", out _));
    }

    [Fact]
    public void Working_keys_never_replace_other_keys_and_need_a_terminal_master_key()
    {
        using var store = new SoftwareKeyStore();
        store.ImportClearKey("tmk", KeyUsage.TerminalMaster, CipherAlgorithm.TripleDes, Tmk);
        store.ImportClearKey("mdk", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, Tmk);
        store.ImportClearKey("kek", KeyUsage.Kek, CipherAlgorithm.TripleDes, Tmk);

        Assert.Throws<KeyStoreException>(() => store.GenerateWorkingKey("tmk", "mdk", KeyUsage.MessageAuthentication));
        Assert.Throws<KeyStoreException>(() => store.GenerateWorkingKey("kek", "mak", KeyUsage.MessageAuthentication));
        Assert.Throws<ArgumentException>(() => store.GenerateWorkingKey("tmk", "x", KeyUsage.MdkAc));
        Assert.Throws<ArgumentException>(() => store.GenerateWorkingKey("tmk", "pik", KeyUsage.PinEncryption, 8));
        Assert.Equal(KeyUsage.MdkAc, store.GetInfo("mdk").Usage);
    }
}
