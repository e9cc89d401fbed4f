using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dictionary;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Terminal.Contact.Oda;

namespace Jinka.Terminal.Contact.GenerateAc;

/// <summary>What the card answered to GENERATE AC.</summary>
/// <param name="Type">The cryptogram the card produced (CID b8–b7).</param>
/// <param name="Cid">The whole CID 9F27.</param>
/// <param name="CdaFailure">Why the CDA signature failed, when CDA was requested and the card returned TC or ARQC; else null.</param>
internal readonly record struct GenerateAcResult(CryptogramType Type, byte Cid, string? CdaFailure)
{
    public bool CdaFailed => CdaFailure is not null;
}

/// <summary>
/// GENERATE AC (EMV Book 3 §6.5.5, §10.8–10.9; NOTES A.2; contract P4–P6): the CDOL1 or CDOL2 data, P1 = the
/// cryptogram asked for, plus 10 when CDA is requested; a format 1 (80) or format 2 (77) response; the CID checked
/// against the request; the CDA signature checked when CDA was requested and the card did not decline.
/// </summary>
internal static class GenerateAcCommand
{
    public static async ValueTask<GenerateAcResult> SendAsync(TransactionContext context, CryptogramType requested, bool second, CancellationToken cancellationToken)
    {
        var dolTag = second ? Tags.Cdol2 : Tags.Cdol1;
        if (!context.TryGet(dolTag, out var dolBytes) || !Dol.TryParse(dolBytes, out var dol))
        {
            throw new KernelTerminationException($"the card's {(second ? "CDOL2 8D" : "CDOL1 8C")} is missing or malformed");
        }

        var data = dol.Build(context.Data);
        if (second)
        {
            context.Cdol2Data = data;
            context.Data.Remove(Tags.Cryptogram);
            context.Data.Remove(Tags.SignedDynamicData);
        }
        else
        {
            context.Cdol1Data = data;
        }

        bool cda = context.OdaMethod == OdaMethod.Cda && context.CdaReady && requested != CryptogramType.Aac;
        string name = $"{(second ? "second" : "first")} GENERATE AC ({Name(requested)}{(cda ? " with CDA" : "")})";
        context.Input($"{(second ? "CDOL2" : "CDOL1")} data", TerminalData.Render(dol, data));
        var response = await context.Card.SendExpectingSuccessAsync(ApduCommands.GenerateAc(requested, data, cda), name, cancellationToken).ConfigureAwait(false);

        var nodes = TlvNode.Parse(response);
        ReadOnlyMemory<byte>? template77 = null;
        if (nodes is [{ Tag.Value: 0x80 } format1])
        {
            StoreFormat1(context, format1.Value.Span);
        }
        else if (nodes is [{ Tag.Value: 0x77 } format2])
        {
            context.StoreCardResponse(format2.Value.Span);
            template77 = format2.Value;
            if (!context.TryGet(Tags.Cid, out var cidValue) || cidValue.Length != 1 || !context.TryGet(Tags.Atc, out var atc) || atc.Length != 2
                || (!context.Data.Contains(Tags.Cryptogram) && !context.Data.Contains(Tags.SignedDynamicData)))
            {
                throw new KernelTerminationException($"the {name} response 77 lacks 9F27, 9F36, or both 9F26 and 9F4B");
            }
        }
        else
        {
            throw new KernelTerminationException($"the {name} response is neither a format 1 (80) nor a format 2 (77) template");
        }

        byte cid = context.Get(Tags.Cid)![0];
        var type = (CryptogramType)(cid & 0xC0);
        if ((cid & 0xC0) == 0xC0)
        {
            throw new KernelTerminationException($"the card returned CID {cid:X2}: cryptogram type 11 is RFU");
        }

        if (Rank(type) > Rank(requested))
        {
            throw new KernelTerminationException($"the card returned a {Name(type)} to a request for a {Name(requested)} (EMV Book 3 §9.3)");
        }

        context.Output($"{(second ? "second" : "first")} GAC", $"CID {cid:X2} ({string.Join(", ", EmvDictionary.Get(Tags.Cid).DescribeBits([cid]))}), ATC {Hex.Encode(context.Get(Tags.Atc))}");
        string? cdaFailure = null;
        if (cda && type != CryptogramType.Aac)
        {
            cdaFailure = template77 is { } value
                ? CheckCda(context, value.Span, cid, second)
                : "the response is format 1 (80), which carries no CDA signature";
            if (cdaFailure is not null)
            {
                context.Set(TvrBit.CdaFailed);
                context.Note($"CDA failed: {cdaFailure}");
            }
            else
            {
                context.Note("CDA signature verified");
            }
        }

        if (!context.Data.Contains(Tags.Cryptogram) && cdaFailure is null && type != CryptogramType.Aac)
        {
            throw new KernelTerminationException($"the {name} response carries no application cryptogram 9F26");
        }

        if (context.TryGet(Tags.Cryptogram, out var ac))
        {
            context.Output("cryptogram", Hex.Encode(ac));
        }

        return new GenerateAcResult(type, cid, cdaFailure);
    }

    public static string Name(CryptogramType type) => type switch
    {
        CryptogramType.Aac => "AAC",
        CryptogramType.Tc => "TC",
        _ => "ARQC",
    };

    private static string? CheckCda(TransactionContext context, ReadOnlySpan<byte> template77, byte cid, bool second)
    {
        var verified = CdaVerification.Verify(context, template77, cid, second, out var failure);
        if (verified is null)
        {
            return failure;
        }

        if (!context.Data.Contains(Tags.Cryptogram))
        {
            context.Data.Set(Tags.Cryptogram, verified.Cryptogram);
        }

        context.SetTerminal(Tags.IccDynamicNumber, verified.IccDynamicNumber);
        return null;
    }

    /// <summary>Format 1: CID 1 ‖ ATC 2 ‖ AC 8 ‖ IAD (optional), EMV Book 3 §6.5.5.4.</summary>
    private static void StoreFormat1(TransactionContext context, ReadOnlySpan<byte> value)
    {
        if (value.Length < 11)
        {
            throw new KernelTerminationException($"the GENERATE AC response 80 is {value.Length} bytes; expected at least CID, ATC and AC (11)");
        }

        context.Data.Set(Tags.Cid, value[..1]);
        context.Data.Set(Tags.Atc, value[1..3]);
        context.Data.Set(Tags.Cryptogram, value[3..11]);
        if (value.Length > 11)
        {
            context.Data.Set(Tags.IssuerApplicationData, value[11..]);
        }
    }

    /// <summary>AAC &lt; ARQC &lt; TC: the card may answer with a lower cryptogram than requested, never a higher one.</summary>
    private static int Rank(CryptogramType type) => type switch
    {
        CryptogramType.Aac => 0,
        CryptogramType.Arqc => 1,
        _ => 2,
    };
}
