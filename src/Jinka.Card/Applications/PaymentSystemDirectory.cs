using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications;

/// <summary>
/// The payment system directories, built into the OS (NOTES A.1, A.2):
/// <list type="bullet">
/// <item>PSE "1PAY.SYS.DDF01" (contact): FCI 6F { 84, A5 { 88 SFI } } and a directory file, SFI 1, whose record n is
/// 70 { 61 { 4F AID, 50 label, 87 priority … } } for the n-th application listed for the PSE (EMV Book 1 §12.2.3);</item>
/// <item>PPSE "2PAY.SYS.DDF01" (contactless): FCI 6F { 84, A5 { BF0C { 61 { 4F, 50, 87 … } … } } } with every
/// application listed for the PPSE (EMV Book B §3.3).</item>
/// </list>
/// Both are built from the registry at each SELECT (INSTALLED and LOCKED applications left out), so they follow
/// installs and deletions. A personalisation overrides them: an FCI stored on the root DF replaces the built FCI,
/// and an EF created with the directory SFI replaces the built records. READ RECORD reads personalised files of either.
/// </summary>
internal sealed class PaymentSystemDirectory : CardApplication<PaymentSystemDirectory.Phase>
{
    /// <summary>SFI of the PSE directory file.</summary>
    public const int DirectorySfi = 1;

    private readonly bool _contactless;
    private readonly CommandTable<Phase> _commands;

    public PaymentSystemDirectory(Aid aid, bool contactless)
        : base(aid)
    {
        _contactless = contactless;
        _commands = new CommandTable<Phase>()
            .OnAnyPhase(0x00, 0xB2, contactless ? FileCommands.ReadRecord : ReadRecord, length: LengthRule.None);
    }

    public enum Phase
    {
        Selected,
    }

    protected override CommandTable<Phase> Commands => _commands;

    protected override byte[] BuildFci(ApplicationContext context)
    {
        if (context.Files.GetFci(context.Files.Root) is { } personalised)
        {
            return personalised;
        }

        using var writer = new TlvWriter(128);
        if (_contactless)
        {
            using (writer.PushConstructed(new Tag(0xBF0C)))
            {
                foreach (var entry in Listed(context))
                {
                    Fci.WriteDirectoryEntry(writer, entry);
                }
            }
        }
        else
        {
            writer.WritePrimitive(new Tag(0x88), [DirectorySfi]);
        }

        return Fci.Build(Aid, writer.WrittenSpan);
    }

    private ResponseApdu ReadRecord(CommandContext context)
    {
        var command = context.Command;
        int sfi = command.P2 >> 3;
        bool personalised = sfi != 0 && context.Files.FindBySfi(context.Files.Root, sfi) is not null;
        if (personalised || sfi != DirectorySfi)
        {
            return FileCommands.ReadRecord(context);
        }

        if ((command.P2 & 0x07) != 0b100 || command.P1 is 0x00 or 0xFF)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        var listed = Listed(context);
        if (command.P1 > listed.Count)
        {
            return Responses.Status(StatusWord.RecordNotFound);
        }

        using var writer = new TlvWriter(64);
        using (writer.PushConstructed(new Tag(0x70)))
        {
            Fci.WriteDirectoryEntry(writer, listed[command.P1 - 1]);
        }

        return FileCommands.RecordResponse(command, writer.WrittenSpan);
    }

    private List<RegistryEntry> Listed(ApplicationContext context)
    {
        var flag = _contactless ? DirectoryListing.Ppse : DirectoryListing.Pse;
        return context.Applications.Where(e => e.IsSelectable && e.Listing.HasFlag(flag)).ToList();
    }
}
