using System.CommandLine;
using Jinka.Crypto;

namespace Jinka.Cli.Infrastructure;

/// <summary>Options several crypto calculators share, parsed and validated in one place.</summary>
internal static class CryptoOptions
{
    public static Option<AlgorithmSuite> Suite() => new("--suite")
    {
        Description = "Algorithm suite: intl (3DES/RSA/SHA-1) or sm (SM4/SM2/SM3)",
        DefaultValueFactory = _ => AlgorithmSuite.International,
        CustomParser = result => ParseSuite(result.Tokens.Count == 0 ? "" : result.Tokens[0].Value, result.AddError),
        HelpName = "intl|sm",
    };

    /// <summary>A choice among fixed words, case-insensitive, with the allowed words in the error.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', choices),
        };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    private static AlgorithmSuite ParseSuite(string text, Action<string> addError)
    {
        switch (text.ToUpperInvariant())
        {
            case "INTL" or "INTERNATIONAL":
                return AlgorithmSuite.International;
            case "SM":
                return AlgorithmSuite.Sm;
            default:
                addError($"--suite: '{text}' is not a suite; use intl or sm");
                return AlgorithmSuite.International;
        }
    }
}
