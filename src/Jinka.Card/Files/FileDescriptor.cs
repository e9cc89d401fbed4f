using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Jinka.Core.Tlv;

namespace Jinka.Card.Files;

/// <summary>File structures (ISO/IEC 7816-4 §5.3.3, file descriptor byte, table 14).</summary>
public enum FileStructure : byte
{
    /// <summary>Working EF, transparent: READ/UPDATE BINARY by offset.</summary>
    Transparent = 0x01,

    /// <summary>Working EF, linear, records of one fixed size.</summary>
    LinearFixed = 0x02,

    /// <summary>Working EF, linear, records of any size up to <see cref="FileDescriptor.RecordSize"/>.</summary>
    LinearVariable = 0x04,

    /// <summary>Working EF, cyclic, fixed-size records; record 1 is the newest (transaction logs).</summary>
    Cyclic = 0x06,

    /// <summary>A DF (FDB 38).</summary>
    Dedicated = 0x38,
}

/// <summary>
/// Everything the OS knows about a file: structure, identifiers, sizes and access conditions. Stored in NVM as an
/// FCP template (ISO/IEC 7816-4 §5.3.3, table 12): 62 { 80 size, 82 descriptor, 83 FID, 84 DF name, 88 SFI, 8A LCS,
/// 86 access conditions }. Immutable; build one with <see cref="Transparent"/>, <see cref="Records"/> or <see cref="Df"/>.
/// </summary>
public sealed record FileDescriptor
{
    public const int MaxTransparentSize = 0x7FFF;
    public const int MaxRecordSize = 255;
    public const int MaxRecordCount = 254;

    private FileDescriptor(FileStructure structure) => Structure = structure;

    /// <summary>The MF (FID 3F00, which <see cref="Df"/> refuses because ISO reserves it for the MF alone).</summary>
    internal static FileDescriptor MasterFile { get; } = new(FileStructure.Dedicated) { Fid = 0x3F00 };

    public FileStructure Structure { get; }

    /// <summary>File identifier (2 bytes), or null for an EF reachable by SFI only (usual for EMV AEFs).</summary>
    public ushort? Fid { get; private init; }

    /// <summary>Short EF identifier 1–30, or null.</summary>
    public int? Sfi { get; private init; }

    /// <summary>DF name (AID) of a DF, or null.</summary>
    public Aid? DfName { get; private init; }

    /// <summary>Size in bytes of a transparent EF.</summary>
    public int Size { get; private init; }

    /// <summary>Record length (fixed and cyclic) or maximum record length (linear variable).</summary>
    public int RecordSize { get; private init; }

    /// <summary>Most records the file can hold.</summary>
    public int MaxRecords { get; private init; }

    /// <summary>Condition for READ BINARY / READ RECORD.</summary>
    public AccessCondition Read { get; private init; } = AccessCondition.Always;

    /// <summary>Condition for UPDATE BINARY / UPDATE RECORD / APPEND RECORD.</summary>
    public AccessCondition Write { get; private init; } = AccessCondition.Always;

    public bool IsDf => Structure == FileStructure.Dedicated;

    public bool IsRecordStructured => Structure is FileStructure.LinearFixed or FileStructure.LinearVariable or FileStructure.Cyclic;

    /// <summary>Records of one size (linear fixed and cyclic).</summary>
    public bool HasFixedRecords => Structure is FileStructure.LinearFixed or FileStructure.Cyclic;

    /// <summary>A transparent EF of <paramref name="size"/> bytes.</summary>
    public static FileDescriptor Transparent(ushort? fid, int? sfi, int size, AccessCondition? read = null, AccessCondition? write = null)
        => Checked(new FileDescriptor(FileStructure.Transparent)
        {
            Fid = fid,
            Sfi = sfi,
            Size = size,
            Read = read ?? AccessCondition.Always,
            Write = write ?? AccessCondition.Always,
        });

    /// <summary>A record EF: linear fixed, linear variable (<paramref name="recordSize"/> is the maximum) or cyclic.</summary>
    public static FileDescriptor Records(FileStructure structure, ushort? fid, int? sfi, int recordSize, int maxRecords, AccessCondition? read = null, AccessCondition? write = null)
    {
        if (structure is not (FileStructure.LinearFixed or FileStructure.LinearVariable or FileStructure.Cyclic))
        {
            throw new ArgumentException($"{structure} is not a record structure", nameof(structure));
        }

        return Checked(new FileDescriptor(structure)
        {
            Fid = fid,
            Sfi = sfi,
            RecordSize = recordSize,
            MaxRecords = maxRecords,
            Read = read ?? AccessCondition.Always,
            Write = write ?? AccessCondition.Always,
        });
    }

    /// <summary>A DF with a file identifier and/or a DF name.</summary>
    public static FileDescriptor Df(ushort? fid, Aid? name = null)
        => Checked(new FileDescriptor(FileStructure.Dedicated) { Fid = fid, DfName = name });

    /// <summary>The FCP template 62 (what SELECT returns with P2 = 04, and how NVM stores the file).</summary>
    public byte[] EncodeFcp()
    {
        using var writer = new TlvWriter(64);
        using (writer.PushConstructed(new Tag(0x62)))
        {
            Span<byte> two = stackalloc byte[2];
            if (!IsDf)
            {
                BinaryPrimitives.WriteUInt16BigEndian(two, (ushort)(IsRecordStructured ? RecordSize * MaxRecords : Size));
                writer.WritePrimitive(new Tag(0x80), two);
            }

            if (IsRecordStructured)
            {
                // FDB, data coding byte 21 (ISO default), maximum record size (2), number of records (1).
                writer.WritePrimitive(new Tag(0x82), [(byte)Structure, 0x21, (byte)(RecordSize >> 8), (byte)RecordSize, (byte)MaxRecords]);
            }
            else
            {
                writer.WritePrimitive(new Tag(0x82), [(byte)Structure]);
            }

            if (Fid is ushort fid)
            {
                BinaryPrimitives.WriteUInt16BigEndian(two, fid);
                writer.WritePrimitive(new Tag(0x83), two);
            }

            if (DfName is not null)
            {
                writer.WritePrimitive(new Tag(0x84), DfName.Span);
            }

            if (Sfi is int sfi)
            {
                // ISO/IEC 7816-4 table 12: the SFI sits in b8–b4 of tag 88.
                writer.WritePrimitive(new Tag(0x88), [(byte)(sfi << 3)]);
            }

            // Life cycle status: operational, activated (ISO/IEC 7816-4 table 13).
            writer.WritePrimitive(new Tag(0x8A), [0x05]);
            if (!IsDf)
            {
                writer.WritePrimitive(new Tag(0x86), [Read.Value, Write.Value]);
            }
        }

        return writer.ToArray();
    }

    /// <exception cref="FormatException">The bytes are not an FCP this OS wrote; the message says what is wrong.</exception>
    public static FileDescriptor DecodeFcp(ReadOnlySpan<byte> fcp)
        => TryDecodeFcp(fcp, out var descriptor, out var error) ? descriptor : throw new FormatException(error);

    public static bool TryDecodeFcp(ReadOnlySpan<byte> fcp, [NotNullWhen(true)] out FileDescriptor? descriptor, [NotNullWhen(false)] out string? error)
    {
        descriptor = null;
        var outer = new TlvReader(fcp);
        if (!outer.TryRead(out var tlvError) || outer.Tag != new Tag(0x62))
        {
            error = tlvError != TlvError.None ? $"FCP is not BER-TLV ({tlvError})" : "FCP does not start with template 62";
            return false;
        }

        if (outer.BytesConsumed != fcp.Length)
        {
            error = $"FCP has {fcp.Length - outer.BytesConsumed} bytes after template 62";
            return false;
        }

        byte[]? fdb = null;
        ushort? fid = null;
        int? sfi = null;
        Aid? name = null;
        int size = 0;
        byte[]? access = null;
        var reader = outer.ReadChildren();
        while (reader.TryRead(out tlvError))
        {
            var value = reader.ValueSpan;
            switch (reader.Tag.Value)
            {
                case 0x80 when value.Length == 2:
                    size = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
                case 0x82 when value.Length is 1 or 5:
                    fdb = value.ToArray();
                    break;
                case 0x83 when value.Length == 2:
                    fid = BinaryPrimitives.ReadUInt16BigEndian(value);
                    break;
                case 0x84 when value.Length is >= 1 and <= Aid.MaxLength:
                    name = new Aid(value);
                    break;
                case 0x88 when value.Length == 1 && (value[0] & 0x07) == 0:
                    sfi = value[0] >> 3;
                    break;
                case 0x86 when value.Length == 2:
                    access = value.ToArray();
                    break;
                case 0x8A:
                    break;
                default:
                    error = string.Create(CultureInfo.InvariantCulture, $"FCP data object {reader.Tag} with {value.Length} bytes at offset {reader.TokenOffset} is not expected");
                    return false;
            }
        }

        if (tlvError != TlvError.None)
        {
            error = $"FCP contents are not BER-TLV ({tlvError})";
            return false;
        }

        if (fdb is null)
        {
            error = "FCP has no file descriptor (82)";
            return false;
        }

        var structure = (FileStructure)fdb[0];
        bool records = structure is FileStructure.LinearFixed or FileStructure.LinearVariable or FileStructure.Cyclic;
        if (!Enum.IsDefined(structure) || records != (fdb.Length == 5))
        {
            error = $"FCP file descriptor {Convert.ToHexString(fdb)} is not one this OS supports";
            return false;
        }

        var read = AccessCondition.Always;
        var write = AccessCondition.Always;
        if (access is not null && (!AccessCondition.TryDecode(access[0], out read) || !AccessCondition.TryDecode(access[1], out write)))
        {
            error = $"FCP access conditions {Convert.ToHexString(access)} use reserved bits";
            return false;
        }

        var candidate = new FileDescriptor(structure)
        {
            Fid = fid,
            Sfi = sfi,
            DfName = name,
            Size = records || structure == FileStructure.Dedicated ? 0 : size,
            RecordSize = records ? (fdb[2] << 8) | fdb[3] : 0,
            MaxRecords = records ? fdb[4] : 0,
            Read = read,
            Write = write,
        };
        error = candidate.Problem();
        if (error is not null)
        {
            error = "FCP: " + error;
            return false;
        }

        descriptor = candidate;
        return true;
    }

    private static FileDescriptor Checked(FileDescriptor descriptor)
        => descriptor.Problem() is { } problem ? throw new ArgumentException(problem) : descriptor;

    private string? Problem()
    {
        if (Fid is 0x3F00 or 0x3FFF or 0xFFFF)
        {
            return $"FID {Fid:X4} is reserved (ISO/IEC 7816-4 §5.3.1.1)";
        }

        if (Sfi is < 1 or > 30)
        {
            return string.Create(CultureInfo.InvariantCulture, $"SFI {Sfi} is outside 1–30");
        }

        if (IsDf)
        {
            if (Sfi is not null)
            {
                return "a DF has no SFI";
            }

            return Fid is null && DfName is null ? "a DF needs a FID or a DF name" : null;
        }

        if (DfName is not null)
        {
            return "an EF has no DF name";
        }

        if (Fid is null && Sfi is null)
        {
            return "an EF needs a FID or an SFI";
        }

        if (Structure == FileStructure.Transparent)
        {
            return Size is < 1 or > MaxTransparentSize ? string.Create(CultureInfo.InvariantCulture, $"transparent size {Size} is outside 1–{MaxTransparentSize}") : null;
        }

        if (RecordSize is < 1 or > MaxRecordSize)
        {
            return string.Create(CultureInfo.InvariantCulture, $"record size {RecordSize} is outside 1–{MaxRecordSize}");
        }

        return MaxRecords is < 1 or > MaxRecordCount ? string.Create(CultureInfo.InvariantCulture, $"record count {MaxRecords} is outside 1–{MaxRecordCount}") : null;
    }
}
