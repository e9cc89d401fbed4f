namespace Jinka.Core.Apdu;

/// <summary>
/// Names commands and explains their fields for traces and tools: ISO/IEC 7816-4, EMV/PBOC debit-credit,
/// GlobalPlatform card management, PBOC ED/EP purse (JT/T 978) and PSAM commands. Never throws on odd input:
/// an unknown instruction is described as "unknown command" with the raw fields.
/// </summary>
/// <remarks>
/// The same INS means different things in different classes (INS 70 is MANAGE CHANNEL with CLA 00 but a PSAM
/// command with CLA 80; INS E2 is APPEND RECORD with CLA 00 but STORE DATA with CLA 80), so the class decides first.
/// 80 50 is both GlobalPlatform INITIALIZE UPDATE and PBOC INITIALIZE FOR LOAD/PURCHASE; the parameters usually
/// tell them apart, and the name gives both when they do not.
/// </remarks>
public static partial class ApduDescriber
{
    private const string Iso = "ISO/IEC 7816-4";
    private const string Emv = "EMV";
    private const string Gp = "GlobalPlatform";
    private const string Purse = "PBOC ED/EP";
    private const string Psam = "PSAM";

    /// <summary>Describes a command.</summary>
    /// <param name="command">The command.</param>
    /// <param name="tagNames">Optional tag namer (e.g. the data dictionary) used for GET DATA / PUT DATA; a small built-in table is the fallback.</param>
    public static ApduDescription Describe(CommandApdu command, Func<uint, string?>? tagNames = null)
    {
        ArgumentNullException.ThrowIfNull(command);
        var parts = new CommandParts(command, tagNames);
        if (command.Cla == ClassByte.Reserved)
        {
            DescribeReaderCommand(parts);
        }
        else if (!command.IsProprietaryClass || !TryDescribeProprietary(parts))
        {
            DescribeInterindustry(parts);
        }

        return parts.Build();
    }

    /// <summary>Commands whose meaning depends on a proprietary class (CLA b8 = 1).</summary>
    private static bool TryDescribeProprietary(CommandParts parts)
    {
        switch (parts.Command.Ins)
        {
            case 0x50: DescribeInitialize(parts); return true;
            case 0x52: DescribeCreditForLoad(parts); return true;
            case 0x54: DescribeDebit(parts); return true;
            case 0x5A: DescribeGetTransactionProve(parts); return true;
            case 0x5C: DescribeGetBalance(parts); return true;
            case 0xB4: DescribeReadCappData(parts); return true;
            case 0xDC when !parts.Command.HasSecureMessaging: DescribeUpdateCappDataCache(parts); return true;
            case 0x70: DescribeInitSamForPurchase(parts); return true;
            case 0x72: DescribeCreditSamForPurchase(parts); return true;
            case 0x1A: DescribeInitForDescrypt(parts); return true;
            case 0xFA: DescribeDesCrypt(parts); return true;
            case 0x82: DescribeGpExternalAuthenticate(parts); return true;
            case 0xE2: DescribeStoreData(parts); return true;
            case 0xE4: DescribeDelete(parts); return true;
            case 0xE6: DescribeInstall(parts); return true;
            case 0xE8: DescribeLoad(parts); return true;
            case 0xD8: DescribePutKey(parts); return true;
            case 0xF0: DescribeSetStatus(parts); return true;
            case 0xF2: DescribeGetStatus(parts); return true;
            case 0x24: DescribePinChangeUnblock(parts); return true;
            default: return false;
        }
    }

    /// <summary>ISO/IEC 7816-4 and EMV commands, also reached for proprietary classes that reuse the ISO instruction.</summary>
    private static void DescribeInterindustry(CommandParts parts)
    {
        switch (parts.Command.Ins)
        {
            case 0xA4: DescribeSelect(parts); break;
            case 0xB2: DescribeReadRecord(parts); break;
            case 0xB0: DescribeReadBinary(parts); break;
            case 0xD6: DescribeUpdateBinary(parts); break;
            case 0xDC: DescribeUpdateRecord(parts); break;
            case 0xA8: DescribeGetProcessingOptions(parts); break;
            case 0xAE: DescribeGenerateAc(parts); break;
            case 0xCA or 0xCB: DescribeGetData(parts); break;
            case 0xDA: DescribePutData(parts); break;
            case 0x20: DescribeVerify(parts); break;
            case 0x88: DescribeInternalAuthenticate(parts); break;
            case 0x82: DescribeExternalAuthenticate(parts); break;
            case 0x84: DescribeGetChallenge(parts); break;
            case 0xC0: DescribeGetResponse(parts); break;
            case 0x1E: DescribeScriptCommand(parts, "APPLICATION BLOCK"); break;
            case 0x18: DescribeScriptCommand(parts, "APPLICATION UNBLOCK"); break;
            case 0x16: DescribeScriptCommand(parts, "CARD BLOCK"); break;
            case 0x24: DescribeChangeReferenceData(parts); break;
            case 0x2C: DescribeSimple(parts, "RESET RETRY COUNTER", Iso); break;
            case 0x70: DescribeManageChannel(parts); break;
            case 0xE2: DescribeSimple(parts, "APPEND RECORD", Iso); break;
            case 0xE4: DescribeSimple(parts, "DELETE FILE", Iso); break;
            case 0xE0: DescribeSimple(parts, "CREATE FILE", Iso); break;
            case 0x44: DescribeSimple(parts, "ACTIVATE FILE", Iso); break;
            case 0x04: DescribeSimple(parts, "DEACTIVATE FILE", Iso); break;
            case 0x0E: DescribeSimple(parts, "ERASE BINARY", Iso); break;
            case 0x22: DescribeSimple(parts, "MANAGE SECURITY ENVIRONMENT", Iso); break;
            case 0x2A: DescribeSimple(parts, "PERFORM SECURITY OPERATION", Iso); break;
            default: break; // Unknown: the raw fields are all there is to say.
        }
    }

    /// <summary>FF CA is the PC/SC part 3 GET DATA that the reader itself answers (P1 00 UID, 01 ATS historical bytes).</summary>
    private static void DescribeReaderCommand(CommandParts parts)
    {
        var c = parts.Command;
        if (c.Ins == 0xCA && c.P1 is 0x00 or 0x01)
        {
            parts.Known(c.P1 == 0 ? "GET DATA (reader: card UID)" : "GET DATA (reader: ATS historical bytes)", "PC/SC");
            return;
        }

        parts.Known("reader pseudo-APDU", "PC/SC");
    }

    private static void DescribeSimple(CommandParts parts, string name, string standard) => parts.Known(name, standard);

    /// <summary>The data of an EMV/PBOC script command ends with a 4-byte MAC when the class signals secure messaging (NOTES A.5 item 5).</summary>
    private static void SplitTrailingMac(CommandParts parts, string valueName, string valueMeaning = "")
    {
        var data = parts.Data;
        if (parts.Command.HasSecureMessaging && data.Length >= 4)
        {
            if (data.Length > 4)
            {
                parts.Part(valueName, data[..^4], valueMeaning);
            }

            parts.Part("MAC", data[^4..], "last 4 bytes (PBOC script MAC)");
        }
    }
}
