using Jinka.Core;

namespace Jinka.Iso8583.Tests;

/// <summary>
/// Two CUP POS messages published with their MACs. Facts only: the bytes, keys and MACs as printed.
/// </summary>
internal static class PublishedMessages
{
    /// <summary>
    /// blog.csdn.net/zhu244912654/article/details/80005341 ("MAC算法演示"), also in a public test script: the MAC element
    /// block of a 0200 purchase (MTI through field 60; the bitmap announces 64), TMK 70F2A84CCBC2AE8625CBB0F2C22AB923,
    /// TAK 96D605EA176B7E9E encrypted under it (C24A8FB57AA20123 clear), MAC 8A9E91B8.
    /// </summary>
    public static readonly byte[] PurchaseMacBlock = Hex.Parse(
        "0200302004C020C0981100000000000000005100183402100006324392260009942820D1312101120084393136363838303134" +
        "303030303030303030303030303031313536ACF46E73838A82F92600000000000000000822000001");

    public static readonly byte[] PurchaseTmk = Hex.Parse("70F2A84CCBC2AE8625CBB0F2C22AB923");

    public static readonly byte[] PurchaseTakEncrypted = Hex.Parse("96D605EA176B7E9E");

    public static readonly byte[] PurchaseTak = Hex.Parse("C24A8FB57AA20123");

    public const string PurchaseMac = "8A9E91B8";

    /// <summary>The published purchase with its MAC appended as field 64 (8 ASCII hex characters).</summary>
    public static byte[] Purchase => [.. PurchaseMacBlock, .. "8A9E91B8"u8];

    /// <summary>
    /// q.cnblogs.com/q/128930: a whole frame (length 007F, TPDU 6000030000, header 603210320072, a 0200 with fields
    /// 3, 4, 11, 22, 25, 41, 42, 49, 60, 62, 64), TAK 0723C80DB5F4CD3D (given twice, i.e. single DES) and the MAC the
    /// host computed, "B3A092AE".
    /// </summary>
    public static readonly byte[] QrFrame = Hex.Parse(
        "007F600003000060321032007202003020048000C08015000000000000001234000002030099303030303030303139353237313831383232" +
        "313738373531353600192600000100060000000000435F01123238343431323334353637383930313233345F03063136303033365F040632" +
        "30303832365C0230314233413039324145");

    public static readonly byte[] QrTak = Hex.Parse("0723C80DB5F4CD3D");

    public const string QrMac = "B3A092AE";
}
