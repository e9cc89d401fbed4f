using System.Text;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;

namespace Jinka.Card.Applications;

/// <summary>
/// Base for applications written as a state machine: declare the <see cref="Commands"/> table, optionally override
/// <see cref="BuildFci"/> and <see cref="Install"/>. Processing is the table's dispatch.
/// </summary>
public abstract class CardApplication<TPhase> : ICardApplication
    where TPhase : struct, Enum
{
    protected CardApplication(Aid aid)
    {
        ArgumentNullException.ThrowIfNull(aid);
        Aid = aid;
    }

    public Aid Aid { get; }

    /// <summary>The command table; build it once (in the constructor or a static field).</summary>
    protected abstract CommandTable<TPhase> Commands { get; }

    public virtual ResponseApdu Select(CommandContext context) => Responses.Ok(BuildFci(context));

    public ResponseApdu Process(CommandContext context) => Commands.Dispatch(context);

    public virtual void Install(ApplicationContext context)
    {
    }

    /// <summary>The FCI: a personalised one if stored for the ADF, else <see cref="Fci.ForApplication"/> from the registry entry.</summary>
    protected virtual byte[] BuildFci(ApplicationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Files.GetFci(context.Files.Root) ?? Fci.ForApplication(context.Entry);
    }
}

/// <summary>FCI and directory-entry builders (EMV Book 1 §11.3.4, table 43; NOTES A.2).</summary>
public static class Fci
{
    /// <summary>6F { 84 DF name, A5 { <paramref name="proprietary"/> } }.</summary>
    public static byte[] Build(Aid dfName, ReadOnlySpan<byte> proprietary)
    {
        ArgumentNullException.ThrowIfNull(dfName);
        using var writer = new TlvWriter(64 + proprietary.Length);
        using (writer.PushConstructed(new Tag(0x6F)))
        {
            writer.WritePrimitive(new Tag(0x84), dfName.Span);
            writer.WriteConstructed(new Tag(0xA5), proprietary);
        }

        return writer.ToArray();
    }

    /// <summary>The default ADF FCI: 6F { 84 AID, A5 { 50 label, 87 priority } } with what the registry holds.</summary>
    public static byte[] ForApplication(RegistryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var writer = new TlvWriter(32);
        WriteLabelAndPriority(writer, entry);
        return Build(entry.Aid, writer.WrittenSpan);
    }

    /// <summary>A directory entry 61 { 4F AID, 50 label, 87 priority, further data objects } (EMV Book 1 §12.2.3, table 47).</summary>
    public static void WriteDirectoryEntry(TlvWriter writer, RegistryEntry entry)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(entry);
        using (writer.PushConstructed(new Tag(0x61)))
        {
            writer.WritePrimitive(new Tag(0x4F), entry.Aid.Span);
            WriteLabelAndPriority(writer, entry);
            writer.WriteEncoded(entry.DirectoryData.Span);
        }
    }

    private static void WriteLabelAndPriority(TlvWriter writer, RegistryEntry entry)
    {
        if (entry.Label is not null)
        {
            writer.WritePrimitive(new Tag(0x50), Encoding.ASCII.GetBytes(entry.Label));
        }

        if (entry.Priority is byte priority)
        {
            writer.WritePrimitive(new Tag(0x87), [priority]);
        }
    }
}
