using System.Buffers.Binary;
using System.Security.Cryptography;
using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Core.Apdu;

namespace Jinka.Card.Tests;

/// <summary>
/// A small purse-like application that exercises the OS: several files with different access conditions, a
/// multi-write command, a two-phase state machine, a PIN, a toy secure messaging, and commands that fail on purpose.
/// </summary>
internal sealed class CounterApplication : CardApplication<CounterApplication.Phase>
{
    public const string Module = "test.counter";

    /// <summary>Security state reached by AUTHENTICATE.</summary>
    public const int AuthenticatedState = 1;

    /// <summary>Security state reached by VERIFY.</summary>
    public const int PinState = 2;

    public const int LogRecordSize = 23;

    private readonly CommandTable<Phase> _commands;

    public CounterApplication(Aid aid)
        : base(aid)
    {
        _commands = new CommandTable<Phase> { SecureMessaging = new ToySecureMessaging() }
            .AddFileCommands()
            .AddGetChallenge()
            .OnAnyPhase(0x80, 0x10, Credit, Parameters.Zero, LengthRule.Exactly(4))
            .OnAnyPhase(0x00, 0x20, Verify, Parameters.Exactly(0x00, 0x01), LengthRule.Between(2, 8))
            .On(Phase.Selected, 0x80, 0x20, Authenticate, Parameters.Zero, LengthRule.Exactly(4))
            .On(Phase.Authenticated, 0x80, 0x30, Debit, Parameters.Zero, LengthRule.Exactly(4))
            .On(Phase.Authenticated, 0x80, 0x32, EndSession, Parameters.Zero, LengthRule.None)
            .OnAnyPhase(0x80, 0xEE, Fault, Parameters.Zero)
            .OnAnyPhase(0x80, 0xEF, WriteThenRefuse, Parameters.Zero)
            .OnAnyPhase(0x80, 0x1E, Block, Parameters.Zero, LengthRule.None)
            .OnAnyPhase(0x80, 0xCA, Peek, Parameters.Zero, LengthRule.Between(1, 64))
            .OnAnyPhase(0x80, 0xDA, Poke, Parameters.Zero, LengthRule.AtLeast(2))
            .OnAnyPhase(0x80, 0x50, (_) => Responses.Ok([0x01]), Parameters.P1Is(0x00), LengthRule.None)
            .OnAnyPhase(0x80, 0x50, (_) => Responses.Ok([0x02]), Parameters.P1Is(0x01), LengthRule.None)
            .OnAnyPhase(0x80, 0x40, (_) => Responses.Ok([0x40]), Parameters.Zero, requireSecureMessaging: true);
    }

    public enum Phase
    {
        Selected,
        Authenticated,
    }

    public static ushort FidPublic => 0x0015;

    protected override CommandTable<Phase> Commands => _commands;

    /// <summary>The files of the NOTES B.2 purse, shrunk, plus a few to test access conditions.</summary>
    public override void Install(ApplicationContext context)
    {
        var root = context.Files.Root;
        context.Files.CreateEf(root, FileDescriptor.Transparent(0x0015, 0x15, 30, AccessCondition.Always, AccessCondition.State(AuthenticatedState)));
        context.Files.CreateEf(root, FileDescriptor.Records(FileStructure.Cyclic, 0x0018, 0x18, LogRecordSize, 5, AccessCondition.Always, AccessCondition.Never));
        context.Files.CreateEf(root, FileDescriptor.Records(FileStructure.LinearVariable, 0x0001, 1, 64, 10, AccessCondition.Always, AccessCondition.State(AuthenticatedState)));
        context.Files.CreateEf(root, FileDescriptor.Records(FileStructure.LinearFixed, 0x0002, 2, 4, 3, AccessCondition.State(PinState), AccessCondition.SecureMessaging));
        context.Files.CreateEf(root, FileDescriptor.Transparent(0x0003, 3, 8, AccessCondition.Never, AccessCondition.Always));
        var df = context.Files.CreateDf(root, FileDescriptor.Df(0xDF01, Aid.Parse("D15600000501")));
        context.Files.CreateEf(df, FileDescriptor.Records(FileStructure.LinearVariable, 0xEF05, 5, 32, 10));
        context.Files.CreateEf(df, FileDescriptor.Transparent(0xEF06, 6, 4));
        context.Store.Set("pin", [0x12, 0x34]);
        context.Store.SetUInt("pin-tries", 3, 1);
        context.Store.SetUInt("atc", 0, 2);
        context.Store.SetUInt("balance", 0, 4);
        context.Store.Set("sm-key", Aid.Span);
    }

    /// <summary>80 10: ATC+1, balance+amount, a log record, the balance mirrored into EF 0015: five NVM cells in one command.</summary>
    private static ResponseApdu Credit(CommandContext context)
    {
        uint amount = BinaryPrimitives.ReadUInt32BigEndian(context.Command.Data.Span);
        uint atc = context.Store.GetUInt("atc") + 1;
        uint balance = context.Store.GetUInt("balance") + amount;
        context.Store.SetUInt("atc", atc, 2);
        context.Store.SetUInt("balance", balance, 4);

        var log = new byte[LogRecordSize];
        BinaryPrimitives.WriteUInt16BigEndian(log, (ushort)atc);
        BinaryPrimitives.WriteUInt32BigEndian(log.AsSpan(5), amount);
        log[9] = 0x09;
        var files = context.Files;
        files.AppendRecord(files.FindBySfi(files.Root, 0x18)!, log);
        var balanceBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(balanceBytes, balance);
        files.UpdateBinary(files.FindBySfi(files.Root, 0x15)!, 0, balanceBytes);

        var answer = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(answer, (ushort)atc);
        balanceBytes.CopyTo(answer, 2);
        return Responses.Ok(answer);
    }

    /// <summary>00 20 00 01: PIN check with a persistent try counter (63Cx, 6983 when blocked).</summary>
    private static ResponseApdu Verify(CommandContext context)
    {
        uint tries = context.Store.GetUInt("pin-tries");
        if (tries == 0)
        {
            return Responses.Status(StatusWord.AuthenticationMethodBlocked);
        }

        if (context.Command.Data.Span.SequenceEqual(context.Store.Get("pin")))
        {
            if (tries != 3)
            {
                context.Store.SetUInt("pin-tries", 3, 1);
            }

            context.GrantSecurityState(PinState);
            return Responses.Ok();
        }

        context.Store.SetUInt("pin-tries", tries - 1, 1);
        return Responses.Status(StatusWord.VerificationFailed((int)tries - 1));
    }

    /// <summary>80 20: the terminal proves itself with challenge XOR FF (a toy); moves to Authenticated.</summary>
    private static ResponseApdu Authenticate(CommandContext context)
    {
        var challenge = context.ConsumeChallenge();
        var proof = context.Command.Data.Span;
        if (challenge.Length != 4)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        for (int i = 0; i < 4; i++)
        {
            if (proof[i] != (byte)(challenge[i] ^ 0xFF))
            {
                return Responses.Status(StatusWord.AuthenticationFailed);
            }
        }

        context.GrantSecurityState(AuthenticatedState);
        context.SetPhase(Phase.Authenticated);
        return Responses.Ok();
    }

    /// <summary>80 30: only after AUTHENTICATE (the table answers 6985 before).</summary>
    private static ResponseApdu Debit(CommandContext context)
    {
        uint amount = BinaryPrimitives.ReadUInt32BigEndian(context.Command.Data.Span);
        uint balance = context.Store.GetUInt("balance");
        if (amount > balance)
        {
            return Responses.Status(StatusWord.InsufficientBalance);
        }

        context.Store.SetUInt("balance", balance - amount, 4);
        return Responses.Ok();
    }

    private static ResponseApdu EndSession(CommandContext context)
    {
        context.SetPhase(Phase.Selected);
        return Responses.Ok();
    }

    /// <summary>80 EE: writes, then fails unexpectedly: the OS must answer 6F00 and roll the write back.</summary>
    private static ResponseApdu Fault(CommandContext context)
    {
        context.Store.SetUInt("atc", context.Store.GetUInt("atc") + 100, 2);
        context.SetPhase(Phase.Authenticated);
        throw new InvalidOperationException("simulated bug in a handler");
    }

    /// <summary>80 EF: writes, then refuses with 9302 and asks for rollback.</summary>
    private static ResponseApdu WriteThenRefuse(CommandContext context)
    {
        context.Store.SetUInt("balance", 999_999, 4);
        return context.Rollback(StatusWord.MacInvalid);
    }

    private static ResponseApdu Block(CommandContext context)
    {
        context.LifeCycle = ApplicationLifeCycle.Blocked;
        return Responses.Ok();
    }

    /// <summary>80 CA: returns the application's own cell named by the data (ASCII); 6A88 when it has none.</summary>
    private static ResponseApdu Peek(CommandContext context)
    {
        string key = System.Text.Encoding.ASCII.GetString(context.Command.Data.Span);
        return context.Store.Get(key) is { } value ? Responses.Ok(value) : Responses.Status(StatusWord.ReferencedDataNotFound);
    }

    /// <summary>80 DA: data = key length ‖ key (ASCII) ‖ value: writes the application's own cell.</summary>
    private static ResponseApdu Poke(CommandContext context)
    {
        var data = context.Command.Data.Span;
        int length = data[0];
        if (data.Length < 1 + length)
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        context.Store.Set(System.Text.Encoding.ASCII.GetString(data.Slice(1, length)), data[(1 + length)..]);
        return Responses.Ok();
    }

    /// <summary>Toy SM: data = plain ‖ first 4 bytes of SHA-256(sm-key ‖ CLA INS P1 P2 ‖ plain).</summary>
    internal sealed class ToySecureMessaging : ISecureMessaging
    {
        public static byte[] Mac(ReadOnlySpan<byte> key, CommandApdu plainWithSmCla)
        {
            byte[] input = [.. key, plainWithSmCla.Cla, plainWithSmCla.Ins, plainWithSmCla.P1, plainWithSmCla.P2, .. plainWithSmCla.Data.Span];
            return SHA256.HashData(input)[..4];
        }

        public SecureMessagingResult Unwrap(CommandContext context, CommandApdu command)
        {
            if (command.Nc < 4)
            {
                return SecureMessagingResult.Refused(StatusWord.SecureMessagingDataMissing);
            }

            var plainData = command.Data.Span[..^4];
            var withSmCla = new CommandApdu(command.Cla, command.Ins, command.P1, command.P2, plainData, command.Ne);
            if (!CryptographicOperations.FixedTimeEquals(Mac(context.Store.Get("sm-key"), withSmCla), command.Data.Span[^4..]))
            {
                return SecureMessagingResult.Refused(StatusWord.SecureMessagingDataIncorrect);
            }

            return SecureMessagingResult.Verified(new CommandApdu((byte)(command.Cla & ~0x0C), command.Ins, command.P1, command.P2, plainData, command.Ne));
        }
    }
}
