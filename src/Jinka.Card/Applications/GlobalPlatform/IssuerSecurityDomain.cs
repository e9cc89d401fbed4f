using System.Buffers.Binary;
using System.Security.Cryptography;
using Jinka.Card.Dispatch;
using Jinka.Core.Apdu;
using Jinka.Core.Tlv;
using Jinka.Crypto.GlobalPlatform;

namespace Jinka.Card.Applications.GlobalPlatform;

/// <summary>
/// The GlobalPlatform issuer security domain (NOTES D.1–D.4): the card's owner. It opens SCP02 secure channels
/// (INITIALIZE UPDATE, EXTERNAL AUTHENTICATE at security level 00, 01 or 03), then — under the channel — installs
/// applications from its <see cref="ExecutableModuleTable"/> (INSTALL), names one for personalisation and passes it
/// the DGIs of STORE DATA (decrypting the secret ones), lists (GET STATUS), locks (SET STATUS) and deletes (DELETE)
/// applications. Bad data answers 6A80, commands out of order 6985, commands outside an authenticated channel (or
/// without the C-MAC it requires) 6982; nothing throws.
/// </summary>
/// <remarks>
/// <para>Persistent state, in the domain's store: the static key sets <c>keys/KV</c> (ENC ‖ MAC ‖ DEK, 48 bytes),
/// the sequence counter (2 bytes, incremented at every successful EXTERNAL AUTHENTICATE) and the 10-byte key
/// diversification data. Installed with the GlobalPlatform test keys 404142…4F as key version 01 (D13).</para>
/// <para>SCP02 options: i = 15 (three keys, C-MAC on the modified APDU, explicit initiation, ICV encryption, random
/// card challenge). R-MAC is not offered.</para>
/// </remarks>
public sealed partial class IssuerSecurityDomain : CardApplication<IssuerSecurityDomain.Phase>
{
    /// <summary>The catalog module name.</summary>
    public const string Module = "jinka.gp.isd";

    /// <summary>The key version number of the key set the domain is installed with.</summary>
    public const byte DefaultKeyVersion = 0x01;

    /// <summary>Security domain, card lock, card terminate, card reset and CVM management (GP privileges byte 1 = 9E).</summary>
    public const ApplicationPrivileges DefaultPrivileges = ApplicationPrivileges.SecurityDomain | ApplicationPrivileges.CardLock
        | ApplicationPrivileges.CardTerminate | ApplicationPrivileges.CardReset | ApplicationPrivileges.CvmManagement;

    internal const byte ExternalAuthenticateIns = 0x82;

    private const string SequenceCounterCell = "sequence-counter";
    private const string DiversificationDataCell = "key-diversification-data";
    private const string KeyCellPrefix = "keys/";
    private const int KeySetLength = 3 * Scp02.KeyLength;

    private readonly ExecutableModuleTable _modules;
    private readonly CommandTable<Phase> _commands;

    public IssuerSecurityDomain(Aid aid, ExecutableModuleTable? modules = null)
        : base(aid)
    {
        _modules = modules ?? ExecutableModuleTable.Default;
        _commands = new CommandTable<Phase> { SecureMessaging = new Scp02SecureMessaging() }
            .OnAnyPhase(0x80, 0x50, InitializeUpdate, Parameters.P2Is(0x00), LengthRule.Exactly(8))
            .On(Phase.Initialized, 0x80, ExternalAuthenticateIns, ExternalAuthenticate, Parameters.P2Is(0x00), LengthRule.Exactly(16))
            .OnAnyPhase(0x80, 0xE6, Install, Parameters.P2Is(0x00), LengthRule.AtLeast(3))
            .OnAnyPhase(0x80, 0xE2, StoreData, length: LengthRule.AtLeast(1))
            .OnAnyPhase(0x80, 0xF2, GetStatus, length: LengthRule.AtLeast(2))
            .OnAnyPhase(0x80, 0xF0, SetStatus, length: LengthRule.Between(0, 16))
            .OnAnyPhase(0x80, 0xE4, Delete, length: LengthRule.AtLeast(2));
    }

    /// <summary>Where the domain is in the SCP02 handshake; the zero value is the phase after SELECT.</summary>
    public enum Phase
    {
        /// <summary>No secure channel.</summary>
        Selected,

        /// <summary>INITIALIZE UPDATE answered; EXTERNAL AUTHENTICATE expected.</summary>
        Initialized,

        /// <summary>The secure channel is open.</summary>
        Authenticated,
    }

    /// <summary>The usual ISD AID, A000000151000000 (NOTES D.1).</summary>
    public static Aid DefaultAid { get; } = Aid.Parse("A000000151000000");

    /// <summary>The GlobalPlatform default test key 404142…4F (D13), for ENC, MAC and DEK alike.</summary>
    public static ReadOnlySpan<byte> DefaultTestKey => [0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x4B, 0x4C, 0x4D, 0x4E, 0x4F];

    protected override CommandTable<Phase> Commands => _commands;

    /// <summary>Adds the domain's module to <paramref name="catalog"/> (with <paramref name="modules"/> as what it can install); returns the catalog.</summary>
    public static ApplicationCatalog Register(ApplicationCatalog catalog, ExecutableModuleTable? modules = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Add(Module, aid => new IssuerSecurityDomain(aid, modules));
    }

    /// <summary>Installs the domain on a blank card, as the card manufacturer does (the catalog must hold <see cref="Module"/>).</summary>
    public static RegistryEntry InstallOn(VirtualCard card, Aid? aid = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card.Install(Module, aid ?? DefaultAid, new InstallOptions { Privileges = DefaultPrivileges });
    }

    public override void Install(ApplicationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Span<byte> keys = stackalloc byte[KeySetLength];
        DefaultTestKey.CopyTo(keys);
        DefaultTestKey.CopyTo(keys[16..]);
        DefaultTestKey.CopyTo(keys[32..]);
        context.Store.Set(KeyCell(DefaultKeyVersion), keys);
        context.Store.Set(SequenceCounterCell, [0x00, 0x00]);
        Span<byte> diversification = stackalloc byte[KmcDiversification.DiversificationDataLength];
        context.Random.Fill(diversification);
        context.Store.Set(DiversificationDataCell, diversification);
    }

    /// <summary>
    /// Pre-personalisation (the card manufacturer's step, or a test): replaces the domain's key sets with one set of
    /// static keys. Run it inside <see cref="VirtualCard.Personalize"/> on the domain's context.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not 16 bytes, or the key version is 00 or FF.</exception>
    public static void LoadKeySet(ApplicationContext context, byte keyVersion, ReadOnlySpan<byte> enc, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> dek)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (keyVersion is 0x00 or 0xFF)
        {
            throw new ArgumentException($"key version {keyVersion:X2} is reserved", nameof(keyVersion));
        }

        Span<byte> keys = stackalloc byte[KeySetLength];
        try
        {
            RequireKey(enc, nameof(enc));
            RequireKey(mac, nameof(mac));
            RequireKey(dek, nameof(dek));
            enc.CopyTo(keys);
            mac.CopyTo(keys[16..]);
            dek.CopyTo(keys[32..]);
            foreach (string cell in context.Store.Keys(KeyCellPrefix))
            {
                context.Store.Delete(cell);
            }

            context.Store.Set(KeyCell(keyVersion), keys);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>Closes the secure channel (and the personalisation it carried); the domain is back to <see cref="Phase.Selected"/>.</summary>
    internal static void CloseChannel(CommandContext context)
    {
        context.Volatile<SecureChannel>().Close();
        context.SetPhase(Phase.Selected);
    }

    /// <summary>
    /// 6F { 84 AID, A5 { 73 security domain management data (GP Card Spec v2.2 H.2: GP RID OID, card management
    /// type and version 2.2.1, card identification scheme, SCP02 i = 15), 9F65 maximum command data length FF } }.
    /// </summary>
    protected override byte[] BuildFci(ApplicationContext context)
    {
        using var writer = new TlvWriter(96);
        using (writer.PushConstructed(new Tag(0x73)))
        {
            writer.WritePrimitive(new Tag(0x06), [0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x01]);
            using (writer.PushConstructed(new Tag(0x60)))
            {
                writer.WritePrimitive(new Tag(0x06), [0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x02, 0x02, 0x02, 0x01]);
            }

            using (writer.PushConstructed(new Tag(0x63)))
            {
                writer.WritePrimitive(new Tag(0x06), [0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x03]);
            }

            using (writer.PushConstructed(new Tag(0x64)))
            {
                writer.WritePrimitive(new Tag(0x06), [0x2A, 0x86, 0x48, 0x86, 0xFC, 0x6B, 0x04, 0x02, 0x15]);
            }
        }

        writer.WritePrimitive(new Tag(0x9F65), [0xFF]);
        return Fci.Build(Aid, writer.WrittenSpan);
    }

    private static void RequireKey(ReadOnlySpan<byte> key, string name)
    {
        if (key.Length != Scp02.KeyLength)
        {
            throw new ArgumentException($"an SCP02 static key is {Scp02.KeyLength} bytes; {name} has {key.Length}", name);
        }
    }

    private static string KeyCell(byte keyVersion) => $"{KeyCellPrefix}{keyVersion:X2}";

    /// <summary>
    /// 80 50 KVN 00 08 host-challenge: answers key diversification data (10) ‖ KVN ‖ 02 ‖ sequence counter (2) ‖
    /// card challenge (6) ‖ card cryptogram (8). KVN 00 means the first key set. 6A88 for an unknown KVN, 6985 when
    /// the sequence counter is exhausted.
    /// </summary>
    private static ResponseApdu InitializeUpdate(CommandContext context)
    {
        CloseChannel(context);
        byte requested = context.Command.P1;
        byte keyVersion = requested != 0 ? requested : FirstKeyVersion(context);
        var keys = keyVersion == 0 ? null : context.Store.Get(KeyCell(keyVersion));
        if (keys is null || keys.Length != KeySetLength)
        {
            return Responses.Status(StatusWord.ReferencedDataNotFound);
        }

        try
        {
            var counter = context.Store.Get(SequenceCounterCell) ?? [0x00, 0x00];
            if (BinaryPrimitives.ReadUInt16BigEndian(counter) == ushort.MaxValue)
            {
                return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
            }

            var cardChallenge = new byte[6];
            context.Random.Fill(cardChallenge);
            var hostChallenge = context.Command.Data.ToArray();
            var channel = context.Volatile<SecureChannel>();
            channel.Open(keyVersion, keys, counter, hostChallenge, cardChallenge);
            context.SetPhase(Phase.Initialized);

            var diversification = context.Store.Get(DiversificationDataCell) ?? new byte[KmcDiversification.DiversificationDataLength];
            byte[] response = [.. diversification, keyVersion, 0x02, .. counter, .. cardChallenge, .. channel.Session!.CardCryptogram(hostChallenge, cardChallenge)];
            return Responses.Ok(response);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    private static byte FirstKeyVersion(CommandContext context)
    {
        var first = context.Store.Keys(KeyCellPrefix).Order(StringComparer.Ordinal).FirstOrDefault();
        return first is null ? (byte)0 : Convert.ToByte(first[KeyCellPrefix.Length..], 16);
    }

    /// <summary>
    /// 84 82 SL 00 10 host-cryptogram C-MAC: opens the channel at security level SL (00, 01, 03) when the C-MAC
    /// (zero ICV) and the host cryptogram are right, and counts the session; otherwise 6300 and no channel.
    /// </summary>
    private static ResponseApdu ExternalAuthenticate(CommandContext context)
    {
        var command = context.ReceivedCommand;
        var level = (Scp02SecurityLevel)command.P1;
        if (level is not (Scp02SecurityLevel.None or Scp02SecurityLevel.CMac or (Scp02SecurityLevel.CMac | Scp02SecurityLevel.CDecryption)))
        {
            CloseChannel(context);
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        var channel = context.Volatile<SecureChannel>();
        if (!command.HasSecureMessaging || command.IsExtended || channel.Session is null)
        {
            CloseChannel(context);
            return Responses.Status(StatusWord.SecurityStatusNotSatisfied);
        }

        if (!channel.Session.AcceptExternalAuthenticate(command.ToArray(), channel.HostChallenge, channel.CardChallenge))
        {
            CloseChannel(context);
            return Responses.Status(StatusWord.AuthenticationFailed);
        }

        channel.Level = level;
        uint counter = context.Store.GetUInt(SequenceCounterCell);
        context.Store.SetUInt(SequenceCounterCell, counter + 1, 2);
        context.SetPhase(Phase.Authenticated);
        return Responses.Ok();
    }

    /// <summary>
    /// Null when the command may run under the secure channel; otherwise the status word: 6982 without an open channel
    /// (or without the security domain privilege, hence no card manager), or for a command that lacks the C-MAC the security level demands (which also closes the channel).
    /// </summary>
    private static StatusWord? RequireSecureChannel(CommandContext context)
    {
        if (context.GetPhase<Phase>() != Phase.Authenticated || context.CardManager is null)
        {
            return StatusWord.SecurityStatusNotSatisfied;
        }

        if (context.Volatile<SecureChannel>().Level.HasFlag(Scp02SecurityLevel.CMac) && !context.SecureMessagingVerified)
        {
            CloseChannel(context);
            return StatusWord.SecurityStatusNotSatisfied;
        }

        return null;
    }
}
