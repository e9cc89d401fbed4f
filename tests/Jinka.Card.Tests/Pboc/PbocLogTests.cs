using System.Text;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Crypto;

namespace Jinka.Card.Tests.Pboc;

/// <summary>The transaction log (contract P11) as a terminal reads it: 9F4D and 9F4F by GET DATA, records by READ RECORD.</summary>
public class PbocLogTests
{
    private static (PbocTerminal Terminal, Dol Format, int Sfi) Card(SuiteId suite)
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.Get(suite)) { LastOnlineAtc = "0001", LowerConsecutiveLimit = 20, UpperConsecutiveLimit = 20, CumulativeLimit = "000099999999" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        terminal.Select();
        var entry = terminal.Send("80CA9F4D00").Data.ToArray();
        var format = terminal.Send("80CA9F4F00").Data.ToArray();
        Assert.Equal("9F4D02", Hex.Encode(entry[..3]));
        var reader = new TlvReader(format);
        Assert.True(reader.Read());
        return (terminal, Dol.Parse(reader.ValueSpan), entry[3]);
    }

    private static Dictionary<string, string> ReadLog(PbocTerminal terminal, Dol format, int sfi, int record)
    {
        var response = terminal.Send(ApduCommands.ReadRecord(record, sfi));
        Assert.Equal(StatusWord.Success, response.StatusWord);
        return format.Split(response.Data.Span).ToDictionary(e => e.Tag.ToString(), e => Hex.Encode(e.Value.Span));
    }

    [Theory]
    [InlineData(SuiteId.International)]
    [InlineData(SuiteId.Sm)]
    public void Offline_answers_and_second_generate_acs_are_logged_newest_first(SuiteId suite)
    {
        var (terminal, format, sfi) = Card(suite);
        Assert.Equal(11, sfi);

        var offline = new Txn { Amount = "000000000123", Date = "260101", Time = "080000", Type = "00" };
        terminal.Start(offline);
        Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, offline).Type);

        var declined = new Txn { Amount = "000000000456", Date = "260102", Time = "090000", Type = "01" };
        terminal.Start(declined);
        Assert.Equal(CryptogramType.Aac, terminal.FirstAc(CryptogramType.Aac, declined).Type);

        // An ARQC without a second GENERATE AC is not a finished transaction: no record.
        var abandoned = new Txn { Amount = "000000000789" };
        terminal.Start(abandoned);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, abandoned).Type);
        terminal.Card.Reset();

        var online = new Txn { Amount = "000000099900", Date = "260103", Time = "101112", MerchantHex = Hex.Encode(Encoding.ASCII.GetBytes("SHOP NUMBER TWO     ")) };
        terminal.Start(online);
        Assert.Equal(CryptogramType.Arqc, terminal.FirstAc(CryptogramType.Arqc, online).Type);
        Assert.Equal("9000", terminal.ExternalAuthenticate().StatusWord.ToString());
        Assert.Equal(CryptogramType.Tc, terminal.SecondAc(CryptogramType.Tc, online).Type);

        var newest = ReadLog(terminal, format, sfi, 1);
        Assert.Equal("000000099900", newest["9F02"]);
        Assert.Equal("260103", newest["9A"]);
        Assert.Equal("101112", newest["9F21"]);
        Assert.Equal(online.MerchantHex, newest["9F4E"]);
        Assert.Equal("0004", newest["9F36"]);
        Assert.Equal("0156", newest["5F2A"]);

        var second = ReadLog(terminal, format, sfi, 2);
        Assert.Equal(("000000000456", "01", "0002"), (second["9F02"], second["9C"], second["9F36"]));
        var third = ReadLog(terminal, format, sfi, 3);
        Assert.Equal(("000000000123", "260101", "0001"), (third["9F02"], third["9A"], third["9F36"]));
        Assert.Equal("6A83", terminal.Sw(ApduCommands.ReadRecord(4, sfi)));

        // The log is the card's: the terminal cannot write it.
        Assert.Equal("6982", terminal.Sw("00DC015C19" + new string('0', 50)));
    }

    [Fact]
    public void The_log_is_cyclic_and_keeps_the_newest_9F4D_records()
    {
        var (terminal, format, sfi) = Card(SuiteId.International);
        for (int i = 1; i <= 12; i++)
        {
            var txn = new Txn { Amount = $"{i:D12}" };
            terminal.Start(txn);
            Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, txn).Type);
        }

        for (int record = 1; record <= 10; record++)
        {
            Assert.Equal($"{13 - record:D12}", ReadLog(terminal, format, sfi, record)["9F02"]);
        }

        Assert.Equal("6A83", terminal.Sw(ApduCommands.ReadRecord(11, sfi)));
    }

    [Fact]
    public void A_card_without_a_log_entry_writes_no_log()
    {
        var issuer = new PbocTestIssuer(new PbocProfile(AlgorithmSuite.International) { WithLog = false, LastOnlineAtc = "0001" });
        var terminal = new PbocTerminal(issuer.IssueCard(), issuer);
        var txn = new Txn();
        terminal.Start(txn);
        Assert.Equal(CryptogramType.Tc, terminal.FirstAc(CryptogramType.Tc, txn).Type);
        Assert.Equal("6A88", terminal.Sw("80CA9F4D00"));
        Assert.Equal("6A82", terminal.Sw("00B2015C00"));
    }
}
