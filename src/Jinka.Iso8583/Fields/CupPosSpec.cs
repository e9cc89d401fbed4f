namespace Jinka.Iso8583.Fields;

/// <summary>
/// The CUP POS field table. Formats follow LY <c>st8583.c</c>/<c>st8583.h</c> (NOTES F.1): n fields in BCD,
/// right-aligned except field 22 (left-aligned: "021" → 02 10); variable n and z fields left-aligned with a 0 pad
/// nibble; LL/LLL prefixes in BCD (1 and 2 bytes) counting digits for n/z and bytes otherwise; an/ans in ASCII, fixed
/// ones padded with spaces on the right. Fields 36, 48, 54, 58 and 61 are defined so such messages parse; 128 so a
/// secondary bitmap has a field to carry.
/// </summary>
internal static class CupPosSpec
{
    public static Iso8583Spec Instance { get; } = new("CUP POS",
    [
        Var(2, "Primary account number", FieldType.Numeric, LengthKind.LlVar, 19),
        Fixed(3, "Processing code", FieldType.Numeric, 6),
        Fixed(4, "Amount, transaction", FieldType.Numeric, 12),
        Fixed(11, "System trace audit number", FieldType.Numeric, 6),
        Fixed(12, "Time, local transaction (hhmmss)", FieldType.Numeric, 6),
        Fixed(13, "Date, local transaction (MMDD)", FieldType.Numeric, 4),
        Fixed(14, "Date, expiration (YYMM)", FieldType.Numeric, 4),
        Fixed(15, "Date, settlement (MMDD)", FieldType.Numeric, 4),
        Fixed(22, "Point of service entry mode", FieldType.Numeric, 3) with { Alignment = FieldAlignment.Left },
        Fixed(23, "Card sequence number", FieldType.Numeric, 3),
        Fixed(25, "Point of service condition code", FieldType.Numeric, 2),
        Fixed(26, "Point of service PIN capture code", FieldType.Numeric, 2),
        Var(32, "Acquiring institution identification code", FieldType.Numeric, LengthKind.LlVar, 11),
        Var(35, "Track 2 data", FieldType.Track, LengthKind.LlVar, 37),
        Var(36, "Track 3 data", FieldType.Track, LengthKind.LllVar, 104),
        Fixed(37, "Retrieval reference number", FieldType.Alphanumeric, 12),
        Fixed(38, "Authorization identification response", FieldType.Alphanumeric, 6),
        Fixed(39, "Response code", FieldType.Alphanumeric, 2),
        Fixed(41, "Card acceptor terminal identification", FieldType.AlphanumericSpecial, 8),
        Fixed(42, "Card acceptor identification code", FieldType.AlphanumericSpecial, 15),
        Var(44, "Additional response data", FieldType.AlphanumericSpecial, LengthKind.LlVar, 25),
        Var(48, "Additional data, private", FieldType.Numeric, LengthKind.LllVar, 322),
        Fixed(49, "Currency code, transaction", FieldType.Alphanumeric, 3),
        Fixed(52, "PIN data", FieldType.Binary, 8),
        Fixed(53, "Security related control information", FieldType.Numeric, 16),
        Var(54, "Additional amounts", FieldType.AlphanumericSpecial, LengthKind.LllVar, 20),
        Var(55, "ICC system related data", FieldType.Binary, LengthKind.LllVar, 255) with { Content = FieldContent.BerTlv },
        Var(58, "Electronic purse data", FieldType.Binary, LengthKind.LllVar, 100),
        Var(60, "Reserved private (message type, batch, network management)", FieldType.Numeric, LengthKind.LllVar, 30),
        Var(61, "Original message data", FieldType.Numeric, LengthKind.LllVar, 29),
        Var(62, "Reserved private (working keys, terminal data)", FieldType.Binary, LengthKind.LllVar, 512),
        Var(63, "Reserved private (operator, totals, messages)", FieldType.AlphanumericSpecial, LengthKind.LllVar, 163),
        Fixed(64, "Message authentication code", FieldType.Binary, 8),
        Fixed(128, "Message authentication code (secondary)", FieldType.Binary, 8),
    ]);

    private static FieldDefinition Fixed(int number, string name, FieldType type, int length) => new(number, name, type, LengthKind.Fixed, length);

    private static FieldDefinition Var(int number, string name, FieldType type, LengthKind kind, int max) => new(number, name, type, kind, max);
}
