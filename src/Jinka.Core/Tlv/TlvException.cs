namespace Jinka.Core.Tlv;

/// <summary>Malformed BER-TLV or DOL data, with where it went wrong.</summary>
public sealed class TlvException : FormatException
{
    public TlvException()
        : this("malformed TLV data")
    {
    }

    public TlvException(string message)
        : base(message)
    {
    }

    public TlvException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public TlvException(TlvError error, int offset, Tag? tag, string message)
        : base(message)
    {
        Error = error;
        Offset = offset;
        Tag = tag;
    }

    /// <summary>What was wrong.</summary>
    public TlvError Error { get; }

    /// <summary>
    /// Absolute offset, in the original input, of the start of the data object (or DOL entry) being read;
    /// for padding or an invalid tag, the offset of that byte.
    /// </summary>
    public int Offset { get; }

    /// <summary>The tag of the object being read, when the tag itself was readable.</summary>
    public Tag? Tag { get; }
}
