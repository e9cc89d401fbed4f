namespace Jinka.Core.Tests.Tlv;

/// <summary>Realistic PBOC card responses, one element per line. Values follow NOTES A.2/A.4/A.8.</summary>
internal static class SampleData
{
    /// <summary>READ RECORD SFI 1 record 1: 70 { 57, 5F20, 9F1F } (short-form length).</summary>
    public const string Record1 =
        "70 3C" +
        " 57 13 6225880000000001D241222000000000000000" +
        " 5F20 09 5A48414E472F53414E" +
        " 9F1F 18 313233343536373839303132333435363738393031323334";

    /// <summary>READ RECORD SFI 2 record 1: 70 81 A5 { … } (long-form length 81), with the NOTES A.2 CDOL1/CDOL2.</summary>
    public const string Record2 =
        "70 81 A5" +
        " 5A 08 6225880000000001" +
        " 5F34 01 01" +
        " 5F24 03 241231" +
        " 5F25 03 190101" +
        " 5F28 02 0156" +
        " 5F30 02 0220" +
        " 9F07 02 FF00" +
        " 9F08 02 0030" +
        " 9F0D 05 D84000A800" +
        " 9F0E 05 0010000000" +
        " 9F0F 05 D84004F800" +
        " 8E 0E 000000000000000042031E031F00" +
        " 8C 1B 9F02069F03069F1A0295055F2A029A039F21039C019F37049F4E14" +
        " 8D 1A 8A029F02069F03069F1A0295055F2A029A039F21039C019F3704" +
        " 9F42 02 0156" +
        " 9F4A 01 82" +
        " 9F49 03 9F3704" +
        " 8F 01 80" +
        " 9F32 01 03";

    /// <summary>The tags of <see cref="Record2"/>, in order.</summary>
    public static readonly string[] Record2Tags =
    [
        "5A", "5F34", "5F24", "5F25", "5F28", "5F30", "9F07", "9F08", "9F0D", "9F0E", "9F0F",
        "8E", "8C", "8D", "9F42", "9F4A", "9F49", "8F", "9F32",
    ];

    /// <summary>A qPBOC GPO response, format 2 (NOTES A.8), with the real 9F10 of NOTES A.4 (W4): 77 { 82, 94, 9F36, 57, 9F26, 9F10, 9F6C, 9F5D, 5F34 }.</summary>
    public const string GpoFormat2 =
        "77 5B" +
        " 82 02 7C00" +
        " 94 08 0801010010010101" +
        " 9F36 02 0001" +
        " 57 13 6225880000000001D241222000000000000000" +
        " 9F26 08 A6364607F31A5DB3" +
        " 9F10 13 07000103A03002 01 0A 01 0000000000 B0992D81" +
        " 9F6C 02 2000" +
        " 9F5D 06 000000010000" +
        " 5F34 01 01";

    /// <summary>A PSE FCI (NOTES A.2): 6F { 84, A5 { 88, 5F2D, BF0C { 9F4D, DF4D } } }.</summary>
    public const string PseFci =
        "6F 29" +
        " 84 0E 315041592E5359532E4444463031" +
        " A5 17" +
        "  88 01 01" +
        "  5F2D 04 7A68656E" +
        "  BF0C 0A" +
        "   9F4D 02 0B0A" +
        "   DF4D 02 0C0A";
}
