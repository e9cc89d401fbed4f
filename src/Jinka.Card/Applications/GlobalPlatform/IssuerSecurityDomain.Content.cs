using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>Card content management under the secure channel: INSTALL, DELETE, GET STATUS, SET STATUS (NOTES D.3).</summary>
public sealed partial class IssuerSecurityDomain
{
    private const byte InstallForInstall = 0x04;
    private const byte InstallForMakeSelectable = 0x08;
    private const byte InstallForPersonalization = 0x20;
    private const byte InstallForLoad = 0x02;
    private const int MaxStatusResponse = 256;

    /// <summary>The single byte 00 INSTALL and DELETE answer when no receipt is produced (GP Card Spec v2.2 §11.5.3).</summary>
    private static readonly byte[] s_noReceipt = [0x00];

    /// <summary>
    /// 80 E6 P1 00: P1 0C [for install and make selectable], 04 [for install], 08 [for make selectable], 20 [for
    /// personalisation]. 6A81 for [for load] (modules are built in), 6A86 for other P1, 6A80 for bad data, 6A88 for
    /// an unknown module or application.
    /// </summary>
    private ResponseApdu Install(CommandContext context)
    {
        if (RequireSecureChannel(context) is { } refused)
        {
            return Responses.Status(refused);
        }

        byte p1 = context.Command.P1;
        if (p1 == InstallForLoad)
        {
            return Responses.Status(StatusWord.FunctionNotSupported);
        }

        if (p1 is not (InstallForInstall or InstallForMakeSelectable or (InstallForInstall | InstallForMakeSelectable) or InstallForPersonalization))
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (!InstallData.TryParse(context.Command.Data.Span, out var data, out _) || data.Application.Length is < 5 or > Aid.MaxLength)
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        var aid = new Aid(data.Application.Span);
        return p1 switch
        {
            InstallForPersonalization => SelectForPersonalization(context, aid),
            InstallForMakeSelectable => MakeSelectable(context, aid),
            _ => InstallInstance(context, data, aid, selectable: (p1 & InstallForMakeSelectable) != 0),
        };
    }

    private ResponseApdu InstallInstance(CommandContext context, InstallData data, Aid aid, bool selectable)
    {
        if (data.LoadFile.Length is < 5 or > Aid.MaxLength || data.Module.Length is < 5 or > Aid.MaxLength
            || data.Privileges.Length is not (1 or 3) || !data.Token.IsEmpty
            || !ApplicationInstallParameters.TryParse(data.Parameters.Span, out var parameters, out _))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        var module = _modules.Find(data.LoadFile.Span, data.Module.Span);
        if (module is null)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        var manager = context.CardManager!;
        if (context.Applications.Any(e => e.Aid == aid || (parameters.Fid is ushort fid && e.Fid == fid)))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        var options = new InstallOptions
        {
            LifeCycle = selectable ? ApplicationLifeCycle.Selectable : ApplicationLifeCycle.Installed,
            Privileges = (ApplicationPrivileges)data.Privileges.Span[0],
            Label = parameters.Label,
            Priority = parameters.Priority,
            Listing = parameters.Listing,
            DirectoryData = parameters.DirectoryData,
            Fid = parameters.Fid,
        };
        try
        {
            manager.Install(module.Name, aid, options);
        }
        catch (InvalidOperationException)
        {
            // The catalog lacks the module the table names (or the FID clashes with the MF's).
            return context.Rollback(StatusWord.ReferencedDataNotFound);
        }

        return Responses.Ok(s_noReceipt);
    }

    private ResponseApdu MakeSelectable(CommandContext context, Aid aid)
    {
        var entry = context.Applications.FirstOrDefault(e => e.Aid == aid);
        if (entry is null || entry.SecurityDomain != Aid)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        if (entry.LifeCycle != ApplicationLifeCycle.Installed)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        context.CardManager!.SetLifeCycle(aid, ApplicationLifeCycle.Selectable);
        return Responses.Ok(s_noReceipt);
    }

    /// <summary>Names the application the following STORE DATA commands personalise; block numbering restarts at 00.</summary>
    private ResponseApdu SelectForPersonalization(CommandContext context, Aid aid)
    {
        var entry = context.Applications.FirstOrDefault(e => e.Aid == aid);
        if (entry is null)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        if (entry.SecurityDomain != Aid || entry.LifeCycle == ApplicationLifeCycle.Locked)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var channel = context.Volatile<SecureChannel>();
        channel.Target = aid;
        channel.TargetModule = entry.Module;
        channel.NextBlock = 0;
        channel.PersonalizationFinished = false;
        channel.RsaModulusLength = null;
        return Responses.Ok(s_noReceipt);
    }

    /// <summary>80 E4 00 00|80 4F L AID: deletes an application (6A88 when absent, 6985 for the domain itself).</summary>
    private ResponseApdu Delete(CommandContext context)
    {
        if (RequireSecureChannel(context) is { } refused)
        {
            return Responses.Status(refused);
        }

        if (context.Command.P1 != 0x00 || context.Command.P2 is not (0x00 or 0x80))
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (!TryReadAidObject(context.Command.Data.Span, allowEmpty: false, out var aidBytes))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        var aid = new Aid(aidBytes);
        if (aid == Aid)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        if (!context.Applications.Any(e => e.Aid == aid))
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        context.CardManager!.Uninstall(aid);
        return Responses.Ok(s_noReceipt);
    }

    /// <summary>
    /// 80 F0 40 state AID: sets an application's life cycle to SELECTABLE (07), PERSONALIZED (0F) or LOCKED (83), or
    /// back from LOCKED. 6A88 when absent; 6A80 for another state.
    /// </summary>
    private ResponseApdu SetStatus(CommandContext context)
    {
        if (RequireSecureChannel(context) is { } refused)
        {
            return Responses.Status(refused);
        }

        if (context.Command.P1 != 0x40)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        var state = (ApplicationLifeCycle)context.Command.P2;
        if (state is not (ApplicationLifeCycle.Selectable or ApplicationLifeCycle.Personalized or ApplicationLifeCycle.Locked)
            || context.Command.Nc is < 5 or > Aid.MaxLength)
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        var aid = new Aid(context.Command.Data.Span);
        if (aid == Aid || !context.Applications.Any(e => e.Aid == aid))
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        context.CardManager!.SetLifeCycle(aid, state);
        return Responses.Ok();
    }

    /// <summary>
    /// 80 F2 P1 P2 4F L [AID prefix]: P1 80 this domain, 40 applications and supplementary domains, 20 executable load
    /// files, 10 load files with their modules; P2 b2 = 1 for the TLV format (E3 …), 0 for the legacy one; P2 b1 = 1
    /// continues after 6310. 6A88 when nothing matches.
    /// </summary>
    private ResponseApdu GetStatus(CommandContext context)
    {
        if (RequireSecureChannel(context) is { } refused)
        {
            return Responses.Status(refused);
        }

        var command = context.Command;
        var channel = context.Volatile<SecureChannel>();
        if (command.P1 is not (0x80 or 0x40 or 0x20 or 0x10) || (command.P2 & ~0x03) != 0)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        bool next = (command.P2 & 0x01) != 0;
        if (next)
        {
            return channel.PendingStatus is { Count: > 0 } pending ? StatusPage(channel, pending) : Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        if (!TryReadAidObject(command.Data.Span, allowEmpty: true, out var prefix))
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        bool tlv = (command.P2 & 0x02) != 0;
        var entries = StatusEntries(context, command.P1, prefix, tlv);
        if (entries.Count == 0)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        return StatusPage(channel, new Queue<byte[]>(entries));
    }

    private static ResponseApdu StatusPage(SecureChannel channel, Queue<byte[]> entries)
    {
        var page = new List<byte>();
        while (entries.Count > 0 && page.Count + entries.Peek().Length <= MaxStatusResponse)
        {
            page.AddRange(entries.Dequeue());
        }

        channel.PendingStatus = entries.Count > 0 ? entries : null;
        return entries.Count > 0 ? Responses.Data([.. page], new StatusWord(0x6310)) : Responses.Ok([.. page]);
    }

    private List<byte[]> StatusEntries(CommandContext context, byte p1, byte[] prefix, bool tlv)
    {
        var result = new List<byte[]>();
        if (p1 is 0x80 or 0x40)
        {
            foreach (var entry in context.Applications)
            {
                bool isSelf = entry.Aid == Aid;
                if (isSelf == (p1 == 0x80) && entry.Aid.StartsWith(prefix))
                {
                    result.Add(StatusEntry(entry.Aid, (byte)entry.LifeCycle, (byte)entry.Privileges, tlv, _modules.FindByName(entry.Module)?.LoadFile, entry.SecurityDomain, []));
                }
            }

            return result;
        }

        foreach (var loadFile in _modules.LoadFiles.Where(f => f.StartsWith(prefix)))
        {
            var modules = p1 == 0x10 ? _modules.Modules.Where(m => m.LoadFile == loadFile).Select(m => m.Module).ToList() : [];
            result.Add(StatusEntry(loadFile, 0x01, 0x00, tlv, null, Aid, modules));
        }

        return result;
    }

    /// <summary>
    /// Legacy: <c>L AID ‖ life cycle ‖ privileges [‖ module count ‖ (L module)…]</c>; TLV: <c>E3 { 4F AID, 9F70 life
    /// cycle, C5 privileges (3), C4 load file, CC security domain, 84 module… }</c> (GP Card Spec v2.2 §11.4.2).
    /// </summary>
    private static byte[] StatusEntry(Aid aid, byte lifeCycle, byte privileges, bool tlv, Aid? loadFile, Aid? securityDomain, IReadOnlyList<Aid> modules)
    {
        if (!tlv)
        {
            var legacy = new List<byte> { (byte)aid.Length };
            legacy.AddRange(aid.Span);
            legacy.Add(lifeCycle);
            legacy.Add(privileges);
            if (modules.Count > 0)
            {
                legacy.Add((byte)modules.Count);
                foreach (var module in modules)
                {
                    legacy.Add((byte)module.Length);
                    legacy.AddRange(module.Span);
                }
            }

            return [.. legacy];
        }

        using var writer = new TlvWriter(64);
        using (writer.PushConstructed(new Tag(0xE3)))
        {
            writer.WritePrimitive(new Tag(0x4F), aid.Span);
            writer.WritePrimitive(new Tag(0x9F70), [lifeCycle]);
            writer.WritePrimitive(new Tag(0xC5), [privileges, 0x00, 0x00]);
            if (loadFile is not null)
            {
                writer.WritePrimitive(new Tag(0xC4), loadFile.Span);
            }

            if (securityDomain is not null)
            {
                writer.WritePrimitive(new Tag(0xCC), securityDomain.Span);
            }

            foreach (var module in modules)
            {
                writer.WritePrimitive(new Tag(0x84), module.Span);
            }
        }

        return writer.ToArray();
    }

    /// <summary>Reads <c>4F L AID</c> (other search data objects after it are ignored); a prefix of any length when <paramref name="allowEmpty"/>.</summary>
    private static bool TryReadAidObject(ReadOnlySpan<byte> data, bool allowEmpty, out byte[] aid)
    {
        aid = [];
        var reader = new TlvReader(data);
        if (!reader.TryRead(out _) || reader.Tag != new Tag(0x4F))
        {
            return false;
        }

        var value = reader.ValueSpan;
        if (value.Length > Aid.MaxLength || (!allowEmpty && value.Length < 5))
        {
            return false;
        }

        aid = value.ToArray();
        return true;
    }
}
