namespace Jinka.Host.Storage;

/// <summary>A store that cannot be opened or used: a bad store string, an unreachable server, a schema from a newer program.</summary>
public sealed class StoreException : Exception
{
    public StoreException()
    {
    }

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
