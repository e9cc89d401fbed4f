using Jinka.Core.Apdu;

namespace Jinka.Core.Tests.Apdu;

public class ApduDescriberResponseTests
{
    private static ApduDescription Describe(string responseHex, string? commandHex = null)
        => ApduDescriber.DescribeResponse(
            ResponseApdu.Parse(Hex.Parse(responseHex)),
            commandHex is null ? null : CommandApdu.Parse(Hex.Parse(commandHex)));

    private static ApduField Field(ApduDescription description, string name)
    {
        var found = description[name];
        Assert.True(found.HasValue, $"no field '{name}' in:\n{description}");
        return found.Value;
    }

    [Theory]
    [InlineData("9000", "success")]
    [InlineData("6A82", "file or application not found")]
    [InlineData("6985", "conditions of use not satisfied")]
    [InlineData("611A", "26 more bytes available (send GET RESPONSE)")]
    [InlineData("63C2", "verification failed, 2 tries left")]
    [InlineData("9401", "insufficient balance (PBOC ED/EP)")]
    public void The_name_is_the_status_word_meaning(string hex, string meaning)
    {
        var d = Describe(hex);
        Assert.Equal(meaning, d.Name);
        Assert.Equal(hex, Field(d, "SW").Value);
        Assert.Null(d["Data"]);
    }

    [Fact]
    public void Get_balance_answer_shows_the_amount()
    {
        var d = Describe("000003E89000", "805C000204");
        Assert.Equal("000003E8", Field(d, "Data").Value);
        Assert.Equal("1000 = 10.00", Field(d, "balance").Meaning);
    }

    [Fact]
    public void Initialize_for_purchase_answer_is_split_per_NOTES_B3()
    {
        var d = Describe("00002710" + "0001" + "000000" + "01" + "00" + "11223344" + "9000", "805001020B01000010000011223344550F");
        Assert.Equal("10000 = 100.00", Field(d, "balance").Meaning);
        Assert.Equal("1", Field(d, "offline ATC").Meaning);
        Assert.Equal("11223344", Field(d, "card random").Value);
    }

    [Fact]
    public void Initialize_for_load_answer_is_split_per_NOTES_B3()
    {
        var d = Describe("00000064" + "0002" + "01" + "00" + "AABBCCDD" + "11223344" + "9000", "805000020B010000100000112233445510");
        Assert.Equal("100 = 1.00", Field(d, "old balance").Meaning);
        Assert.Equal("11223344", Field(d, "MAC1").Value);
    }

    [Fact]
    public void Initialize_update_answer_is_split_per_NOTES_D2()
    {
        var d = Describe("00010203040506070809" + "20" + "02" + "000A" + "A1A2A3A4A5A6" + "C1C2C3C4C5C6C7C8" + "9000", "8050200008112233445566778800");
        Assert.Equal("02", Field(d, "secure channel protocol").Value);
        Assert.Equal("000A", Field(d, "sequence counter").Value);
        Assert.Equal("C1C2C3C4C5C6C7C8", Field(d, "card cryptogram").Value);
    }

    [Fact]
    public void Debit_answer_gives_tac_then_mac2()
    {
        var d = Describe("B3A0D49C56988A139000", "805401000F0000000120120229135100F15CAB7508");
        Assert.Equal("B3A0D49C", Field(d, "TAC").Value);
        Assert.Equal("56988A13", Field(d, "MAC2").Value);
    }

    [Fact]
    public void Generate_ac_format_1_is_split_into_cid_atc_ac_iad()
    {
        var d = Describe("8012" + "80" + "0001" + "A6364607F31A5DB3" + "07000103A00000" + "9000", "80AE80000100");
        Assert.Equal("ARQC", Field(d, "CID").Meaning);
        Assert.Equal("1", Field(d, "ATC").Meaning);
        Assert.Equal("A6364607F31A5DB3", Field(d, "AC").Value);
        Assert.Equal("07000103A00000", Field(d, "IAD").Value);
    }

    [Fact]
    public void Gpo_format_1_is_split_into_aip_and_afl()
    {
        var d = Describe("800A" + "7C00" + "08010100" + "10010301" + "9000", "80A8000002830000");
        Assert.Equal("7C00", Field(d, "AIP").Value);
        Assert.Equal("2 entries", Field(d, "AFL").Meaning);
    }

    [Fact]
    public void Data_is_not_split_when_the_status_is_an_error_or_the_layout_does_not_fit()
    {
        Assert.Null(Describe("000003E86985", "805C000204")["balance"]);
        Assert.Null(Describe("0003E89000", "805C000204")["balance"]);
        Assert.Null(Describe("770A820200009404080101009000", "80A8000002830000")["AIP"]);
    }
}
