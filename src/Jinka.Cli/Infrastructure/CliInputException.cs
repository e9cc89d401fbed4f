namespace Jinka.Cli.Infrastructure;

/// <summary>Input the user gave that the command cannot use; reported as one line with exit code 2.</summary>
internal sealed class CliInputException : Exception
{
    public CliInputException(string message)
        : base(message)
    {
    }

    public CliInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CliInputException()
    {
    }
}
