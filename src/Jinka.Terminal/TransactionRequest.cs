namespace Jinka.Terminal;

/// <summary>What the merchant asks for: amounts, transaction type 9C, date and time, and whether to force online.</summary>
/// <param name="Amount">Amount authorised (9F02), minor units.</param>
/// <param name="OtherAmount">Amount other (9F03), e.g. cashback, minor units.</param>
/// <param name="TransactionType">9C (NOTES A.2): 00 purchase, 01 cash, 09 purchase with cashback, 20 refund, 31 balance inquiry, 60/62/63 EC load.</param>
/// <param name="DateTime">Local date and time (9A, 9F21); the kernel's clock when null.</param>
/// <param name="ForceOnline">Merchant forced online (TVR byte 4 bit 4; EMV Book 3 §10.7).</param>
public sealed record TransactionRequest(long Amount, long OtherAmount = 0, byte TransactionType = TransactionRequest.Purchase, DateTime? DateTime = null, bool ForceOnline = false)
{
    public const byte Purchase = 0x00;
    public const byte Cash = 0x01;
    public const byte PurchaseWithCashback = 0x09;
    public const byte Refund = 0x20;
    public const byte BalanceInquiry = 0x31;
    public const byte EcLoadDesignatedAccount = 0x60;
    public const byte EcLoadNonDesignatedAccount = 0x62;
    public const byte EcLoadCash = 0x63;

    /// <summary>9F41 Transaction Sequence Counter and the STAN of the authorisation (1–999999).</summary>
    public int SequenceCounter { get; init; } = 1;

    /// <summary>Checks the amounts and counter.</summary>
    /// <exception cref="ArgumentException">The message names the field.</exception>
    public void Validate()
    {
        if (Amount is < 0 or > 999_999_999_999 || OtherAmount is < 0 or > 999_999_999_999)
        {
            throw new ArgumentException("amounts are 0–999999999999 minor units (n12)", nameof(Amount));
        }

        if (SequenceCounter is < 1 or > 999_999)
        {
            throw new ArgumentException("the sequence counter is 1–999999", nameof(SequenceCounter));
        }
    }
}
