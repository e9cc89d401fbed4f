using System.Security.Cryptography;

namespace Jinka.Crypto.Hashing;

/// <summary>One-shot hashing chosen by <see cref="HashAlgorithmKind"/> (SHA-1/SHA-256 from .NET, SM3 from <see cref="Sm3"/>).</summary>
public static class Hashes
{
    /// <summary>The digest length in bytes: 20 for SHA-1, 32 for SHA-256 and SM3.</summary>
    public static int Size(HashAlgorithmKind kind) => kind switch
    {
        HashAlgorithmKind.Sha1 => SHA1.HashSizeInBytes,
        HashAlgorithmKind.Sha256 => SHA256.HashSizeInBytes,
        HashAlgorithmKind.Sm3 => Sm3.HashSizeInBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown hash algorithm"),
    };

    /// <summary>Hashes <paramref name="data"/> into <paramref name="destination"/>; returns the bytes written.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than <see cref="Size"/>.</exception>
    public static int Compute(HashAlgorithmKind kind, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        int size = Size(kind);
        if (destination.Length < size)
        {
            throw new ArgumentException($"destination holds {destination.Length} bytes; {kind} needs {size}", nameof(destination));
        }

        return kind switch
        {
            HashAlgorithmKind.Sha1 => SHA1.HashData(data, destination),
            HashAlgorithmKind.Sha256 => SHA256.HashData(data, destination),
            _ => Sm3.Hash(data, destination),
        };
    }

    /// <summary>Hashes <paramref name="data"/> into a new array.</summary>
    public static byte[] Compute(HashAlgorithmKind kind, ReadOnlySpan<byte> data)
    {
        var result = new byte[Size(kind)];
        Compute(kind, data, result);
        return result;
    }
}
