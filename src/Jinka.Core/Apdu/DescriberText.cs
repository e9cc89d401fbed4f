using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Jinka.Core.Apdu;

/// <summary>Shared wording for <see cref="ApduDescriber"/>: class byte, file references, names, amounts.</summary>
internal static class DescriberText
{
    public static string ClassMeaning(byte cla)
    {
        if (cla == ClassByte.Reserved)
        {
            return "reserved for PPS; PC/SC readers take FF commands as reader pseudo-APDUs";
        }

        var parts = new List<string>(4)
        {
            ClassByte.IsProprietary(cla) ? "proprietary class (EMV, GlobalPlatform, PBOC)" : "interindustry class",
        };
        if (ClassByte.IsRfuCoding(cla))
        {
            parts.Add("channel and secure messaging not coded");
            return string.Join(", ", parts);
        }

        parts.Add($"logical channel {ClassByte.LogicalChannel(cla)}");
        if (ClassByte.IsFirstInterindustryCoding(cla))
        {
            parts.Add((cla & 0x0C) switch
            {
                0x00 => "no secure messaging",
                0x04 => "proprietary secure messaging (EMV/PBOC script MAC, GlobalPlatform C-MAC)",
                0x08 => "secure messaging, header not authenticated (ISO/IEC 7816-4 §6)",
                _ => "secure messaging, header authenticated (ISO/IEC 7816-4 §6)",
            });
        }
        else
        {
            parts.Add((cla & 0x20) != 0 ? "secure messaging, header not authenticated (ISO/IEC 7816-4 §6)" : "no secure messaging");
        }

        if (ClassByte.IsChained(cla))
        {
            parts.Add("command chaining: more commands follow");
        }

        return string.Join(", ", parts);
    }

    public static string UnknownInstruction(byte ins)
        => (ins & 0xF0) is 0x60 or 0x90
            ? "unknown command (INS 6X and 9X are invalid: T=0 uses them as procedure bytes)"
            : "unknown command";

    /// <summary>"SFI 1" or "SFI 24 (18h)": EMV people count SFIs in decimal, transit files are named in hex.</summary>
    public static string Sfi(int sfi) => sfi < 10 ? $"SFI {sfi}" : $"SFI {sfi} ({sfi:X2}h)";

    /// <summary>READ/UPDATE RECORD P1-P2 (ISO/IEC 7816-4 §7.3.3 and EMV Book 1 §11.3): the P2 b8–b4 SFI and b3–b1 mode.</summary>
    public static (string P1, string P2) RecordReference(byte p1, byte p2)
    {
        int sfi = p2 >> 3;
        string file = sfi switch
        {
            0 => "the current EF",
            31 => "SFI 31 (RFU)",
            _ => Sfi(sfi),
        };
        string mode = (p2 & 0x07) switch
        {
            0 => p1 == 0 ? $"first record of {file}" : $"first record with identifier {p1:X2} of {file}",
            1 => p1 == 0 ? $"last record of {file}" : $"last record with identifier {p1:X2} of {file}",
            2 => p1 == 0 ? $"next record of {file}" : $"next record with identifier {p1:X2} of {file}",
            3 => p1 == 0 ? $"previous record of {file}" : $"previous record with identifier {p1:X2} of {file}",
            4 => p1 == 0 ? $"current record of {file}" : $"record {p1} of {file}",
            5 => $"all records from {p1} to the last of {file}",
            6 => $"all records from the last to {p1} of {file}",
            _ => $"record reference mode 7 (RFU), {file}",
        };
        string p1Text = (p2 & 0x07) switch
        {
            4 or 5 or 6 => p1 == 0 ? "current record" : $"record number {p1}",
            7 => "",
            _ => p1 == 0 ? "no record identifier" : $"record identifier {p1:X2}",
        };
        return (p1Text, mode);
    }

    /// <summary>READ/UPDATE BINARY P1-P2 (ISO/IEC 7816-4 §7.2.2): SFI in P1 when b8 = 1, else a 15-bit offset.</summary>
    public static (string P1, string P2) BinaryReference(byte p1, byte p2)
    {
        if ((p1 & 0x80) != 0)
        {
            int sfi = p1 & 0x1F;
            return ((p1 & 0x60) != 0
                ? $"SFI coding with RFU bits set; {Sfi(sfi)}"
                : $"{Sfi(sfi)} (file 00{sfi:X2})", $"offset {p2}");
        }

        int offset = (p1 << 8) | p2;
        return ("offset high byte, current EF", $"offset {offset} in the current EF");
    }

    /// <summary>PBOC amounts: 4-byte big-endian fen ("100 = 1.00"); 6-byte n12 BCD for EC balances.</summary>
    public static string Amount(ReadOnlySpan<byte> value)
    {
        long fen;
        if (value.Length == 4)
        {
            fen = BinaryPrimitives.ReadUInt32BigEndian(value);
        }
        else if (value.Length == 6 && Bcd.TryToNumber(value, out long bcd))
        {
            fen = bcd;
        }
        else
        {
            return "";
        }

        return string.Create(CultureInfo.InvariantCulture, $"{fen} = {fen / 100}.{fen % 100:D2}");
    }

    public static string Unsigned(ReadOnlySpan<byte> value)
    {
        if (value.Length is 0 or > 4)
        {
            return "";
        }

        uint n = 0;
        foreach (byte b in value)
        {
            n = (n << 8) | b;
        }

        return string.Create(CultureInfo.InvariantCulture, $"{n}");
    }

    /// <summary>YYYYMMDD (4), hhmmss (3) or YYYYMMDDhhmmss (7) in BCD, shown as "2024-03-15 10:20:30".</summary>
    public static string BcdDateTime(ReadOnlySpan<byte> value)
    {
        if (!TryBcdDigits(value, out string digits))
        {
            return value.Length is 3 or 4 or 7 ? "not BCD" : "";
        }

        return digits.Length switch
        {
            8 => $"{digits[..4]}-{digits[4..6]}-{digits[6..]}",
            6 => $"{digits[..2]}:{digits[2..4]}:{digits[4..]}",
            14 => $"{digits[..4]}-{digits[4..6]}-{digits[6..8]} {digits[8..10]}:{digits[10..12]}:{digits[12..]}",
            _ => "",
        };
    }

    /// <summary>Printable ASCII text, or null.</summary>
    public static string? Ascii(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return null;
        }

        foreach (byte b in value)
        {
            if (b is < 0x20 or > 0x7E)
            {
                return null;
            }
        }

        return Encoding.ASCII.GetString(value);
    }

    /// <summary>Names for DF names and AIDs the kernels select (NOTES A.1, B.1, C.1, D.1).</summary>
    public static string? DfName(ReadOnlySpan<byte> name) => Hex.Encode(name) switch
    {
        "315041592E5359532E4444463031" => "PSE \"1PAY.SYS.DDF01\"",
        "325041592E5359532E4444463031" => "PPSE \"2PAY.SYS.DDF01\"",
        "7378312E73682EC9E7BBE1B1A3D5CF" => "social security SSSE \"sx1.sh.社会保障\"",
        "A000000333010101" => "UnionPay debit",
        "A000000333010102" => "UnionPay credit",
        "A000000333010103" => "UnionPay quasi-credit",
        "A000000333010106" => "UnionPay electronic cash",
        "A000000632010105" => "T-Union electronic purse (JT/T 978)",
        "A00000000386980701" => "MOHURD interoperable city card",
        "A000000003000000" => "GlobalPlatform issuer security domain (Visa RID)",
        "A000000151000000" => "GlobalPlatform issuer security domain",
        _ => name.StartsWith((ReadOnlySpan<byte>)[0xA0, 0x00, 0x00, 0x03, 0x33]) ? "UnionPay RID A000000333" : null,
    };

    /// <summary>A few data objects read with GET DATA or written with PUT DATA (NOTES A.2 list, GlobalPlatform).</summary>
    public static string? WellKnownTagName(uint tag) => tag switch
    {
        0x9F13 => "last online ATC register",
        0x9F17 => "PIN try counter",
        0x9F36 => "application transaction counter",
        0x9F4F => "log format",
        0xDF4F => "load log format (PBOC)",
        0x9F79 => "EC balance",
        0x9F77 => "EC balance limit",
        0x9F78 => "EC single transaction limit",
        0x9F6D => "EC reset threshold",
        0x9F5D => "available offline spending amount",
        0x9F6B => "card CVM limit",
        0x9F7F => "card production life cycle (CPLC)",
        0x66 => "card data (GlobalPlatform)",
        0xE0 => "key information template (GlobalPlatform)",
        0x42 => "issuer identification number (GlobalPlatform)",
        0x45 => "card image number (GlobalPlatform)",
        0xCF => "key diversification data (GlobalPlatform)",
        _ => null,
    };

    public static uint TagFromP1P2(byte p1, byte p2) => p1 == 0 ? p2 : (uint)((p1 << 8) | p2);


    private static bool TryBcdDigits(ReadOnlySpan<byte> value, out string digits)
    {
        digits = Hex.Encode(value);
        foreach (char c in digits)
        {
            if (c > '9')
            {
                return false;
            }
        }

        return true;
    }
}
