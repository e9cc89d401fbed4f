namespace Jinka.Core.Apdu;

/// <summary>ISO/IEC 7816-4 and EMV / PBOC debit-credit commands (NOTES A.2, A.5; EMV Book 3 §6.5).</summary>
public static partial class ApduDescriber
{
    private static void DescribeSelect(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("SELECT", Iso);
        parts.P1 = c.P1 switch
        {
            0x00 => "select MF, DF or EF by file identifier",
            0x01 => "select child DF by file identifier",
            0x02 => "select EF under the current DF by file identifier",
            0x03 => "select the parent DF",
            0x04 => "select by DF name (AID)",
            0x08 => "select by path from the MF",
            0x09 => "select by path from the current DF",
            _ => "selection method RFU",
        };
        string occurrence = (c.P2 & 0x03) switch
        {
            0 => "first or only occurrence",
            1 => "last occurrence",
            2 => "next occurrence",
            _ => "previous occurrence",
        };
        string answer = (c.P2 & 0x0C) switch
        {
            0x00 => "return FCI",
            0x04 => "return FCP",
            0x08 => "return FMD",
            _ => "no response data",
        };
        parts.P2 = (c.P2 & 0xF0) == 0 ? $"{occurrence}, {answer}" : $"{occurrence}, {answer} (P2 high bits RFU)";

        var data = parts.Data;
        if (c.P1 == 0x04 && !data.IsEmpty)
        {
            string? known = DescriberText.DfName(data);
            string? ascii = DescriberText.Ascii(data);
            parts.DataMeaning = known ?? (ascii is null ? "DF name (AID)" : $"DF name \"{ascii}\"");
        }
        else if (c.P1 is 0x00 or 0x01 or 0x02 && data.Length == 2)
        {
            string fid = Hex.Encode(data);
            parts.DataMeaning = fid == "3F00" ? "file identifier 3F00 (MF)" : $"file identifier {fid}";
        }
        else if (c.P1 is 0x08 or 0x09 && data.Length % 2 == 0 && !data.IsEmpty)
        {
            parts.DataMeaning = "path of file identifiers";
        }
    }

    private static void DescribeReadRecord(CommandParts parts)
    {
        parts.Known("READ RECORD", Iso);
        (parts.P1, parts.P2) = DescriberText.RecordReference(parts.Command.P1, parts.Command.P2);
    }

    private static void DescribeUpdateRecord(CommandParts parts)
    {
        parts.Known("UPDATE RECORD", Iso);
        (parts.P1, parts.P2) = DescriberText.RecordReference(parts.Command.P1, parts.Command.P2);
        parts.DataMeaning = parts.Command.HasSecureMessaging ? "record data and MAC" : "record data";
        SplitTrailingMac(parts, "record");
    }

    private static void DescribeReadBinary(CommandParts parts)
    {
        parts.Known("READ BINARY", Iso);
        (parts.P1, parts.P2) = DescriberText.BinaryReference(parts.Command.P1, parts.Command.P2);
    }

    private static void DescribeUpdateBinary(CommandParts parts)
    {
        parts.Known("UPDATE BINARY", Iso);
        (parts.P1, parts.P2) = DescriberText.BinaryReference(parts.Command.P1, parts.Command.P2);
        parts.DataMeaning = parts.Command.HasSecureMessaging ? "new content and MAC" : "new content";
        SplitTrailingMac(parts, "content");
    }

    private static void DescribeGetProcessingOptions(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("GET PROCESSING OPTIONS", Emv);
        parts.P1 = c.P1 == 0 ? "" : "should be 00";
        parts.P2 = c.P2 == 0 ? "" : "should be 00";

        // EMV Book 3 §6.5.8: the data is template 83 holding the PDOL-related data (empty when there is no PDOL).
        var data = parts.Data;
        if (data.Length >= 2 && data[0] == 0x83)
        {
            int length, header;
            if (data[1] < 0x80)
            {
                (length, header) = (data[1], 2);
            }
            else if (data[1] == 0x81 && data.Length >= 3)
            {
                (length, header) = (data[2], 3);
            }
            else
            {
                (length, header) = (-1, 0);
            }

            if (length >= 0 && header + length == data.Length)
            {
                parts.DataMeaning = "command template 83";
                parts.Part("PDOL data", data[header..], length == 0 ? "empty (the card has no PDOL)" : $"{length} bytes");
                return;
            }
        }

        parts.DataMeaning = "expected command template 83 with the PDOL data";
    }

    private static void DescribeGenerateAc(CommandParts parts)
    {
        var c = parts.Command;

        // EMV Book 3 §6.5.5 table 12: P1 b8–b7 cryptogram type, b5 CDA signature requested.
        string type = (c.P1 & 0xC0) switch
        {
            0x00 => "AAC",
            0x40 => "TC",
            0x80 => "ARQC",
            _ => "RFU cryptogram type",
        };
        bool cda = (c.P1 & 0x10) != 0;
        parts.Known(cda ? $"GENERATE AC ({type} + CDA)" : $"GENERATE AC ({type})", Emv);
        string p1 = type switch
        {
            "AAC" => "AAC requested (decline)",
            "TC" => "TC requested (approve offline)",
            "ARQC" => "ARQC requested (go online)",
            _ => "cryptogram type 11 is RFU",
        };
        if (cda)
        {
            p1 += ", CDA signature requested";
        }

        if ((c.P1 & 0x2F) != 0)
        {
            p1 += ", RFU bits set";
        }

        parts.P1 = p1;
        parts.P2 = c.P2 == 0 ? "" : "should be 00";
        parts.DataMeaning = "CDOL1 or CDOL2 related data";
    }

    private static void DescribeGetData(CommandParts parts)
    {
        var c = parts.Command;
        uint tag = DescriberText.TagFromP1P2(c.P1, c.P2);
        string tagText = parts.TagText(tag);
        parts.Known($"GET DATA {tagText}", c.IsProprietaryClass ? Emv : Iso);
        parts.P1 = c.P1 == 0 ? "one-byte tag" : "tag, first byte";
        parts.P2 = tagText;
    }

    private static void DescribePutData(CommandParts parts)
    {
        var c = parts.Command;
        uint tag = DescriberText.TagFromP1P2(c.P1, c.P2);
        string tagText = parts.TagText(tag);
        parts.Known($"PUT DATA {tagText}", c.HasSecureMessaging ? Emv : Iso);
        parts.P1 = c.P1 == 0 ? "one-byte tag" : "tag, first byte";
        parts.P2 = tagText;
        parts.DataMeaning = c.HasSecureMessaging ? "new value and MAC (issuer script)" : "new value";

        // The EC amounts are n12 (6 bytes BCD, NOTES A.5 item 5).
        bool ecAmount = tag is 0x9F79 or 0x9F77 or 0x9F78 or 0x9F6D && parts.Data.Length == (c.HasSecureMessaging ? 10 : 6);
        string amount = ecAmount ? DescriberText.Amount(parts.Data[..6]) : "";
        SplitTrailingMac(parts, ecAmount ? "amount" : "value", amount);
        if (ecAmount && !c.HasSecureMessaging)
        {
            parts.Part("amount", parts.Data, amount);
        }
    }

    private static void DescribeVerify(CommandParts parts)
    {
        var c = parts.Command;

        // EMV Book 3 §6.5.12: P2 80 plaintext PIN, 88 enciphered PIN; ISO/IEC 7816-4 §7.5.6 for the rest.
        string kind = c.P2 switch
        {
            0x80 => "plaintext PIN",
            0x88 => "enciphered PIN",
            0x00 => "no reference data qualifier",
            _ => (c.P2 & 0x80) != 0 ? $"specific reference data {c.P2 & 0x1F}" : $"global reference data {c.P2 & 0x1F}",
        };
        parts.Known(c.P2 is 0x80 or 0x88 ? $"VERIFY ({kind})" : "VERIFY", c.P2 is 0x80 or 0x88 ? Emv : Iso);
        parts.P1 = c.P1 == 0 ? "" : "should be 00";
        parts.P2 = kind;
        if (c.Nc == 0)
        {
            parts.LeMeaning = null;
            parts.DataMeaning = "";
            parts.P2 += "; no data: asks for the retry counter (answer 63Cx)";
        }
        else
        {
            parts.HideData = true;
            parts.DataMeaning = c.P2 == 0x88 ? "enciphered PIN data" : "PIN block";
        }
    }

    private static void DescribeInternalAuthenticate(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("INTERNAL AUTHENTICATE", Iso);
        parts.P1 = c.P1 == 0 ? "no algorithm reference" : $"algorithm reference {c.P1:X2}";
        parts.P2 = c.P2 == 0 ? "no key reference" : $"key reference {c.P2:X2}";
        parts.DataMeaning = "authentication data (EMV DDA: DDOL related data; PBOC PSAM/social security: random)";
    }

    private static void DescribeExternalAuthenticate(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("EXTERNAL AUTHENTICATE", Iso);
        parts.P1 = c.P1 == 0 ? "no algorithm reference" : $"algorithm reference {c.P1:X2}";
        parts.P2 = c.P2 == 0 ? "no key reference" : $"key reference {c.P2:X2}";

        // EMV issuer authentication (NOTES A.2): tag 91 = ARPC(8) ‖ ARC(2) for PBOC, up to 16 bytes in general.
        var data = parts.Data;
        if (c.P1 == 0 && c.P2 == 0 && data.Length == 10)
        {
            parts.Known("EXTERNAL AUTHENTICATE (issuer authentication)", Emv);
            parts.DataMeaning = "issuer authentication data (EMV tag 91)";
            parts.Part("ARPC", data[..8]);
            string? arc = DescriberText.Ascii(data[8..]);
            parts.Part("ARC", data[8..], arc is null ? "authorisation response code" : $"authorisation response code \"{arc}\"");
        }
        else if (!data.IsEmpty)
        {
            parts.DataMeaning = "authentication cryptogram";
        }
    }

    private static void DescribeGetChallenge(CommandParts parts)
    {
        parts.Known("GET CHALLENGE", Iso);
        parts.LeMeaning = "random number";
    }

    private static void DescribeGetResponse(CommandParts parts)
    {
        parts.Known("GET RESPONSE", Iso);
        parts.LeMeaning = "remaining response data";
    }

    /// <summary>EMV issuer script commands (NOTES A.5 item 7): CLA 84, data is the MAC only.</summary>
    private static void DescribeScriptCommand(CommandParts parts, string name)
    {
        parts.Known(name, Emv);
        parts.DataMeaning = parts.Data.Length == 4 ? "MAC" : "MAC (expected 4 bytes for PBOC)";
    }

    /// <summary>EMV PIN CHANGE/UNBLOCK (84 24, EMV Book 3 §6.5.10).</summary>
    private static void DescribePinChangeUnblock(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known("PIN CHANGE/UNBLOCK", Emv);
        parts.P2 = c.P2 switch
        {
            0x00 => "unblock the PIN, no new PIN",
            0x01 => "unblock and change the PIN, PIN data built with the current PIN",
            0x02 => "unblock and change the PIN, PIN data built without the current PIN",
            _ => "RFU",
        };
        if (c.P2 != 0 && c.Nc > 4)
        {
            parts.DataMeaning = "enciphered PIN data and MAC";
            parts.Part("enciphered PIN data", parts.Data[..^4]);
            parts.Part("MAC", parts.Data[^4..]);
        }
        else
        {
            parts.DataMeaning = "MAC";
        }
    }

    private static void DescribeChangeReferenceData(CommandParts parts)
    {
        parts.Known("CHANGE REFERENCE DATA", Iso);
        parts.P2 = parts.Command.P2 == 0 ? "no reference data qualifier" : $"reference data {parts.Command.P2:X2}";
        parts.HideData = parts.Command.Nc > 0;
        parts.DataMeaning = "old and/or new PIN";
    }

    private static void DescribeManageChannel(CommandParts parts)
    {
        var c = parts.Command;
        parts.Known(c.P1 == 0x80 ? "MANAGE CHANNEL (close)" : "MANAGE CHANNEL (open)", Iso);
        parts.P1 = c.P1 switch
        {
            0x00 => "open",
            0x80 => "close",
            _ => "RFU",
        };
        parts.P2 = c.P2 == 0 ? (c.P1 == 0 ? "the card assigns the channel number" : "") : $"channel {c.P2}";
    }
}
