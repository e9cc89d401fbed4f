using Jinka.Core;
using System.Text;
using Jinka.Core.Dictionary;
using Jinka.Core.Dol;

namespace Jinka.Terminal.Contact;

/// <summary>The data elements the terminal supplies (EMV Book 4 Annex A1; NOTES A.3 for DF69, 9F7A, DF60).</summary>
internal static class TerminalData
{
    public static void Seed(TransactionContext context, SupportedAid aid)
    {
        var config = context.Config;
        var request = context.Request;
        var when = context.TransactionDateTime;

        context.SetTerminal(Tags.TerminalCountryCode, Bcd.FromNumber(config.CountryCode, 2));
        context.SetTerminal(Tags.TransactionCurrencyCode, Bcd.FromNumber(config.CurrencyCode, 2));
        context.SetTerminal(Tags.TransactionCurrencyExponent, Bcd.FromNumber(config.CurrencyExponent, 1));
        context.SetTerminal(Tags.TerminalCapabilities, config.Capabilities);
        context.SetTerminal(Tags.TerminalType, [config.TerminalType]);
        context.SetTerminal(Tags.AdditionalTerminalCapabilities, config.AdditionalCapabilities);
        ushort version = aid.ApplicationVersion ?? config.ApplicationVersion;
        context.SetTerminal(Tags.TerminalApplicationVersion, [(byte)(version >> 8), (byte)version]);
        context.SetTerminal(Tags.TerminalAid, aid.Aid);
        long floorLimit = aid.FloorLimit ?? config.FloorLimit;
        context.SetTerminal(Tags.FloorLimit, Binary4(floorLimit));

        context.SetTerminal(Tags.AmountAuthorised, Bcd.FromNumber(request.Amount, 6));
        context.SetTerminal(Tags.AmountOther, Bcd.FromNumber(request.OtherAmount, 6));
        context.SetTerminal(Tags.AmountAuthorisedBinary, Binary4(request.Amount));
        context.SetTerminal(Tags.AmountOtherBinary, Binary4(request.OtherAmount));
        context.SetTerminal(Tags.TransactionType, [request.TransactionType]);
        context.SetTerminal(Tags.TransactionDate, Bcd.FromDigits(when.ToString("yyMMdd", System.Globalization.CultureInfo.InvariantCulture), 3));
        context.SetTerminal(Tags.TransactionTime, Bcd.FromDigits(when.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture), 3));
        context.SetTerminal(Tags.UnpredictableNumber, context.UnpredictableNumber);
        context.SetTerminal(Tags.SequenceCounter, Bcd.FromNumber(request.SequenceCounter, 4));
        context.SetTerminal(Tags.PosEntryMode, [0x05]);

        context.SetTerminal(Tags.TerminalId, Encoding.ASCII.GetBytes(config.TerminalId));
        context.SetTerminal(Tags.MerchantId, Encoding.ASCII.GetBytes(config.MerchantId));
        context.SetTerminal(Tags.MerchantNameAndLocation, Encoding.ASCII.GetBytes(config.MerchantNameAndLocation));
        context.SetTerminal(Tags.MerchantCategoryCode, Bcd.FromDigits(config.MerchantCategoryCode, 2));
        context.SetTerminal(Tags.AcquirerId, Bcd.FromDigits(config.AcquirerId, 6));
        context.SetTerminal(Tags.IfdSerialNumber, Encoding.ASCII.GetBytes(config.IfdSerialNumber));

        context.SetTerminal(Tags.SmSupport, [config.OfferSm ? (byte)0x01 : (byte)0x00]);
        context.SetTerminal(Tags.EcTerminalSupport, [0x00]);
        context.SetTerminal(Tags.CappIndicator, [0x00]);

        // Set later by the kernel; owned by the terminal so that card data cannot supply them.
        foreach (var tag in new[] { Tags.Tvr, Tags.Tsi, Tags.CvmResults, Tags.ResponseCode, Tags.AuthorisationCode, Tags.IssuerAuthenticationData, Tags.ScriptResults, Tags.DataAuthenticationCode, Tags.IccDynamicNumber })
        {
            context.ReserveTerminalTag(tag);
        }
    }

    /// <summary>The DOL data for <paramref name="dol"/> from the transaction's data, with a readable rendering for the trace.</summary>
    public static byte[] Build(TransactionContext context, Dol dol) => dol.Build(context.Data);

    /// <summary>"9F02=000000000100 9F37=…" for the trace.</summary>
    public static string Render(Dol dol, ReadOnlySpan<byte> data)
    {
        var text = new StringBuilder();
        int at = 0;
        foreach (var entry in dol.Entries)
        {
            if (text.Length > 0)
            {
                text.Append(' ');
            }

            text.Append(entry.Tag).Append('=').Append(Convert.ToHexString(data.Slice(at, entry.Length)));
            if (!EmvDictionary.TryGet(entry.Tag, out _))
            {
                text.Append("(unknown tag: zeros)");
            }

            at += entry.Length;
        }

        return text.ToString();
    }

    private static byte[] Binary4(long value)
    {
        uint clipped = (uint)Math.Min(value, uint.MaxValue);
        return [(byte)(clipped >> 24), (byte)(clipped >> 16), (byte)(clipped >> 8), (byte)clipped];
    }
}
