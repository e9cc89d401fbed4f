using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Jinka.Core.Apdu;

/// <summary>A response APDU (ISO/IEC 7816-4 §5.1): response data (Nr bytes) ‖ SW1 SW2. Immutable.</summary>
public sealed class ResponseApdu : IEquatable<ResponseApdu>
{
    private readonly byte[] _data;

    /// <summary>Builds a response; <paramref name="data"/> is copied.</summary>
    public ResponseApdu(ReadOnlySpan<byte> data, StatusWord statusWord)
        : this(data.ToArray(), statusWord)
    {
    }

    /// <summary>A response with no data.</summary>
    public ResponseApdu(StatusWord statusWord)
        : this([], statusWord)
    {
    }

    private ResponseApdu(byte[] ownedData, StatusWord statusWord)
    {
        _data = ownedData;
        StatusWord = statusWord;
    }

    public ReadOnlyMemory<byte> Data => _data;

    public StatusWord StatusWord { get; }

    public int EncodedLength => _data.Length + 2;

    /// <summary>Parses data ‖ SW1 SW2.</summary>
    /// <exception cref="ApduException">Fewer than 2 bytes.</exception>
    public static ResponseApdu Parse(ReadOnlySpan<byte> response)
    {
        if (!TryParse(response, out var parsed, out var error))
        {
            throw new ApduException(error, response.Length);
        }

        return parsed;
    }

    /// <summary>Like <see cref="Parse"/>, returning false with a message.</summary>
    public static bool TryParse(ReadOnlySpan<byte> response, [NotNullWhen(true)] out ResponseApdu? parsed, [NotNullWhen(false)] out string? error)
    {
        if (response.Length < 2)
        {
            parsed = null;
            error = $"response shorter than the 2-byte status word: {response.Length} byte{(response.Length == 1 ? "" : "s")}";
            return false;
        }

        int n = response.Length - 2;
        parsed = new ResponseApdu(response[..n].ToArray(), new StatusWord(response[n], response[n + 1]));
        error = null;
        return true;
    }

    /// <summary>Writes data ‖ SW1 SW2; false when <paramref name="destination"/> is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        if (destination.Length < EncodedLength)
        {
            bytesWritten = 0;
            return false;
        }

        _data.CopyTo(destination);
        destination[_data.Length] = StatusWord.Sw1;
        destination[_data.Length + 1] = StatusWord.Sw2;
        bytesWritten = EncodedLength;
        return true;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        TryWrite(bytes, out _);
        return bytes;
    }

    /// <summary>Data as one hex block, then "SW1 SW2", e.g. "6F0A8408A000000333010101 90 00".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder((_data.Length * 2) + 6);
        SpacedHex.AppendBlock(sb, _data);
        SpacedHex.AppendByte(sb, StatusWord.Sw1);
        SpacedHex.AppendByte(sb, StatusWord.Sw2);
        return sb.ToString();
    }

    public bool Equals(ResponseApdu? other)
        => other is not null && StatusWord == other.StatusWord && _data.AsSpan().SequenceEqual(other._data);

    public override bool Equals(object? obj) => Equals(obj as ResponseApdu);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(StatusWord);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }
}
