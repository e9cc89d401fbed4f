using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Crypto.Keys;
using Jinka.Crypto.Symmetric;
using Jinka.Host.Issuing;

namespace Jinka.Host.Tests.Issuing;

/// <summary>
/// The published PBOC chains (NOTES Appendix A.3, ADDENDUM V4 and V5) sent through the issuer as requests: the field
/// 55 carries exactly the vector's AC input values, 9F10 carries its CVR, 9F26 its ARQC, and the issuer must answer
/// 00 with the vector's ARPC in 91.
/// </summary>
public sealed class PublishedVectorTests : IDisposable
{
    private readonly SoftwareKeyStore _keys = new();
    private readonly IssuerStorage _storage = IssuerStorage.InMemory();
    private readonly Issuer _issuer;

    public PublishedVectorTests()
    {
        _issuer = new Issuer(_keys, _storage);
        _keys.ImportClearKey("other-mac", KeyUsage.MdkMac, CipherAlgorithm.TripleDes, Hex.Parse("00112233445566778899AABBCCDDEEFF"));
        _keys.ImportClearKey("other-enc", KeyUsage.MdkEnc, CipherAlgorithm.TripleDes, Hex.Parse("00112233445566778899AABBCCDDEEFF"));
    }

    public void Dispose() => _keys.Dispose();

    [Fact]
    public async Task NOTES_A3_chain_verifies_and_answers_its_arpc()
    {
        _keys.ImportClearKey("a3-ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));
        await RegisterAsync("6225880000000001", "00", "a3-ac");

        var response = await _issuer.AuthorizeAsync(Request(
            "6225880000000001", "00", "000000",
            acInput: "000000000100 000000000000 0156 0000000000 0156 240101 00 12345678 7C00 0001 03A00000",
            arqc: "A6364607F31A5DB3",
            iad: "0700010" + "3A00000" + "01"));

        Assert.Equal("00", response.ResponseCode);
        Assert.Equal("BB4244A6AA844C52" + "3030", Hex.Encode(Tag91(response)));
    }

    [Fact]
    public async Task ADDENDUM_V4_chain_verifies_and_answers_its_arpc()
    {
        _keys.ImportClearKey("v4-ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, Hex.Parse("C4D689158AD9FB9D23105B91CE046D0E"));
        await RegisterAsync("6210220110002707355", "01", "v4-ac");

        var response = await _issuer.AuthorizeAsync(Request(
            "6210220110002707355", "01", "000000",
            acInput: "000000000000 000000000000 0156 0000000000 0156 000000 00 00000444 7C00 03D3 0380A800",
            arqc: "81A9DC9310F88856",
            iad: "07000103" + "80A800" + "01"));

        Assert.Equal("00", response.ResponseCode);
        Assert.Equal("84DD63A221F915CA" + "3030", Hex.Encode(Tag91(response)));
    }

    [Fact]
    public async Task ADDENDUM_V5_chain_from_its_udk_verifies_and_answers_its_arpc()
    {
        // V5 publishes the card's AC UDK, not an MDK: the key store holds it as a card key. Its PAN is not
        // published; the UDK is already bound to the real one, so any PAN stands in.
        _keys.ImportClearKey("v5-udk-ac", KeyUsage.CardAc, CipherAlgorithm.TripleDes, Hex.Parse("0D2E3CB0BC1F9E03AED58F663A2F9679"));
        await RegisterAsync("6228480000000005", "00", "v5-udk-ac");

        // 9F10 as the real GAC response (ADDENDUM 2.1), EC issuer discretionary data included; 9C = 01 (cash).
        var response = await _issuer.AuthorizeAsync(Request(
            "6228480000000005", "00", "010000",
            acInput: "000000001234 000000000034 0156 D86004A800 0156 120516 01 01010101 7C00 000E 03A4B904",
            arqc: "F294D7022FA9B058",
            iad: "07020103A4B904010A0100000000001BFC423C"));

        Assert.Equal("00", response.ResponseCode);
        Assert.Equal("3846EEB4C8D34271" + "3030", Hex.Encode(Tag91(response)));
    }

    [Fact]
    public async Task The_same_vector_with_one_bit_changed_is_declined()
    {
        _keys.ImportClearKey("a3-ac", KeyUsage.MdkAc, CipherAlgorithm.TripleDes, Hex.Parse("0123456789ABCDEFFEDCBA9876543210"));
        await RegisterAsync("6225880000000001", "00", "a3-ac");
        var response = await _issuer.AuthorizeAsync(Request(
            "6225880000000001", "00", "000000",
            acInput: "000000000100 000000000000 0156 0000000000 0156 240101 00 12345679 7C00 0001 03A00000",
            arqc: "A6364607F31A5DB3",
            iad: "07000103A0000001"));
        Assert.Equal("05", response.ResponseCode);
    }

    private static byte[] Tag91(AuthorizationResponse response) =>
        TlvNode.Parse(response.IccData).Single(n => n.Tag == new Tag(0x91)).Value.ToArray();

    private async Task RegisterAsync(string pan, string psn, string acLabel)
    {
        string account = "ACC-" + pan;
        await _storage.Accounts.OpenAccountAsync(account, "156", 1_000_000);
        await _storage.Cards.RegisterAsync(new CardRecord(CardId.Create(pan, psn), SuiteId.International, new CardKeyLabels(acLabel, "other-mac", "other-enc"), account));
    }

    /// <summary>Field 55 with the vector's AC input split into its P3 elements (and 9F10 carrying its CVR).</summary>
    private static AuthorizationRequest Request(string pan, string psn, string processingCode, string acInput, string arqc, string iad)
    {
        byte[] input = Hex.Parse(acInput.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal(PbocAcInput.Length, input.Length);
        Assert.Equal(input[^4..], Hex.Parse(iad)[3..7]);
        using var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(0x9F26), Hex.Parse(arqc));
        writer.WritePrimitive(new Tag(0x9F27), [0x80]);
        writer.WritePrimitive(new Tag(0x9F10), Hex.Parse(iad));
        int offset = 0;
        foreach (var (tag, length) in PbocAcInput.Elements)
        {
            writer.WritePrimitive(tag, input.AsSpan(offset, length));
            offset += length;
        }

        long amount = long.Parse(Hex.Encode(input.AsSpan(0, 6)), System.Globalization.CultureInfo.InvariantCulture);
        return new AuthorizationRequest(pan, psn, amount, "156", processingCode, writer.ToArray(), "TERM0001", "MERCHANT0000001", 1, new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Local));
    }
}
