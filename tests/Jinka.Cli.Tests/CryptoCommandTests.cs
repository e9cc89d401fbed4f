namespace Jinka.Cli.Tests;

/// <summary>The calculators reproduce published vectors end to end through the command line.</summary>
public class CryptoCommandTests
{
    private const string Mdk = "0123456789ABCDEFFEDCBA9876543210";

    [Theory]
    [InlineData("NOTES A.3 UDK", "6225880000000001", "00", "intl", "a", "A4855751C29237E91F01E9679DC85E61")]
    [InlineData("NOTES A.2 pyemv option A, 17-digit PAN", "99012345678901234", "45", "intl", "a", "67F8292358083E5EA7AB7FDA58D53B6B")]
    [InlineData("pyemv option B", "12345678901234567", "01", "intl", "b", "AD406D7F6D7570916D75E5DCAB8CF737")]
    [InlineData("NOTES A.4 SM4 UDK", "6225880000000001", "00", "sm", "a", "221260DE64685BD7DDC3D499F9DE4BAE")]
    public void Udk(string description, string pan, string psn, string suite, string option, string expected)
    {
        var result = Cli.Run("crypto", "udk", "--mdk", Mdk, "--pan", pan, "--psn", psn, "--suite", suite, "--option", option);
        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Equal(expected, result.Line);
    }

    [Theory]
    [InlineData("NOTES A.3 PBOC session key", "A4855751C29237E91F01E9679DC85E61", "0001", "pboc", "intl", "2668980DD6F75161A873CE86BF1F7FCB")]
    [InlineData("NOTES A.4 SM4 session key", "221260DE64685BD7DDC3D499F9DE4BAE", "0001", "pboc", "sm", "0834652205547933E8F81121B2C5AC80")]
    [InlineData("pyemv EMV common session key", Mdk, "001C", "emv", "intl", "E9FB384AF807B940FEDCEA613461B0C4")]
    public void Session_key(string description, string key, string atc, string method, string suite, string expected)
    {
        var result = Cli.Run("crypto", "session-key", "--key", key, "--atc", atc, "--method", method, "--suite", suite);
        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Equal(expected, result.Line);
    }

    [Fact]
    public void Ac_and_arpc_reproduce_the_pboc_chain()
    {
        const string sk = "2668980DD6F75161A873CE86BF1F7FCB";
        var ac = Cli.Run("crypto", "ac", "--key", sk, "--data", "000000000100 000000000000 0156 0000000000 0156 240101 00 12345678 7C00 0001 03A00000");
        Assert.Equal("A6364607F31A5DB3", ac.Line);
        var arpc = Cli.Run("crypto", "arpc", "--key", sk, "--arqc", ac.Line, "--arc", "3030");
        Assert.Equal("BB4244A6AA844C52", arpc.Line);
    }

    [Fact]
    public void Arpc_method_2_reproduces_pyemv()
    {
        var result = Cli.Run("crypto", "arpc", "--key", "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB", "--arqc", "1234567890ABCDEF", "--csu", "00000000", "--method", "2");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("9308BEBC", result.Line);
    }

    [Theory]
    [InlineData("GM/T 0002 example 1", "sm4", Mdk, Mdk, "681EDF34D206965E86B3E94F536E4246")]
    [InlineData("FIPS 81 / classic DES example through 3DES with K1=K2", "des3", "133457799BBCDFF1133457799BBCDFF1", "0123456789ABCDEF", "85E813540F0AB405")]
    public void Cipher_known_answers_and_decrypt_round_trip(string description, string command, string key, string plain, string cipher)
    {
        var encrypted = Cli.Run("crypto", command, "--key", key, "--data", plain);
        Assert.True(encrypted.ExitCode == 0, $"{description}: {encrypted}");
        Assert.Equal(cipher, encrypted.Line);
        var decrypted = Cli.Run("crypto", command, "--key", key, "--data", cipher, "--decrypt");
        Assert.Equal(plain, decrypted.Line);
    }

    [Fact]
    public void Cbc_uses_the_iv_and_differs_from_ecb()
    {
        var ecb = Cli.Run("crypto", "sm4", "--key", Mdk, "--data", Mdk + Mdk);
        var cbc = Cli.Run("crypto", "sm4", "--key", Mdk, "--data", Mdk + Mdk, "--mode", "cbc");
        Assert.Equal(ecb.Line[..32], cbc.Line[..32]); // zero IV: the first block is the same
        Assert.NotEqual(ecb.Line[32..], cbc.Line[32..]);
        var withIv = Cli.Run("crypto", "sm4", "--key", Mdk, "--data", Mdk, "--mode", "cbc", "--iv", "00000000000000000000000000000001");
        Assert.NotEqual(ecb.Line[..32], withIv.Line);
    }

    [Theory]
    [InlineData("3DES KCV", "intl", Mdk, "08D7B4")]
    [InlineData("SM4 KCV", "sm", Mdk, "2677F4")]
    public void Kcv(string description, string suite, string key, string expected)
    {
        var result = Cli.Run("crypto", "kcv", "--key", key, "--suite", suite);
        Assert.True(result.ExitCode == 0, $"{description}: {result}");
        Assert.Equal(expected, result.Line);
    }

    [Fact]
    public void Retail_mac_is_the_ac_algorithm()
    {
        // The PBOC AC is the retail MAC with padding method 2 (NOTES A.5.3): the two commands must agree.
        const string sk = "2668980DD6F75161A873CE86BF1F7FCB";
        const string data = "00000000010000000000000001560000000000015624010100123456787C00000103A00000";
        var mac = Cli.Run("crypto", "mac", "--key", sk, "--data", data, "--alg", "retail", "--pad", "2");
        Assert.Equal("A6364607F31A5DB3", mac.Line);
    }

    [Theory]
    [InlineData("SM4 key of 8 bytes", new[] { "crypto", "sm4", "--key", "0011223344556677", "--data", "00" }, "--key")]
    [InlineData("unaligned data", new[] { "crypto", "sm4", "--key", Mdk, "--data", "0011" }, "multiple")]
    [InlineData("IV without CBC", new[] { "crypto", "des3", "--key", Mdk, "--data", "0011223344556677", "--iv", "0000000000000000" }, "--iv")]
    [InlineData("PAN with a letter", new[] { "crypto", "udk", "--mdk", Mdk, "--pan", "62258800A0000001" }, "PAN")]
    [InlineData("PSN of three digits", new[] { "crypto", "udk", "--mdk", Mdk, "--pan", "6225880000000001", "--psn", "001" }, "--psn")]
    [InlineData("ATC of one byte", new[] { "crypto", "session-key", "--key", Mdk, "--atc", "01" }, "--atc")]
    [InlineData("unknown suite", new[] { "crypto", "kcv", "--key", Mdk, "--suite", "aes" }, "--suite")]
    [InlineData("method 2 without CSU", new[] { "crypto", "arpc", "--key", Mdk, "--arqc", "1234567890ABCDEF", "--method", "2" }, "--csu")]
    [InlineData("method 1 with a CSU", new[] { "crypto", "arpc", "--key", Mdk, "--arqc", "1234567890ABCDEF", "--arc", "3030", "--csu", "00000000" }, "--csu")]
    [InlineData("retail MAC with a 24-byte key", new[] { "crypto", "mac", "--key", Mdk + "0011223344556677", "--data", "00" }, "retail")]
    public void Bad_input_is_named(string description, string[] args, string fragment)
    {
        var result = Cli.Run(args);
        Assert.True(result.ExitCode == 2, $"{description}: {result}");
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd().Split('\n'));
    }
}
