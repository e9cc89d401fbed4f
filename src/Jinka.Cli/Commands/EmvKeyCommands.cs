using System.CommandLine;
using System.Globalization;
using Jinka.Cli.Infrastructure;
using Jinka.Core;
using Jinka.Crypto.Emv;

namespace Jinka.Cli.Commands;

/// <summary><c>jinka crypto udk|session-key|ac|arpc</c>: the PBOC/EMV key chain and cryptograms (NOTES A.5, A.6).</summary>
internal static class EmvKeyCommands
{
    public static Command Udk()
    {
        var mdk = HexOption.Create("--mdk", "Issuer master key (16 bytes)", true, 16);
        var pan = new Option<string>("--pan") { Description = "Application PAN, digits (a trailing F is ignored)", Required = true, HelpName = "DIGITS" };
        var psn = new Option<string>("--psn") { Description = "PAN sequence number, two digits (default 00)", DefaultValueFactory = _ => "00", HelpName = "NN" };
        var suite = CryptoOptions.Suite();
        var option = CryptoOptions.Choice("--option", "EMV Book 2 A1.4 option A (PBOC), or B for PANs over 16 digits", "a", "a", "b");
        var command = new Command("udk", "Derive the card master key (UDK/MK-AC) from an issuer master key") { mdk, pan, psn, suite, option };
        command.SetAction(parsed =>
        {
            var s = parsed.GetRequiredValue(suite);
            var udk = s.DeriveUdk(parsed.GetRequiredValue(mdk), parsed.GetRequiredValue(pan), ParsePsn(parsed.GetRequiredValue(psn)),
                parsed.GetValue(option) == "b" ? UdkOption.OptionB : UdkOption.OptionA);
            CliOutput.Out(parsed).WriteLine(Hex.Encode(udk));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command SessionKey()
    {
        var key = HexOption.Create("--key", "Card master key (UDK, 16 bytes)", true, 16);
        var atc = HexOption.Create("--atc", "Application transaction counter (2 bytes)", true, 2);
        var method = CryptoOptions.Choice("--method", "pboc: E(00..‖ATC) ‖ E(00..‖ATC⊕FFFF); emv: the EMV common session key", "pboc", "pboc", "emv");
        var suite = CryptoOptions.Suite();
        var command = new Command("session-key", "Derive a session key from a card master key and the ATC") { key, atc, method, suite };
        command.SetAction(parsed =>
        {
            var sk = parsed.GetRequiredValue(suite).DeriveSessionKey(parsed.GetRequiredValue(key), parsed.GetRequiredValue(atc),
                parsed.GetValue(method) == "emv" ? SessionKeyMethod.EmvCommon : SessionKeyMethod.Pboc);
            CliOutput.Out(parsed).WriteLine(Hex.Encode(sk));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Ac()
    {
        var key = HexOption.Create("--key", "AC session key (16 bytes)", true, 16);
        var data = HexOption.Create("--data", "The assembled AC input (for CVN 01: 9F02 9F03 9F1A 95 5F2A 9A 9C 9F37 82 9F36 CVR)");
        var suite = CryptoOptions.Suite();
        var command = new Command("ac", "Application cryptogram (ARQC/TC/AAC) over already-assembled data: 8 bytes") { key, data, suite };
        command.SetAction(parsed =>
        {
            var ac = parsed.GetRequiredValue(suite).GenerateAc(parsed.GetRequiredValue(key), parsed.GetRequiredValue(data));
            CliOutput.Out(parsed).WriteLine(Hex.Encode(ac));
            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Arpc()
    {
        var key = HexOption.Create("--key", "AC session key (16 bytes)", true, 16);
        var arqc = HexOption.Create("--arqc", "The card's ARQC (8 bytes)", true, 8);
        var arc = HexOption.Create("--arc", "Method 1: authorisation response code (2 bytes, e.g. 3030 for \"00\")", required: false, 2);
        var csu = HexOption.Create("--csu", "Method 2: card status update (4 bytes)", required: false, 4);
        var pad = HexOption.Create("--pad", "Method 2: proprietary authentication data (0-8 bytes)", required: false);
        var method = CryptoOptions.Choice("--method", "ARPC method (EMV Book 2 §8.2)", "1", "1", "2");
        var suite = CryptoOptions.Suite();
        var command = new Command("arpc", "Authorisation response cryptogram, method 1 (8 bytes) or 2 (4 bytes)") { key, arqc, arc, csu, pad, method, suite };
        command.SetAction(parsed =>
        {
            var s = parsed.GetRequiredValue(suite);
            byte[] sk = parsed.GetRequiredValue(key);
            byte[] cryptogram = parsed.GetRequiredValue(arqc);
            byte[] arpc;
            if (parsed.GetValue(method) == "1")
            {
                if (parsed.GetOptional(csu) is not null || parsed.GetOptional(pad) is not null)
                {
                    throw new CliInputException("--csu and --pad belong to --method 2");
                }

                arpc = s.Arpc1(sk, cryptogram, parsed.GetOptional(arc) ?? throw new CliInputException("--arc is required for method 1"));
            }
            else
            {
                if (parsed.GetOptional(arc) is not null)
                {
                    throw new CliInputException("--arc belongs to --method 1; method 2 takes --csu (and optionally --pad)");
                }

                byte[] proprietary = parsed.GetOptional(pad) ?? [];
                if (proprietary.Length > 8)
                {
                    throw new CliInputException($"--pad: at most 8 bytes, got {proprietary.Length}");
                }

                arpc = s.Arpc2(sk, cryptogram, parsed.GetOptional(csu) ?? throw new CliInputException("--csu is required for method 2"), proprietary);
            }

            CliOutput.Out(parsed).WriteLine(Hex.Encode(arpc));
            return ExitCodes.Success;
        });
        return command;
    }

    private static byte ParsePsn(string text)
    {
        if (text.Length != 2 || !byte.TryParse(text, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte psn))
        {
            throw new CliInputException($"--psn: expected two digits, got '{text}'");
        }

        EmvPan.ValidatePsn(psn);
        return psn;
    }
}
