using System.Security.Cryptography;
using Jinka.Crypto.Hashing;

namespace Jinka.Crypto.Asymmetric;

/// <summary>What <see cref="Iso9796Block.Check"/> found in a recovered block.</summary>
public enum Iso9796Status
{
    /// <summary>Header, format, trailer and hash all as expected.</summary>
    Valid,

    /// <summary>The block is too short to hold header, format, hash and trailer.</summary>
    TooShort,

    /// <summary>Byte 0 is not 6A (EMV Book 2 §5.3 step 2, §6.3 step 2).</summary>
    BadHeader,

    /// <summary>The last byte is not BC.</summary>
    BadTrailer,

    /// <summary>Byte 1 is not the expected format (02 issuer, 03 SDA, 04 ICC, 05 DDA).</summary>
    WrongFormat,

    /// <summary>The hash recomputed over format ‖ data ‖ extra data differs.</summary>
    HashMismatch,
}

/// <summary>
/// The message-recovery block EMV Book 2 uses for RSA certificates and signed data (ISO/IEC 9796-2 scheme 1 as profiled
/// by EMV): <c>6A ‖ format ‖ data ‖ hash ‖ BC</c>, as long as the signing key's modulus. The hash covers
/// <c>format ‖ data ‖ extra data</c>, where the extra data is what the card does not send inside the block
/// (the key remainder and exponent for formats 02/04, the static data to be authenticated for 03/04, the DDOL data for 05).
/// Data shorter than its room is padded on the right with BB, as Book 2 specifies for the key field and pad pattern.
/// </summary>
public static class Iso9796Block
{
    /// <summary>Recovered data header.</summary>
    public const byte Header = 0x6A;

    /// <summary>Recovered data trailer.</summary>
    public const byte Trailer = 0xBC;

    /// <summary>Pad byte for the key field and the pad pattern.</summary>
    public const byte PadByte = 0xBB;

    /// <summary>Format of an issuer public key certificate (tag 90; EMV Book 2 Table 6).</summary>
    public const byte IssuerCertificateFormat = 0x02;

    /// <summary>Format of signed static application data (tag 93; Book 2 Table 7).</summary>
    public const byte SignedStaticDataFormat = 0x03;

    /// <summary>Format of an ICC public key certificate (tag 9F46; Book 2 Table 14).</summary>
    public const byte IccCertificateFormat = 0x04;

    /// <summary>Format of signed dynamic application data (tag 9F4B; Book 2 Table 17).</summary>
    public const byte SignedDynamicDataFormat = 0x05;

    /// <summary>Room for data between the format byte and the hash: modulus length − 3 − hash length (N − 23 for SHA-1).</summary>
    public static int DataCapacity(int modulusLength, HashAlgorithmKind hash = HashAlgorithmKind.Sha1) => modulusLength - 3 - Hashes.Size(hash);

    /// <summary>Builds <c>6A ‖ format ‖ data ‖ BB… ‖ hash ‖ BC</c> of <paramref name="modulusLength"/> bytes.</summary>
    /// <exception cref="ArgumentException">The data does not fit.</exception>
    public static byte[] Build(byte format, ReadOnlySpan<byte> data, ReadOnlySpan<byte> extraHashData, int modulusLength, HashAlgorithmKind hash = HashAlgorithmKind.Sha1)
    {
        var block = new byte[modulusLength];
        Build(format, data, extraHashData, block, hash);
        return block;
    }

    /// <summary>Builds the block into <paramref name="block"/>, whose length is the modulus length.</summary>
    /// <exception cref="ArgumentException">The data does not fit.</exception>
    public static void Build(byte format, ReadOnlySpan<byte> data, ReadOnlySpan<byte> extraHashData, Span<byte> block, HashAlgorithmKind hash = HashAlgorithmKind.Sha1)
    {
        int capacity = DataCapacity(block.Length, hash);
        if (capacity < 0 || data.Length > capacity)
        {
            throw new ArgumentException($"{data.Length} data bytes do not fit a {block.Length}-byte block (room for {Math.Max(capacity, 0)} with {hash})", nameof(data));
        }

        block[0] = Header;
        block[1] = format;
        var field = block.Slice(2, capacity);
        data.CopyTo(field);
        field[data.Length..].Fill(PadByte);
        ComputeHash(block[1..(2 + capacity)], extraHashData, block.Slice(2 + capacity, Hashes.Size(hash)), hash);
        block[^1] = Trailer;
    }

    /// <summary>
    /// Checks a recovered block: header 6A, <paramref name="expectedFormat"/>, trailer BC and the hash over
    /// format ‖ data ‖ <paramref name="extraHashData"/> (constant-time comparison). Failure is a status, not an exception.
    /// </summary>
    public static Iso9796Status Check(ReadOnlySpan<byte> recovered, byte expectedFormat, ReadOnlySpan<byte> extraHashData, HashAlgorithmKind hash = HashAlgorithmKind.Sha1)
    {
        int hashLength = Hashes.Size(hash);
        if (recovered.Length < 3 + hashLength)
        {
            return Iso9796Status.TooShort;
        }

        if (recovered[0] != Header)
        {
            return Iso9796Status.BadHeader;
        }

        if (recovered[^1] != Trailer)
        {
            return Iso9796Status.BadTrailer;
        }

        if (recovered[1] != expectedFormat)
        {
            return Iso9796Status.WrongFormat;
        }

        Span<byte> computed = stackalloc byte[hashLength];
        ComputeHash(recovered[1..^(hashLength + 1)], extraHashData, computed, hash);
        return CryptographicOperations.FixedTimeEquals(computed, recovered.Slice(recovered.Length - 1 - hashLength, hashLength))
            ? Iso9796Status.Valid
            : Iso9796Status.HashMismatch;
    }

    /// <summary>The data field of a block (after the format byte, before the hash), padding included.</summary>
    /// <exception cref="ArgumentException">The block is too short.</exception>
    public static ReadOnlySpan<byte> GetData(ReadOnlySpan<byte> block, HashAlgorithmKind hash = HashAlgorithmKind.Sha1)
    {
        int capacity = DataCapacity(block.Length, hash);
        return capacity >= 0 ? block.Slice(2, capacity) : throw new ArgumentException($"a {block.Length}-byte block is too short", nameof(block));
    }

    /// <summary>The hash field of a block.</summary>
    public static ReadOnlySpan<byte> GetHash(ReadOnlySpan<byte> block, HashAlgorithmKind hash = HashAlgorithmKind.Sha1)
    {
        int size = Hashes.Size(hash);
        return block.Length >= 3 + size ? block.Slice(block.Length - 1 - size, size) : throw new ArgumentException($"a {block.Length}-byte block is too short", nameof(block));
    }

    private static void ComputeHash(ReadOnlySpan<byte> formatAndData, ReadOnlySpan<byte> extra, Span<byte> destination, HashAlgorithmKind hash)
    {
        if (hash == HashAlgorithmKind.Sm3)
        {
            using var sm3 = new Sm3();
            sm3.Append(formatAndData);
            sm3.Append(extra);
            sm3.GetHashAndReset(destination);
            return;
        }

        using var incremental = IncrementalHash.CreateHash(hash == HashAlgorithmKind.Sha1 ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256);
        incremental.AppendData(formatAndData);
        incremental.AppendData(extra);
        incremental.GetHashAndReset(destination);
    }
}
