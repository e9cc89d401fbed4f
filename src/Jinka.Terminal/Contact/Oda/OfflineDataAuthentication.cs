using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto.Certificates;

namespace Jinka.Terminal.Contact.Oda;

/// <summary>
/// Offline data authentication (EMV Book 3 §10.3, Book 2 §5–6; NOTES A.7; ADDENDUM 1.2): CDA if the AIP and the
/// terminal capabilities both allow it, else DDA, else SDA, else "ODA not performed". For CDA this step recovers the
/// keys; the signature itself is checked with GENERATE AC. A failure sets the method's TVR bit (and "ICC data
/// missing" when data was absent) and the transaction goes on.
/// </summary>
internal sealed class OfflineDataAuthentication : IKernelStep
{
    public string Name => "Offline data authentication";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var aip = context.Aip;
        byte capabilities = context.Config.Capabilities[2];
        context.OdaMethod = (aip[0] & 0x01) != 0 && (capabilities & 0x08) != 0 ? OdaMethod.Cda
            : (aip[0] & 0x20) != 0 && (capabilities & 0x40) != 0 ? OdaMethod.Dda
            : (aip[0] & 0x40) != 0 && (capabilities & 0x80) != 0 ? OdaMethod.Sda
            : OdaMethod.None;
        context.Input("AIP", Hex.Encode(aip));
        context.Input("terminal ODA capabilities", $"{capabilities:X2}");
        context.Output("method", context.OdaMethod.ToString().ToUpperInvariant());

        if (context.OdaMethod == OdaMethod.None)
        {
            context.Set(TvrBit.OfflineDataAuthenticationNotPerformed);
            context.Note("no offline data authentication method is supported by both card and terminal");
            return StepResult.Continue;
        }

        if (context.OdaMethod == OdaMethod.Sda)
        {
            context.Set(TvrBit.SdaSelected);
        }

        context.Set(TsiBit.OfflineDataAuthenticationPerformed);
        var (_, failure, missing) = context.OdaMethod switch
        {
            OdaMethod.Sda => Sda(context),
            OdaMethod.Dda => await DdaAsync(context, cancellationToken).ConfigureAwait(false),
            _ => PrepareCda(context),
        };

        if (failure is null)
        {
            context.Output("result", context.OdaMethod == OdaMethod.Cda ? "keys recovered; the signature is checked with GENERATE AC" : "passed");
            return StepResult.Continue;
        }

        Fail(context, failure, missing);
        return StepResult.Continue;
    }

    /// <summary>Sets the failed method's bit (and "ICC data missing") and records why.</summary>
    public static void Fail(TransactionContext context, string why, bool dataMissing)
    {
        context.Set(context.OdaMethod switch
        {
            OdaMethod.Sda => TvrBit.SdaFailed,
            OdaMethod.Dda => TvrBit.DdaFailed,
            _ => TvrBit.CdaFailed,
        });
        if (dataMissing)
        {
            context.Set(TvrBit.IccDataMissing);
        }

        context.Output("result", $"{context.OdaMethod.ToString().ToUpperInvariant()} failed: {why}");
    }

    private static (bool Ok, string? Failure, bool Missing) Sda(TransactionContext context)
    {
        if (context.StaticDataProblem is { } problem)
        {
            return (false, problem, false);
        }

        var issuer = CardKeyRetrieval.RetrieveIssuerKey(context);
        if (issuer.Key is null)
        {
            return (false, issuer.Failure, issuer.DataMissing);
        }

        if (!context.TryGet(Tags.SignedStaticData, out var signed) || signed.IsEmpty)
        {
            return (false, "the signed static data 93 is missing", true);
        }

        var staticData = context.StaticData.ToArray();
        if (issuer.Key.Sm2 is { } sm2)
        {
            if (!Sm2SignedStaticData.TryParse(signed, out var parsed, out var error))
            {
                return (false, error, false);
            }

            if (!parsed.Verify(sm2, staticData))
            {
                return (false, "signed static data (tag 93): the SM2 signature does not verify over the static data to be authenticated", false);
            }

            context.SetTerminal(Tags.DataAuthenticationCode, parsed.DataAuthenticationCode);
            return (true, null, false);
        }

        var recovery = EmvRsaSignedStaticData.Recover(issuer.Key.Rsa!, signed, staticData);
        if (!recovery.IsValid)
        {
            return (false, recovery.Reason, false);
        }

        context.SetTerminal(Tags.DataAuthenticationCode, recovery.Value.DataAuthenticationCode);
        return (true, null, false);
    }

    private static async ValueTask<(bool Ok, string? Failure, bool Missing)> DdaAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var keys = RetrieveKeys(context);
        if (keys.Failure is not null)
        {
            return keys;
        }

        bool cardDdol = context.TryGet(Tags.Ddol, out var ddolBytes);
        if (!Dol.TryParse(cardDdol ? ddolBytes : context.Config.DefaultDdol, out var ddol))
        {
            return (false, $"the {(cardDdol ? "card's DDOL 9F49" : "default DDOL")} is malformed", false);
        }

        if (!ddol.Contains(Tags.UnpredictableNumber))
        {
            return (false, $"the {(cardDdol ? "card's DDOL 9F49" : "default DDOL")} does not ask for the unpredictable number 9F37", !cardDdol);
        }

        var ddolData = ddol.Build(context.Data);
        context.Input("DDOL data", TerminalData.Render(ddol, ddolData));
        var response = await context.Card.SendAsync(ApduCommands.InternalAuthenticate(ddolData), "INTERNAL AUTHENTICATE", cancellationToken).ConfigureAwait(false);
        if (!response.StatusWord.IsSuccess)
        {
            return (false, CardChannel.UnexpectedStatus(response.StatusWord, "INTERNAL AUTHENTICATE"), false);
        }

        if (!TryReadSignedDynamicData(context, response.Data, out var sdad))
        {
            return (false, "the INTERNAL AUTHENTICATE response carries no signed dynamic data 9F4B", true);
        }

        var iccKey = context.IccKey!;
        if (iccKey.Sm2 is { } sm2)
        {
            if (!Sm2SignedDynamicData.TryParse(sdad, out var parsed, out var error))
            {
                return (false, error, false);
            }

            if (!parsed.Verify(sm2, ddolData))
            {
                return (false, "signed dynamic data (tag 9F4B): the SM2 signature does not verify over the DDOL data", false);
            }

            context.SetTerminal(Tags.IccDynamicNumber, parsed.IccDynamicNumber);
            return (true, null, false);
        }

        var recovery = EmvRsaSignedDynamicData.Recover(iccKey.Rsa!, sdad, ddolData);
        if (!recovery.IsValid)
        {
            return (false, recovery.Reason, false);
        }

        context.SetTerminal(Tags.IccDynamicNumber, recovery.Value.IccDynamicNumber);
        return (true, null, false);
    }

    private static (bool Ok, string? Failure, bool Missing) PrepareCda(TransactionContext context)
    {
        var keys = RetrieveKeys(context);
        context.CdaReady = keys.Failure is null;
        return keys;
    }

    private static (bool Ok, string? Failure, bool Missing) RetrieveKeys(TransactionContext context)
    {
        if (context.StaticDataProblem is { } problem)
        {
            return (false, problem, false);
        }

        var issuer = CardKeyRetrieval.RetrieveIssuerKey(context);
        if (issuer.Key is null)
        {
            return (false, issuer.Failure, issuer.DataMissing);
        }

        context.IssuerKey = issuer.Key;
        var icc = CardKeyRetrieval.RetrieveIccKey(context, issuer.Key, context.StaticData.ToArray());
        if (icc.Key is null)
        {
            return (false, icc.Failure, icc.DataMissing);
        }

        context.IccKey = icc.Key;
        context.Output("keys", $"issuer {issuer.Key} (certificate {issuer.Key.CertificateSerial}), ICC {icc.Key}");
        return (true, null, false);
    }

    /// <summary>9F4B from a format 1 response (80: the value is the signed data) or format 2 (77 containing 9F4B).</summary>
    private static bool TryReadSignedDynamicData(TransactionContext context, ReadOnlyMemory<byte> response, out byte[] sdad)
    {
        sdad = [];
        var nodes = TlvNode.Parse(response);
        if (nodes is [{ Tag.Value: 0x80 } format1])
        {
            sdad = format1.Value.ToArray();
        }
        else if (nodes is [{ Tag.Value: 0x77 } format2] && format2.Find(Tags.SignedDynamicData) is { } node)
        {
            context.StoreCardResponse(format2.Value.Span);
            sdad = node.Value.ToArray();
        }

        return sdad.Length > 0;
    }
}
