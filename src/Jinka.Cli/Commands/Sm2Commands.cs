using System.CommandLine;
using System.Text;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.Crypto.Asymmetric;
using Jinka.Crypto.Hashing;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka crypto sm3</c> and <c>jinka crypto sm2 keygen|sign|verify</c> (GM/T 0003, 0004).</summary>
internal static class Sm2Commands
{
    public static Command Sm3Command()
    {
        var data = HexOption.Create("--data", "Message");
        var command = new Command("sm3", "SM3 hash (GM/T 0004): 32 bytes") { data };
        command.SetAction(parsed =>
        {
            CliOutput.Out(parsed).WriteLine(Hex.Encode(Sm3.Hash(parsed.GetRequiredValue(data))));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Sm2Command() => new("sm2", "SM2 keys and signatures on the recommended curve, user ID 1234567812345678 by default")
    {
        KeyGen(),
        Sign(),
        Verify(),
    };

    private static Command KeyGen()
    {
        var command = new Command("keygen", "Generate a key pair: prints \"private: HEX\" and \"public: 04HEX\"");
        command.SetAction(parsed =>
        {
            using var key = Sm2.GenerateKeyPair();
            var output = CliOutput.Out(parsed);
            output.WriteLine($"private: {Hex.Encode(key.ExportD())}");
            output.WriteLine($"public: {Hex.Encode(key.PublicKey.ExportUncompressed())}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Sign()
    {
        var privateKey = HexOption.Create("--private", "Private key d (32 bytes)", true, Sm2PrivateKey.Length);
        var data = HexOption.Create("--data", "Message (hashed as SM3(Z ‖ message))");
        var id = UserId();
        var der = new Option<bool>("--der") { Description = "Print the signature DER-encoded instead of r‖s" };
        var command = new Command("sign", "Sign: prints r‖s (64 bytes) or, with --der, the DER SEQUENCE") { privateKey, data, id, der };
        command.SetAction(parsed =>
        {
            using var key = new Sm2PrivateKey(parsed.GetRequiredValue(privateKey));
            byte[] signature = Sm2.Sign(key, parsed.GetRequiredValue(data), Encoding.ASCII.GetBytes(parsed.GetRequiredValue(id)));
            CliOutput.Out(parsed).WriteLine(Hex.Encode(parsed.GetValue(der) ? Sm2Signature.ToDer(signature) : signature));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify()
    {
        var publicKey = HexOption.Create("--public", "Public key: 04‖x‖y (65 bytes) or x‖y (64 bytes)", true, Sm2PublicKey.UncompressedLength, Sm2PublicKey.XyLength);
        var data = HexOption.Create("--data", "Message");
        var signature = HexOption.Create("--signature", "Signature: r‖s (64 bytes) or DER");
        var id = UserId();
        var command = new Command("verify", "Verify: prints \"valid\" (exit 0) or \"invalid\" (exit 1)") { publicKey, data, signature, id };
        command.SetAction(parsed =>
        {
            if (!Sm2PublicKey.TryCreate(parsed.GetRequiredValue(publicKey), out var key, out var keyError))
            {
                throw new CliInputException($"--public: {keyError}");
            }

            if (!Sm2Signature.TryParse(parsed.GetRequiredValue(signature), out var rs, out var signatureError))
            {
                throw new CliInputException($"--signature: {signatureError}");
            }

            bool valid = Sm2.Verify(key, parsed.GetRequiredValue(data), rs, Encoding.ASCII.GetBytes(parsed.GetRequiredValue(id)));
            CliOutput.Out(parsed).WriteLine(valid ? "valid" : "invalid");
            return valid ? ExitCodes.Success : ExitCodes.Negative;
        });
        return command;
    }

    private static Option<string> UserId()
    {
        var option = new Option<string>("--id")
        {
            Description = "Signer's user ID in ASCII (GM/T 0009 default 1234567812345678)",
            DefaultValueFactory = _ => Encoding.ASCII.GetString(Sm2.DefaultUserId),
            HelpName = "ASCII",
        };
        option.Validators.Add(result =>
        {
            string? value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (value is not null && (value.Length > 8191 || value.Any(c => c > 0x7E || c < 0x20)))
            {
                result.AddError("--id: printable ASCII of at most 8191 characters (ENTL is 16 bits of bit length)");
            }
        });
        return option;
    }
}
