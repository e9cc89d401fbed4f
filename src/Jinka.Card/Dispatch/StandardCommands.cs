using Jinka.Card.Files;
using Jinka.Core.Apdu;

namespace Jinka.Card.Dispatch;

/// <summary>Commands most applications share, as handlers and as one-line table registrations.</summary>
public static class StandardCommands
{
    /// <summary>00 84 00 00 Le: GET CHALLENGE for 4, 8 or 16 random bytes (PBOC purse 4, EMV/GP 8), kept in the session for the next authentication.</summary>
    public static ResponseApdu GetChallenge(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int ne = context.Command.Ne;
        if (ne is not (4 or 8 or 16))
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        return Responses.Ok(context.NewChallenge(ne));
    }

    /// <summary>Adds READ BINARY, UPDATE BINARY, READ RECORD, UPDATE RECORD and APPEND RECORD (CLA 00) in
    /// <paramref name="phases"/>, or in every phase when null.</summary>
    public static CommandTable<TPhase> AddFileCommands<TPhase>(this CommandTable<TPhase> table, IEnumerable<TPhase>? phases = null)
        where TPhase : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(table);
        var list = phases?.ToList();
        Add(table, list, 0xB0, FileCommands.ReadBinary, LengthRule.None);
        Add(table, list, 0xD6, FileCommands.UpdateBinary, LengthRule.AtLeast(1));
        Add(table, list, 0xB2, FileCommands.ReadRecord, LengthRule.None);
        Add(table, list, 0xDC, FileCommands.UpdateRecord, LengthRule.AtLeast(1));
        Add(table, list, 0xE2, FileCommands.AppendRecord, LengthRule.AtLeast(1));
        return table;
    }

    /// <summary>Adds GET CHALLENGE (00 84 00 00) in every phase.</summary>
    public static CommandTable<TPhase> AddGetChallenge<TPhase>(this CommandTable<TPhase> table)
        where TPhase : struct, Enum
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.OnAnyPhase(0x00, 0x84, GetChallenge, Parameters.Zero, LengthRule.None);
    }

    private static void Add<TPhase>(CommandTable<TPhase> table, List<TPhase>? phases, byte ins, CommandHandler handler, LengthRule length)
        where TPhase : struct, Enum
    {
        if (phases is null)
        {
            table.OnAnyPhase(0x00, ins, handler, length: length);
        }
        else
        {
            table.On(phases, 0x00, ins, handler, length: length);
        }
    }
}
