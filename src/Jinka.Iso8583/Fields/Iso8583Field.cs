namespace Jinka.Iso8583.Fields;

/// <summary>The field numbers CUP POS messages use.</summary>
public static class Iso8583Field
{
    public const int SecondaryBitmap = 1;
    public const int Pan = 2;
    public const int ProcessingCode = 3;
    public const int Amount = 4;
    public const int Stan = 11;
    public const int LocalTime = 12;
    public const int LocalDate = 13;
    public const int Expiry = 14;
    public const int SettlementDate = 15;
    public const int EntryMode = 22;
    public const int PanSequenceNumber = 23;
    public const int ConditionCode = 25;
    public const int PinCaptureCode = 26;
    public const int AcquirerId = 32;
    public const int Track2 = 35;
    public const int Track3 = 36;
    public const int RetrievalReference = 37;
    public const int ApprovalCode = 38;
    public const int ResponseCode = 39;
    public const int TerminalId = 41;
    public const int MerchantId = 42;
    public const int AdditionalResponse = 44;
    public const int AdditionalPrivate = 48;
    public const int Currency = 49;
    public const int PinData = 52;
    public const int SecurityControl = 53;
    public const int AdditionalAmounts = 54;
    public const int IccData = 55;
    public const int PurseData = 58;
    public const int Reserved60 = 60;
    public const int OriginalMessage = 61;
    public const int Reserved62 = 62;
    public const int Reserved63 = 63;
    public const int Mac = 64;
    public const int SecondaryMac = 128;
}
