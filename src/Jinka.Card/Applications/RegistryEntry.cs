using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications;

/// <summary>
/// Application life cycle, coded as GlobalPlatform codes it (Card Specification §11.1.1, application states):
/// INSTALLED 03, SELECTABLE 07, an application-specific state in b4–b7, LOCKED with b8 set.
/// </summary>
public enum ApplicationLifeCycle : byte
{
    /// <summary>Installed but not selectable (SELECT answers 6A82).</summary>
    Installed = 0x03,

    /// <summary>Selectable, not yet personalised.</summary>
    Selectable = 0x07,

    /// <summary>Personalised (the application-specific state EMV/PBOC applications reach after personalisation).</summary>
    Personalized = 0x0F,

    /// <summary>Blocked by the issuer (EMV APPLICATION BLOCK): still selectable, SELECT answers its FCI with 6283.
    /// An application-specific GP state; Jinka codes it 1F.</summary>
    Blocked = 0x1F,

    /// <summary>Locked by the card manager: not selectable (6A82), as if absent.</summary>
    Locked = 0x83,
}

/// <summary>GlobalPlatform privileges, byte 1 (Card Specification §11.1.2); the OS acts on <see cref="SecurityDomain"/> only.</summary>
[Flags]
public enum ApplicationPrivileges : byte
{
    None = 0,

    /// <summary>A security domain: its commands get a <see cref="CardManager"/> (install, delete, life cycle, personalisation).</summary>
    SecurityDomain = 0x80,

    DapVerification = 0x40,

    DelegatedManagement = 0x20,

    CardLock = 0x10,

    CardTerminate = 0x08,

    CardReset = 0x04,

    CvmManagement = 0x02,

    MandatedDapVerification = 0x01,
}

/// <summary>Which payment directories list an application.</summary>
[Flags]
public enum DirectoryListing : byte
{
    None = 0,

    /// <summary>Listed in the PSE ("1PAY.SYS.DDF01") directory file: contact.</summary>
    Pse = 1,

    /// <summary>Listed in the PPSE ("2PAY.SYS.DDF01") FCI: contactless.</summary>
    Ppse = 2,
}

/// <summary>
/// What the OS records about one installed application instance: its AID, the module (code) that implements it,
/// its life cycle, privileges, the security domain it belongs to, and how directories list it. Stored in NVM as
/// template E0 { 4F AID, C1 module, C2 life cycle, C3 install order, 83 FID, C4 listing, 50 label, 87 priority,
/// C5 further directory-entry data objects, C6 privileges, C7 associated security domain AID }
/// (Jinka's own layout; 4F/50/83/87 keep their ISO/EMV meaning).
/// </summary>
public sealed record RegistryEntry
{
    public RegistryEntry(Aid aid, string module)
    {
        ArgumentNullException.ThrowIfNull(aid);
        ArgumentException.ThrowIfNullOrWhiteSpace(module);
        Aid = aid;
        Module = module;
    }

    public Aid Aid { get; }

    /// <summary>The module name in the <see cref="ApplicationCatalog"/> (like a GP executable module).</summary>
    public string Module { get; }

    public ApplicationLifeCycle LifeCycle { get; init; } = ApplicationLifeCycle.Selectable;

    /// <summary>Install order: partial selection and the directories go through applications in this order.</summary>
    public int Order { get; init; }

    /// <summary>FID of the ADF (e.g. 3F01 for the MOHURD city card, NOTES B.1), or null.</summary>
    public ushort? Fid { get; init; }

    public DirectoryListing Listing { get; init; }

    /// <summary>Application label (50) for directory entries, or null.</summary>
    public string? Label { get; init; }

    /// <summary>Application priority indicator (87) for directory entries, or null.</summary>
    public byte? Priority { get; init; }

    /// <summary>Further data objects appended to the directory entry 61 (e.g. 9F12, 73, 9F2A), already encoded.</summary>
    public ReadOnlyMemory<byte> DirectoryData { get; init; }

    public ApplicationPrivileges Privileges { get; init; }

    /// <summary>The security domain the application is associated with (GP), or null.</summary>
    public Aid? SecurityDomain { get; init; }

    /// <summary>SELECT finds it (INSTALLED and LOCKED ones are invisible).</summary>
    public bool IsSelectable => LifeCycle is ApplicationLifeCycle.Selectable or ApplicationLifeCycle.Personalized or ApplicationLifeCycle.Blocked;

    public byte[] Encode()
    {
        using var writer = new TlvWriter(64);
        using (writer.PushConstructed(new Tag(0xE0)))
        {
            writer.WritePrimitive(new Tag(0x4F), Aid.Span);
            writer.WritePrimitive(new Tag(0xC1), Encoding.ASCII.GetBytes(Module));
            writer.WritePrimitive(new Tag(0xC2), [(byte)LifeCycle]);
            Span<byte> two = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(two, (ushort)Order);
            writer.WritePrimitive(new Tag(0xC3), two);
            if (Fid is ushort fid)
            {
                BinaryPrimitives.WriteUInt16BigEndian(two, fid);
                writer.WritePrimitive(new Tag(0x83), two);
            }

            writer.WritePrimitive(new Tag(0xC4), [(byte)Listing]);
            if (Label is not null)
            {
                writer.WritePrimitive(new Tag(0x50), Encoding.ASCII.GetBytes(Label));
            }

            if (Priority is byte priority)
            {
                writer.WritePrimitive(new Tag(0x87), [priority]);
            }

            if (!DirectoryData.IsEmpty)
            {
                writer.WritePrimitive(new Tag(0xC5), DirectoryData.Span);
            }

            if (Privileges != ApplicationPrivileges.None)
            {
                writer.WritePrimitive(new Tag(0xC6), [(byte)Privileges]);
            }

            if (SecurityDomain is not null)
            {
                writer.WritePrimitive(new Tag(0xC7), SecurityDomain.Span);
            }
        }

        return writer.ToArray();
    }

    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out RegistryEntry? entry, [NotNullWhen(false)] out string? error)
    {
        entry = null;
        var outer = new TlvReader(encoded);
        if (!outer.TryRead(out var tlvError) || outer.Tag != new Tag(0xE0) || outer.BytesConsumed != encoded.Length)
        {
            error = tlvError != TlvError.None ? $"registry entry is not BER-TLV ({tlvError})" : "registry entry is not one template E0";
            return false;
        }

        Aid? aid = null;
        string? module = null;
        ApplicationLifeCycle? lifeCycle = null;
        int order = 0;
        ushort? fid = null;
        var listing = DirectoryListing.None;
        string? label = null;
        byte? priority = null;
        byte[] directoryData = [];
        var privileges = ApplicationPrivileges.None;
        Aid? securityDomain = null;
        var reader = outer.ReadChildren();
        while (reader.TryRead(out tlvError))
        {
            var v = reader.ValueSpan;
            switch (reader.Tag.Value)
            {
                case 0x4F when v.Length is >= 1 and <= Aid.MaxLength:
                    aid = new Aid(v);
                    break;
                case 0xC1 when v.Length > 0 && Ascii.IsValid(v):
                    module = Encoding.ASCII.GetString(v);
                    break;
                case 0xC2 when v.Length == 1 && Enum.IsDefined((ApplicationLifeCycle)v[0]):
                    lifeCycle = (ApplicationLifeCycle)v[0];
                    break;
                case 0xC3 when v.Length == 2:
                    order = BinaryPrimitives.ReadUInt16BigEndian(v);
                    break;
                case 0x83 when v.Length == 2:
                    fid = BinaryPrimitives.ReadUInt16BigEndian(v);
                    break;
                case 0xC4 when v.Length == 1 && (v[0] & ~0x03) == 0:
                    listing = (DirectoryListing)v[0];
                    break;
                case 0x50 when Ascii.IsValid(v):
                    label = Encoding.ASCII.GetString(v);
                    break;
                case 0x87 when v.Length == 1:
                    priority = v[0];
                    break;
                case 0xC5:
                    directoryData = v.ToArray();
                    break;
                case 0xC6 when v.Length == 1:
                    privileges = (ApplicationPrivileges)v[0];
                    break;
                case 0xC7 when v.Length is >= 1 and <= Aid.MaxLength:
                    securityDomain = new Aid(v);
                    break;
                default:
                    error = string.Create(CultureInfo.InvariantCulture, $"registry entry data object {reader.Tag} ({v.Length} bytes) at offset {reader.TokenOffset} is not valid");
                    return false;
            }
        }

        if (tlvError != TlvError.None)
        {
            error = $"registry entry contents are not BER-TLV ({tlvError})";
            return false;
        }

        if (aid is null || module is null || lifeCycle is null)
        {
            error = $"registry entry lacks {(aid is null ? "the AID (4F)" : module is null ? "the module (C1)" : "the life cycle (C2)")}";
            return false;
        }

        entry = new RegistryEntry(aid, module)
        {
            LifeCycle = lifeCycle.Value,
            Order = order,
            Fid = fid,
            Listing = listing,
            Label = label,
            Priority = priority,
            DirectoryData = directoryData,
            Privileges = privileges,
            SecurityDomain = securityDomain,
        };
        error = null;
        return true;
    }
}
