namespace Jinka.Cli.Infrastructure;

/// <summary>Process exit codes, as documented in docs/cli.md.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked (a verification succeeded).</summary>
    public const int Success = 0;

    /// <summary>A verification ran and came out negative (signature, MAC or cryptogram mismatch).</summary>
    public const int Negative = 1;

    /// <summary>Bad input: an unknown option, malformed hex, a wrong key length… One line on stderr says what.</summary>
    public const int BadInput = 2;

    /// <summary>A fault inside Jinka. One line on stderr; please report it.</summary>
    public const int InternalError = 3;
}
