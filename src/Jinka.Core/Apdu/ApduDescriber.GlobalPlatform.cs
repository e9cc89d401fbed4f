namespace Jinka.Core.Apdu;

/// <summary>GlobalPlatform card and secure-channel commands (GP Card Specification §11; NOTES D.2–D.4).</summary>
public static partial class ApduDescriber
{
    private static void DescribeInitializeUpdate(CommandParts parts)
    {
        var c = parts.Command;
        parts.P1 = c.P1 == 0 ? "key version number 00: the first available key set" : $"key version number {c.P1:X2}";
        parts.P2 = c.P2 == 0 ? "key identifier 00" : $"key identifier {c.P2:X2} (GP expects 00)";
        parts.DataMeaning = c.Nc == 8 ? "host challenge" : "host challenge (GP uses 8 bytes)";
        parts.LeMeaning = "key diversification data, key information, sequence counter, card challenge and cryptogram";
    }

    private static void DescribeGpExternalAuthenticate(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("EXTERNAL AUTHENTICATE (secure channel)", Gp);
        parts.P1 = "security level: " + SecurityLevel(c.P1);
        parts.P2 = c.P2 == 0 ? "" : "should be 00";
        if (parts.Split(("host cryptogram", 8), ("C-MAC", 8)))
        {
            parts.DataMeaning = "host cryptogram and C-MAC";
        }
    }

    /// <summary>GP Card Spec §E.5.2.2 / §D.4.2: 01 C-MAC, 02 C-DECRYPTION, 10 R-MAC, 20 R-ENCRYPTION.</summary>
    private static string SecurityLevel(byte level)
    {
        if (level == 0)
        {
            return "no secure messaging";
        }

        var flags = new List<string>(4);
        if ((level & 0x01) != 0)
        {
            flags.Add("C-MAC");
        }

        if ((level & 0x02) != 0)
        {
            flags.Add("C-DECRYPTION");
        }

        if ((level & 0x10) != 0)
        {
            flags.Add("R-MAC");
        }

        if ((level & 0x20) != 0)
        {
            flags.Add("R-ENCRYPTION");
        }

        if ((level & 0xCC) != 0)
        {
            flags.Add("RFU bits");
        }

        return string.Join(" + ", flags);
    }

    /// <summary>STORE DATA (GP §11.11; EMV CPS, NOTES D.4): P1 b8 last block, b7–b6 encryption, b5–b4 data structure; P2 block number.</summary>
    private static void DescribeStoreData(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("STORE DATA", Gp);
        var p1 = new List<string>(3) { (c.P1 & 0x80) != 0 ? "last block" : "more blocks follow" };
        p1.Add((c.P1 & 0x60) switch
        {
            0x00 => "no encryption information",
            0x20 => "application-dependent encryption",
            0x40 => "encryption coding RFU",
            _ => "encrypted data (DEK)",
        });
        p1.Add((c.P1 & 0x18) switch
        {
            0x00 => "no structure information",
            0x08 => "DGI format",
            0x10 => "BER-TLV format",
            _ => "structure coding RFU",
        });
        parts.P1 = string.Join(", ", p1);
        parts.P2 = $"block number {c.P2}";
        parts.DataMeaning = DescribeDgis(parts) ? "DGIs (EMV CPS)" : "data (not a whole number of DGIs: continued, or not DGI format)";
    }

    /// <summary>Lists DGI ‖ length (1 byte, or FF ‖ 2 bytes) ‖ value entries when the data splits into them exactly (NOTES D.4).</summary>
    private static bool DescribeDgis(CommandParts parts)
    {
        var data = parts.Data;
        var found = new List<(int Offset, int Header, int Length)>();
        int pos = 0;
        while (pos < data.Length)
        {
            if (data.Length - pos < 3)
            {
                return false;
            }

            int header = 3, length = data[pos + 2];
            if (length == 0xFF)
            {
                if (data.Length - pos < 5)
                {
                    return false;
                }

                (header, length) = (5, (data[pos + 3] << 8) | data[pos + 4]);
            }

            if (data.Length - pos - header < length)
            {
                return false;
            }

            found.Add((pos, header, length));
            pos += header + length;
        }

        foreach (var (offset, header, length) in found)
        {
            string dgi = Hex.Encode(data.Slice(offset, 2));
            bool encrypted = dgi[0] == '8';
            string what = encrypted ? " (8xxx: encrypted by convention)" : "";
            parts.Part($"DGI {dgi}", data.Slice(offset + header, length), $"{length} bytes{what}");
        }

        return found.Count > 0;
    }

    /// <summary>INSTALL (GP §11.5): P1 says which steps; the data is a chain of LV fields.</summary>
    private static void DescribeInstall(CommandParts parts)
    {
        var c = parts.Command;
        var purposes = new List<string>(4);
        if ((c.P1 & 0x02) != 0)
        {
            purposes.Add("load");
        }

        if ((c.P1 & 0x04) != 0)
        {
            purposes.Add("install");
        }

        if ((c.P1 & 0x08) != 0)
        {
            purposes.Add("make selectable");
        }

        if ((c.P1 & 0x10) != 0)
        {
            purposes.Add("extradition");
        }

        if ((c.P1 & 0x20) != 0)
        {
            purposes.Add("personalization");
        }

        if ((c.P1 & 0x40) != 0)
        {
            purposes.Add("registry update");
        }

        string purpose = purposes.Count == 0 ? "no purpose" : "for " + string.Join(" and ", purposes);
        parts.Known($"INSTALL [{purpose}]", Gp);
        parts.P1 = (c.P1 & 0x80) != 0 ? $"{purpose}; more INSTALL commands follow" : purpose;
        parts.P2 = c.P2 == 0 ? "" : $"P2 {c.P2:X2}";

        string[] names = (c.P1 & 0x7E) switch
        {
            0x02 => ["load file AID", "security domain AID", "load file data block hash", "load parameters", "load token"],
            0x20 => ["(empty)", "(empty)", "application AID", "(empty)", "(empty)", "(empty)"],
            _ when (c.P1 & 0x04) != 0 => ["executable load file AID", "executable module AID", "application AID", "privileges", "install parameters", "install token"],
            _ => [],
        };
        if (names.Length > 0 && SplitLv(parts, names))
        {
            parts.DataMeaning = "LV fields";
        }
    }

    /// <summary>Splits the data into length-value fields named in order, when it parses exactly.</summary>
    private static bool SplitLv(CommandParts parts, string[] names)
    {
        var data = parts.Data;
        var ranges = new List<(int Start, int Length)>(names.Length);
        int pos = 0;
        while (pos < data.Length && ranges.Count < names.Length)
        {
            int length = data[pos];
            if (pos + 1 + length > data.Length)
            {
                return false;
            }

            ranges.Add((pos + 1, length));
            pos += 1 + length;
        }

        if (pos != data.Length)
        {
            return false;
        }

        for (int i = 0; i < ranges.Count; i++)
        {
            var value = data.Slice(ranges[i].Start, ranges[i].Length);
            string meaning = value.IsEmpty ? "absent" : names[i].EndsWith("AID", StringComparison.Ordinal) ? DescriberText.DfName(value) ?? "" : "";
            parts.Part(names[i], value, meaning);
        }

        return true;
    }

    private static void DescribeLoad(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("LOAD", Gp);
        parts.P1 = (c.P1 & 0x80) != 0 ? "last block" : "more blocks follow";
        parts.P2 = $"block number {c.P2}";
        parts.DataMeaning = "load file data block";
    }

    private static void DescribeDelete(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("DELETE", Gp);
        parts.P1 = (c.P1 & 0x80) != 0 ? "more DELETE commands follow" : "last or only command";
        parts.P2 = c.P2 switch
        {
            0x00 => "delete the object",
            0x80 => "delete the object and related objects",
            _ => "RFU",
        };
        var data = parts.Data;
        if (data.Length >= 2 && data[0] == 0x4F && data[1] + 2 <= data.Length)
        {
            var aid = data.Slice(2, data[1]);
            parts.DataMeaning = "identifier (4F) and optional token";
            parts.Part("AID", aid, DescriberText.DfName(aid) ?? "");
        }
    }

    private static void DescribeGetStatus(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("GET STATUS", Gp);
        parts.P1 = c.P1 switch
        {
            0x80 => "issuer security domain",
            0x40 => "applications and supplementary security domains",
            0x20 => "executable load files",
            0x10 => "executable load files and their modules",
            _ => "subset RFU or combined",
        };
        string occurrence = (c.P2 & 0x01) != 0 ? "next occurrence" : "first or all occurrences";
        string format = (c.P2 & 0x02) != 0 ? "TLV response format" : "deprecated response format";
        parts.P2 = $"{occurrence}, {format}";
        var data = parts.Data;
        if (data.Length == 2 && data[0] == 0x4F && data[1] == 0)
        {
            parts.DataMeaning = "search criteria 4F00: all AIDs";
        }
        else if (!data.IsEmpty)
        {
            parts.DataMeaning = "search criteria";
        }
    }

    private static void DescribePutKey(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("PUT KEY", Gp);
        int kvn = c.P1 & 0x7F;
        string p1 = kvn == 0 ? "add a new key set" : $"replace key set version {kvn:X2}";
        parts.P1 = (c.P1 & 0x80) != 0 ? p1 + "; more PUT KEY commands follow" : p1;
        string p2 = $"key identifier {c.P2 & 0x7F:X2}";
        parts.P2 = (c.P2 & 0x80) != 0 ? p2 + ", several keys" : p2 + ", one key";
        if (!parts.Data.IsEmpty)
        {
            parts.DataMeaning = "new key version number and key blocks";
            parts.Part("new key version", parts.Data[..1]);
        }
    }

    private static void DescribeSetStatus(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("SET STATUS", Gp);
        parts.P1 = c.P1 switch
        {
            0x80 => "issuer security domain (card life cycle)",
            0x40 => "application or supplementary security domain",
            0x60 => "security domain and its associated applications",
            _ => "status type RFU",
        };
        parts.P2 = (c.P1, c.P2) switch
        {
            (0x80, 0x01) => "OP_READY",
            (0x80, 0x07) => "INITIALIZED",
            (0x80, 0x0F) => "SECURED",
            (0x80, 0x7F) => "CARD_LOCKED",
            (0x80, 0xFF) => "TERMINATED",
            (_, 0x07) => "SELECTABLE",
            (_, 0x0F) => "PERSONALIZED",
            (_, 0x83) or (_, 0x87) or (_, 0x8F) => "LOCKED",
            _ => $"life cycle state {c.P2:X2}",
        };
    }
}
