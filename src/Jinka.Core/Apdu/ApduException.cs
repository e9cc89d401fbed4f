namespace Jinka.Core.Apdu;

/// <summary>An APDU's bytes do not follow ISO/IEC 7816-4 §5.1; <see cref="Offset"/> is where the problem was found.</summary>
public class ApduException : FormatException
{
    public ApduException()
    {
    }

    public ApduException(string message)
        : base(message)
    {
    }

    public ApduException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ApduException(string message, int offset)
        : base(message)
    {
        Offset = offset;
    }

    /// <summary>Byte offset in the input where parsing stopped.</summary>
    public int Offset { get; }
}
