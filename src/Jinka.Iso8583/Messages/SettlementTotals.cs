using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jinka.Iso8583.Messages;

/// <summary>
/// A batch's totals as 0500/0510 carry them in field 63 (Jinka's layout; CUP puts them in field 48): debit count n3,
/// debit amount n12, credit count n3, credit amount n12 — 30 ASCII digits. The 0510 appends the settlement result,
/// one digit: 1 balanced, 2 not balanced (the terminal should upload its batch), 3 error.
/// </summary>
public sealed record SettlementTotals(int DebitCount, long DebitAmount, int CreditCount, long CreditAmount)
{
    /// <summary>Characters of the totals.</summary>
    public const int Length = 30;

    public static SettlementTotals Zero { get; } = new(0, 0, 0, 0);

    /// <summary>The 30 digits.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count over 999 or an amount over 12 digits.</exception>
    public string ToField63()
    {
        if (DebitCount is < 0 or > 999 || CreditCount is < 0 or > 999 || DebitAmount is < 0 or > 999_999_999_999 || CreditAmount is < 0 or > 999_999_999_999)
        {
            throw new ArgumentOutOfRangeException(nameof(DebitCount), this, "counts are 3 digits and amounts 12");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{DebitCount:D3}{DebitAmount:D12}{CreditCount:D3}{CreditAmount:D12}");
    }

    /// <summary>This plus <paramref name="other"/>.</summary>
    public SettlementTotals Add(SettlementTotals other) =>
        new(DebitCount + other.DebitCount, DebitAmount + other.DebitAmount, CreditCount + other.CreditCount, CreditAmount + other.CreditAmount);

    /// <summary>Reads the first 30 characters of field 63.</summary>
    public static bool TryParse(string? field63, [NotNullWhen(true)] out SettlementTotals? totals)
    {
        totals = null;
        if (field63 is null || field63.Length < Length || !field63[..Length].All(char.IsAsciiDigit))
        {
            return false;
        }

        totals = new SettlementTotals(
            int.Parse(field63[..3], CultureInfo.InvariantCulture),
            long.Parse(field63[3..15], CultureInfo.InvariantCulture),
            int.Parse(field63[15..18], CultureInfo.InvariantCulture),
            long.Parse(field63[18..30], CultureInfo.InvariantCulture));
        return true;
    }
}

/// <summary>The settlement result digit of a 0510 (after the totals in field 63).</summary>
public enum SettlementResult
{
    Balanced = 1,
    NotBalanced = 2,
    Error = 3,
}
