using Jinka.Core.Apdu;

namespace Jinka.Card.Dispatch;

/// <summary>Short names for the responses handlers return.</summary>
public static class Responses
{
    private static readonly ResponseApdu s_ok = new(StatusWord.Success);

    /// <summary>9000 without data.</summary>
    public static ResponseApdu Ok() => s_ok;

    /// <summary>Data and 9000.</summary>
    public static ResponseApdu Ok(ReadOnlySpan<byte> data) => data.IsEmpty ? s_ok : new ResponseApdu(data, StatusWord.Success);

    /// <summary>A status word without data.</summary>
    public static ResponseApdu Status(StatusWord statusWord) => statusWord == StatusWord.Success ? s_ok : new ResponseApdu(statusWord);

    /// <summary>Data with any status word (e.g. a warning).</summary>
    public static ResponseApdu Data(ReadOnlySpan<byte> data, StatusWord statusWord) => new(data, statusWord);
}

/// <summary>The outcome of removing secure messaging from a command: the plain command, or the status word to answer.</summary>
public readonly record struct SecureMessagingResult(CommandApdu? Command, StatusWord Status)
{
    public static SecureMessagingResult Verified(CommandApdu plainCommand) => new(plainCommand, StatusWord.Success);

    /// <summary>Typically 6988 (SM data objects incorrect, e.g. a wrong MAC) or 6987 (missing).</summary>
    public static SecureMessagingResult Refused(StatusWord statusWord) => new(null, statusWord);
}

/// <summary>
/// An application's secure messaging (PBOC/JT/T command MAC with a session key, GP SCP02 C-MAC …): the dispatch
/// helper calls it for every command whose CLA signals SM, before the handler runs.
/// </summary>
public interface ISecureMessaging
{
    /// <summary>Verifies and removes the SM of <paramref name="command"/> (its CLA has the SM bits set).</summary>
    SecureMessagingResult Unwrap(CommandContext context, CommandApdu command);

    /// <summary>Protects the response to a command that came under SM; passes it through by default.</summary>
    ResponseApdu Wrap(CommandContext context, ResponseApdu response) => response;
}

/// <summary>Accepts or refuses P1 P2 for a command entry (6A86 when no entry accepts).</summary>
public delegate bool ParameterRule(byte p1, byte p2);

/// <summary>Common <see cref="ParameterRule"/>s.</summary>
public static class Parameters
{
    public static ParameterRule Any { get; } = (_, _) => true;

    /// <summary>P1 = P2 = 00.</summary>
    public static ParameterRule Zero { get; } = (p1, p2) => p1 == 0 && p2 == 0;

    public static ParameterRule Exactly(byte p1, byte p2) => (a, b) => a == p1 && b == p2;

    public static ParameterRule P1Is(byte p1) => (a, _) => a == p1;

    public static ParameterRule P2Is(byte p2) => (_, b) => b == p2;

    public static ParameterRule P1P2(byte p1, params byte[] p2Values) => (a, b) => a == p1 && Array.IndexOf(p2Values, b) >= 0;
}

/// <summary>Allowed command data length Nc (6700 outside it).</summary>
public readonly record struct LengthRule(int Min, int Max)
{
    public static LengthRule Any => new(0, CommandApdu.MaxExtendedNc);

    /// <summary>No command data.</summary>
    public static LengthRule None => new(0, 0);

    public static LengthRule Exactly(int length) => new(length, length);

    public static LengthRule Between(int min, int max) => new(min, max);

    public static LengthRule AtLeast(int min) => new(min, CommandApdu.MaxExtendedNc);

    public bool Allows(int length) => length >= Min && length <= Max;
}

/// <summary>A handler for one command of an application.</summary>
public delegate ResponseApdu CommandHandler(CommandContext context);
