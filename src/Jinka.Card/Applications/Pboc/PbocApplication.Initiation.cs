using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;

namespace Jinka.Card.Applications.Pboc;

/// <summary>GET PROCESSING OPTIONS and INTERNAL AUTHENTICATE.</summary>
public sealed partial class PbocApplication
{
    private const byte CommandTemplate = 0x83;
    private static readonly Tag s_smSupportIndicator = new(0xDF69);

    /// <summary>
    /// 80 A8 00 00 Lc 83 L PDOL-data: starts a transaction (EMV Book 3 §6.5.8; contract P5). The PDOL data must be as
    /// long as the personalised PDOL says (6700). The ATC is incremented persistently before anything else can
    /// happen, then the answer is format 1 from DGI 9104. An SM card refuses a terminal whose DF69 is 00 (choice P23).
    /// A blocked or unpersonalised application answers 6985.
    /// </summary>
    private static ResponseApdu GetProcessingOptions(CommandContext context)
    {
        if (context.LifeCycle != ApplicationLifeCycle.Personalized || PbocKeys.Suite(context.Store) is not { } suite)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var data = context.Command.Data.Span;
        if (data[0] != CommandTemplate)
        {
            return Responses.Status(StatusWord.IncorrectData);
        }

        if (!TlvDecoder.TryReadElement(data, out _, out int header, out int length, out var error))
        {
            return Responses.Status(error is TlvError.ValuePastEnd or TlvError.TruncatedLength ? StatusWord.WrongLength : StatusWord.IncorrectData);
        }

        var pdolData = data.Slice(header, length);
        var pdol = Dol.TryParse(context.Store.Get(PbocCells.Pdol) ?? [], out var parsed) ? parsed : Dol.Empty;
        if (header + length != data.Length || !pdol.TrySplit(pdolData, out var elements))
        {
            return Responses.Status(StatusWord.WrongLength);
        }

        foreach (var element in elements)
        {
            // NOTES A.3: DF69 = 00 means the terminal has only TDES/RSA; an International card ignores DF69.
            if (element.Tag == s_smSupportIndicator && suite.Id == SuiteId.Sm && element.Value.Span[0] == 0x00)
            {
                return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
            }
        }

        var store = new PbocStore(context.Store);
        if (store.Atc == ushort.MaxValue)
        {
            // The ATC cannot roll over (EMV Book 3 §6.5.5.4): the application refuses every new transaction.
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        store.Atc++;
        var session = context.Volatile<PbocSession>();
        session.PdolData = pdolData.ToArray();
        session.FlagsAtStart = store.Flags;
        session.NewCard = store.LastOnlineAtc == 0;
        session.PinLimitExceededAtStart = store.HasPin && store.PinTries == 0;
        if (TakesQpbocPath(context.Store, elements, out var ttq))
        {
            return QpbocGpo(context, suite, session, elements, ttq);
        }

        context.SetPhase(PbocPhase.Initiated);

        var aip = context.Store.Get(PbocCells.Aip) ?? [];
        var afl = context.Store.Get(PbocCells.Afl) ?? [];
        using var writer = new TlvWriter(4 + aip.Length + afl.Length);
        writer.WritePrimitive(new Tag(0x80), [.. aip, .. afl]);
        return Responses.Ok(writer.WrittenSpan);
    }

    /// <summary>
    /// 00 88 00 00 Lc DDOL-data: DDA (EMV Book 2 §6.5; contract P6). ICC dynamic data = 08 ‖ 8 random bytes; the
    /// signature covers the terminal's data as sent. Answered in format 1, <c>80 L 9F4B-value</c> (choice P24).
    /// 6985 when the card has no ICC key.
    /// </summary>
    private static ResponseApdu InternalAuthenticate(CommandContext context)
    {
        using var key = PbocKeys.Suite(context.Store) is { } suite ? PbocKeys.LoadIccKey(context.Store, suite) : null;
        if (key is null)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        var iccDynamicData = new byte[1 + ChallengeLength];
        iccDynamicData[0] = ChallengeLength;
        context.Random.Fill(iccDynamicData.AsSpan(1));
        var signature = key.SignDynamicData(iccDynamicData, context.Command.Data.Span);
        context.Volatile<PbocSession>().DdaPerformed = true;

        using var writer = new TlvWriter(signature.Length + 4);
        writer.WritePrimitive(new Tag(0x80), signature);
        return Responses.Ok(writer.WrittenSpan);
    }
}
