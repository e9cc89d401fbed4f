using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Jinka.Core.Apdu;

/// <summary>
/// A command APDU (ISO/IEC 7816-4 §5.1): header CLA INS P1 P2, optional command data (Nc bytes) and optional
/// expected response length Ne. Immutable and valid by construction; the encoding (short or extended lengths)
/// is chosen when the object is built.
/// </summary>
public sealed class CommandApdu : IEquatable<CommandApdu>
{
    /// <summary>Largest Nc with short lengths.</summary>
    public const int MaxShortNc = 255;

    /// <summary>Largest Ne with short lengths (Le = 00).</summary>
    public const int MaxShortNe = 256;

    /// <summary>Largest Nc with extended lengths.</summary>
    public const int MaxExtendedNc = 65535;

    /// <summary>Largest Ne with extended lengths (Le = 0000).</summary>
    public const int MaxExtendedNe = 65536;

    private readonly byte[] _data;

    /// <summary>Builds a command; extended lengths are used when Nc &gt; 255, Ne &gt; 256 or <paramref name="forceExtended"/>.</summary>
    /// <param name="cla">Class byte.</param>
    /// <param name="ins">Instruction byte.</param>
    /// <param name="p1">Parameter 1.</param>
    /// <param name="p2">Parameter 2.</param>
    /// <param name="data">Command data (copied); empty for cases 1 and 2.</param>
    /// <param name="ne">Expected response length: 0 = no Le field, 1–256 short, up to 65536 extended.</param>
    /// <param name="forceExtended">Encode with extended lengths even if short ones would do. Case 1 has no length fields, so it is ignored there.</param>
    /// <exception cref="ArgumentOutOfRangeException">Nc &gt; 65535, or Ne outside 0–65536.</exception>
    public CommandApdu(byte cla, byte ins, byte p1, byte p2, ReadOnlySpan<byte> data = default, int ne = 0, bool forceExtended = false)
        : this(cla, ins, p1, p2, CheckedCopy(data), CheckedNe(ne), forceExtended)
    {
    }

    private CommandApdu(byte cla, byte ins, byte p1, byte p2, byte[] ownedData, int ne, bool forceExtended)
    {
        Cla = cla;
        Ins = ins;
        P1 = p1;
        P2 = p2;
        _data = ownedData;
        Ne = ne;
        IsExtended = (ownedData.Length > 0 || ne > 0) && (forceExtended || ownedData.Length > MaxShortNc || ne > MaxShortNe);
        Case = (ownedData.Length, ne, IsExtended) switch
        {
            (0, 0, _) => ApduCase.Case1,
            (0, _, false) => ApduCase.Case2Short,
            (0, _, true) => ApduCase.Case2Extended,
            (_, 0, false) => ApduCase.Case3Short,
            (_, 0, true) => ApduCase.Case3Extended,
            (_, _, false) => ApduCase.Case4Short,
            (_, _, true) => ApduCase.Case4Extended,
        };
    }

    public byte Cla { get; }

    public byte Ins { get; }

    public byte P1 { get; }

    public byte P2 { get; }

    /// <summary>The command data field (Nc bytes).</summary>
    public ReadOnlyMemory<byte> Data => _data;

    /// <summary>Number of command data bytes.</summary>
    public int Nc => _data.Length;

    /// <summary>Expected response length: 0 = no Le field; short Le 00 is 256, extended Le 0000 is 65536.</summary>
    public int Ne { get; }

    public ApduCase Case { get; }

    /// <summary>True when Lc/Le use the extended (2- or 3-byte) forms.</summary>
    public bool IsExtended { get; }

    /// <summary>CLA indicates secure messaging (b4–b3 of the first interindustry coding, b6 of the further one; also for 8x/Cx/Ex as EMV and GP use them).</summary>
    public bool HasSecureMessaging => ClassByte.HasSecureMessaging(Cla);

    /// <summary>Logical channel number 0–19 coded in CLA (0 for classes that code none).</summary>
    public int LogicalChannel => ClassByte.LogicalChannel(Cla);

    /// <summary>CLA b5: more commands of this chain follow.</summary>
    public bool IsChained => ClassByte.IsChained(Cla);

    /// <summary>CLA b8 set (EMV, GlobalPlatform, PBOC purse and PSAM commands use 80/84).</summary>
    public bool IsProprietaryClass => ClassByte.IsProprietary(Cla);

    /// <summary>Number of bytes <see cref="TryWrite"/> produces.</summary>
    public int EncodedLength
    {
        get
        {
            int length = 4;
            if (Nc > 0)
            {
                length += (IsExtended ? 3 : 1) + Nc;
            }

            if (Ne > 0)
            {
                length += !IsExtended ? 1 : Nc > 0 ? 2 : 3;
            }

            return length;
        }
    }

    /// <summary>The same command with another Ne (0 = no Le). The length encoding stays extended if it was.</summary>
    public CommandApdu WithNe(int ne) => new(Cla, Ins, P1, P2, _data, CheckedNe(ne), IsExtended);

    /// <summary>The same command with another CLA (e.g. to set secure messaging or channel bits).</summary>
    public CommandApdu WithCla(byte cla) => new(cla, Ins, P1, P2, _data, Ne, IsExtended);

    /// <summary>Writes the encoded APDU; false (and nothing useful written) when <paramref name="destination"/> is too small.</summary>
    public bool TryWrite(Span<byte> destination, out int bytesWritten)
    {
        int length = EncodedLength;
        if (destination.Length < length)
        {
            bytesWritten = 0;
            return false;
        }

        destination[0] = Cla;
        destination[1] = Ins;
        destination[2] = P1;
        destination[3] = P2;
        int pos = 4;
        if (IsExtended && Case != ApduCase.Case1)
        {
            // ISO/IEC 7816-4 §5.1: extended lengths start with a 00 byte, then Lc (2) and/or Le (2).
            destination[pos++] = 0x00;
        }

        if (Nc > 0)
        {
            if (IsExtended)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[pos..], (ushort)Nc);
                pos += 2;
            }
            else
            {
                destination[pos++] = (byte)Nc;
            }

            _data.CopyTo(destination[pos..]);
            pos += Nc;
        }

        if (Ne > 0)
        {
            if (IsExtended)
            {
                BinaryPrimitives.WriteUInt16BigEndian(destination[pos..], (ushort)(Ne == MaxExtendedNe ? 0 : Ne));
                pos += 2;
            }
            else
            {
                destination[pos++] = (byte)(Ne == MaxShortNe ? 0 : Ne);
            }
        }

        bytesWritten = pos;
        return true;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[EncodedLength];
        TryWrite(bytes, out _);
        return bytes;
    }

    /// <summary>
    /// Spaced hex with one token per field: the four header bytes, Lc, the data, Le, e.g.
    /// "00 A4 04 00 07 A0000003330101 00", or "80 E2 00 00 000002 AABB 0000" with extended lengths.
    /// </summary>
    public override string ToString()
    {
        Span<byte> encoded = EncodedLength <= 512 ? stackalloc byte[EncodedLength] : new byte[EncodedLength];
        TryWrite(encoded, out _);
        var sb = new StringBuilder((EncodedLength * 2) + 8);
        foreach (byte b in encoded[..4])
        {
            SpacedHex.AppendByte(sb, b);
        }

        int lcLength = Nc == 0 ? 0 : IsExtended ? 3 : 1;
        SpacedHex.AppendBlock(sb, encoded.Slice(4, lcLength));
        SpacedHex.AppendBlock(sb, encoded.Slice(4 + lcLength, Nc));
        SpacedHex.AppendBlock(sb, encoded[(4 + lcLength + Nc)..]);
        return sb.ToString();
    }

    /// <summary>Parses any of the seven cases (ISO/IEC 7816-3 §12.1.3 decoding rules).</summary>
    /// <exception cref="ApduException">The bytes are not a well-formed command APDU; the message names the offset.</exception>
    public static CommandApdu Parse(ReadOnlySpan<byte> apdu)
    {
        if (!TryParseCore(apdu, out var command, out var error, out int offset))
        {
            throw new ApduException(error, offset);
        }

        return command;
    }

    /// <summary>Like <see cref="Parse"/>, returning false with a message that names the offset.</summary>
    public static bool TryParse(ReadOnlySpan<byte> apdu, [NotNullWhen(true)] out CommandApdu? command, [NotNullWhen(false)] out string? error)
        => TryParseCore(apdu, out command, out error, out _);

    private static bool TryParseCore(ReadOnlySpan<byte> apdu, [NotNullWhen(true)] out CommandApdu? command, [NotNullWhen(false)] out string? error, out int offset)
    {
        command = null;
        if (apdu.Length < 4)
        {
            return Fail($"APDU shorter than the 4-byte header: {apdu.Length} byte{(apdu.Length == 1 ? "" : "s")}", apdu.Length, out error, out offset);
        }

        byte cla = apdu[0], ins = apdu[1], p1 = apdu[2], p2 = apdu[3];
        var body = apdu[4..];
        if (body.IsEmpty)
        {
            command = new CommandApdu(cla, ins, p1, p2, [], 0, false);
            return Success(out error, out offset);
        }

        if (body.Length == 1)
        {
            // Case 2S: Le only.
            command = new CommandApdu(cla, ins, p1, p2, [], body[0] == 0 ? MaxShortNe : body[0], false);
            return Success(out error, out offset);
        }

        return body[0] != 0
            ? TryParseShortBody(apdu, out command, out error, out offset)
            : TryParseExtendedBody(apdu, out command, out error, out offset);
    }

    private static bool TryParseShortBody(ReadOnlySpan<byte> apdu, [NotNullWhen(true)] out CommandApdu? command, [NotNullWhen(false)] out string? error, out int offset)
    {
        command = null;
        int lc = apdu[4];
        int available = apdu.Length - 5;
        if (available < lc)
        {
            return Fail($"Lc = {lc:X2} announces {Bytes(lc, "data byte")} but only {available} follow{(available == 1 ? "s" : "")} at offset 5", 5, out error, out offset);
        }

        int ne = 0;
        int end = 5 + lc;
        if (apdu.Length > end)
        {
            ne = apdu[end] == 0 ? MaxShortNe : apdu[end];
            end++;
        }

        if (apdu.Length > end)
        {
            int extra = apdu.Length - end;
            return Fail($"{Bytes(extra, "unexpected byte")} at offset {end} after Lc = {lc:X2}, {Bytes(lc, "data byte")} and Le", end, out error, out offset);
        }

        command = new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], apdu.Slice(5, lc).ToArray(), ne, false);
        return Success(out error, out offset);
    }

    private static bool TryParseExtendedBody(ReadOnlySpan<byte> apdu, [NotNullWhen(true)] out CommandApdu? command, [NotNullWhen(false)] out string? error, out int offset)
    {
        command = null;
        if (apdu.Length < 7)
        {
            return Fail($"byte 00 at offset 4 starts an extended length, which needs 2 more bytes at offset 5 but {apdu.Length - 5} follow{(apdu.Length - 5 == 1 ? "s" : "")}", 5, out error, out offset);
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(apdu[5..]);
        if (apdu.Length == 7)
        {
            // Case 2E: 00 ‖ Le(2); Le 0000 means 65536.
            command = new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], [], length == 0 ? MaxExtendedNe : length, true);
            return Success(out error, out offset);
        }

        if (length == 0)
        {
            return Fail($"extended Lc 0000 is invalid at offset 5 ({apdu.Length - 7} bytes follow it)", 5, out error, out offset);
        }

        int available = apdu.Length - 7;
        if (available < length)
        {
            return Fail($"extended Lc = {length:X4} announces {Bytes(length, "data byte")} but only {available} follow{(available == 1 ? "s" : "")} at offset 7", 7, out error, out offset);
        }

        int end = 7 + length;
        int ne = 0;
        int remaining = apdu.Length - end;
        if (remaining == 1)
        {
            return Fail($"extended Le at offset {end} needs 2 bytes but 1 follows", end, out error, out offset);
        }

        if (remaining >= 2)
        {
            int le = BinaryPrimitives.ReadUInt16BigEndian(apdu[end..]);
            ne = le == 0 ? MaxExtendedNe : le;
            end += 2;
        }

        if (apdu.Length > end)
        {
            int extra = apdu.Length - end;
            return Fail($"{Bytes(extra, "unexpected byte")} at offset {end} after extended Lc = {length:X4}, {Bytes(length, "data byte")} and Le", end, out error, out offset);
        }

        command = new CommandApdu(apdu[0], apdu[1], apdu[2], apdu[3], apdu.Slice(7, length).ToArray(), ne, true);
        return Success(out error, out offset);
    }

    private static string Bytes(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static bool Fail(string message, int at, out string error, out int offset)
    {
        error = message;
        offset = at;
        return false;
    }

    private static bool Success(out string? error, out int offset)
    {
        error = null;
        offset = 0;
        return true;
    }

    public bool Equals(CommandApdu? other)
        => other is not null
           && Cla == other.Cla && Ins == other.Ins && P1 == other.P1 && P2 == other.P2
           && Ne == other.Ne && IsExtended == other.IsExtended
           && _data.AsSpan().SequenceEqual(other._data);

    public override bool Equals(object? obj) => Equals(obj as CommandApdu);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Cla);
        hash.Add(Ins);
        hash.Add(P1);
        hash.Add(P2);
        hash.Add(Ne);
        hash.Add(IsExtended);
        hash.AddBytes(_data);
        return hash.ToHashCode();
    }

    private static byte[] CheckedCopy(ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(data.Length, MaxExtendedNc, nameof(data));
        return data.ToArray();
    }

    private static int CheckedNe(int ne)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ne);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ne, MaxExtendedNe);
        return ne;
    }
}
