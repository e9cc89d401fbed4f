using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Host.Issuing;

namespace Jinka.Host.Tests.Issuing;

public class ChipDataTests
{
    [Theory]
    [InlineData("W4 contact sample with EC IDD", "07000103A03002010A010000000000B0992D81", 0x00, "03A03002", 0x01, "0A010000000000B0992D81")]
    [InlineData("SGC sample (ADDENDUM 2.1)", "07020103A4B904010A0100000000001BFC423C", 0x02, "03A4B904", 0x01, "0A0100000000001BFC423C")]
    [InlineData("SM card, no IDD", "07010103900002" + "04", 0x01, "03900002", 0x04, "")]
    public void Issuer_application_data_splits_as_P1(string description, string hex, byte dki, string cvr, byte algorithm, string idd)
    {
        _ = description;
        Assert.True(IssuerApplicationData.TryParse(Hex.Parse(hex), out var iad, out _));
        Assert.Equal(dki, iad.Dki);
        Assert.Equal(0x01, iad.Cvn);
        Assert.Equal(cvr, Hex.Encode(iad.Cvr.Span));
        Assert.Equal(algorithm, iad.AlgorithmId);
        Assert.Equal(idd, Hex.Encode(iad.DiscretionaryData.Span));
    }

    [Theory]
    [InlineData("7 bytes", "07010103A00000", "is 7 bytes")]
    [InlineData("empty", "", "is 0 bytes")]
    [InlineData("length byte 0F (another layout)", "0F010103A0000001", "starts with the length 07")]
    [InlineData("CVR length byte 05", "07010105A0000001", "CVR length) is 05")]
    public void Malformed_issuer_application_data_is_refused(string description, string hex, string reason)
    {
        _ = description;
        Assert.False(IssuerApplicationData.TryParse(Hex.Parse(hex), out var iad, out string? error));
        Assert.Null(iad);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Ac_input_follows_P3_order_whatever_the_field_55_order()
    {
        var data = new TlvDatabase();
        string[] values = ["9F36:0001", "82:7C00", "9F37:12345678", "9C:00", "9A:240101", "5F2A:0156", "95:0000000000", "9F1A:0156", "9F03:000000000000", "9F02:000000000100"];
        foreach (string value in values)
        {
            string[] parts = value.Split(':');
            data.Set(Tag.Parse(parts[0]), Hex.Parse(parts[1]));
        }

        Assert.True(PbocAcInput.TryBuild(data, Hex.Parse("03A00000"), out byte[]? input, out _));
        Assert.Equal("000000000100" + "000000000000" + "0156" + "0000000000" + "0156" + "240101" + "00" + "12345678" + "7C00" + "0001" + "03A00000", Hex.Encode(input));

        Assert.False(PbocAcInput.TryBuild(data, Hex.Parse("03A000"), out _, out string? error));
        Assert.Contains("CVR is 3 bytes", error, StringComparison.Ordinal);
        data.Remove(new Tag(0x9C));
        Assert.False(PbocAcInput.TryBuild(data, Hex.Parse("03A00000"), out _, out error));
        Assert.Contains("lacks 9C", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("plain", "6225880000000001", "00", "6225880000000001", "00")]
    [InlineData("F padding from 5A", "6210220110002707355F", "01", "6210220110002707355", "01")]
    [InlineData("one-digit PSN", "6225880000000001", "1", "6225880000000001", "01")]
    [InlineData("no PSN", "6225880000000001", null, "6225880000000001", "00")]
    public void Card_ids_normalise(string description, string pan, string? psn, string expectedPan, string expectedPsn)
    {
        _ = description;
        Assert.True(CardId.TryCreate(pan, psn, out var id, out _));
        Assert.Equal((expectedPan, expectedPsn), (id.Pan, id.Psn));
        Assert.Equal(CardId.Create(expectedPan, expectedPsn), id);
    }

    [Theory]
    [InlineData("null PAN", null, "00", "missing")]
    [InlineData("letter in PAN", "62258800000A0001", "00", "not a decimal digit")]
    [InlineData("20 digits", "62258800000000000001", "00", "20 digits")]
    [InlineData("PSN 3 digits", "6225880000000001", "001", "'001'")]
    [InlineData("PSN hex", "6225880000000001", "0F", "'0F'")]
    public void Malformed_card_ids_are_refused(string description, string? pan, string psn, string reason)
    {
        _ = description;
        Assert.False(CardId.TryCreate(pan, psn, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Card_ids_print_masked()
    {
        var id = CardId.Create("6210220110002707355", "01");
        Assert.Equal("621022*********7355/01", id.ToString());
        Assert.Equal(0x01, id.PsnByte);
        Assert.Equal("card-6210220110002707355-01-enc", CardKeyLabels.ForCard(id).Enc);
    }
}
