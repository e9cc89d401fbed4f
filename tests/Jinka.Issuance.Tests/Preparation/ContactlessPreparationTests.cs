using Jinka.Card;
using Jinka.Card.Applications;
using Jinka.Card.Applications.GlobalPlatform;
using Jinka.Card.Applications.Pboc;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Dol;
using Jinka.Core.Tlv;
using Jinka.Issuance.Preparation;

namespace Jinka.Issuance.Tests.Preparation;

/// <summary>Contactless and EC data preparation (contract Q2, Q4, Q5, Q9), and the prepared cards running a qPBOC GPO.</summary>
public class ContactlessPreparationTests
{
    private static readonly byte[] s_seed = "jinka-golden-seed-1"u8.ToArray();

    [Theory]
    [InlineData("pboc-ec-intl", "9F66049F02069F03069F1A0295055F2A029A039C019F37049F7A01", "000000050000")]
    [InlineData("pboc-debit-ec-sm", "9F66049F02069F03069F1A0295055F2A029A039C019F3704DF69019F7A01", "000000020000")]
    public void The_contactless_and_ec_dgis_follow_the_contract(string name, string pdol, string balance)
    {
        using var card = new DataPreparation(TestFiles.CaKeys()).Prepare(TestFiles.LoadProfile(name), new PreparationOptions { Seed = s_seed });
        var plain = card.Applications[0].PlainDgis.ToDictionary(d => d.Dgi, d => d.Value.ToArray());

        var fci = TlvNode.Parse(plain[0x9103]).ToDictionary(n => n.Tag.Value, n => Hex.Encode(n.Value.Span));
        Assert.Equal(pdol, fci[0x9F38]);

        // Q5/Q34: the contact AFL lists the track file (SFI 1: 57, 5F20, 5F34) unsigned; the qPBOC AFL leaves it out, since
        // the GPO response carries 57 and 5F34, and keeps the signed card data and the certificates, with the same AIP.
        var contact = TlvNode.Parse(plain[0x9104]).ToDictionary(n => n.Tag.Value, n => n.Value.ToArray());
        var qpboc = TlvNode.Parse(plain[0x9207]).ToDictionary(n => n.Tag.Value, n => n.Value.ToArray());
        Assert.Equal(Hex.Encode(contact[0x82]), Hex.Encode(qpboc[0x82]));
        Assert.Equal("08010100", Hex.Encode(contact[0x94].AsSpan(0, 4)));
        Assert.Equal(Hex.Encode(contact[0x94].AsSpan(4)), Hex.Encode(qpboc[0x94]));

        var data = TlvNode.Parse(plain[0x0E01]).ToDictionary(n => n.Tag.Value, n => Hex.Encode(n.Value.Span));
        Assert.Equal(balance, data[0x9F79]);
        Assert.Equal("000000100000", data[0x9F77]);
        Assert.Equal("000000050000", data[0x9F78]);
        Assert.Equal("000000001000", data[0x9F6D]);
        Assert.Equal("000000030000", data[0x9F6B]);
    }

    [Fact]
    public void A_profile_without_contactless_or_ec_has_neither()
    {
        using var card = new DataPreparation(TestFiles.CaKeys()).Prepare(TestFiles.LoadProfile("pboc-debit-intl"), new PreparationOptions { Seed = s_seed });
        var dgis = card.Applications[0].PlainDgis.Select(d => d.Dgi).ToList();
        Assert.DoesNotContain((ushort)0x9103, dgis);
        Assert.DoesNotContain((ushort)0x9207, dgis);
        Assert.DoesNotContain("9F79", Hex.Encode(card.Applications[0].PlainDgis.Single(d => d.Dgi == 0x0E01).Value.Span), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("pboc-ec-intl", "A000000333010106", "000000049000")]
    [InlineData("pboc-debit-ec-sm", "A000000333010101", "000000019000")]
    public async Task An_issued_ec_card_approves_a_qpboc_purchase_offline(string name, string aid, string balanceAfter)
    {
        using var keys = TestFiles.KeyStore();
        using var caKeys = TestFiles.CaKeys();
        var catalog = IssuerSecurityDomain.Register(PbocApplication.AddTo(new ApplicationCatalog()));
        var issued = await new CardIssuer(catalog, caKeys, keys).IssueAsync(TestFiles.LoadProfile(name), new IssuanceOptions { Seed = s_seed });

        await using var transport = new VirtualCardTransport(issued.Card, leavePowered: true);

        // Q1: the PPSE lists the application: 6F { 84, A5 { BF0C { 61 { 4F … } } } }.
        Assert.Contains(Aid.Ppse, issued.Report.Installed);
        var ppse = await transport.TransmitAsync(ApduCommands.SelectByName(Aid.Ppse.Span));
        Assert.Equal(StatusWord.Success, ppse.StatusWord);
        Assert.Equal(aid, Hex.Encode(FindTag(ppse.Data.ToArray(), 0x4F)));

        var select = await transport.TransmitAsync(ApduCommands.SelectByName(Aid.Parse(aid).Span));
        Assert.Equal(StatusWord.Success, select.StatusWord);
        var pdol = Dol.Parse(FindTag(select.Data.ToArray(), 0x9F38));

        // The terminal fills the PDOL: an offline-capable qPBOC reader (TTQ 28000000), 10.00 CNY, SM support, EC.
        var values = new Dictionary<uint, string>
        {
            [0x9F66] = "28000000", [0x9F02] = "000000001000", [0x9F03] = "000000000000", [0x9F1A] = "0156", [0x95] = "0000000000",
            [0x5F2A] = "0156", [0x9A] = "260601", [0x9C] = "00", [0x9F37] = "11223344", [0xDF69] = "01", [0x9F7A] = "01",
        };
        var pdolData = Hex.Parse(string.Concat(pdol.Entries.Select(e => values[e.Tag.Value])));
        var gpo = await transport.TransmitAsync(ApduCommands.GetProcessingOptions(pdolData));
        Assert.Equal(StatusWord.Success, gpo.StatusWord);
        var response = gpo.Data.ToArray();
        Assert.Equal(0x77, response[0]);
        Assert.Equal(0x90, FindTag(response, 0x9F10)[4]);
        Assert.Equal(balanceAfter, Hex.Encode(FindTag(response, 0x9F5D)));
        Assert.NotEmpty(FindTag(response, 0x9F4B));
        Assert.Equal(8, FindTag(response, 0x9F69).Length);
    }

    private static byte[] FindTag(byte[] encoded, uint tag)
    {
        foreach (var node in TlvNode.Parse(encoded))
        {
            if (node.Tag.Value == tag)
            {
                return node.Value.ToArray();
            }

            if (node.IsConstructed && FindTagOrNull(node.Value.ToArray(), tag) is { } inner)
            {
                return inner;
            }
        }

        throw new KeyNotFoundException($"tag {tag:X} not found");
    }

    private static byte[]? FindTagOrNull(byte[] encoded, uint tag)
    {
        try
        {
            return FindTag(encoded, tag);
        }
        catch (KeyNotFoundException)
        {
            return null;
        }
    }
}
