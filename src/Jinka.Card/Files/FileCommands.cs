using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;

namespace Jinka.Card.Files;

/// <summary>
/// The OS's terminal-facing file commands (ISO/IEC 7816-4 §11.2–11.4), ready to put in any application's
/// <see cref="CommandTable{TPhase}"/> (see <see cref="StandardCommands.AddFileCommands{TPhase}"/>). They resolve the
/// EF (current EF, or SFI in the current DF), check the file's structure (6981) and its access condition against
/// the session (6982), then read or write through <see cref="FileSystem"/>.
/// </summary>
public static class FileCommands
{
    /// <summary>00 B0: READ BINARY. P1 b8 = 1: SFI in b5–b1 and offset P2; else offset P1P2 (15 bits) in the current EF.
    /// 6B00 offset outside the file; data ‖ 6282 when an explicit Le runs past the end.</summary>
    public static ResponseApdu ReadBinary(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ResolveBinary(context, out var ef, out int offset) is { } failure)
        {
            return failure;
        }

        if (!ef.Descriptor.Read.IsSatisfied(context.Security, context.SecureMessagingVerified))
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        context.SetCurrentEf(ef);
        var contents = context.Files.ReadBinary(ef);
        if (offset >= contents.Length)
        {
            return Responses.Status(StatusWord.WrongP1P2);
        }

        int ne = context.Command.Ne;
        int available = contents.Length - offset;
        bool maximal = ne is 0 or CommandApdu.MaxShortNe or CommandApdu.MaxExtendedNe;
        int wanted = ne == 0 ? CommandApdu.MaxShortNe : ne;
        var data = contents.AsSpan(offset, Math.Min(wanted, available));
        return !maximal && ne > available ? Responses.Data(data, StatusWord.EndOfFileBeforeNe) : Responses.Ok(data);
    }

    /// <summary>00 D6: UPDATE BINARY, addressed as READ BINARY. 6B00 offset outside the file, 6700 data past its end.</summary>
    public static ResponseApdu UpdateBinary(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (ResolveBinary(context, out var ef, out int offset) is { } failure)
        {
            return failure;
        }

        if (!ef.Descriptor.Write.IsSatisfied(context.Security, context.SecureMessagingVerified))
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        context.SetCurrentEf(ef);
        return Responses.Status(context.Files.UpdateBinary(ef, offset, context.Command.Data.Span));
    }

    /// <summary>
    /// 00 B2: READ RECORD. P2 = SFI&lt;&lt;3 | mode (SFI 0 = current EF); mode 100 reads record number P1, mode 000 the
    /// first record whose identifier (first byte) is P1. 6A83 no such record; 6Cxx when Le is neither 00 nor the
    /// record length (ISO/IEC 7816-3 §12.2.2).
    /// </summary>
    public static ResponseApdu ReadRecord(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        int mode = command.P2 & 0x07;
        if (mode is not (0b100 or 0b000) || command.P1 is 0x00 or 0xFF)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (ResolveRecordFile(context, command.P2 >> 3, out var ef) is { } failure)
        {
            return failure;
        }

        if (!ef.Descriptor.Read.IsSatisfied(context.Security, context.SecureMessagingVerified))
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        context.SetCurrentEf(ef);
        byte[] record;
        bool found = mode == 0b100
            ? context.Files.TryReadRecord(ef, command.P1, out record)
            : context.Files.TryFindRecord(ef, command.P1, out _, out record);
        return found ? RecordResponse(command, record) : Responses.Status(StatusWord.RecordNotFound);
    }

    /// <summary>00 DC: UPDATE RECORD number P1 (P2 mode 100). 6A83 no such record, 6700 length not allowed.</summary>
    public static ResponseApdu UpdateRecord(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        if ((command.P2 & 0x07) != 0b100 || command.P1 is 0x00 or 0xFF)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (ResolveRecordFile(context, command.P2 >> 3, out var ef) is { } failure)
        {
            return failure;
        }

        if (!ef.Descriptor.Write.IsSatisfied(context.Security, context.SecureMessagingVerified))
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        context.SetCurrentEf(ef);
        return Responses.Status(context.Files.UpdateRecord(ef, command.P1, command.Data.Span));
    }

    /// <summary>00 E2: APPEND RECORD (P1 00, P2 = SFI&lt;&lt;3). Linear: after the last record (6A84 when full); cyclic: becomes record 1.</summary>
    public static ResponseApdu AppendRecord(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        if (command.P1 != 0 || (command.P2 & 0x07) != 0)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (ResolveRecordFile(context, command.P2 >> 3, out var ef) is { } failure)
        {
            return failure;
        }

        if (!ef.Descriptor.Write.IsSatisfied(context.Security, context.SecureMessagingVerified))
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        context.SetCurrentEf(ef);
        return Responses.Status(context.Files.AppendRecord(ef, command.Data.Span));
    }

    /// <summary>A record as the response to <paramref name="command"/>: whole when Le is 00 (or absent) or exact, else 6Cxx with the length.</summary>
    public static ResponseApdu RecordResponse(CommandApdu command, ReadOnlySpan<byte> record)
    {
        ArgumentNullException.ThrowIfNull(command);
        int ne = command.Ne;
        if (ne == 0 || ne >= CommandApdu.MaxShortNe || ne == record.Length || record.Length == 0)
        {
            return Responses.Ok(record);
        }

        return Responses.Status(StatusWord.WrongLe(record.Length));
    }

    private static ResponseApdu? ResolveBinary(CommandContext context, out FileRef ef, out int offset)
    {
        var command = context.Command;
        ef = null!;
        if ((command.P1 & 0x80) != 0)
        {
            int sfi = command.P1 & 0x1F;
            if ((command.P1 & 0x60) != 0 || sfi is 0 or 31)
            {
                offset = 0;
                return Responses.Status(StatusWord.IncorrectP1P2);
            }

            offset = command.P2;
            if (context.Files.FindBySfi(context.CurrentDf, sfi) is not { } bySfi)
            {
                return Responses.Status(StatusWord.FileNotFound);
            }

            ef = bySfi;
        }
        else
        {
            offset = (command.P1 << 8) | command.P2;
            if (context.CurrentEf is not { } current)
            {
                return Responses.Status(CardStatus.NoCurrentEf);
            }

            ef = current;
        }

        return ef.Descriptor.Structure == FileStructure.Transparent ? null : Responses.Status(CardStatus.IncompatibleFileStructure);
    }

    private static ResponseApdu? ResolveRecordFile(CommandContext context, int sfi, out FileRef ef)
    {
        ef = null!;
        if (sfi == 31)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (sfi == 0)
        {
            if (context.CurrentEf is not { } current)
            {
                return Responses.Status(CardStatus.NoCurrentEf);
            }

            ef = current;
        }
        else if (context.Files.FindBySfi(context.CurrentDf, sfi) is { } bySfi)
        {
            ef = bySfi;
        }
        else
        {
            return Responses.Status(StatusWord.FileNotFound);
        }

        return ef.Descriptor.IsRecordStructured ? null : Responses.Status(CardStatus.IncompatibleFileStructure);
    }
}
