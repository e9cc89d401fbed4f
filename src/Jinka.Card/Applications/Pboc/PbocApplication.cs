using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Dictionary;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications.Pboc;

/// <summary>
/// The card side of the PBOC 3.0 / UICS debit/credit application (JR/T 0025.5; EMV Book 3), for both algorithm suites:
/// International (3DES, RSA, SHA-1) and SM (SM4, SM2, SM3). It follows the PBOC debit/credit contract P1–P12 and the
/// personalisation contract D1–D13 of docs/spec-choices.md, and Jinka's card choices P22 onward; the qPBOC GPO and
/// electronic cash follow Q1–Q33.
/// </summary>
/// <remarks>
/// <para>Personalisation: plain DGIs through <see cref="IPersonalizable.StoreDgi"/> (a security domain routes STORE DATA
/// here). The last block checks completeness and moves the life cycle to PERSONALIZED.</para>
/// <para>Commands form a state machine over <see cref="PbocPhase"/>: SELECT → GPO → (READ RECORD, INTERNAL AUTHENTICATE,
/// VERIFY) → GENERATE AC → (EXTERNAL AUTHENTICATE, scripts) → GENERATE AC → (scripts). Out-of-phase commands answer
/// 6985. Persistent state (ATC, PIN tries, offline counters, flags, the log, keys) is in the application's store and
/// file system; the transaction in progress is in the session (<see cref="PbocSession"/>).</para>
/// <para>Every handler answers a status word for bad input; none is meant to throw.</para>
/// </remarks>
public sealed partial class PbocApplication : CardApplication<PbocPhase>, IPersonalizable
{
    /// <summary>The module name in an <see cref="ApplicationCatalog"/>.</summary>
    public const string Module = "jinka.pboc";

    /// <summary>Length of the ICC dynamic number and of GET CHALLENGE (contract P6, P7).</summary>
    public const int ChallengeLength = 8;

    private static readonly PbocPhase[] s_scriptPhases = [PbocPhase.Online, PbocPhase.Completed];

    private static readonly CommandTable<PbocPhase> s_commands = BuildCommands();

    public PbocApplication(Aid aid)
        : base(aid)
    {
    }

    protected override CommandTable<PbocPhase> Commands => s_commands;

    /// <summary>Adds this module to <paramref name="catalog"/>; returns the catalog for chaining.</summary>
    public static ApplicationCatalog AddTo(ApplicationCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Add(Module, aid => new PbocApplication(aid));
    }

    /// <summary>True once personalisation completed (PERSONALIZED, or later BLOCKED/LOCKED by the issuer).</summary>
    internal static bool IsPersonalized(ApplicationLifeCycle lifeCycle)
        => lifeCycle is ApplicationLifeCycle.Personalized or ApplicationLifeCycle.Blocked or ApplicationLifeCycle.Locked;

    private static CommandTable<PbocPhase> BuildCommands()
    {
        // EMV Book 3 §6.5 and JR/T 0025.5: the phase a command is accepted in is the state machine; the table answers
        // 6E00/6D00/6985/6A86/6700 before any handler runs.
        var table = new CommandTable<PbocPhase> { SecureMessaging = new PbocScriptMessaging() }
            .OnAnyPhase(0x00, 0xB2, ReadRecord, length: LengthRule.None)
            .OnAnyPhase(0x80, 0xCA, GetData, length: LengthRule.None)
            .OnAnyPhase(0x00, 0x84, GetChallenge, Parameters.Zero, LengthRule.None)
            .OnAnyPhase(0x80, 0xE2, StoreData)
            .On(PbocPhase.Selected, 0x80, 0xA8, GetProcessingOptions, Parameters.Zero, LengthRule.AtLeast(2))
            .On(PbocPhase.Initiated, 0x00, 0x88, InternalAuthenticate, Parameters.Zero, LengthRule.AtLeast(1))
            .On(PbocPhase.Initiated, 0x00, 0x20, Verify, (p1, p2) => p1 == 0 && p2 is PlaintextPin or EncipheredPin, LengthRule.AtLeast(1))
            .On([PbocPhase.Initiated, PbocPhase.Online], 0x80, 0xAE, GenerateAc, IsGenerateAcReference, LengthRule.AtLeast(1))
            .On(PbocPhase.Online, 0x00, 0x82, ExternalAuthenticate, Parameters.Zero, LengthRule.Exactly(ExternalAuthenticateLength));

        // Issuer script commands (contract P9): secure messaging required, only once an ARQC exists in this transaction.
        return table
            .On(s_scriptPhases, 0x80, 0x1E, ApplicationBlock, Parameters.Zero, LengthRule.None, requireSecureMessaging: true)
            .On(s_scriptPhases, 0x80, 0x18, ApplicationUnblock, Parameters.Zero, LengthRule.None, requireSecureMessaging: true)
            .On(s_scriptPhases, 0x80, 0x16, CardBlock, Parameters.Zero, LengthRule.None, requireSecureMessaging: true)
            .On(s_scriptPhases, 0x80, 0x24, PinChangeUnblock, (p1, p2) => p1 == 0 && p2 is 0x00 or 0x02, requireSecureMessaging: true)
            .On(s_scriptPhases, 0x00, 0xDA, PutData, length: LengthRule.AtLeast(1), requireSecureMessaging: true)
            .On(s_scriptPhases, 0x00, 0xDC, UpdateRecord, (p1, p2) => p1 is not (0x00 or 0xFF) && (p2 & 0x07) == 0x04 && p2 >> 3 is >= 1 and <= 30, LengthRule.AtLeast(1), requireSecureMessaging: true);
    }

    /// <summary>
    /// 80 CA P1P2: GET DATA (EMV Book 3 §6.5.7; NOTES A.2) of the counters and of the internal data objects that
    /// <see cref="PbocDataObjects.Readable"/> lists, answered as tag ‖ length ‖ value; 6A88 for anything else.
    /// </summary>
    private static ResponseApdu GetData(CommandContext context)
    {
        var tag = new Tag((uint)((context.Command.P1 << 8) | context.Command.P2));
        if (!IsPersonalized(context.LifeCycle) || !PbocDataObjects.Readable.Contains(tag.Value))
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        var store = new PbocStore(context.Store);
        byte[]? value = tag.Value switch
        {
            0x9F36 => U16(store.Atc),
            0x9F13 => U16(store.LastOnlineAtc),
            0x9F17 => store.HasPin ? [(byte)store.PinTries] : null,
            0x9F4D => context.Store.Get(PbocCells.LogEntry),
            0x9F4F => context.Store.Get(PbocCells.LogFormat),
            0x9F5D => store.Data(s_ecBalance) ?? store.Data(tag), // Q30: on an EC card the available offline amount is the balance
            _ => store.Data(tag),
        };
        if (value is null)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        using var writer = new TlvWriter(value.Length + 4);
        writer.WritePrimitive(tag, value);
        return Responses.Ok(writer.WrittenSpan);
    }

    /// <summary>00 84 00 00 00: GET CHALLENGE, 8 bytes for Le 00 or 08 (EMV Book 3 §6.5.6; choice P37), for one enciphered VERIFY.</summary>
    private static ResponseApdu GetChallenge(CommandContext context)
        => context.Command.Ne is ChallengeLength or CommandApdu.MaxShortNe
            ? Responses.Ok(context.NewChallenge(ChallengeLength))
            : Responses.Status(StatusWord.WrongLength);

    /// <summary>
    /// 80 E2 sent to the application itself: personalisation comes only through the security domain's secure channel
    /// (<see cref="IPersonalizable"/>), so this answers 6985 once personalised and 6982 before (choice P22).
    /// </summary>
    private static ResponseApdu StoreData(CommandContext context)
        => Responses.Status(IsPersonalized(context.LifeCycle) ? StatusWord.ConditionsOfUseNotSatisfied : StatusWord.SecurityStatusNotSatisfied);

    private static byte[] U16(ushort value) => [(byte)(value >> 8), (byte)value];
}

/// <summary>Which internal data objects GET DATA reads and PUT DATA changes (NOTES A.2, A.3; contract D5).</summary>
internal static class PbocDataObjects
{
    /// <summary>GET DATA: EMV's 9F13, 9F17, 9F36, 9F4F and the PBOC risk and EC objects.</summary>
    public static readonly HashSet<uint> Readable =
    [
        0x9F13, 0x9F14, 0x9F17, 0x9F23, 0x9F36, 0x9F4D, 0x9F4F,
        0x9F51, 0x9F52, 0x9F53, 0x9F54, 0x9F56, 0x9F57, 0x9F58, 0x9F59, 0x9F5C, 0x9F5D,
        0x9F68, 0x9F6B, 0x9F6C, 0x9F6D, 0x9F77, 0x9F78, 0x9F79, 0xDF4D, 0xDF4F,
    ];

    /// <summary>PUT DATA (script): risk limits and EC values; not the counters, the log layout or the currency.</summary>
    public static readonly HashSet<uint> Updatable =
    [
        0x9F14, 0x9F23, 0x9F52, 0x9F53, 0x9F54, 0x9F56, 0x9F58, 0x9F59, 0x9F5C, 0x9F5D,
        0x9F68, 0x9F6B, 0x9F6C, 0x9F6D, 0x9F77, 0x9F78, 0x9F79,
    ];

    /// <summary>Format n in the dictionary: the value must be packed digits.</summary>
    public static bool IsNumeric(Tag tag) => EmvDictionary.TryGet(tag, out var element) && element.Format == DataFormat.N;
}
