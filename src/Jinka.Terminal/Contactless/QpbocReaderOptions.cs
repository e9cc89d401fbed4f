namespace Jinka.Terminal.Contactless;

/// <summary>
/// The contactless reader's limits and options (NOTES A.8 pre-processing, A.9 electronic cash), in minor units.
/// A null limit is not checked.
/// </summary>
public sealed record QpbocReaderOptions
{
    /// <summary>Amount ≥ this → the reader refuses the contactless transaction and asks for another interface.</summary>
    public long? ContactlessTransactionLimit { get; init; }

    /// <summary>Amount ≥ this → TTQ byte 2 b7 "CVM required".</summary>
    public long? CvmLimit { get; init; }

    /// <summary>Amount &gt; this → TTQ byte 2 b8 "online cryptogram required"; null uses the terminal's floor limit.</summary>
    public long? ContactlessFloorLimit { get; init; }

    /// <summary>Status check: an amount of exactly one currency unit asks for an online cryptogram (contract Q12).</summary>
    public bool StatusCheck { get; init; }

    /// <summary>The reader supports electronic cash (9F7A = 01 for purchases under <see cref="EcTerminalLimit"/>, NOTES A.9).</summary>
    public bool ElectronicCash { get; init; } = true;

    /// <summary>9F7B EC terminal transaction limit; null uses the floor limit (NOTES A.9).</summary>
    public long? EcTerminalLimit { get; init; }

    /// <summary>The reader asks for a signature when the card says so (TTQ byte 1 b2).</summary>
    public bool SignatureSupported { get; init; } = true;

    /// <summary>The reader accepts a consumer device CVM (a phone that verified its holder): TTQ byte 3 b7 (contract Q22).</summary>
    public bool ConsumerDeviceCvm { get; init; }

    /// <summary>After an offline approval with electronic cash, read the new balance with GET DATA 9F79 (NOTES A.9).</summary>
    public bool ReadEcBalanceAfter { get; init; }

    /// <summary>Checks the limits.</summary>
    /// <exception cref="ArgumentException">A limit is negative.</exception>
    public void Validate()
    {
        foreach (var (value, name) in new[] { (ContactlessTransactionLimit, nameof(ContactlessTransactionLimit)), (CvmLimit, nameof(CvmLimit)), (ContactlessFloorLimit, nameof(ContactlessFloorLimit)), (EcTerminalLimit, nameof(EcTerminalLimit)) })
        {
            if (value is < 0 or > 999_999_999_999)
            {
                throw new ArgumentException($"{name} is 0–999999999999 minor units", name);
            }
        }
    }
}
