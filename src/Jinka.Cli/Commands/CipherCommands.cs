using System.CommandLine;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.Crypto;
using Jinka.Crypto.Symmetric;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka crypto sm4|des3|mac|kcv</c>: block ciphers, ISO 9797-1 MACs and key check values.</summary>
internal static class CipherCommands
{
    public static Command Cipher(string name, CipherAlgorithm algorithm, string description, int[] keyLengths)
    {
        var key = HexOption.Create("--key", $"Key ({string.Join(" or ", keyLengths)} bytes)", true, keyLengths);
        var data = HexOption.Create("--data", "Data, a whole number of blocks (no padding is added)");
        var mode = CryptoOptions.Choice("--mode", "Block cipher mode", "ecb", "ecb", "cbc");
        var iv = HexOption.Create("--iv", "CBC initial vector (default all zeros)", required: false);
        var decrypt = new Option<bool>("--decrypt") { Description = "Decrypt instead of encrypt" };
        var command = new Command(name, description) { key, data, mode, iv, decrypt };
        command.SetAction(parsed =>
        {
            using var cipher = BlockCipher.Create(algorithm, parsed.GetRequiredValue(key));
            byte[] input = parsed.GetRequiredValue(data);
            bool cbc = parsed.GetValue(mode) == "cbc";
            byte[]? ivBytes = parsed.GetOptional(iv);
            if (ivBytes is not null && !cbc)
            {
                throw new CliInputException("--iv applies to --mode cbc only");
            }

            ivBytes ??= new byte[cipher.BlockSize];
            if (ivBytes.Length != cipher.BlockSize)
            {
                throw new CliInputException($"--iv: expected {cipher.BlockSize} bytes, got {ivBytes.Length}");
            }

            if (input.Length % cipher.BlockSize != 0)
            {
                throw new CliInputException($"--data: {input.Length} bytes is not a multiple of the {cipher.BlockSize}-byte block");
            }

            byte[] output = (cbc, parsed.GetValue(decrypt)) switch
            {
                (false, false) => cipher.EncryptEcb(input),
                (false, true) => cipher.DecryptEcb(input),
                (true, false) => cipher.EncryptCbc(ivBytes, input),
                (true, true) => cipher.DecryptCbc(ivBytes, input),
            };
            CliOutput.Out(parsed).WriteLine(Hex.Encode(output));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Mac()
    {
        var key = HexOption.Create("--key", "MAC key (retail: 16; des: 8, 16 or 24; sm4: 16 bytes)");
        var data = HexOption.Create("--data", "Message");
        var alg = CryptoOptions.Choice("--alg", "retail = ISO 9797-1 algorithm 3 (DES CBC, final 3DES); des = algorithm 1 with DES or 3DES by key length; sm4 = algorithm 1 with SM4", "retail", "retail", "des", "sm4");
        var pad = CryptoOptions.Choice("--pad", "ISO 9797-1 padding method 1 (zeros) or 2 (80 then zeros)", "2", "1", "2");
        var command = new Command("mac", "ISO 9797-1 MAC (full block; PBOC ACs keep the leftmost 8 bytes, script MACs 4)") { key, data, alg, pad };
        command.SetAction(parsed =>
        {
            byte[] k = parsed.GetRequiredValue(key);
            byte[] message = parsed.GetRequiredValue(data);
            var padding = parsed.GetValue(pad) == "1" ? PaddingMethod.Iso9797Method1 : PaddingMethod.Iso9797Method2;
            byte[] mac;
            switch (parsed.GetValue(alg))
            {
                case "retail":
                    RequireLength(k, "retail", 16);
                    mac = Iso9797Mac.ComputeAlgorithm3(k, message, padding);
                    break;
                case "des":
                    RequireLength(k, "des", 8, 16, 24);
                    using (var cipher = BlockCipher.Create(k.Length == 8 ? CipherAlgorithm.Des : CipherAlgorithm.TripleDes, k))
                    {
                        mac = Iso9797Mac.ComputeAlgorithm1(cipher, message, padding);
                    }

                    break;
                default:
                    RequireLength(k, "sm4", 16);
                    using (var cipher = BlockCipher.Create(CipherAlgorithm.Sm4, k))
                    {
                        mac = Iso9797Mac.ComputeAlgorithm1(cipher, message, padding);
                    }

                    break;
            }

            CliOutput.Out(parsed).WriteLine(Hex.Encode(mac));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Kcv()
    {
        var key = HexOption.Create("--key", "Key (intl: 8, 16 or 24 bytes; sm: 16 bytes)");
        var suite = CryptoOptions.Suite();
        var command = new Command("kcv", "Key check value: first 3 bytes of the key encrypting zeros (3DES or SM4)") { key, suite };
        command.SetAction(parsed =>
        {
            byte[] k = parsed.GetRequiredValue(key);
            var s = parsed.GetRequiredValue(suite);
            var algorithm = s.Id == SuiteId.Sm ? CipherAlgorithm.Sm4 : k.Length == 8 ? CipherAlgorithm.Des : CipherAlgorithm.TripleDes;
            CliOutput.Out(parsed).WriteLine(Hex.Encode(KeyCheckValue.Compute(algorithm, k)));
            return ExitCodes.Success;
        });
        return command;
    }

    internal static void RequireLength(byte[] key, string what, params int[] lengths)
    {
        if (Array.IndexOf(lengths, key.Length) < 0)
        {
            throw new CliInputException($"--key: {what} needs a key of {string.Join(" or ", lengths)} bytes, got {key.Length}");
        }
    }
}
