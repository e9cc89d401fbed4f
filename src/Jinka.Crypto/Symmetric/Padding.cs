namespace Jinka.Crypto.Symmetric;

/// <summary>ISO/IEC 9797-1 padding methods.</summary>
public enum PaddingMethod
{
    /// <summary>No padding: the data must already be a whole number of blocks.</summary>
    None,

    /// <summary>Method 1: append 00 bytes up to a block multiple (none if aligned; empty data gets one zero block).</summary>
    Iso9797Method1,

    /// <summary>Method 2: append 80, then 00 bytes up to a block multiple; always adds at least one byte.</summary>
    Iso9797Method2,
}

/// <summary>Applies and removes ISO/IEC 9797-1 padding.</summary>
public static class Padding
{
    /// <summary>The padded length of <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="ArgumentException">Method <see cref="PaddingMethod.None"/> and unaligned data.</exception>
    public static int PaddedLength(int dataLength, int blockSize, PaddingMethod method)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(blockSize);
        return method switch
        {
            PaddingMethod.None when dataLength % blockSize == 0 => dataLength,
            PaddingMethod.None => throw new ArgumentException(
                $"Data is {dataLength} bytes, not a multiple of the {blockSize}-byte block, and the padding method is None.", nameof(dataLength)),
            PaddingMethod.Iso9797Method1 when dataLength == 0 => blockSize,
            PaddingMethod.Iso9797Method1 => RoundUp(dataLength, blockSize),
            PaddingMethod.Iso9797Method2 => RoundUp(dataLength + 1, blockSize),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "unknown padding method"),
        };
    }

    /// <summary>Returns <paramref name="data"/> padded to a multiple of <paramref name="blockSize"/>.</summary>
    public static byte[] Apply(ReadOnlySpan<byte> data, int blockSize, PaddingMethod method)
    {
        var output = new byte[PaddedLength(data.Length, blockSize, method)];
        Apply(data, blockSize, method, output);
        return output;
    }

    /// <summary>Writes padded <paramref name="data"/> into <paramref name="destination"/>; returns the length written.</summary>
    public static int Apply(ReadOnlySpan<byte> data, int blockSize, PaddingMethod method, Span<byte> destination)
    {
        int length = PaddedLength(data.Length, blockSize, method);
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination is {destination.Length} bytes; the padded data needs {length}.", nameof(destination));
        }

        data.CopyTo(destination);
        destination[data.Length..length].Clear();
        if (method == PaddingMethod.Iso9797Method2)
        {
            destination[data.Length] = 0x80;
        }

        return length;
    }

    /// <summary>
    /// Finds the data length inside method-2 padded bytes (the last 80 followed only by 00 within the final block).
    /// Returns false when the padding is malformed.
    /// </summary>
    public static bool TryRemoveMethod2(ReadOnlySpan<byte> padded, int blockSize, out int dataLength)
    {
        dataLength = 0;
        if (padded.Length == 0 || padded.Length % blockSize != 0)
        {
            return false;
        }

        for (int i = padded.Length - 1; i >= padded.Length - blockSize; i--)
        {
            if (padded[i] == 0x80)
            {
                dataLength = i;
                return true;
            }

            if (padded[i] != 0x00)
            {
                return false;
            }
        }

        return false;
    }

    private static int RoundUp(int length, int blockSize) => (length + blockSize - 1) / blockSize * blockSize;
}
