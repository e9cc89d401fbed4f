using System.Globalization;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;

namespace Jinka.Terminal.Contact.Online;

/// <summary>
/// Issuer script processing (EMV Book 3 §10.10; NOTES A.2; contract P9): each 86 command of a 71 (before the second
/// GENERATE AC) or 72 (after) template is sent as it is; a template stops at its first failing command (a status
/// other than 90xx, 62xx, 63xx). Each template gives 5 bytes of DF31: high nibble 0 not performed, 1 failed, 2
/// succeeded; low nibble the failing command's number; then the 9F18 script ID.
/// </summary>
internal static class IssuerScripts
{
    public static async ValueTask RunAsync(TransactionContext context, IReadOnlyList<TlvNode> templates, bool afterFinalGenerateAc, CancellationToken cancellationToken)
    {
        foreach (var template in templates)
        {
            var scriptId = template.Children.FirstOrDefault(c => c.Tag == Tags.ScriptId) is { Value.Length: 4 } id ? id.Value.ToArray() : new byte[4];
            var commands = template.Children.Where(c => c.Tag == Tags.ScriptCommand).ToList();
            int failedAt = 0;
            string? failure = null;
            for (int i = 0; i < commands.Count && failure is null; i++)
            {
                if (!CommandApdu.TryParse(commands[i].Value.Span, out var command, out var error))
                {
                    failedAt = i + 1;
                    failure = $"command {i + 1} is not an APDU ({error})";
                    break;
                }

                ResponseApdu response;
                try
                {
                    context.Set(TsiBit.ScriptProcessingPerformed);
                    response = await context.Card.SendAsync(command, string.Create(CultureInfo.InvariantCulture, $"issuer script {Hex.Encode(scriptId)} command {i + 1}"), cancellationToken).ConfigureAwait(false);
                }
                catch (TransportException exception) when (afterFinalGenerateAc)
                {
                    // The transaction's outcome is settled; a card lost now only fails the script.
                    failedAt = i + 1;
                    failure = $"the card could not be reached: {exception.Message}";
                    break;
                }

                if (response.StatusWord.Sw1 is not (0x90 or 0x62 or 0x63))
                {
                    failedAt = i + 1;
                    failure = $"command {i + 1} answered {response.StatusWord} ({response.StatusWord.Meaning})";
                }
            }

            byte status = failure is not null ? (byte)(0x10 | Math.Min(failedAt, 0x0F))
                : commands.Count == 0 ? (byte)0x00
                : (byte)0x20;
            context.ScriptResults.Add([status, .. scriptId]);
            if (failure is not null)
            {
                context.Set(afterFinalGenerateAc ? TvrBit.ScriptFailedAfterFinalGenerateAc : TvrBit.ScriptFailedBeforeFinalGenerateAc);
            }

            context.Note($"script {template.Tag} {Hex.Encode(scriptId)}: {(failure ?? (commands.Count == 0 ? "no commands" : $"{commands.Count} command(s) succeeded"))}");
        }

        if (context.ScriptResults.Count > 0)
        {
            context.SetTerminal(Tags.ScriptResults, context.ScriptResults.SelectMany(r => r).ToArray());
        }
    }
}
