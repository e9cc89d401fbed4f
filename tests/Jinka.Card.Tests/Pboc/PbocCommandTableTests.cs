using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>
/// The state machine (contract P5–P9, STYLE "Card applications as explicit state machines"): exact status words for
/// commands out of phase and for hostile input; none of them may reach the OS's 6F00.
/// </summary>
public class PbocCommandTableTests
{
    /// <summary>Where the card is when the command arrives.</summary>
    public enum Stage
    {
        Selected,
        AfterGpo,
        AfterArqc,
        AfterIssuerAuthentication,
        AfterSecondGac,
        AfterOfflineTc,
    }

    private static readonly Txn s_txn = new();

    private static string Cdol1Hex => Hex.Encode(PbocTestIssuer.Cdol1Data(s_txn));

    private static string Cdol2Hex => Hex.Encode(PbocTestIssuer.Cdol2Data(s_txn));

    /// <summary>80 AE P1 P2 Lc data 00 with Lc counted.</summary>
    private static string Gac(string p1, string dataHex, string p2 = "00")
        => "80AE" + p1 + p2 + (dataHex.Length / 2).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + dataHex + "00";

    private static PbocTerminal At(Stage stage, SuiteId suite = SuiteId.International)
    {
        // Not a new card, so an offline TC is possible.
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)) { LastOnlineAtc = "0001" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        Assert.Equal("9000", terminal.Select().StatusWord.ToString());
        if (stage == Stage.Selected)
        {
            return terminal;
        }

        Assert.Equal("9000", terminal.Gpo(s_txn).StatusWord.ToString());
        switch (stage)
        {
            case Stage.AfterGpo:
                return terminal;
            case Stage.AfterOfflineTc:
                Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, s_txn).Type);
                return terminal;
        }

        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, s_txn).Type);
        if (stage == Stage.AfterArqc)
        {
            return terminal;
        }

        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        if (stage == Stage.AfterSecondGac)
        {
            terminal.SecondAc(CryptogramType.Tc, s_txn);
        }

        return terminal;
    }

    public static TheoryData<Stage, string, string, string> OutOfPhase => new()
    {
        { Stage.Selected, Gac("40", Cdol1Hex), "6985", "GENERATE AC before GPO" },
        { Stage.Selected, Gac("40", Cdol2Hex), "6985", "a second GENERATE AC without a first (no GPO)" },
        { Stage.Selected, "008200000A00112233445566773030", "6985", "EXTERNAL AUTHENTICATE before any ARQC" },
        { Stage.Selected, "0020008008241234FFFFFFFFFF", "6985", "VERIFY before GPO" },
        { Stage.Selected, "0088000004CAFEBABE00", "6985", "INTERNAL AUTHENTICATE before GPO" },
        { Stage.Selected, "841E000004AABBCCDD", "6985", "script before GENERATE AC" },
        { Stage.Selected, "80E2800005800003AABBCC", "6985", "STORE DATA after personalisation" },
        { Stage.AfterGpo, "80A8000003830100" + "00", "6985", "GPO twice" },
        { Stage.AfterGpo, Gac("40", Cdol2Hex), "6700", "CDOL2 data for the first GENERATE AC" },
        { Stage.AfterGpo, "008200000A00112233445566773030", "6985", "EXTERNAL AUTHENTICATE before the ARQC" },
        { Stage.AfterGpo, "84240000" + "04AABBCCDD", "6985", "script after GPO, before GENERATE AC" },
        { Stage.AfterArqc, Gac("80", Cdol2Hex), "6A86", "second GENERATE AC asking ARQC" },
        { Stage.AfterArqc, Gac("40", Cdol1Hex), "6700", "CDOL1 data for the second GENERATE AC" },
        { Stage.AfterArqc, "0020008008241234FFFFFFFFFF", "6985", "VERIFY after the first GENERATE AC" },
        { Stage.AfterArqc, "0088000004CAFEBABE00", "6985", "INTERNAL AUTHENTICATE after the first GENERATE AC" },
        { Stage.AfterArqc, "80A8000003830100" + "00", "6985", "GPO inside a transaction" },
        { Stage.AfterIssuerAuthentication, "008200000A00112233445566773030", "6985", "EXTERNAL AUTHENTICATE twice" },
        { Stage.AfterSecondGac, Gac("40", Cdol2Hex), "6985", "a third GENERATE AC" },
        { Stage.AfterSecondGac, "008200000A00112233445566773030", "6985", "EXTERNAL AUTHENTICATE after the second GENERATE AC" },
        { Stage.AfterOfflineTc, Gac("40", Cdol2Hex), "6985", "second GENERATE AC after an offline TC" },
        { Stage.AfterOfflineTc, "008200000A00112233445566773030", "6985", "EXTERNAL AUTHENTICATE after an offline TC" },
        { Stage.AfterOfflineTc, "841E000004AABBCCDD", "6985", "script after an offline TC (no ARQC)" },
        { Stage.AfterSecondGac, "80CA9F3600", "9000", "GET DATA in any phase" },
        { Stage.AfterArqc, "00B2011400", "9000", "READ RECORD in any phase" },
        { Stage.AfterOfflineTc, "0084000000", "9000", "GET CHALLENGE in any phase" },
    };

    [Theory]
    [MemberData(nameof(OutOfPhase))]
    public void Commands_out_of_phase_answer_exact_status_words(Stage stage, string command, string sw, string description)
        => Check.Equal(sw, At(stage).Sw(command), description);

    public static TheoryData<Stage, string, string, string> Hostile => new()
    {
        { Stage.Selected, "A0A8000002830000", "6E00", "class with RFU coding" },
        { Stage.Selected, "80FE000000", "6D00", "unknown instruction" },
        { Stage.Selected, "80A8000000", "6700", "GPO without data" },
        { Stage.Selected, "80A80100028300", "6A86", "GPO P1 01" },
        { Stage.Selected, "80A800000183", "6700", "GPO data shorter than a TLV" },
        { Stage.Selected, "80A80000028300", "6700", "GPO 83 00 but the PDOL asks for 10 bytes" },
        { Stage.Selected, "80A800000C8A0A01000000001000015601", "6A80", "GPO template 8A instead of 83" },
        { Stage.Selected, "80A800000C830B0100000000100001560100", "6700", "GPO 83 says 11 bytes, 10 follow" },
        { Stage.Selected, "80A800000D830A010000000010000156010000", "6700", "GPO bytes after the template" },
        { Stage.Selected, "80A800000D83810A01000000001000015601", "9000", "GPO with the long form 81 0A" },
        { Stage.Selected, "80A800000483FF0100", "6A80", "GPO 83 with a malformed length" },
        { Stage.Selected, "80CA9F3601AA", "6700", "GET DATA with data" },
        { Stage.Selected, "80CADF0100", "6A88", "GET DATA of an unknown tag" },
        { Stage.Selected, "80CA005A00", "6A88", "GET DATA of the PAN (not a GET DATA object)" },
        { Stage.Selected, "0084000004", "6700", "GET CHALLENGE for 4 bytes" },
        { Stage.Selected, "0084010000", "6A86", "GET CHALLENGE P1 01" },
        { Stage.Selected, "0084000000", "9000", "GET CHALLENGE Le 00" },
        { Stage.Selected, "00B2000C00", "6A86", "READ RECORD record 0" },
        { Stage.Selected, "00B201FC00", "6A86", "READ RECORD SFI 31" },
        { Stage.Selected, "00B2011C00", "6A82", "READ RECORD of an SFI the card lacks" },
        { Stage.Selected, "00B2100C00", "6A83", "READ RECORD of a record the file lacks" },
        { Stage.Selected, "00B2010C0100", "6700", "READ RECORD with data" },
        { Stage.Selected, "80E20000", "6985", "STORE DATA without data" },
        { Stage.AfterGpo, Gac("C0", Cdol1Hex), "6A86", "GENERATE AC P1 C0 (RFU type)" },
        { Stage.AfterGpo, Gac("41", Cdol1Hex), "6A86", "GENERATE AC P1 RFU bit" },
        { Stage.AfterGpo, Gac("40", Cdol1Hex, "01"), "6A86", "GENERATE AC P2 01" },
        { Stage.AfterGpo, Gac("40", Cdol1Hex[..^2]), "6700", "GENERATE AC one byte short" },
        { Stage.AfterGpo, Gac("40", Cdol1Hex + "AA"), "6700", "GENERATE AC one byte long" },
        { Stage.AfterGpo, "80AE400000", "6700", "GENERATE AC without data" },
        { Stage.AfterGpo, Gac("40", "00000000100A" + Cdol1Hex[12..]), "6A80", "GENERATE AC amount not digits" },
        { Stage.AfterGpo, "0020008107241234FFFFFFFFFF", "6A86", "VERIFY P2 81" },
        { Stage.AfterGpo, "0020018008241234FFFFFFFFFF", "6A86", "VERIFY P1 01" },
        { Stage.AfterGpo, "0020008007241234FFFFFFFF", "6700", "VERIFY plaintext of 7 bytes" },
        { Stage.AfterGpo, "0020008008141234FFFFFFFFFF", "6A80", "VERIFY format 1 block" },
        { Stage.AfterGpo, "0020008008231234FFFFFFFFFF", "6A80", "VERIFY PIN length 3" },
        { Stage.AfterGpo, "00200080082412A4FFFFFFFFFF", "6A80", "VERIFY a non-digit" },
        { Stage.AfterGpo, "00200080082412340FFFFFFFFF", "6A80", "VERIFY filler not F" },
        { Stage.AfterGpo, "002000880400112233", "6985", "VERIFY enciphered without GET CHALLENGE" },
        { Stage.AfterGpo, "0088000000", "6700", "INTERNAL AUTHENTICATE without data" },
        { Stage.AfterGpo, "0088000104CAFEBABE00", "6A86", "INTERNAL AUTHENTICATE P2 01" },
        { Stage.AfterArqc, "0082000008AABBCCDDEEFF0011", "6700", "EXTERNAL AUTHENTICATE of 8 bytes" },
        { Stage.AfterArqc, "008200000BAABBCCDDEEFF0011223344", "6700", "EXTERNAL AUTHENTICATE of 11 bytes" },
        { Stage.AfterArqc, "008201000AAABBCCDDEEFF00113030", "6A86", "EXTERNAL AUTHENTICATE P1 01" },
        { Stage.AfterArqc, "841E000000", "6987", "script without a MAC" },
        { Stage.AfterArqc, "841E010004AABBCCDD", "6A86", "APPLICATION BLOCK P1 01" },
        { Stage.AfterArqc, "841E000004AABBCCDD", "6988", "APPLICATION BLOCK, wrong MAC" },
        { Stage.AfterArqc, "84240003" + "04AABBCCDD", "6A86", "PIN CHANGE P2 03" },
        { Stage.AfterArqc, "04DC0004" + "04AABBCCDD", "6A86", "UPDATE RECORD record 0" },
        { Stage.AfterArqc, "04DC010D" + "04AABBCCDD", "6A86", "UPDATE RECORD by record identifier" },
        { Stage.AfterArqc, "801E000000", "6982", "APPLICATION BLOCK without secure messaging" },
        { Stage.AfterArqc, "80AE400000", "6700", "second GENERATE AC without data" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public void Hostile_input_answers_the_right_status_word_and_never_6F00(Stage stage, string command, string sw, string description)
    {
        var terminal = At(stage);
        Check.Equal(sw, terminal.Sw(command), description);
        Assert.Null(terminal.Card.LastFault);
    }

    public static TheoryData<SuiteId, string, string> EncipheredGarbage => new()
    {
        { SuiteId.International, new string('F', 256), "128 bytes of FF: not below the modulus" },
        { SuiteId.International, new string('1', 254), "127 bytes: shorter than the modulus" },
        { SuiteId.International, "00" + new string('1', 254), "128 bytes that do not decipher to 7F" },
        { SuiteId.International, "01", "one byte" },
        { SuiteId.Sm, "04" + new string('A', 224), "C1 off the curve" },
        { SuiteId.Sm, new string('0', 226), "113 zero bytes" },
        { SuiteId.Sm, "0102", "two bytes" },
        { SuiteId.Sm, new string('3', 500), "250 bytes" },
    };

    [Theory]
    [MemberData(nameof(EncipheredGarbage))]
    public void Enciphered_pin_garbage_is_6A80_and_costs_no_try(SuiteId suite, string data, string description)
    {
        var terminal = At(Stage.AfterGpo, suite);
        Assert.Equal("9000", terminal.Sw("0084000000"));
        Check.Equal("6A80", terminal.Sw(ApduCommands.Verify(Hex.Parse(data), PinFormat.Enciphered)), description);
        Assert.Equal(3u, terminal.Card.Cell("pin/tries"));
        Assert.Null(terminal.Card.LastFault);
    }

    [Theory]
    [InlineData(Stage.Selected, SuiteId.International)]
    [InlineData(Stage.AfterGpo, SuiteId.International)]
    [InlineData(Stage.AfterArqc, SuiteId.International)]
    [InlineData(Stage.AfterSecondGac, SuiteId.International)]
    [InlineData(Stage.AfterGpo, SuiteId.Sm)]
    [InlineData(Stage.AfterArqc, SuiteId.Sm)]
    public void Random_commands_in_every_phase_never_fault_the_card(Stage stage, SuiteId suite)
    {
        var terminal = At(stage, suite);
        var random = new Random(20240601 + (int)stage);
        byte[] classes = [0x00, 0x80, 0x84, 0x04, 0x0C, 0x8C];
        byte[] instructions = [0xA8, 0xAE, 0x88, 0x82, 0x20, 0x84, 0xCA, 0xB2, 0xE2, 0x1E, 0x18, 0x16, 0x24, 0xDA, 0xDC, 0xA4];
        for (int i = 0; i < 400; i++)
        {
            byte ins = instructions[random.Next(instructions.Length)];
            byte p1 = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)(random.Next(2) * 0x40);
            byte p2 = random.Next(3) == 0 ? (byte)random.Next(256) : (byte)0x00;
            var data = new byte[random.Next(3) == 0 ? random.Next(0, 256) : random.Next(0, 60)];
            random.NextBytes(data);
            if (data.Length > 0 && random.Next(2) == 0)
            {
                data[0] = 0x83;
            }

            var command = new CommandApdu(classes[random.Next(classes.Length)], ins, p1, p2, data, random.Next(2) == 0 ? 0 : 256);
            var response = terminal.Send(command);
            Assert.True(response.StatusWord != StatusWord.NoPreciseDiagnosis, $"{command}: {terminal.Card.LastFault}");
            if (ins == 0xA4 && random.Next(4) == 0)
            {
                terminal.Select();
            }
        }

        Assert.Null(terminal.Card.LastFault);
    }
}
