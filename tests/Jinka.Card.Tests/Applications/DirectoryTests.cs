using System.Text;
using Jinka.Card.Applications;
using Jinka.Card.Files;
using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Card.Tests.Applications;

public class DirectoryTests
{
    private static TlvNode Single(ReadOnlyMemory<byte> data)
    {
        var nodes = TlvNode.Parse(data);
        Assert.Single(nodes);
        return nodes[0];
    }

    private static string Value(TlvNode node, uint tag) => Hex.Encode(node.Find(new Tag(tag))!.Value.Span);

    /// <summary>(AID, label, priority) of each 61 directory entry below <paramref name="node"/>.</summary>
    private static List<(string Aid, string Label, string Priority)> Entries(TlvNode node)
        => node.Children.Where(c => c.Tag == new Tag(0x61))
            .Select(e => (Value(e, 0x4F), Encoding.ASCII.GetString(e.Find(new Tag(0x50))!.Value.Span), Value(e, 0x87)))
            .ToList();

    [Fact]
    public void The_pse_fci_names_the_pse_and_the_directory_sfi()
    {
        var card = TestCards.Standard();
        var response = card.Process(ApduCommands.SelectByName(ApduCommands.Pse));

        Assert.Equal(StatusWord.Success, response.StatusWord);
        var fci = Single(response.Data);
        Assert.Equal(0x6Fu, fci.Tag.Value);
        Assert.Equal("315041592E5359532E4444463031", Value(fci, 0x84)); // NOTES A.1
        var proprietary = fci.Find(new Tag(0xA5))!;
        Assert.Equal("01", Value(proprietary, 0x88));
    }

    [Fact]
    public void The_pse_directory_file_lists_the_contact_applications_one_per_record()
    {
        var card = TestCards.Standard();
        card.Process(ApduCommands.SelectByName(ApduCommands.Pse));

        var found = new List<(string, string, string)>();
        for (int record = 1; ; record++)
        {
            var response = card.Process(ApduCommands.ReadRecord(record, 1));
            if (response.StatusWord == StatusWord.RecordNotFound)
            {
                break;
            }

            Assert.Equal(StatusWord.Success, response.StatusWord);
            var template = Single(response.Data);
            Assert.Equal(0x70u, template.Tag.Value);
            found.AddRange(Entries(template));
        }

        Assert.Equal(
            [
                ("A0000009990101", "COUNTER ONE", "01"),
                ("A0000009990102", "COUNTER TWO", "02"),
                ("A0000009990103", "COUNTER THREE", "03"),
            ],
            found);
    }

    [Theory]
    [InlineData("another SFI", "00B2011400", "6A82")]
    [InlineData("record 0", "00B2000C00", "6A86")]
    [InlineData("record beyond the list", "00B2040C00", "6A83")]
    [InlineData("mode 000 on the built directory", "00B2010800", "6A86")]
    [InlineData("wrong Le", "00B2010C05", "6C1D")]
    [InlineData("UPDATE RECORD is not a PSE command", "00DC010C0100", "6D00")]
    public void Pse_read_record_errors(string description, string command, string sw)
    {
        var card = TestCards.Standard();
        card.Process(ApduCommands.SelectByName(ApduCommands.Pse));
        Check.Equal(sw, card.Sw(command), description);
    }

    [Fact]
    public void The_ppse_fci_carries_the_contactless_applications_in_bf0c()
    {
        var card = TestCards.Standard();
        var response = card.Process(ApduCommands.SelectByName(ApduCommands.Ppse));

        var fci = Single(response.Data);
        Assert.Equal("325041592E5359532E4444463031", Value(fci, 0x84));
        var directory = fci.Find(new Tag(0xA5))!.Find(new Tag(0xBF0C))!;
        Assert.Equal(
            [("A0000009990101", "COUNTER ONE", "01"), ("A0000009990102", "COUNTER TWO", "02")],
            Entries(directory));
        Assert.Equal("6A82", card.Sw("00B2010C00")); // no directory file unless personalised
    }

    [Fact]
    public void The_directories_follow_life_cycle_changes_and_uninstalls()
    {
        var card = TestCards.Standard();
        card.Personalize(TestCards.App1, c => c.LifeCycle = ApplicationLifeCycle.Blocked);
        card.Personalize(TestCards.App2, c => c.LifeCycle = ApplicationLifeCycle.Locked);

        var fci = Single(card.Process(ApduCommands.SelectByName(ApduCommands.Ppse)).Data);
        // A blocked application stays listed (the terminal learns of the block from 6283); a locked one is gone.
        Assert.Equal([("A0000009990101", "COUNTER ONE", "01")], Entries(fci.Find(new Tag(0xBF0C))!));

        card.Uninstall(TestCards.App1);
        fci = Single(card.Process(ApduCommands.SelectByName(ApduCommands.Ppse)).Data);
        Assert.Empty(fci.Find(new Tag(0xBF0C))!.Children);
    }

    [Fact]
    public void A_personalisation_overrides_the_built_fci_and_directory_records()
    {
        var card = TestCards.Standard();
        // UICS wants BF0C { 9F4D 0B0A, DF4D 0C0A } in the PSE FCI (NOTES A.2) and its own directory records.
        byte[] fci = Hex.Parse("6F20 840E315041592E5359532E4444463031 A50E 8801015F2D027A68BF0C059F4D020B0A");
        byte[] record = Hex.Parse("7010 610E 4F07A0000009990103 50035A5A5A");
        card.Personalize(Aid.Pse, c =>
        {
            c.Files.SetFci(c.Files.Root, fci);
            var directory = c.Files.CreateEf(c.Files.Root, FileDescriptor.Records(FileStructure.LinearVariable, null, 1, 254, 10));
            c.Files.WriteRecord(directory, 1, record);
        });

        Assert.Equal(Hex.Encode(fci) + "9000", Hex.Encode(card.Process(ApduCommands.SelectByName(ApduCommands.Pse)).ToArray()));
        Assert.Equal(Hex.Encode(record) + "9000", card.Exchange("00B2010C00"));
        Assert.Equal("6A83", card.Sw("00B2020C00"));
    }

    [Fact]
    public void Directory_data_objects_given_at_install_join_the_entry()
    {
        var card = TestCards.Blank();
        card.Install(ApplicationCatalog.PpseModule, Aid.Ppse);
        card.Install(CounterApplication.Module, TestCards.App1, new InstallOptions
        {
            Listing = DirectoryListing.Ppse,
            Label = "PBOC",
            Priority = 1,
            DirectoryData = Hex.Parse("9F2A0101"),
        });

        var response = card.Process(ApduCommands.SelectByName(ApduCommands.Ppse));
        Assert.Equal("6F2D840E325041592E5359532E4444463031A51BBF0C1861164F07A0000009990101500450424F43870101" + "9F2A0101" + "9000", Hex.Encode(response.ToArray()));
    }
}
