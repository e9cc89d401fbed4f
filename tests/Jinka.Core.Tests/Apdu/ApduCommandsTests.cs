using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class ApduCommandsTests
{
    public static TheoryData<string, CommandApdu, string> Built => new()
    {
        { "SELECT PSE (NOTES A.2)", ApduCommands.SelectByName(ApduCommands.Pse), "00A404000E315041592E5359532E444446303100" },
        { "SELECT PPSE", ApduCommands.SelectByName(ApduCommands.Ppse), "00A404000E325041592E5359532E444446303100" },
        { "SELECT next occurrence of a partial AID", ApduCommands.SelectByName(Hex.Parse("A000000333"), SelectOccurrence.Next), "00A4040205A00000033300" },
        { "SELECT EF05 (NOTES C.2)", ApduCommands.SelectFile(0xEF05, 0x02), "00A4020002EF05" },
        { "READ RECORD 1 of SFI 1", ApduCommands.ReadRecord(1, 1), "00B2010C00" },
        { "READ RECORD 1 of SFI 18h (NOTES B.2)", ApduCommands.ReadRecord(1, 0x18), "00B201C400" },
        { "READ BINARY 0015 (NOTES B.2)", ApduCommands.ReadBinary(0x15, 0, 0x1E), "00B095001E" },
        { "GPO without PDOL", ApduCommands.GetProcessingOptions([]), "80A8000002830000" },
        { "GPO with PDOL data", ApduCommands.GetProcessingOptions(Hex.Parse("0156")), "80A800000483020156" + "00" },
        { "GPO with 128 bytes of PDOL data uses 83 81 80", ApduCommands.GetProcessingOptions(new byte[128]), "80A80000838381" + "80" + new string('0', 256) + "00" },
        { "GENERATE AC ARQC", ApduCommands.GenerateAc(CryptogramType.Arqc, Hex.Parse("1122")), "80AE800002112200" },
        { "GENERATE AC ARQC + CDA", ApduCommands.GenerateAc(CryptogramType.Arqc, Hex.Parse("1122"), requestCda: true), "80AE9000021122" + "00" },
        { "GENERATE AC TC", ApduCommands.GenerateAc(CryptogramType.Tc, Hex.Parse("1122")), "80AE4000021122" + "00" },
        { "GENERATE AC AAC", ApduCommands.GenerateAc(CryptogramType.Aac, Hex.Parse("1122")), "80AE0000021122" + "00" },
        { "GET DATA 9F79", ApduCommands.GetData(0x9F79), "80CA9F7900" },
        { "GET DATA one-byte tag", ApduCommands.GetData(0x66), "80CA006600" },
        { "VERIFY plaintext PIN", ApduCommands.Verify(Hex.Parse("241234FFFFFFFFFF")), "0020008008241234FFFFFFFFFF" },
        { "VERIFY enciphered PIN", ApduCommands.Verify(Hex.Parse("1122334455667788"), PinFormat.Enciphered), "00200088081122334455667788" },
        { "INTERNAL AUTHENTICATE", ApduCommands.InternalAuthenticate(Hex.Parse("11223344")), "008800000411223344" + "00" },
        { "EXTERNAL AUTHENTICATE (A.3 ARPC, ARC 3030)", ApduCommands.ExternalAuthenticate(Hex.Parse("BB4244A6AA844C523030")), "008200000ABB4244A6AA844C523030" },
        { "GET CHALLENGE, EMV", ApduCommands.GetChallenge(), "0084000008" },
        { "GET CHALLENGE, purse", ApduCommands.GetChallenge(4), "0084000004" },
        { "GET RESPONSE", ApduCommands.GetResponse(0x1A), "00C000001A" },
        { "GET RESPONSE 256 on channel 5", ApduCommands.GetResponse(256, 5), "41C0000000" },
        { "GET BALANCE EP (NOTES B.3)", PurseCommands.GetBalance(), "805C000204" },
        { "GET BALANCE ED", PurseCommands.GetBalance(PurseKind.ElectronicDeposit), "805C000104" },
        { "INITIALIZE FOR PURCHASE (W1 values)", PurseCommands.InitializeForPurchase(PurseKind.ElectronicPurse, 1, 0x1000, Hex.Parse("001122334455")), "805001020B0100001000001122334455" + "0F" },
        { "INITIALIZE FOR CAPP PURCHASE", PurseCommands.InitializeForPurchase(PurseKind.ElectronicPurse, 1, 0x1000, Hex.Parse("001122334455"), compound: true), "805003020B0100001000001122334455" + "0F" },
        { "INITIALIZE FOR LOAD", PurseCommands.InitializeForLoad(PurseKind.ElectronicPurse, 1, 100, Hex.Parse("001122334455")), "805000020B0100000064001122334455" + "10" },
        { "CREDIT FOR LOAD", PurseCommands.CreditForLoad(Hex.Parse("20120229"), Hex.Parse("135100"), Hex.Parse("11223344")), "805200000B2012022913510011223344" + "04" },
        { "DEBIT FOR PURCHASE (W1 MAC1)", PurseCommands.DebitForPurchase(1, Hex.Parse("20120229"), Hex.Parse("135100"), Hex.Parse("F15CAB75")), "805401000F0000000120120229135100F15CAB75" + "08" },
        { "GET TRANSACTION PROVE", PurseCommands.GetTransactionProve(0x09, 5), "805A000902000508" },
        { "UPDATE CAPP DATA CACHE SFI 1A", PurseCommands.UpdateCappDataCache(2, 0x1A, Hex.Parse("AABBCC")), "80DC02D003AABBCC" },
    };

    [Theory]
    [MemberData(nameof(Built))]
    public void Factories_build_the_documented_bytes(string description, CommandApdu command, string hex)
        => Assert.True(hex == Hex.Encode(command.ToArray()), $"{description}: {command}");

    [Fact]
    public void Factories_reject_out_of_range_arguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.ReadRecord(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.ReadRecord(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.ReadRecord(1, 31));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.SelectByName([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.SelectByName(new byte[17]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.GetProcessingOptions(new byte[253]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.GetChallenge(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ApduCommands.GetResponse(1, 20));
        Assert.Throws<ArgumentException>(() => PurseCommands.InitializeForPurchase(PurseKind.ElectronicPurse, 1, 1, new byte[5]));
        Assert.Throws<ArgumentException>(() => PurseCommands.DebitForPurchase(1, new byte[4], new byte[3], new byte[8]));
    }
}
