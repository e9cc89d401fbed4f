namespace Jinka.Terminal.CaKeys;

/// <summary>A CA public key file is not valid: the message names the entry (0-based) and the field.</summary>
public sealed class CaPublicKeyFormatException : FormatException
{
    public CaPublicKeyFormatException()
    {
    }

    public CaPublicKeyFormatException(string message)
        : base(message)
    {
    }

    public CaPublicKeyFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CaPublicKeyFormatException(int? entry, string? field, string problem, Exception? innerException = null)
        : base(Describe(entry, field, problem), innerException)
    {
        Entry = entry;
        Field = field;
    }

    /// <summary>The 0-based position of the bad entry, or null when the document itself is bad.</summary>
    public int? Entry { get; }

    /// <summary>The JSON field at fault, or null.</summary>
    public string? Field { get; }

    private static string Describe(int? entry, string? field, string problem) => (entry, field) switch
    {
        (null, _) => $"CA key file: {problem}",
        (int e, null) => $"CA key file, entry {e}: {problem}",
        (int e, string f) => $"CA key file, entry {e}, field \"{f}\": {problem}",
    };
}
