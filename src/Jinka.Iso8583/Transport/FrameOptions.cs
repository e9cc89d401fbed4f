namespace Jinka.Iso8583.Transport;

/// <summary>Limits of a framed connection (2-byte length prefix, then TPDU, header, message).</summary>
public sealed record FrameOptions
{
    /// <summary>The largest frame accepted (after the length prefix); a larger length closes the connection.</summary>
    public int MaxFrameLength { get; init; } = 4096;

    /// <summary>How long a connection may stay silent between frames.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a frame may take to arrive once its first byte has (a slow or stalled sender is dropped).</summary>
    public TimeSpan FrameTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a write may wait for the peer to take the bytes.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(5);
}

/// <summary>The frame layer failed: a length over the limit, a connection closed inside a frame, a stalled sender.</summary>
public sealed class FrameException : IOException
{
    public FrameException()
    {
    }

    public FrameException(string message)
        : base(message)
    {
    }

    public FrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
