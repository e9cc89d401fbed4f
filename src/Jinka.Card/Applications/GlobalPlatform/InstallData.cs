using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>
/// The data field of INSTALL (GP Card Spec v2.2 §11.5.2.3; NOTES D.3): length-value fields in order —
/// load file AID, module AID, application AID, privileges, install parameters, install token. [for install] fills
/// them all; [for make selectable] and [for personalisation] leave the first two (and most others) empty.
/// </summary>
public sealed record InstallData(
    ReadOnlyMemory<byte> LoadFile,
    ReadOnlyMemory<byte> Module,
    ReadOnlyMemory<byte> Application,
    ReadOnlyMemory<byte> Privileges,
    ReadOnlyMemory<byte> Parameters,
    ReadOnlyMemory<byte> Token)
{
    /// <summary>Reads the fields; trailing fields may be absent (then empty). False with the offset when a length runs past the end.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, [NotNullWhen(true)] out InstallData? install, [NotNullWhen(false)] out string? error)
    {
        install = null;
        var fields = new byte[6][];
        int offset = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            if (offset == data.Length)
            {
                fields[i] = [];
                continue;
            }

            int length = data[offset];
            if (offset + 1 + length > data.Length)
            {
                error = $"INSTALL field {i + 1} at offset {offset}: length {length} runs past the end of the data";
                return false;
            }

            fields[i] = data.Slice(offset + 1, length).ToArray();
            offset += 1 + length;
        }

        if (offset != data.Length)
        {
            error = $"INSTALL data: {data.Length - offset} bytes after the install token at offset {offset}";
            return false;
        }

        install = new InstallData(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
        error = null;
        return true;
    }

    /// <summary>Encodes the six fields as LVs.</summary>
    public byte[] Encode()
    {
        var fields = new[] { LoadFile, Module, Application, Privileges, Parameters, Token };
        var encoded = new List<byte>();
        foreach (var field in fields)
        {
            if (field.Length > 0xFF)
            {
                throw new InvalidOperationException($"an INSTALL field of {field.Length} bytes does not fit a one-byte length");
            }

            encoded.Add((byte)field.Length);
            encoded.AddRange(field.Span);
        }

        return [.. encoded];
    }

    /// <summary>INSTALL [for install (and make selectable)] data for an application instance.</summary>
    public static InstallData ForInstall(Aid loadFile, Aid module, Aid application, ApplicationPrivileges privileges, ApplicationInstallParameters? parameters = null)
    {
        ArgumentNullException.ThrowIfNull(loadFile);
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(application);
        return new InstallData(loadFile.ToArray(), module.ToArray(), application.ToArray(), new[] { (byte)privileges }, (parameters ?? new ApplicationInstallParameters()).Encode(), Array.Empty<byte>());
    }

    /// <summary>INSTALL [for personalisation] data: <c>00 00 LV(AID) 00 00 00</c>.</summary>
    public static InstallData ForPersonalization(Aid application)
    {
        ArgumentNullException.ThrowIfNull(application);
        return new InstallData(Array.Empty<byte>(), Array.Empty<byte>(), application.ToArray(), Array.Empty<byte>(), Array.Empty<byte>(), Array.Empty<byte>());
    }
}

/// <summary>
/// What a Jinka security domain reads from the install parameters field (<c>C9 …</c>, application specific
/// parameters, GP Card Spec v2.2 §11.5.2.3.7) to fill the registry entry: <c>50</c> label, <c>87</c> priority,
/// <c>C4</c> directory listing (01 PSE, 02 PPSE), <c>C5</c> further directory-entry data objects, <c>83</c> FID of the
/// ADF. Unknown data objects inside C9 are left to the application (docs/spec-choices.md D15).
/// </summary>
public sealed record ApplicationInstallParameters
{
    public string? Label { get; init; }

    public byte? Priority { get; init; }

    public DirectoryListing Listing { get; init; }

    public ReadOnlyMemory<byte> DirectoryData { get; init; }

    public ushort? Fid { get; init; }

    /// <summary>The install parameters field: <c>C9 L { … }</c> (C9 00 when nothing is set).</summary>
    public byte[] Encode()
    {
        using var inner = new TlvWriter(64);
        if (Label is not null)
        {
            inner.WritePrimitive(new Tag(0x50), Encoding.ASCII.GetBytes(Label));
        }

        if (Priority is byte priority)
        {
            inner.WritePrimitive(new Tag(0x87), [priority]);
        }

        if (Listing != DirectoryListing.None)
        {
            inner.WritePrimitive(new Tag(0xC4), [(byte)Listing]);
        }

        if (!DirectoryData.IsEmpty)
        {
            inner.WritePrimitive(new Tag(0xC5), DirectoryData.Span);
        }

        if (Fid is ushort fid)
        {
            Span<byte> two = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(two, fid);
            inner.WritePrimitive(new Tag(0x83), two);
        }

        using var outer = new TlvWriter(inner.Length + 4);
        outer.WritePrimitive(new Tag(0xC9), inner.WrittenSpan);
        return outer.ToArray();
    }

    /// <summary>
    /// Reads the install parameters field: a series of data objects (C9, and the EF/C7/C8 system parameters, which
    /// are ignored). An empty field means no parameters. False with the reason for malformed TLV or a bad value.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> field, [NotNullWhen(true)] out ApplicationInstallParameters? parameters, [NotNullWhen(false)] out string? error)
    {
        parameters = new ApplicationInstallParameters();
        var outer = new TlvReader(field);
        TlvError outerError;
        while (outer.TryRead(out outerError))
        {
            if (outer.Tag != new Tag(0xC9))
            {
                continue;
            }

            var reader = new TlvReader(outer.ValueSpan);
            TlvError tlvError;
            while (reader.TryRead(out tlvError))
            {
                var v = reader.ValueSpan;
                switch (reader.Tag.Value)
                {
                    case 0x50 when v.Length is >= 1 and <= 16 && Ascii.IsValid(v):
                        parameters = parameters with { Label = Encoding.ASCII.GetString(v) };
                        break;
                    case 0x87 when v.Length == 1:
                        parameters = parameters with { Priority = v[0] };
                        break;
                    case 0xC4 when v.Length == 1 && (v[0] & ~0x03) == 0:
                        parameters = parameters with { Listing = (DirectoryListing)v[0] };
                        break;
                    case 0xC5:
                        parameters = parameters with { DirectoryData = v.ToArray() };
                        break;
                    case 0x83 when v.Length == 2:
                        parameters = parameters with { Fid = BinaryPrimitives.ReadUInt16BigEndian(v) };
                        break;
                    case 0x50 or 0x87 or 0xC4 or 0x83:
                        error = $"install parameter {reader.Tag} ({v.Length} bytes) at offset {reader.TokenOffset} of C9 is not valid";
                        parameters = null;
                        return false;
                    default:
                        break;
                }
            }

            if (tlvError != TlvError.None)
            {
                error = $"C9 is not BER-TLV ({tlvError})";
                parameters = null;
                return false;
            }
        }

        if (outerError != TlvError.None)
        {
            error = $"install parameters are not BER-TLV ({outerError})";
            parameters = null;
            return false;
        }

        error = null;
        return true;
    }
}
