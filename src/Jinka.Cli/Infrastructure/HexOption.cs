using System.CommandLine;
using Jinka.Core;

namespace Jinka.Cli.Infrastructure;

/// <summary>Options and arguments whose values are hex, validated while parsing so the error names the option.</summary>
internal static class HexOption
{
    public static Option<byte[]> Create(string name, string description, bool required = true, params int[] allowedLengths)
    {
        var option = new Option<byte[]>(name)
        {
            Description = description,
            Required = required,
            Arity = ArgumentArity.ExactlyOne, // byte[] would otherwise default to "zero or more"
            CustomParser = result => Parse(name, result.Tokens, allowedLengths, result.AddError),
        };
        return option;
    }

    public static Argument<byte[]> CreateArgument(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result => Parse(name, result.Tokens, [], result.AddError),
    };

    private static byte[] Parse(string name, IReadOnlyList<System.CommandLine.Parsing.Token> tokens, int[] allowedLengths, Action<string> addError)
    {
        if (tokens.Count == 0)
        {
            addError($"{name}: a hex value is required");
            return [];
        }

        string text = tokens[0].Value;
        if (!Hex.TryParse(text, out var bytes, out var error))
        {
            addError($"{name}: {error}");
            return [];
        }

        if (allowedLengths.Length > 0 && Array.IndexOf(allowedLengths, bytes.Length) < 0)
        {
            addError($"{name}: expected {DescribeLengths(allowedLengths)} bytes of hex, got {bytes.Length}");
        }

        return bytes;
    }

    private static string DescribeLengths(int[] lengths) => lengths.Length switch
    {
        1 => lengths[0].ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => string.Join(" or ", lengths),
    };
}
