using System.Globalization;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Terminal.Contact.ReadData;

/// <summary>
/// Read application data (EMV Book 3 §10.2; NOTES A.2): every record the AFL names; records of SFI 1–10 must be
/// 70 templates; the records marked for ODA feed the static data (SFI 1–10: the contents of 70; SFI 11–30: the
/// whole record), followed by the AIP when 9F4A asks for it. A primitive object returned twice, or missing
/// mandatory data (5F24, 5A, 8C, 8D), ends the transaction.
/// </summary>
internal sealed class ReadApplicationData(IReadOnlyList<(Tag Tag, string Name)>? mandatory = null) : IKernelStep
{
    private static readonly (Tag Tag, string Name)[] s_contactMandatory =
    [
        (Tags.ExpiryDate, "5F24 (Application Expiration Date)"),
        (Tags.Pan, "5A (PAN)"),
        (Tags.Cdol1, "8C (CDOL1)"),
        (Tags.Cdol2, "8D (CDOL2)"),
    ];

    public string Name => "Read application data";

    public async ValueTask<StepResult> RunAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        var afl = context.Get(Tags.Afl) ?? [];
        int records = 0;
        for (int at = 0; at < afl.Length; at += 4)
        {
            int sfi = afl[at] >> 3;
            int first = afl[at + 1], last = afl[at + 2], forOda = afl[at + 3];
            if ((afl[at] & 0x07) != 0 || sfi is < 1 or > 30 || first < 1 || last < first || forOda > last - first + 1)
            {
                return StepResult.End(TransactionOutcome.Terminated, $"AFL entry {Hex.Encode(afl.AsSpan(at, 4))} is malformed (EMV Book 3 §10.2)");
            }

            for (int record = first; record <= last; record++)
            {
                string purpose = string.Create(CultureInfo.InvariantCulture, $"READ RECORD {record} of SFI {sfi}");
                var data = await context.Card.SendExpectingSuccessAsync(ApduCommands.ReadRecord(record, sfi), purpose, cancellationToken).ConfigureAwait(false);
                Store(context, data, sfi, record, odaRecord: record < first + forOda);
                records++;
            }
        }

        context.Output("records read", records.ToString(CultureInfo.InvariantCulture));
        var missing = (mandatory ?? s_contactMandatory).Where(m => !context.Data.Contains(m.Tag)).Select(m => m.Name).ToList();
        if (missing.Count > 0)
        {
            return StepResult.End(TransactionOutcome.Terminated, $"mandatory card data missing: {string.Join(", ", missing)}");
        }

        AppendTagList(context);
        context.Output("PAN", context.Pan);
        context.Output("static data for ODA", $"{context.StaticData.Count} bytes");
        return StepResult.Continue;
    }

    private static void Store(TransactionContext context, ReadOnlyMemory<byte> data, int sfi, int record, bool odaRecord)
    {
        string source = string.Create(CultureInfo.InvariantCulture, $"record {record} of SFI {sfi}");
        bool parsed = TlvNode.TryParse(data, out var nodes, out var error);
        bool isTemplate = parsed && nodes is [{ Tag.Value: 0x70 }];
        if (sfi <= 10 && !isTemplate)
        {
            throw new KernelTerminationException($"{source} is not a 70 template{(parsed ? "" : $" ({error})")} (EMV Book 3 §10.2)");
        }

        if (odaRecord)
        {
            // NOTES A.2: SFI 1–10 contribute the value of tag 70, SFI 11–30 the whole record.
            context.StaticData.AddRange(sfi <= 10 ? nodes![0].Value.Span : data.Span);
        }

        if (isTemplate)
        {
            context.StoreCardData(nodes![0].Value.Span, source);
        }
        else
        {
            context.Note($"{source} is not a 70 template: kept for ODA only, not parsed");
        }
    }

    /// <summary>EMV Book 3 §10.3: 9F4A may only list 82, whose value is then appended to the static data.</summary>
    private static void AppendTagList(TransactionContext context)
    {
        if (!context.TryGet(Tags.StaticDataTagList, out var tagList))
        {
            return;
        }

        if (tagList.SequenceEqual((ReadOnlySpan<byte>)[0x82]))
        {
            context.StaticData.AddRange(context.Aip);
            return;
        }

        context.StaticDataProblem = $"the static data authentication tag list 9F4A is {Hex.Encode(tagList)}; only 82 is allowed";
    }
}
