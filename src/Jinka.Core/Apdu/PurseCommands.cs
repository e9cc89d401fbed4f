using System.Buffers.Binary;

namespace Jinka.Core.Apdu;

/// <summary>Which PBOC purse: electronic deposit (passbook) or electronic purse (P2 of the ED/EP commands).</summary>
public enum PurseKind : byte
{
    ElectronicDeposit = 0x01,
    ElectronicPurse = 0x02,
}

/// <summary>Builders for the PBOC ED/EP commands reused by JT/T 978 transit cards (NOTES B.3).</summary>
public static class PurseCommands
{
    /// <summary>80 5C 00 P2 04: GET BALANCE.</summary>
    public static CommandApdu GetBalance(PurseKind purse = PurseKind.ElectronicPurse)
        => new(0x80, 0x5C, 0x00, (byte)purse, ne: 4);

    /// <summary>80 50 00 P2 0B key index ‖ amount ‖ terminal ID, Le 10: INITIALIZE FOR LOAD.</summary>
    public static CommandApdu InitializeForLoad(PurseKind purse, byte keyIndex, uint amount, ReadOnlySpan<byte> terminalId)
        => Initialize(0x00, purse, keyIndex, amount, terminalId, 16);

    /// <summary>80 50 01|03 P2 0B key index ‖ amount ‖ terminal ID, Le 0F: INITIALIZE FOR PURCHASE, or for CAPP purchase.</summary>
    public static CommandApdu InitializeForPurchase(PurseKind purse, byte keyIndex, uint amount, ReadOnlySpan<byte> terminalId, bool compound = false)
        => Initialize(compound ? (byte)0x03 : (byte)0x01, purse, keyIndex, amount, terminalId, 15);

    /// <summary>80 52 00 00 0B date ‖ time ‖ MAC2, Le 04: CREDIT FOR LOAD.</summary>
    public static CommandApdu CreditForLoad(ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, ReadOnlySpan<byte> mac2)
    {
        CheckLength(date, 4, nameof(date));
        CheckLength(time, 3, nameof(time));
        CheckLength(mac2, 4, nameof(mac2));
        var data = new byte[11];
        date.CopyTo(data);
        time.CopyTo(data.AsSpan(4));
        mac2.CopyTo(data.AsSpan(7));
        return new CommandApdu(0x80, 0x52, 0x00, 0x00, data, 4);
    }

    /// <summary>80 54 01 00 0F serial ‖ date ‖ time ‖ MAC1, Le 08: DEBIT FOR PURCHASE or CAPP PURCHASE.</summary>
    public static CommandApdu DebitForPurchase(uint terminalSerial, ReadOnlySpan<byte> date, ReadOnlySpan<byte> time, ReadOnlySpan<byte> mac1)
    {
        CheckLength(date, 4, nameof(date));
        CheckLength(time, 3, nameof(time));
        CheckLength(mac1, 4, nameof(mac1));
        var data = new byte[15];
        BinaryPrimitives.WriteUInt32BigEndian(data, terminalSerial);
        date.CopyTo(data.AsSpan(4));
        time.CopyTo(data.AsSpan(8));
        mac1.CopyTo(data.AsSpan(11));
        return new CommandApdu(0x80, 0x54, 0x01, 0x00, data, 8);
    }

    /// <summary>80 5A 00 type 02 ATC 08: GET TRANSACTION PROVE after a torn transaction (<paramref name="atc"/> = offline ATC + 1).</summary>
    public static CommandApdu GetTransactionProve(byte transactionType, ushort atc)
        => new(0x80, 0x5A, 0x00, transactionType, [(byte)(atc >> 8), (byte)atc], 8);

    /// <summary>80 DC record (SFI&lt;&lt;3) Lc image: UPDATE CAPP DATA CACHE (record 0 for the cyclic file).</summary>
    public static CommandApdu UpdateCappDataCache(byte record, int sfi, ReadOnlySpan<byte> recordImage)
    {
        if (sfi is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(sfi), sfi, "an SFI is 1–30");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(recordImage.Length, 1, nameof(recordImage));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recordImage.Length, CommandApdu.MaxShortNc, nameof(recordImage));
        return new CommandApdu(0x80, 0xDC, record, (byte)(sfi << 3), recordImage);
    }

    private static CommandApdu Initialize(byte p1, PurseKind purse, byte keyIndex, uint amount, ReadOnlySpan<byte> terminalId, int ne)
    {
        CheckLength(terminalId, 6, nameof(terminalId));
        var data = new byte[11];
        data[0] = keyIndex;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(1), amount);
        terminalId.CopyTo(data.AsSpan(5));
        return new CommandApdu(0x80, 0x50, p1, (byte)purse, data, ne);
    }

    private static void CheckLength(ReadOnlySpan<byte> value, int expected, string name)
    {
        if (value.Length != expected)
        {
            throw new ArgumentException($"{name} must be {expected} bytes, not {value.Length}", name);
        }
    }
}
