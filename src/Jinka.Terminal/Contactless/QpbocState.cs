using Jinka.Core.Apdu;
using Jinka.Terminal.Contact;

namespace Jinka.Terminal.Contactless;

/// <summary>What the qPBOC steps hand each other: the reader's decisions before GPO and the card's after it.</summary>
internal sealed class QpbocState(QpbocReaderOptions reader)
{
    public QpbocReaderOptions Reader { get; } = reader;

    /// <summary>9F66 as built by pre-processing (NOTES A.8).</summary>
    public byte[] Ttq { get; } = new byte[4];

    /// <summary>9F7A = 01: the reader offers electronic cash for this purchase (NOTES A.9).</summary>
    public bool ElectronicCash { get; set; }

    public bool TryAnotherInterface { get; set; }

    public CryptogramType Cryptogram { get; set; }

    /// <summary>CTQ 9F6C byte 1, or null when the card sent none.</summary>
    public byte? Ctq1 { get; set; }

    public bool FddaPassed { get; set; }

    public string? FddaFailure { get; set; }

    public OfflineApprovalRecord? OfflineApproval { get; set; }

    /// <summary>9F79 read after the transaction, when asked for.</summary>
    public long? EcBalance { get; set; }

    public bool OnlineCryptogramRequired => (Ttq[1] & 0x80) != 0;

    public bool CvmRequired => (Ttq[1] & 0x40) != 0;

    /// <summary>Sets the reader's elements after final selection (which reseeds the terminal data): 9F66, 9F7A, 9F39 = 07.</summary>
    public void ApplyTerminalData(TransactionContext context)
    {
        context.SetTerminal(Tags.Ttq, Ttq);
        context.SetTerminal(Tags.EcTerminalSupport, [ElectronicCash ? (byte)0x01 : (byte)0x00]);
        context.SetTerminal(Tags.PosEntryMode, [0x07]);
        context.ReserveTerminalTag(Tags.Cid);
    }
}
