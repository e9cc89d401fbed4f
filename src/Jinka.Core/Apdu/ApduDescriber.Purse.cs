namespace Jinka.Core.Apdu;

/// <summary>PBOC ED/EP purse commands reused by JT/T 978, and the PSAM commands of NOTES B.3 and B.5.</summary>
public static partial class ApduDescriber
{
    /// <summary>
    /// 80 50 is GP INITIALIZE UPDATE (P1 = key version, P2 = 00, 8-byte host challenge) and PBOC INITIALIZE FOR
    /// LOAD/PURCHASE (P2 = 01 ED or 02 EP, 11 bytes of data). When the parameters fit only one, that one is named.
    /// </summary>
    private static void DescribeInitialize(CommandParts parts)
    {
        var c = parts.Command;
        bool gpShape = c.P2 == 0x00 && c.Nc is 8 or 16;
        bool purseShape = c.P2 is 0x01 or 0x02 && c.Nc == 11;
        string purseName = InitializeName(c.P1);
        if (gpShape && !purseShape)
        {
            parts.Known("INITIALIZE UPDATE", Gp);
            DescribeInitializeUpdate(parts);
            return;
        }

        if (purseShape && !gpShape)
        {
            parts.Known(purseName, Purse);
            DescribePurseInitialize(parts);
            return;
        }

        parts.Known($"INITIALIZE UPDATE (GlobalPlatform) or {purseName} (PBOC ED/EP)", $"{Gp} or {Purse}");
        parts.P1 = $"GP: key version number {c.P1:X2}; ED/EP: {PurseInitializeP1(c.P1)}";
        parts.P2 = $"GP: key identifier {c.P2:X2}; ED/EP: {PurseType(c.P2)}";
        parts.DataMeaning = "GP: host challenge; ED/EP: key index, amount, terminal ID";
    }

    private static string InitializeName(byte p1) => p1 switch
    {
        0x00 => "INITIALIZE FOR LOAD",
        0x01 => "INITIALIZE FOR PURCHASE",
        0x02 => "INITIALIZE FOR CASH WITHDRAW",
        0x03 => "INITIALIZE FOR CAPP PURCHASE",
        0x04 => "INITIALIZE FOR UPDATE (overdraft limit)",
        0x05 => "INITIALIZE FOR UNLOAD",
        _ => "INITIALIZE FOR ?",
    };

    private static string PurseInitializeP1(byte p1) => p1 switch
    {
        0x00 => "load",
        0x01 => "purchase",
        0x02 => "cash withdraw (ED)",
        0x03 => "compound application (CAPP) purchase",
        0x04 => "update overdraft limit",
        0x05 => "unload",
        _ => "unknown transaction",
    };

    private static string PurseType(byte p2) => p2 switch
    {
        0x01 => "electronic deposit (ED)",
        0x02 => "electronic purse (EP)",
        _ => "neither ED (01) nor EP (02)",
    };

    private static void DescribePurseInitialize(CommandParts parts)
    {
        var c = parts.Command;
        parts.P1 = PurseInitializeP1(c.P1);
        parts.P2 = PurseType(c.P2);
        parts.DataMeaning = "key index, amount, terminal ID";
        parts.Split(("key index", 1), ("amount", 4), ("terminal ID", 6));
        parts.LeMeaning = c.P1 switch
        {
            0x00 => "old balance, online ATC, key version, algorithm ID, random, MAC1",
            0x01 or 0x03 => "balance, offline ATC, overdraft limit, key version, algorithm ID, random",
            _ => null,
        };
    }

    private static void DescribeCreditForLoad(CommandParts parts)
    {
        parts.Known("CREDIT FOR LOAD", Purse);
        parts.DataMeaning = "transaction date, time and MAC2 from the host";
        parts.Split(("date", 4), ("time", 3), ("MAC2", 4));
        parts.LeMeaning = "TAC";
    }

    private static void DescribeDebit(CommandParts parts)
    {
        var c = parts.Command;
        switch (c.P1)
        {
            case 0x01:
                parts.Known("DEBIT FOR PURCHASE / CAPP PURCHASE", Purse);
                parts.P1 = "purchase (the preceding INITIALIZE decides simple or CAPP)";
                parts.DataMeaning = "terminal transaction serial, date, time, MAC1";
                parts.Split(("terminal transaction serial", 4), ("date", 4), ("time", 3), ("MAC1", 4));
                parts.LeMeaning = "TAC and MAC2";
                break;
            case 0x03:
                parts.Known("DEBIT FOR UNLOAD", Purse);
                parts.P1 = "unload";
                parts.DataMeaning = "date, time, MAC";
                parts.Split(("date", 4), ("time", 3), ("MAC", 4));
                break;
            default:
                parts.Known("DEBIT", Purse);
                parts.P1 = "transaction kind not known here";
                break;
        }
    }

    private static void DescribeGetBalance(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("GET BALANCE", Purse);
        parts.P1 = c.P1 == 0 ? "" : "non-zero P1 seen on JT/T terminals; meaning not settled (NOTES B.3)";
        parts.P2 = PurseType(c.P2);
        parts.LeMeaning = "balance in fen";
    }

    private static void DescribeGetTransactionProve(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("GET TRANSACTION PROVE", Purse);
        parts.P2 = "transaction type " + c.P2 switch
        {
            0x01 => "01 (ED load)",
            0x02 => "02 (EP load)",
            0x06 => "06 (EP purchase)",
            0x09 => "09 (CAPP purchase)",
            _ => $"{c.P2:X2}",
        };
        parts.DataMeaning = "ATC of the interrupted transaction (offline ATC + 1)";
        parts.Split(("ATC", 2));
        parts.LeMeaning = "MAC2 and TAC of that transaction";
    }

    /// <summary>80 DC (JT/T 978, NOTES B.3): P1 record (00 for the cyclic 1E file), P2 = SFI &lt;&lt; 3.</summary>
    private static void DescribeUpdateCappDataCache(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("UPDATE CAPP DATA CACHE", Purse);
        (parts.P1, parts.P2) = CappRecordReference(c.P1, c.P2);
        parts.DataMeaning = "compound application record image";
    }

    /// <summary>80 B4 (JT/T 978): read with the same P1-P2 coding as 80 DC, assumed.</summary>
    private static void DescribeReadCappData(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("READ CAPP DATA", Purse);
        (parts.P1, parts.P2) = CappRecordReference(c.P1, c.P2);
    }

    private static (string P1, string P2) CappRecordReference(byte p1, byte p2)
    {
        int sfi = p2 >> 3;
        string p1Text = p1 == 0 ? "record 00 (the new record of a cyclic file)" : $"record {p1:X2}";
        string p2Text = (p2 & 0x07) == 0 ? DescriberText.Sfi(sfi) : $"{DescriberText.Sfi(sfi)}, low bits {p2 & 0x07} (expected 0)";
        return (p1Text, p2Text);
    }

    /// <summary>PSAM INIT_SAM_FOR_PURCHASE (NOTES B.5): the PSAM computes MAC1.</summary>
    private static void DescribeInitSamForPurchase(CommandParts parts)
    {
        parts.Known("INIT SAM FOR PURCHASE (MAC1)", Psam);
        parts.DataMeaning = "card random, offline ATC, amount, type, date and time, key version, algorithm ID, diversifiers";
        (string, int)[] common =
        [
            ("card random", 4), ("offline ATC", 2), ("amount", 4), ("transaction type", 1),
            ("date and time", 7), ("key version", 1), ("algorithm ID", 1), ("card ASN", 8),
        ];
        if (!parts.Split(common))
        {
            parts.Split([.. common, ("issuer ID", 8)]);
        }

        parts.LeMeaning = "terminal transaction serial and MAC1";
    }

    private static void DescribeCreditSamForPurchase(CommandParts parts)
    {
        parts.Known("CREDIT SAM FOR PURCHASE (verify MAC2)", Psam);
        parts.DataMeaning = "MAC2 from the card";
    }

    private static void DescribeInitForDescrypt(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("INIT FOR DESCRYPT (load a diversified key)", Psam);
        parts.P1 = c.P1 switch
        {
            0x44 => "key usage 44 (TAC key)",
            0x45 => "key usage 45 (maintenance key)",
            _ => $"key usage {c.P1:X2}",
        };
        parts.P2 = $"key version {c.P2:X2}";
        parts.DataMeaning = c.Nc switch
        {
            8 => "one diversifier",
            16 => "two diversifiers",
            _ => "diversifiers",
        };
    }

    private static void DescribeDesCrypt(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("DES CRYPT", Psam);
        parts.P1 = c.P1 switch
        {
            0x00 => "encrypt",
            0x05 => "MAC with an initial value",
            _ => $"operation {c.P1:X2}",
        };
        parts.DataMeaning = c.P1 == 0x05 ? "initial value (8) and data" : "data";
    }
}
