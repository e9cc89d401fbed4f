namespace Jinka.Core.Dictionary;

/// <summary>Bit meanings of the bit-mapped data elements. Bytes are 1-based, as the specs count.</summary>
internal static class EmvBits
{
    /// <summary>95 Terminal Verification Results (EMV Book 3 Annex C5).</summary>
    public static readonly BitMeaning[] Tvr =
    [
        new(1, 0x80, "Offline data authentication was not performed"),
        new(1, 0x40, "SDA failed"),
        new(1, 0x20, "ICC data missing"),
        new(1, 0x10, "Card appears on terminal exception file"),
        new(1, 0x08, "DDA failed"),
        new(1, 0x04, "CDA failed"),
        new(1, 0x02, "SDA selected"),
        new(2, 0x80, "ICC and terminal have different application versions"),
        new(2, 0x40, "Expired application"),
        new(2, 0x20, "Application not yet effective"),
        new(2, 0x10, "Requested service not allowed for card product"),
        new(2, 0x08, "New card"),
        new(3, 0x80, "Cardholder verification was not successful"),
        new(3, 0x40, "Unrecognised CVM"),
        new(3, 0x20, "PIN Try Limit exceeded"),
        new(3, 0x10, "PIN entry required and PIN pad not present or not working"),
        new(3, 0x08, "PIN entry required, PIN pad present, but PIN was not entered"),
        new(3, 0x04, "Online PIN entered"),
        new(4, 0x80, "Transaction exceeds floor limit"),
        new(4, 0x40, "Lower consecutive offline limit exceeded"),
        new(4, 0x20, "Upper consecutive offline limit exceeded"),
        new(4, 0x10, "Transaction selected randomly for online processing"),
        new(4, 0x08, "Merchant forced transaction online"),
        new(5, 0x80, "Default TDOL used"),
        new(5, 0x40, "Issuer authentication failed"),
        new(5, 0x20, "Script processing failed before final GENERATE AC"),
        new(5, 0x10, "Script processing failed after final GENERATE AC"),
    ];

    /// <summary>9B Transaction Status Information (EMV Book 3 Annex C6).</summary>
    public static readonly BitMeaning[] Tsi =
    [
        new(1, 0x80, "Offline data authentication was performed"),
        new(1, 0x40, "Cardholder verification was performed"),
        new(1, 0x20, "Card risk management was performed"),
        new(1, 0x10, "Issuer authentication was performed"),
        new(1, 0x08, "Terminal risk management was performed"),
        new(1, 0x04, "Script processing was performed"),
    ];

    /// <summary>82 Application Interchange Profile (EMV Book 3 Annex C1; byte 2 b8 per NOTES A.8).</summary>
    public static readonly BitMeaning[] Aip =
    [
        new(1, 0x40, "SDA supported"),
        new(1, 0x20, "DDA supported"),
        new(1, 0x10, "Cardholder verification is supported"),
        new(1, 0x08, "Terminal risk management is to be performed"),
        new(1, 0x04, "Issuer authentication is supported"),
        new(1, 0x01, "CDA supported"),
        new(2, 0x80, "Contactless: full PBOC path supported (qPBOC path choice, NOTES A.8)"),
    ];

    /// <summary>9F07 Application Usage Control (EMV Book 3 Annex C2).</summary>
    public static readonly BitMeaning[] Auc =
    [
        new(1, 0x80, "Valid for domestic cash transactions"),
        new(1, 0x40, "Valid for international cash transactions"),
        new(1, 0x20, "Valid for domestic goods"),
        new(1, 0x10, "Valid for international goods"),
        new(1, 0x08, "Valid for domestic services"),
        new(1, 0x04, "Valid for international services"),
        new(1, 0x02, "Valid at ATMs"),
        new(1, 0x01, "Valid at terminals other than ATMs"),
        new(2, 0x80, "Domestic cashback allowed"),
        new(2, 0x40, "International cashback allowed"),
    ];

    /// <summary>9F33 Terminal Capabilities (EMV Book 4 Annex A2).</summary>
    public static readonly BitMeaning[] TerminalCapabilities =
    [
        new(1, 0x80, "Manual key entry"),
        new(1, 0x40, "Magnetic stripe"),
        new(1, 0x20, "IC with contacts"),
        new(2, 0x80, "Plaintext PIN for ICC verification"),
        new(2, 0x40, "Enciphered PIN for online verification"),
        new(2, 0x20, "Signature (paper)"),
        new(2, 0x10, "Enciphered PIN for offline verification"),
        new(2, 0x08, "No CVM required"),
        new(3, 0x80, "SDA"),
        new(3, 0x40, "DDA"),
        new(3, 0x20, "Card capture"),
        new(3, 0x08, "CDA"),
    ];

    /// <summary>9F27 Cryptogram Information Data (EMV Book 3 §6.5.5.4): b8–b7 and b3–b1 are fields.</summary>
    public static readonly BitMeaning[] Cid =
    [
        BitMeaning.Field(1, 0xC0, 0x00, "AAC"),
        BitMeaning.Field(1, 0xC0, 0x40, "TC"),
        BitMeaning.Field(1, 0xC0, 0x80, "ARQC"),
        BitMeaning.Field(1, 0xC0, 0xC0, "RFU cryptogram type (11)"),
        new(1, 0x08, "Advice required"),
        BitMeaning.Field(1, 0x07, 0x01, "Reason: service not allowed"),
        BitMeaning.Field(1, 0x07, 0x02, "Reason: PIN Try Limit exceeded"),
        BitMeaning.Field(1, 0x07, 0x03, "Reason: issuer authentication failed"),
    ];

    /// <summary>9F66 Terminal Transaction Qualifiers (NOTES A.8; other bits RFU there).</summary>
    public static readonly BitMeaning[] Ttq =
    [
        new(1, 0x40, "Contactless full PBOC supported"),
        new(1, 0x20, "qPBOC supported"),
        new(1, 0x10, "Contact PBOC supported"),
        new(1, 0x08, "Offline-only reader"),
        new(1, 0x04, "Online PIN supported"),
        new(1, 0x02, "Signature supported"),
        new(2, 0x80, "Online cryptogram required"),
        new(2, 0x40, "CVM required"),
        new(4, 0x80, "fDDA version 01 supported"),
    ];

    /// <summary>9F6C Card Transaction Qualifiers (NOTES A.8; other bits uncertain there).</summary>
    public static readonly BitMeaning[] Ctq =
    [
        new(1, 0x80, "Online PIN required"),
        new(1, 0x40, "Signature required"),
        new(1, 0x20, "Go online if offline data authentication fails and the reader is online-capable"),
        new(1, 0x10, "Switch to the contact interface if offline data authentication fails"),
    ];

    /// <summary>DF69 SM algorithm support indicator (NOTES A.3): a value, not a bit map.</summary>
    public static readonly BitMeaning[] SmSupport =
    [
        BitMeaning.Field(1, 0xFF, 0x00, "TDES/RSA only"),
        BitMeaning.Field(1, 0xFF, 0x01, "SM algorithms supported"),
    ];
}
