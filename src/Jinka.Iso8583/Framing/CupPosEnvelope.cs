using System.Buffers.Binary;
using System.Globalization;

namespace Jinka.Iso8583.Framing;

/// <summary>
/// The transport protocol data unit in front of every CUP POS message: ID 60, destination address, source address
/// (2 bytes each). A reply swaps the addresses.
/// </summary>
public readonly record struct Tpdu(byte Id, ushort Destination, ushort Source)
{
    public const int Length = 5;

    /// <summary>The TPDU ID of CUP POS frames.</summary>
    public const byte CupPosId = 0x60;

    /// <summary>The reply's TPDU: the addresses swapped.</summary>
    public Tpdu Reply() => this with { Destination = Source, Source = Destination };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id:X2}{Destination:X4}{Source:X4}");

    internal void Write(Span<byte> destination)
    {
        destination[0] = Id;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], Destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], Source);
    }

    internal static Tpdu Read(ReadOnlySpan<byte> source) =>
        new(source[0], BinaryPrimitives.ReadUInt16BigEndian(source[1..]), BinaryPrimitives.ReadUInt16BigEndian(source[3..]));
}

/// <summary>
/// The 6-byte CUP POS message header after the TPDU: application type (e.g. 60), software version, terminal status
/// (high nibble) and processing requirement (low nibble: 0 none, 1 download parameters, 2 upload status, 3 sign on
/// again, 4 download CA keys, 5 download IC parameters), and a 3-byte software sub-version.
/// </summary>
public readonly record struct CupPosHeader(byte ApplicationType, byte SoftwareVersion, byte Status, uint SubVersion)
{
    public const int Length = 6;

    /// <summary>Processing requirement 3: the terminal must sign on again (its working keys are gone or stale).</summary>
    public const int SignOnAgain = 3;

    /// <summary>The header Jinka terminals send: 60 31 00 000001.</summary>
    public static CupPosHeader Jinka => new(0x60, 0x31, 0x00, 0x000001);

    /// <summary>Terminal status, the high nibble of byte 3 (0 normal, 1 test).</summary>
    public int TerminalStatus => Status >> 4;

    /// <summary>Processing requirement, the low nibble of byte 3.</summary>
    public int ProcessingRequirement => Status & 0x0F;

    /// <summary>This header with another processing requirement.</summary>
    public CupPosHeader WithProcessingRequirement(int requirement) => this with { Status = (byte)((Status & 0xF0) | (requirement & 0x0F)) };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ApplicationType:X2}{SoftwareVersion:X2}{Status:X2}{SubVersion:X6}");

    internal void Write(Span<byte> destination)
    {
        destination[0] = ApplicationType;
        destination[1] = SoftwareVersion;
        destination[2] = Status;
        destination[3] = (byte)(SubVersion >> 16);
        destination[4] = (byte)(SubVersion >> 8);
        destination[5] = (byte)SubVersion;
    }

    internal static CupPosHeader Read(ReadOnlySpan<byte> source) =>
        new(source[0], source[1], source[2], (uint)((source[3] << 16) | (source[4] << 8) | source[5]));
}

/// <summary>What precedes the message in a CUP POS frame.</summary>
public readonly record struct CupPosEnvelope(Tpdu Tpdu, CupPosHeader Header)
{
    /// <summary>TPDU and header.</summary>
    public const int Length = Tpdu.Length + CupPosHeader.Length;

    /// <summary>A terminal's envelope to the host at NII <paramref name="destination"/>.</summary>
    public static CupPosEnvelope ToHost(ushort destination = 0x0003, ushort source = 0x0000) =>
        new(new Tpdu(Tpdu.CupPosId, destination, source), CupPosHeader.Jinka);

    /// <summary>The envelope of the reply: TPDU addresses swapped, the same header.</summary>
    public CupPosEnvelope Reply() => this with { Tpdu = Tpdu.Reply() };
}
