using System.Buffers.Binary;
using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core.Apdu;

namespace Jinka.Card;

/// <summary>SELECT, handled by the OS for every owner (ISO/IEC 7816-4 §11.2.2; EMV Book 1 §11.3).</summary>
public sealed partial class VirtualCard
{
    private const int FciControlMask = 0x0C;
    private const int ReturnFci = 0x00;
    private const int ReturnFcp = 0x04;
    private const int ReturnNothing = 0x0C;

    /// <summary>
    /// P1 04: by DF name (application selection, then DF names inside the current owner's tree). P1 00: by FID (or
    /// the MF with 3F00 / no data), 01: child DF, 02: EF in the current DF, 03: parent DF. P2 b2–b1: 00 first, 10 next
    /// occurrence (names only); b4–b3: 00 FCI, 04 FCP, 0C nothing. Data comes back only when Le is present.
    /// A failed SELECT (6A82) leaves the selection as it was.
    /// </summary>
    private ResponseApdu Select(CardSession session, NvmTransaction transaction, CommandApdu command, out CommandContext? context)
    {
        context = null;
        if (command.HasSecureMessaging)
        {
            return Responses.Status(CardStatus.SecureMessagingNotSupported);
        }

        int occurrence = command.P2 & 0x03;
        int control = command.P2 & FciControlMask;
        if ((command.P2 & 0xF0) != 0 || control == 0x08)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        return command.P1 switch
        {
            0x04 => SelectByName(session, transaction, command, occurrence, control, out context),
            0x00 or 0x01 or 0x02 or 0x03 when occurrence == 0 => SelectByFid(session, transaction, command, control, out context),
            _ => Responses.Status(StatusWord.IncorrectP1P2),
        };
    }

    private ResponseApdu SelectByName(CardSession session, NvmTransaction transaction, CommandApdu command, int occurrence, int control, out CommandContext? context)
    {
        context = null;
        if (command.Nc is < 1 or > Aid.MaxLength)
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        if (occurrence is 0x01 or 0x03)
        {
            // Last and previous occurrence are not offered (EMV uses first and next only).
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        var name = command.Data;
        var candidates = new ApplicationRegistry(transaction).All().Where(e => e.IsSelectable && e.Aid.StartsWith(name.Span)).ToList();
        RegistryEntry? target = candidates.FirstOrDefault();
        if (occurrence == 0x02 && session.SelectedApplication is { } current)
        {
            // EMV Book 1 §12.3.1 partial selection: the next application whose AID starts with the name, after the current one.
            int index = candidates.FindIndex(e => e.Aid == current);
            target = index < 0 ? target : candidates.ElementAtOrDefault(index + 1);
        }

        if (target is not null)
        {
            return SelectApplication(session, transaction, command, target, control, out context);
        }

        // Not an application: a DF named so inside the current owner's tree (e.g. DF01 of the social security environment, NOTES C.1).
        if (occurrence == 0)
        {
            var files = OwnerFiles(session, transaction);
            if (files.FindDfByName(new Aid(name.Span)) is { } df)
            {
                session.CurrentDf = df.Path;
                session.CurrentEf = null;
                return FileAnswer(command, control, files, df);
            }
        }

        return Responses.Status(StatusWord.FileNotFound);
    }

    private ResponseApdu SelectByFid(CardSession session, NvmTransaction transaction, CommandApdu command, int control, out CommandContext? context)
    {
        context = null;
        var data = command.Data.Span;
        if (command.P1 == 0x03)
        {
            return command.Nc != 0 ? Responses.Status(StatusWord.WrongLength) : SelectParent(session, transaction, command, control);
        }

        if (command.P1 == 0x00 && (command.Nc == 0 || (command.Nc == 2 && BinaryPrimitives.ReadUInt16BigEndian(data) == NvmLayout.MasterFileId)))
        {
            return SelectMasterFile(session, command, control);
        }

        if (command.Nc != 2)
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        ushort fid = BinaryPrimitives.ReadUInt16BigEndian(data);
        var files = OwnerFiles(session, transaction);
        var currentDf = files.Find(session.CurrentDf) is { IsDf: true } df ? df : files.Root;
        var found = files.FindByFid(currentDf, fid);
        if (command.P1 == 0x00 && found is null && !currentDf.IsRoot)
        {
            // ISO/IEC 7816-4 §7.1.1: the parent DF and its children (siblings of the current DF) are reachable too.
            var parent = files.Parent(currentDf)!;
            found = parent.Descriptor.Fid == fid ? parent : files.FindByFid(parent, fid);
        }

        found = command.P1 switch
        {
            0x01 when found is { IsDf: false } => null,
            0x02 when found is { IsDf: true } => null,
            _ => found,
        };

        if (found is null)
        {
            // An ADF with this FID, reachable from the MF level (e.g. 3F01 of the MOHURD card, NOTES B.1).
            bool atMfLevel = session.SelectedApplication is null || (currentDf.IsRoot && command.P1 == 0x00);
            var adf = atMfLevel && command.P1 != 0x02 ? new ApplicationRegistry(transaction).All().FirstOrDefault(e => e.Fid == fid && e.IsSelectable) : null;
            return adf is null
                ? Responses.Status(StatusWord.FileNotFound)
                : SelectApplication(session, transaction, command, adf, control, out context);
        }

        if (found.IsDf)
        {
            session.CurrentDf = found.Path;
            session.CurrentEf = null;
        }
        else
        {
            session.CurrentDf = files.Parent(found)!.Path;
            session.CurrentEf = found.Path;
        }

        return FileAnswer(command, control, files, found);
    }

    private ResponseApdu SelectParent(CardSession session, NvmTransaction transaction, CommandApdu command, int control)
    {
        var files = OwnerFiles(session, transaction);
        var currentDf = files.Find(session.CurrentDf) is { IsDf: true } df ? df : files.Root;
        if (!currentDf.IsRoot)
        {
            var parent = files.Parent(currentDf)!;
            session.CurrentDf = parent.Path;
            session.CurrentEf = null;
            return FileAnswer(command, control, files, parent);
        }

        return session.SelectedApplication is null
            ? Responses.Status(StatusWord.FileNotFound)
            : SelectMasterFile(session, command, control);
    }

    private static ResponseApdu SelectMasterFile(CardSession session, CommandApdu command, int control)
    {
        session.Select(null);
        return command.Ne > 0 && control != ReturnNothing ? Responses.Ok(NvmLayout.MasterFileDescriptor.EncodeFcp()) : Responses.Ok();
    }

    private ResponseApdu SelectApplication(CardSession session, NvmTransaction transaction, CommandApdu command, RegistryEntry entry, int control, out CommandContext? context)
    {
        var application = Instance(entry);
        session.Select(entry.Aid);
        context = new CommandContext(transaction, entry.Aid, NvmLayout.AdfDescriptor(entry), Options.Random, Catalog, command, session);
        var answer = application.Select(context);
        var status = answer.StatusWord;
        if (!status.IsSuccess && !status.IsWarning)
        {
            session.Select(null);
            return Responses.Status(status);
        }

        if (entry.LifeCycle == ApplicationLifeCycle.Blocked)
        {
            // EMV Book 1 §12.4: a blocked application answers SELECT with its FCI and 6283.
            status = StatusWord.SelectedFileInvalidated;
        }

        ReadOnlySpan<byte> data = command.Ne == 0 ? [] : control switch
        {
            ReturnFci => answer.Data.Span,
            ReturnFcp => NvmLayout.AdfDescriptor(entry).EncodeFcp(),
            _ => [],
        };
        return Responses.Data(data, status);
    }

    private static ResponseApdu FileAnswer(CommandApdu command, int control, FileSystem files, FileRef file)
    {
        if (command.Ne == 0 || control == ReturnNothing)
        {
            return Responses.Ok();
        }

        if (control == ReturnFci && file.IsDf && files.GetFci(file) is { } fci)
        {
            return Responses.Ok(fci);
        }

        if (control == ReturnFci && file.IsDf && file.Descriptor.DfName is { } name)
        {
            return Responses.Ok(Fci.Build(name, []));
        }

        return Responses.Ok(file.Descriptor.EncodeFcp());
    }

    private FileSystem OwnerFiles(CardSession session, NvmTransaction transaction)
    {
        var owner = session.SelectedApplication;
        var entry = owner is null ? null : new ApplicationRegistry(transaction).Find(owner);
        return new ApplicationContext(transaction, owner, RootDescriptor(entry), Options.Random, Catalog).Files;
    }
}
