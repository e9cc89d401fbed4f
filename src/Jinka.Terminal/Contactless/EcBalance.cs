using System.Globalization;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Core.Transport;
using Jinka.Terminal.Contact;

namespace Jinka.Terminal.Contactless;

/// <summary>The result of an electronic cash balance read: the balance 9F79 in minor units, or why there is none.</summary>
/// <param name="Balance">9F79, minor units; null when it could not be read.</param>
/// <param name="Aid">The application read, hex; null before selection.</param>
/// <param name="Reason">"balance read" or why not.</param>
public sealed record EcBalanceReading(long? Balance, string? Aid, string Reason);

/// <summary>GET DATA 9F79 → <c>9F79 06 &lt;n12&gt;</c> (NOTES A.9).</summary>
internal static class EcBalance
{
    public static async ValueTask<(long? Balance, string Reason)> ReadAsync(CardChannel card, CancellationToken cancellationToken)
    {
        var response = await card.SendAsync(ApduCommands.GetData(0x9F79), "GET DATA 9F79 (EC balance)", cancellationToken).ConfigureAwait(false);
        if (!response.StatusWord.IsSuccess)
        {
            return (null, CardChannel.UnexpectedStatus(response.StatusWord, "GET DATA 9F79"));
        }

        return TryParse(response.Data.Span, out long balance)
            ? (balance, "balance read")
            : (null, $"the GET DATA 9F79 response {Hex.Encode(response.Data.Span)} is not 9F79 06 <n12>");
    }

    /// <summary>Reads the balance after the transaction; a lost card only loses the balance, never the outcome.</summary>
    public static async ValueTask<long?> TryReadAfterAsync(TransactionContext context, CancellationToken cancellationToken)
    {
        try
        {
            var (balance, reason) = await ReadAsync(context.Card, cancellationToken).ConfigureAwait(false);
            context.Output("EC balance", balance?.ToString(CultureInfo.InvariantCulture) ?? reason);
            if (balance is long value)
            {
                context.Data.Set(Tags.EcBalance, Bcd.FromNumber(value, 6));
            }

            return balance;
        }
        catch (Exception exception) when (exception is TransportException or IOException)
        {
            context.Note($"the EC balance could not be read after the transaction: {exception.Message}");
            return null;
        }
    }

    public static bool TryParse(ReadOnlySpan<byte> data, out long balance) => TryParseAmount(data, 0x9F79, out balance);

    /// <summary>A GET DATA answer <c>tag 06 &lt;n12&gt;</c> (9F79 balance, 9F77 balance limit, 9F78 single limit …) as minor units.</summary>
    public static bool TryParseAmount(ReadOnlySpan<byte> data, ushort tag, out long amount)
    {
        amount = 0;
        if (!TlvNode.TryParse(data.ToArray(), out var nodes, out _) || nodes is not [{ Value.Length: 6 } node] || node.Tag.Value != tag)
        {
            return false;
        }

        string digits = Hex.Encode(node.Value.Span);
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out amount);
    }
}
