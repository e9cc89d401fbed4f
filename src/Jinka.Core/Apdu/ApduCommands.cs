namespace Jinka.Core.Apdu;

/// <summary>Which occurrence SELECT by name returns (ISO/IEC 7816-4 §7.1.1 P2 b2–b1; EMV Book 1 §11.3.2).</summary>
public enum SelectOccurrence : byte
{
    First = 0x00,
    Next = 0x02,
}

/// <summary>Cryptogram requested by GENERATE AC (EMV Book 3 §6.5.5, P1 b8–b7).</summary>
public enum CryptogramType : byte
{
    Aac = 0x00,
    Tc = 0x40,
    Arqc = 0x80,
}

/// <summary>How VERIFY carries the PIN (EMV Book 3 §6.5.12, P2).</summary>
public enum PinFormat : byte
{
    Plaintext = 0x80,
    Enciphered = 0x88,
}

/// <summary>Builders for the EMV/PBOC and ISO commands the kernels send (NOTES A.2).</summary>
public static class ApduCommands
{
    /// <summary>"1PAY.SYS.DDF01", the contact payment system environment.</summary>
    public static ReadOnlySpan<byte> Pse => "1PAY.SYS.DDF01"u8;

    /// <summary>"2PAY.SYS.DDF01", the contactless proximity payment system environment.</summary>
    public static ReadOnlySpan<byte> Ppse => "2PAY.SYS.DDF01"u8;

    /// <summary>00 A4 04 P2 Lc name 00: SELECT by DF name (AID or PSE), P2 = first or next occurrence.</summary>
    public static CommandApdu SelectByName(ReadOnlySpan<byte> name, SelectOccurrence occurrence = SelectOccurrence.First)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(name.Length, 1, nameof(name));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(name.Length, 16, nameof(name));
        return new CommandApdu(0x00, 0xA4, 0x04, (byte)occurrence, name, CommandApdu.MaxShortNe);
    }

    /// <summary>00 A4 P1 00 02 FID, no Le: SELECT by file identifier as PBOC-era COSes take it (P1 00 any file, 01 child DF, 02 EF; NOTES C.2).</summary>
    public static CommandApdu SelectFile(ushort fileId, byte p1 = 0x00)
        => new(0x00, 0xA4, p1, 0x00, [(byte)(fileId >> 8), (byte)fileId]);

    /// <summary>00 B2 rr (SFI&lt;&lt;3 | 4) 00: READ RECORD <paramref name="record"/> of <paramref name="sfi"/>.</summary>
    public static CommandApdu ReadRecord(int record, int sfi)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(record, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(record, 254);
        CheckSfi(sfi);
        return new CommandApdu(0x00, 0xB2, (byte)record, (byte)((sfi << 3) | 0x04), ne: CommandApdu.MaxShortNe);
    }

    /// <summary>00 B0 (80|SFI) offset Le: READ BINARY from a file named by SFI (NOTES B.2).</summary>
    public static CommandApdu ReadBinary(int sfi, int offset, int length)
    {
        CheckSfi(sfi);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, 255);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, CommandApdu.MaxShortNe);
        return new CommandApdu(0x00, 0xB0, (byte)(0x80 | sfi), (byte)offset, ne: length);
    }

    /// <summary>80 A8 00 00 Lc 83 L data 00: GET PROCESSING OPTIONS with the PDOL-related data (empty if no PDOL).</summary>
    public static CommandApdu GetProcessingOptions(ReadOnlySpan<byte> pdolData)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pdolData.Length, 252, nameof(pdolData));

        // Template 83 with a BER length: one byte below 128, else 81 L (EMV Book 3 §6.5.8).
        int header = pdolData.Length < 0x80 ? 2 : 3;
        var data = new byte[header + pdolData.Length];
        data[0] = 0x83;
        if (header == 2)
        {
            data[1] = (byte)pdolData.Length;
        }
        else
        {
            data[1] = 0x81;
            data[2] = (byte)pdolData.Length;
        }

        pdolData.CopyTo(data.AsSpan(header));
        return new CommandApdu(0x80, 0xA8, 0x00, 0x00, data, CommandApdu.MaxShortNe);
    }

    /// <summary>80 AE P1 00 Lc data 00: GENERATE AC; P1 = cryptogram type, plus 10 to request a CDA signature.</summary>
    public static CommandApdu GenerateAc(CryptogramType type, ReadOnlySpan<byte> cdolData, bool requestCda = false)
        => new(0x80, 0xAE, (byte)((byte)type | (requestCda ? 0x10 : 0x00)), 0x00, cdolData, CommandApdu.MaxShortNe);

    /// <summary>80 CA P1P2 00: GET DATA for a one- or two-byte tag.</summary>
    public static CommandApdu GetData(ushort tag)
        => new(0x80, 0xCA, (byte)(tag >> 8), (byte)tag, ne: CommandApdu.MaxShortNe);

    /// <summary>00 20 00 P2 Lc PIN: VERIFY (offline PIN); P2 80 plaintext, 88 enciphered.</summary>
    public static CommandApdu Verify(ReadOnlySpan<byte> pinData, PinFormat format = PinFormat.Plaintext)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pinData.Length, 1, nameof(pinData));
        return new CommandApdu(0x00, 0x20, 0x00, (byte)format, pinData);
    }

    /// <summary>00 88 00 00 Lc data 00: INTERNAL AUTHENTICATE with the DDOL-related data (or a random).</summary>
    public static CommandApdu InternalAuthenticate(ReadOnlySpan<byte> authenticationData)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(authenticationData.Length, 1, nameof(authenticationData));
        return new CommandApdu(0x00, 0x88, 0x00, 0x00, authenticationData, CommandApdu.MaxShortNe);
    }

    /// <summary>00 82 00 00 Lc data: EXTERNAL AUTHENTICATE, e.g. EMV issuer authentication with ARPC ‖ ARC (NOTES A.2).</summary>
    public static CommandApdu ExternalAuthenticate(ReadOnlySpan<byte> authenticationData)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(authenticationData.Length, 1, nameof(authenticationData));
        return new CommandApdu(0x00, 0x82, 0x00, 0x00, authenticationData);
    }

    /// <summary>00 84 00 00 Le: GET CHALLENGE for <paramref name="length"/> random bytes (EMV 8, PBOC purse 4).</summary>
    public static CommandApdu GetChallenge(int length = 8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, CommandApdu.MaxShortNe);
        return new CommandApdu(0x00, 0x84, 0x00, 0x00, ne: length);
    }

    /// <summary>CLA C0 00 00 Le: GET RESPONSE on <paramref name="logicalChannel"/> (interindustry CLA).</summary>
    public static CommandApdu GetResponse(int ne, int logicalChannel = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ne, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ne, CommandApdu.MaxShortNe);
        return new CommandApdu(ClassByte.ForChannel(logicalChannel), 0xC0, 0x00, 0x00, ne: ne);
    }

    private static void CheckSfi(int sfi)
    {
        if (sfi is < 1 or > 30)
        {
            throw new ArgumentOutOfRangeException(nameof(sfi), sfi, "an SFI is 1–30");
        }
    }
}
