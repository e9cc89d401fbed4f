using Jinka.Core.Apdu;

namespace Jinka.Card.Dispatch;

/// <summary>
/// An application's commands as an explicit state machine (STYLE "Card applications as explicit state machines"):
/// entries keyed by (phase, CLA, INS), each with the P1 P2 and Lc it accepts and a handler. The phase lives in
/// the application's volatile state (<see cref="CommandContext.GetPhase{TPhase}"/>; the enum's zero value is the
/// phase after SELECT); handlers move it with <see cref="CommandContext.SetPhase{TPhase}"/>.
/// </summary>
/// <remarks>
/// <para>Checks, in order (ISO/IEC 7816-4 §5.6 status words):</para>
/// <list type="number">
/// <item>no entry for the CLA → 6E00 (the CLA is compared without its SM bits b4–b3);</item>
/// <item>no entry for CLA+INS → 6D00;</item>
/// <item>none for the current phase → 6985 (out of phase);</item>
/// <item>none accepting P1 P2 → 6A86;</item>
/// <item>SM in the CLA: unwrapped by <see cref="SecureMessaging"/> (6882 when the application has none), else 6982 if the entry requires SM;</item>
/// <item>Nc outside the entry's <see cref="LengthRule"/> → 6700.</item>
/// </list>
/// <para>Entries are tried in the order they were added, so several entries for one CLA+INS can split by P1 P2
/// (e.g. INITIALIZE FOR LOAD 80 50 00 vs FOR PURCHASE 80 50 01, NOTES B.3).</para>
/// </remarks>
public sealed class CommandTable<TPhase>
    where TPhase : struct, Enum
{
    private readonly List<Entry> _entries = [];

    /// <summary>The application's secure messaging, or null when it accepts none.</summary>
    public ISecureMessaging? SecureMessaging { get; init; }

    /// <summary>Adds a command accepted in one phase.</summary>
    public CommandTable<TPhase> On(TPhase phase, byte cla, byte ins, CommandHandler handler, ParameterRule? parameters = null, LengthRule? length = null, bool requireSecureMessaging = false)
        => Add([phase], cla, ins, handler, parameters, length, requireSecureMessaging);

    /// <summary>Adds a command accepted in several phases.</summary>
    public CommandTable<TPhase> On(IEnumerable<TPhase> phases, byte cla, byte ins, CommandHandler handler, ParameterRule? parameters = null, LengthRule? length = null, bool requireSecureMessaging = false)
        => Add(phases.ToHashSet(), cla, ins, handler, parameters, length, requireSecureMessaging);

    /// <summary>Adds a command accepted in every phase.</summary>
    public CommandTable<TPhase> OnAnyPhase(byte cla, byte ins, CommandHandler handler, ParameterRule? parameters = null, LengthRule? length = null, bool requireSecureMessaging = false)
        => Add(null, cla, ins, handler, parameters, length, requireSecureMessaging);

    /// <summary>Routes the command in <paramref name="context"/> to its handler, or answers the status word that says why not.</summary>
    public ResponseApdu Dispatch(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var command = context.Command;
        byte cla = BaseClass(command.Cla);
        if (!_entries.Exists(e => e.Cla == cla))
        {
            return Responses.Status(StatusWord.ClassNotSupported);
        }

        var forInstruction = _entries.FindAll(e => e.Cla == cla && e.Ins == command.Ins);
        if (forInstruction.Count == 0)
        {
            return Responses.Status(StatusWord.InstructionNotSupported);
        }

        var phase = context.GetPhase<TPhase>();
        var inPhase = forInstruction.FindAll(e => e.Phases is null || e.Phases.Contains(phase));
        if (inPhase.Count == 0)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var entry = inPhase.Find(e => e.Parameters(command.P1, command.P2));
        if (entry is null)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (command.HasSecureMessaging)
        {
            if (SecureMessaging is null)
            {
                return Responses.Status(CardStatus.SecureMessagingNotSupported);
            }

            var unwrapped = SecureMessaging.Unwrap(context, command);
            if (unwrapped.Command is null)
            {
                return Responses.Status(unwrapped.Status);
            }

            context.Command = unwrapped.Command;
            context.SecureMessagingVerified = true;
        }
        else if (entry.RequireSecureMessaging)
        {
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        if (!entry.Length.Allows(context.Command.Nc))
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        var response = entry.Handler(context);
        return context.SecureMessagingVerified && SecureMessaging is not null ? SecureMessaging.Wrap(context, response) : response;
    }

    /// <summary>The CLA an entry is keyed by: the command's CLA without SM (b4–b3) and channel (b2–b1) bits.</summary>
    internal static byte BaseClass(byte cla) => (byte)(cla & 0xF0);

    private CommandTable<TPhase> Add(HashSet<TPhase>? phases, byte cla, byte ins, CommandHandler handler, ParameterRule? parameters, LengthRule? length, bool requireSecureMessaging)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (BaseClass(cla) != cla || (cla & 0x40) != 0)
        {
            throw new ArgumentException($"register CLA {cla:X2} without SM, channel or chaining bits (e.g. 00 or 80); SM variants match it", nameof(cla));
        }

        _entries.Add(new Entry(phases, cla, ins, parameters ?? Parameters.Any, length ?? LengthRule.Any, requireSecureMessaging, handler));
        return this;
    }

    private sealed record Entry(HashSet<TPhase>? Phases, byte Cla, byte Ins, ParameterRule Parameters, LengthRule Length, bool RequireSecureMessaging, CommandHandler Handler);
}
