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

    /// <summary>The value of an optional hex option, or null when it was not given (GetValue would give an empty array).</summary>
    public static byte[]? GetOptional(this ParseResult parsed, Option<byte[]> option) =>
        parsed.GetResult(option) is null ? null : parsed.GetValue(option);

    public static Argument<byte[]> CreateArgument(string name, string description) => new(name)
    {
        Description = description,
        Arity = ArgumentArity.ExactlyOne,
        CustomParser = result => Parse(name, result.Tokens, [], result.AddError),
    };

    // System.CommandLine also calls the parser for an option that is absent (no tokens): that is "no value", and
    // Required / the arity report a missing one.
    private static byte[]? Parse(string name, IReadOnlyList<System.CommandLine.Parsing.Token> tokens, int[] allowedLengths, Action<string> addError)
    {
        if (tokens.Count == 0)
        {
            return null;
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
