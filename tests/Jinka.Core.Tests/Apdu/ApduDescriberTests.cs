using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class ApduDescriberTests
{
    private static readonly string Zeros48 = new('0', 96);

    private const string Cdol1Data = "000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "240101" + "00" + "12345678";

    private static ApduDescription Describe(string hex) => ApduDescriber.Describe(CommandApdu.Parse(Hex.Parse(hex)));

    private static string Meaning(ApduDescription description, string field)
    {
        var found = description[field];
        Assert.True(found.HasValue, $"no field '{field}' in:\n{description}");
        return found.Value.Meaning;
    }

    private static string Value(ApduDescription description, string field)
    {
        var found = description[field];
        Assert.True(found.HasValue, $"no field '{field}' in:\n{description}");
        return found.Value.Value;
    }

    public static TheoryData<string, string, string, string> RealCommands => new()
    {
        { "SELECT PSE (NOTES A.2)", "00A404000E315041592E5359532E444446303100", "SELECT", "ISO/IEC 7816-4" },
        { "SELECT UnionPay debit AID", "00A4040008A00000033301010100", "SELECT", "ISO/IEC 7816-4" },
        { "READ RECORD 1 of SFI 1", "00B2010C00", "READ RECORD", "ISO/IEC 7816-4" },
        { "GET PROCESSING OPTIONS with PDOL data", "80A80000048302015600", "GET PROCESSING OPTIONS", "EMV" },
        { "1st GENERATE AC asking ARQC", "80AE80001D" + Cdol1Data + "00", "GENERATE AC (ARQC)", "EMV" },
        { "GENERATE AC asking ARQC with CDA", "80AE90001D" + Cdol1Data + "00", "GENERATE AC (ARQC + CDA)", "EMV" },
        { "2nd GENERATE AC asking TC", "80AE40001F3030" + Cdol1Data + "00", "GENERATE AC (TC)", "EMV" },
        { "GENERATE AC asking AAC", "80AE0000023030" + "00", "GENERATE AC (AAC)", "EMV" },
        { "GET DATA EC balance", "80CA9F7900", "GET DATA tag 9F79 (EC balance)", "EMV" },
        { "GET DATA ATC", "80CA9F3600", "GET DATA tag 9F36 (application transaction counter)", "EMV" },
        { "PUT DATA EC balance by script (NOTES A.5)", "04DA9F790A000000010000AABBCCDD", "PUT DATA tag 9F79 (EC balance)", "EMV" },
        { "VERIFY plaintext offline PIN", "0020008008241234FFFFFFFFFF", "VERIFY (plaintext PIN)", "EMV" },
        { "VERIFY enciphered PIN", "0020008808" + "1122334455667788", "VERIFY (enciphered PIN)", "EMV" },
        { "issuer authentication ARPC ‖ ARC", "008200000A11223344556677883030", "EXTERNAL AUTHENTICATE (issuer authentication)", "EMV" },
        { "INTERNAL AUTHENTICATE (DDA)", "00880000041122334400", "INTERNAL AUTHENTICATE", "ISO/IEC 7816-4" },
        { "GET CHALLENGE", "0084000008", "GET CHALLENGE", "ISO/IEC 7816-4" },
        { "GET RESPONSE", "00C000001A", "GET RESPONSE", "ISO/IEC 7816-4" },
        { "APPLICATION BLOCK script", "841E000004AABBCCDD", "APPLICATION BLOCK", "EMV" },
        { "APPLICATION UNBLOCK script", "8418000004AABBCCDD", "APPLICATION UNBLOCK", "EMV" },
        { "CARD BLOCK script", "8416000004AABBCCDD", "CARD BLOCK", "EMV" },
        { "PIN CHANGE/UNBLOCK script", "8424000004AABBCCDD", "PIN CHANGE/UNBLOCK", "EMV" },
        { "UPDATE RECORD script", "04DC010C0A112233445566AABBCCDD", "UPDATE RECORD", "ISO/IEC 7816-4" },
        { "READ BINARY 0015 by SFI (NOTES B.2)", "00B095001E", "READ BINARY", "ISO/IEC 7816-4" },
        { "GP INITIALIZE UPDATE (NOTES D.2)", "8050000008112233445566778800", "INITIALIZE UPDATE", "GlobalPlatform" },
        { "GP EXTERNAL AUTHENTICATE, C-MAC", "848201001011223344556677889900AABBCCDDEEFF", "EXTERNAL AUTHENTICATE (secure channel)", "GlobalPlatform" },
        { "STORE DATA last block (NOTES D.4)", "80E280000B01010870065A0412345678", "STORE DATA", "GlobalPlatform" },
        { "INSTALL for install and make selectable", "80E60C002007A000000333010108A00000033301010008A000000333010101010002C90000", "INSTALL [for install and make selectable]", "GlobalPlatform" },
        { "INSTALL for personalization", "80E620000E000008A000000333010101000000", "INSTALL [for personalization]", "GlobalPlatform" },
        { "DELETE an applet", "80E40000094F07A0000003330101", "DELETE", "GlobalPlatform" },
        { "GET STATUS of applications", "80F24002024F0000", "GET STATUS", "GlobalPlatform" },
        { "PUT KEY", "80D8018117018010" + "00112233445566778899AABBCCDDEEFF" + "03A1B2C3", "PUT KEY", "GlobalPlatform" },
        { "SET STATUS card SECURED", "80F0800F", "SET STATUS", "GlobalPlatform" },
        { "INITIALIZE FOR PURCHASE, EP (W1 values)", "805001020B01000010000011223344550F", "INITIALIZE FOR PURCHASE", "PBOC ED/EP" },
        { "INITIALIZE FOR CAPP PURCHASE", "805003020B01000010000011223344550F", "INITIALIZE FOR CAPP PURCHASE", "PBOC ED/EP" },
        { "INITIALIZE FOR LOAD, ED", "805000010B010000100000112233445510", "INITIALIZE FOR LOAD", "PBOC ED/EP" },
        { "CREDIT FOR LOAD", "805200000B201202291351001122334404", "CREDIT FOR LOAD", "PBOC ED/EP" },
        { "DEBIT FOR PURCHASE (W1 values)", "805401000F0000000120120229135100F15CAB7508", "DEBIT FOR PURCHASE / CAPP PURCHASE", "PBOC ED/EP" },
        { "GET BALANCE, EP", "805C000204", "GET BALANCE", "PBOC ED/EP" },
        { "GET TRANSACTION PROVE for a CAPP purchase", "805A000902000508", "GET TRANSACTION PROVE", "PBOC ED/EP" },
        { "UPDATE CAPP DATA CACHE, cyclic 1E", "80DC00F030" + Zeros48, "UPDATE CAPP DATA CACHE", "PBOC ED/EP" },
        { "READ CAPP DATA", "80B402D000", "READ CAPP DATA", "PBOC ED/EP" },
        { "PSAM INIT SAM FOR PURCHASE, two diversifiers", "807000002411223344000000001000062012022913510001001122334455667788010203040506070808", "INIT SAM FOR PURCHASE (MAC1)", "PSAM" },
        { "PSAM CREDIT SAM FOR PURCHASE", "807200000456988A13", "CREDIT SAM FOR PURCHASE (verify MAC2)", "PSAM" },
        { "PSAM INIT FOR DESCRYPT", "801A44011011223344556677880102030405060708", "INIT FOR DESCRYPT (load a diversified key)", "PSAM" },
        { "PSAM DES CRYPT, MAC", "80FA0500100000000000000000112233445566778808", "DES CRYPT", "PSAM" },
        { "MANAGE CHANNEL open (CLA 00, INS 70)", "0070000001", "MANAGE CHANNEL (open)", "ISO/IEC 7816-4" },
        { "APPEND RECORD (CLA 00, INS E2)", "00E2000003AABBCC", "APPEND RECORD", "ISO/IEC 7816-4" },
        { "PC/SC reader GET DATA UID", "FFCA000000", "GET DATA (reader: card UID)", "PC/SC" },
    };

    [Theory]
    [MemberData(nameof(RealCommands))]
    public void Real_commands_are_named(string description, string hex, string name, string standard)
    {
        var described = Describe(hex);
        Assert.True(name == described.Name, $"{description}: got '{described.Name}'");
        Assert.Equal(standard, described.Standard);
        Assert.True(described.IsKnown);
        Assert.Equal(name, Meaning(described, "INS"));
    }

    [Fact]
    public void Fields_come_in_wire_order_with_the_raw_values()
    {
        var d = Describe("00A404000E315041592E5359532E444446303100");
        Assert.Equal(new[] { "CLA", "INS", "P1", "P2", "Lc", "Data", "Le" }, d.Fields.Select(f => f.Name));
        Assert.Equal(new[] { "00", "A4", "04", "00", "0E", "315041592E5359532E4444463031", "00" }, d.Fields.Select(f => f.Value));
        Assert.Equal("select by DF name (AID)", Meaning(d, "P1"));
        Assert.Equal("first or only occurrence, return FCI", Meaning(d, "P2"));
        Assert.Equal("14 bytes", Meaning(d, "Lc"));
        Assert.Equal("PSE \"1PAY.SYS.DDF01\"", Meaning(d, "Data"));
        Assert.Equal("up to 256 bytes", Meaning(d, "Le"));
        Assert.StartsWith("SELECT\n  CLA 00: interindustry class", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Select_next_occurrence_and_unknown_names()
    {
        var d = Describe("00A4040207A000000333010100");
        Assert.Equal("next occurrence, return FCI", Meaning(d, "P2"));
        Assert.Equal("UnionPay RID A000000333", Meaning(d, "Data"));
        Assert.Equal("DF name \"HELLO\"", Meaning(Describe("00A404000548454C4C4F00"), "Data"));
        Assert.Equal("file identifier EF05", Meaning(Describe("00A4020002EF05"), "Data"));
    }

    [Theory]
    [InlineData("EMV record reference", "00B2010C00", "record number 1", "record 1 of SFI 1")]
    [InlineData("transit purse log, SFI 18h (NOTES B.2)", "00B201C417", "record number 1", "record 1 of SFI 24 (18h)")]
    [InlineData("social security item by SFI 5 (NOTES C.2)", "00B2072C0B", "record number 7", "record 7 of SFI 5")]
    [InlineData("social security item by identifier in the current EF", "00B2070000", "record identifier 07", "first record with identifier 07 of the current EF")]
    [InlineData("all records from 2", "00B2020D00", "record number 2", "all records from 2 to the last of SFI 1")]
    public void Read_record_P1_P2_are_explained(string description, string hex, string p1, string p2)
    {
        var d = Describe(hex);
        Assert.True(p1 == Meaning(d, "P1"), description);
        Assert.Equal(p2, Meaning(d, "P2"));
    }

    [Theory]
    [InlineData("SFI in P1 (NOTES B.5 PSAM terminal ID)", "00B0960006", "SFI 22 (16h) (file 0016)", "offset 0")]
    [InlineData("15-bit offset", "00B0010410", "offset high byte, current EF", "offset 260 in the current EF")]
    public void Read_binary_P1_P2_are_explained(string description, string hex, string p1, string p2)
    {
        var d = Describe(hex);
        Assert.True(p1 == Meaning(d, "P1"), description);
        Assert.Equal(p2, Meaning(d, "P2"));
    }

    [Fact]
    public void Gpo_shows_the_pdol_data_inside_template_83()
    {
        Assert.Equal("0156", Value(Describe("80A80000048302015600"), "PDOL data"));
        Assert.Equal("empty (the card has no PDOL)", Meaning(Describe("80A8000002830000"), "PDOL data"));
        Assert.Equal("expected command template 83 with the PDOL data", Meaning(Describe("80A80000027001" + "00"), "Data"));
    }

    [Fact]
    public void Generate_ac_P1_is_decoded()
    {
        Assert.Equal("ARQC requested (go online), CDA signature requested", Meaning(Describe("80AE9000023030" + "00"), "P1"));
        Assert.Equal("TC requested (approve offline)", Meaning(Describe("80AE4000023030" + "00"), "P1"));
        Assert.Equal("GENERATE AC (RFU cryptogram type)", Describe("80AEC000023030" + "00").Name);
    }

    [Fact]
    public void Put_data_by_script_splits_value_and_mac()
    {
        var d = Describe("04DA9F790A000000010000AABBCCDD");
        Assert.Contains("proprietary secure messaging", Meaning(d, "CLA"), StringComparison.Ordinal);
        Assert.Equal("000000010000", Value(d, "amount"));
        Assert.Equal("10000 = 100.00", Meaning(d, "amount"));
        Assert.Equal("AABBCCDD", Value(d, "MAC"));
    }

    [Fact]
    public void Get_data_uses_the_callers_tag_names_first()
    {
        var command = CommandApdu.Parse(Hex.Parse("80CA9F1700"));
        Assert.Equal("GET DATA tag 9F17 (PIN try counter)", ApduDescriber.Describe(command).Name);
        Assert.Equal("GET DATA tag 9F17 (PTC)", ApduDescriber.Describe(command, tag => tag == 0x9F17 ? "PTC" : null).Name);
        Assert.Equal("GET DATA tag DF62", Describe("80CADF6200").Name);
        Assert.Equal("one-byte tag", Meaning(Describe("80CA006600"), "P1"));
        Assert.Equal("GET DATA tag 66 (card data (GlobalPlatform))", Describe("80CA006600").Name);
    }

    [Fact]
    public void Verify_never_shows_the_pin()
    {
        var d = Describe("0020008008241234FFFFFFFFFF");
        Assert.DoesNotContain("1234", d.ToString(), StringComparison.Ordinal);
        Assert.Equal("(8 bytes, not shown)", Value(d, "Data"));
        Assert.Contains("63Cx", Meaning(Describe("00200080"), "P2"), StringComparison.Ordinal);
    }

    [Fact]
    public void Issuer_authentication_shows_arpc_and_arc()
    {
        var d = Describe("008200000A11223344556677883030");
        Assert.Equal("1122334455667788", Value(d, "ARPC"));
        Assert.Equal("authorisation response code \"00\"", Meaning(d, "ARC"));
    }

    [Fact]
    public void Gp_external_authenticate_decodes_the_security_level()
    {
        Assert.Equal("security level: C-MAC + C-DECRYPTION", Meaning(Describe("848203001011223344556677889900AABBCCDDEEFF"), "P1"));
        Assert.Equal("security level: no secure messaging", Meaning(Describe("848200001011223344556677889900AABBCCDDEEFF"), "P1"));
        Assert.Equal("9900AABBCCDDEEFF", Value(Describe("848201001011223344556677889900AABBCCDDEEFF"), "C-MAC"));
    }

    [Theory]
    [InlineData("last block, plain", "80E280000B01010870065A0412345678", "last block, no encryption information, no structure information", "block number 0")]
    [InlineData("encrypted DGI block 3, more to come", "80E260030B80000811223344556677 88", "more blocks follow, encrypted data (DEK), no structure information", "block number 3")]
    [InlineData("last, encrypted, DGI format", "80E2E8000B80000811223344556677 88", "last block, encrypted data (DEK), DGI format", "block number 0")]
    public void Store_data_P1_and_P2_are_decoded(string description, string hex, string p1, string p2)
    {
        var d = Describe(hex.Replace(" ", "", StringComparison.Ordinal));
        Assert.True(p1 == Meaning(d, "P1"), description);
        Assert.Equal(p2, Meaning(d, "P2"));
    }

    [Fact]
    public void Store_data_lists_the_dgis_it_carries()
    {
        var d = Describe("80E2800017" + "0101" + "08" + "70065A0412345678" + "9000" + "09" + "112233445566778899");
        Assert.Equal("70065A0412345678", Value(d, "DGI 0101"));
        Assert.Equal("112233445566778899", Value(d, "DGI 9000"));
        Assert.Equal("DGIs (EMV CPS)", Meaning(d, "Data"));

        var longForm = Describe("80E2000008" + "0201" + "FF0003" + "AABBCC");
        Assert.Equal("AABBCC", Value(longForm, "DGI 0201"));

        var continuation = Describe("80E2000104" + "11223344");
        Assert.StartsWith("data (not a whole number of DGIs", Meaning(continuation, "Data"), StringComparison.Ordinal);
    }

    [Fact]
    public void Install_splits_its_lv_fields()
    {
        var d = Describe("80E60C002007A000000333010108A00000033301010008A000000333010101010002C90000");
        Assert.Equal("A000000333010101", Value(d, "application AID"));
        Assert.Equal("UnionPay debit", Meaning(d, "application AID"));
        Assert.Equal("C900", Value(d, "install parameters"));
        Assert.Equal("absent", Meaning(d, "install token"));
        Assert.Equal("A000000333010101", Value(Describe("80E620000E000008A000000333010101000000"), "application AID"));
    }

    [Fact]
    public void Delete_get_status_put_key_and_set_status_parameters()
    {
        Assert.Equal("A0000003330101", Value(Describe("80E40000094F07A0000003330101"), "AID"));
        Assert.Equal("delete the object and related objects", Meaning(Describe("80E40080094F07A0000003330101"), "P2"));
        var status = Describe("80F24002024F0000");
        Assert.Equal("applications and supplementary security domains", Meaning(status, "P1"));
        Assert.Equal("first or all occurrences, TLV response format", Meaning(status, "P2"));
        Assert.Equal("search criteria 4F00: all AIDs", Meaning(status, "Data"));
        var putKey = Describe("80D8018117018010" + "00112233445566778899AABBCCDDEEFF" + "03A1B2C3");
        Assert.Equal("replace key set version 01", Meaning(putKey, "P1"));
        Assert.Equal("key identifier 01, several keys", Meaning(putKey, "P2"));
        Assert.Equal("SECURED", Meaning(Describe("80F0800F"), "P2"));
        Assert.Equal("for install and make selectable; more INSTALL commands follow", Meaning(Describe("80E68C0000"), "P1"));
    }

    [Fact]
    public void Purse_initialize_splits_key_index_amount_and_terminal()
    {
        var d = Describe("805001020B01000010000011223344550F");
        Assert.Equal("purchase", Meaning(d, "P1"));
        Assert.Equal("electronic purse (EP)", Meaning(d, "P2"));
        Assert.Equal("01", Value(d, "key index"));
        Assert.Equal("4096 = 40.96", Meaning(d, "amount"));
        Assert.Equal("001122334455", Value(d, "terminal ID"));
        Assert.Equal("electronic deposit (ED)", Meaning(Describe("805000010B010000100000112233445510"), "P2"));
    }

    [Fact]
    public void Initialize_80_50_names_both_readings_when_the_parameters_fit_neither()
    {
        var neither = Describe("805000000B010000100000112233445510");
        Assert.Equal("INITIALIZE UPDATE (GlobalPlatform) or INITIALIZE FOR LOAD (PBOC ED/EP)", neither.Name);
        Assert.Equal("GlobalPlatform or PBOC ED/EP", neither.Standard);
        Assert.Equal("GP: key version number 00; ED/EP: load", Meaning(neither, "P1"));

        var shortChallenge = Describe("8050010108112233445566778800");
        Assert.Equal("INITIALIZE UPDATE (GlobalPlatform) or INITIALIZE FOR PURCHASE (PBOC ED/EP)", shortChallenge.Name);

        Assert.Equal("INITIALIZE UPDATE", Describe("8050200008112233445566778800").Name);
        Assert.Equal("key version number 20", Meaning(Describe("8050200008112233445566778800"), "P1"));
    }

    [Fact]
    public void Debit_and_psam_commands_split_their_data()
    {
        var debit = Describe("805401000F0000000120120229135100F15CAB7508");
        Assert.Equal("1", Meaning(debit, "terminal transaction serial"));
        Assert.Equal("2012-02-29", Meaning(debit, "date"));
        Assert.Equal("13:51:00", Meaning(debit, "time"));
        Assert.Equal("F15CAB75", Value(debit, "MAC1"));

        var sam = Describe("807000002411223344000000001000062012022913510001001122334455667788010203040506070808");
        Assert.Equal("2012-02-29 13:51:00", Meaning(sam, "date and time"));
        Assert.Equal("1122334455667788", Value(sam, "card ASN"));
        Assert.Equal("0102030405060708", Value(sam, "issuer ID"));

        var oneLevel = Describe("807000001C11223344000000001000062012022913510001001122334455667788" + "08");
        Assert.Equal("1122334455667788", Value(oneLevel, "card ASN"));
        Assert.Null(oneLevel["issuer ID"]);

        Assert.Equal("transaction type 09 (CAPP purchase)", Meaning(Describe("805A000902000508"), "P2"));
        Assert.Equal("key usage 44 (TAC key)", Meaning(Describe("801A44011011223344556677880102030405060708"), "P1"));
    }

    [Fact]
    public void Capp_cache_update_names_record_and_sfi()
    {
        var d = Describe("80DC02D003AABBCC");
        Assert.Equal("record 02", Meaning(d, "P1"));
        Assert.Equal("SFI 26 (1Ah)", Meaning(d, "P2"));
        Assert.Equal("record 00 (the new record of a cyclic file)", Meaning(Describe("80DC00F003AABBCC"), "P1"));
        Assert.Equal("UPDATE RECORD", Describe("84DC01D407AABBCC11223344").Name);
    }

    [Theory]
    [InlineData("proprietary class with MAC", "841E000004AABBCCDD", "proprietary class (EMV, GlobalPlatform, PBOC), logical channel 0, proprietary secure messaging (EMV/PBOC script MAC, GlobalPlatform C-MAC)")]
    [InlineData("ISO SM, header authenticated", "0CB2010C00", "interindustry class, logical channel 0, secure messaging, header authenticated (ISO/IEC 7816-4 §6)")]
    [InlineData("further interindustry channel 5", "41B2010C00", "interindustry class, logical channel 5, no secure messaging")]
    [InlineData("command chaining", "10E2000003AABBCC", "interindustry class, logical channel 0, no secure messaging, command chaining: more commands follow")]
    [InlineData("GSM class A0", "A0A40000023F00", "proprietary class (EMV, GlobalPlatform, PBOC), channel and secure messaging not coded")]
    public void The_class_byte_is_explained(string description, string hex, string meaning)
        => Assert.True(meaning == Meaning(Describe(hex), "CLA"), description);

    [Theory]
    [InlineData("proprietary INS with no known meaning", "80990000", "unknown command (INS 6X and 9X are invalid: T=0 uses them as procedure bytes)")]
    [InlineData("interindustry INS with no known meaning", "0012000000", "unknown command")]
    [InlineData("GP LOAD INS with an interindustry class", "00E8000000", "unknown command")]
    public void Unknown_commands_keep_their_raw_fields(string description, string hex, string insMeaning)
    {
        var d = Describe(hex);
        Assert.False(d.IsKnown, description);
        Assert.Equal("unknown command", d.Name);
        Assert.Equal(insMeaning, Meaning(d, "INS"));
        Assert.Equal(hex[2..4], Value(d, "INS"));
        Assert.Equal(hex[4..6], Value(d, "P1"));
    }

    [Fact]
    public void Extended_lengths_show_in_the_lc_and_le_fields()
    {
        var d = ApduDescriber.Describe(new CommandApdu(0x80, 0xE2, 0x80, 0x00, new byte[300], 65536));
        Assert.Equal("00012C", Value(d, "Lc"));
        Assert.Equal("300 bytes", Meaning(d, "Lc"));
        Assert.Equal("0000", Value(d, "Le"));
        Assert.Equal("up to 65536 bytes", Meaning(d, "Le"));
        Assert.Equal("000101", Value(ApduDescriber.Describe(new CommandApdu(0x00, 0xB0, 0x00, 0x00, ne: 257)), "Le"));
    }

    [Fact]
    public void Every_instruction_with_every_class_kind_is_described_without_throwing()
    {
        byte[] classes = [0x00, 0x04, 0x0C, 0x43, 0x80, 0x84, 0xA0, 0xE5, 0xFF];
        byte[][] bodies = [[], [0x00], [0x01, 0xAA], [0x0B, .. new byte[11], 0x10], [0x02, 0x4F, 0x00, 0x00], [0x03, 0x83, 0x81, 0x05, 0x00]];
        foreach (byte cla in classes)
        {
            for (int ins = 0; ins < 256; ins++)
            {
                foreach (byte p in new byte[] { 0x00, 0x04, 0x80, 0xFF })
                {
                    foreach (var body in bodies)
                    {
                        var command = CommandApdu.Parse([cla, (byte)ins, p, (byte)(p ^ 0x0C), .. body]);
                        var d = ApduDescriber.Describe(command);
                        Assert.False(string.IsNullOrEmpty(d.Name));
                        Assert.Equal("CLA", d.Fields[0].Name);
                    }
                }
            }
        }
    }
}
