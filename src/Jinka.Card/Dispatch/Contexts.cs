using Jinka.Card.Applications;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core.Apdu;

namespace Jinka.Card.Dispatch;

/// <summary>
/// What an application can reach inside one NVM transaction: its own store and file tree (never another
/// application's: the firewall), its life cycle, and the public directory of installed applications. Given to
/// <see cref="ICardApplication.Install"/> and to personalisation; <see cref="CommandContext"/> adds the command and
/// the session.
/// </summary>
public class ApplicationContext
{
    private readonly ApplicationRegistry _registry;
    private readonly ApplicationCatalog _catalog;

    internal ApplicationContext(NvmTransaction transaction, Aid? aid, FileDescriptor rootDescriptor, ICardRandom random, ApplicationCatalog catalog)
    {
        _catalog = catalog;
        Transaction = transaction;
        Aid = aid;
        Random = random;
        _registry = new ApplicationRegistry(transaction);
        Store = new PersistentStore(transaction, aid is null ? NvmLayout.MasterFileData : NvmLayout.ApplicationData(aid));
        Files = new FileSystem(transaction, aid is null ? NvmLayout.MasterFileFiles : NvmLayout.ApplicationFiles(aid), rootDescriptor);
    }

    /// <summary>The application, or null when the owner is the MF (the card itself).</summary>
    public Aid? Aid { get; }

    public bool IsMasterFile => Aid is null;

    /// <summary>The owner's persistent cells (counters, keys, state), in this transaction.</summary>
    public PersistentStore Store { get; }

    /// <summary>The owner's file tree, in this transaction (no access-condition checks at this level).</summary>
    public FileSystem Files { get; }

    public ICardRandom Random { get; }

    /// <summary>This application's registry entry.</summary>
    /// <exception cref="InvalidOperationException">The owner is the MF.</exception>
    public RegistryEntry Entry => _registry.Find(RequireAid()) ?? throw new InvalidOperationException($"application {Aid} is not in the registry");

    /// <summary>This application's life cycle; setting it is part of the transaction (e.g. APPLICATION BLOCK).</summary>
    public ApplicationLifeCycle LifeCycle
    {
        get => Entry.LifeCycle;
        set => _registry.Put(Entry with { LifeCycle = value });
    }

    /// <summary>Installed applications in install order: public information (what SELECT and the directories reveal anyway).</summary>
    public IReadOnlyList<RegistryEntry> Applications => _registry.All();

    /// <summary>
    /// EMV CARD BLOCK (Book 3 §6.5.3) on a multi-application card: sets this application and every other application
    /// associated with the same security domain to <see cref="ApplicationLifeCycle.Locked"/> (not selectable), in this
    /// transaction. Security domains and applications of other domains are untouched (DESIGN, multi-application
    /// ownership): one issuer cannot block another's application. Returns how many entries were locked.
    /// </summary>
    public int LockApplicationsOfSameDomain()
    {
        var self = Entry;
        int locked = 0;
        foreach (var entry in _registry.All())
        {
            bool sameDomain = entry.Aid == self.Aid
                || (entry.SecurityDomain == self.SecurityDomain && !entry.Privileges.HasFlag(ApplicationPrivileges.SecurityDomain));
            if (sameDomain && entry.LifeCycle != ApplicationLifeCycle.Locked)
            {
                _registry.Put(entry with { LifeCycle = ApplicationLifeCycle.Locked });
                locked++;
            }
        }

        return locked;
    }

    /// <summary>Card content management, for security domains only (<see cref="ApplicationPrivileges.SecurityDomain"/>); null for everyone else.</summary>
    public CardManager? CardManager
        => Aid is not null && _registry.Find(Aid) is { } entry && entry.Privileges.HasFlag(ApplicationPrivileges.SecurityDomain)
            ? new CardManager(Transaction, _catalog, Random, Aid)
            : null;

    internal NvmTransaction Transaction { get; }

    private Aid RequireAid() => Aid ?? throw new InvalidOperationException("the MF has no registry entry or life cycle");
}

/// <summary>
/// One command as an application handles it: the command (after secure-messaging unwrapping), the session, and the
/// owner's persistent state inside the command's transaction. The transaction commits after the handler returns
/// (whatever the status word: a failed PIN try must stick) unless the handler asks for <see cref="Rollback"/> or throws.
/// </summary>
public sealed class CommandContext : ApplicationContext
{
    internal CommandContext(NvmTransaction transaction, Aid? aid, FileDescriptor rootDescriptor, ICardRandom random, ApplicationCatalog catalog, CommandApdu command, CardSession session)
        : base(transaction, aid, rootDescriptor, random, catalog)
    {
        Command = command;
        ReceivedCommand = command;
        Session = session;
    }

    /// <summary>The command to act on: as received, or with secure messaging removed once verified.</summary>
    public CommandApdu Command { get; internal set; }

    /// <summary>The command exactly as it arrived.</summary>
    public CommandApdu ReceivedCommand { get; }

    public CardSession Session { get; }

    /// <summary>True when the command came under secure messaging that the application's unwrapper verified.</summary>
    public bool SecureMessagingVerified { get; internal set; }

    public SecurityStatus Security => Session.Security;

    /// <summary>True after <see cref="Rollback"/>: the OS drops this command's NVM changes.</summary>
    internal bool RollbackRequested { get; private set; }

    public void GrantSecurityState(int state) => Session.Security = Session.Security.With(state);

    public void RevokeSecurityState(int state) => Session.Security = Session.Security.Without(state);

    /// <summary>Draws a fresh challenge of <paramref name="length"/> bytes and keeps it in the session.</summary>
    public byte[] NewChallenge(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        var challenge = new byte[length];
        Random.Fill(challenge);
        Session.Challenge = challenge;
        return challenge;
    }

    /// <summary>Returns the session's challenge and forgets it, so it serves one verification only (empty when none).</summary>
    public byte[] ConsumeChallenge()
    {
        var challenge = Session.Challenge.ToArray();
        Session.Challenge = default;
        return challenge;
    }

    /// <summary>This application's volatile object of type <typeparamref name="T"/> (fresh after each SELECT and reset).</summary>
    public T Volatile<T>()
        where T : class, new() => Session.Volatile<T>(Aid);

    /// <summary>The application's phase; the zero value of <typeparamref name="TPhase"/> is the phase right after SELECT.</summary>
    public TPhase GetPhase<TPhase>()
        where TPhase : struct, Enum => Volatile<PhaseHolder<TPhase>>().Value;

    public void SetPhase<TPhase>(TPhase phase)
        where TPhase : struct, Enum => Volatile<PhaseHolder<TPhase>>().Value = phase;

    /// <summary>The current DF (the owner's root when none below it is selected).</summary>
    public FileRef CurrentDf => Files.Find(Session.CurrentDf) is { IsDf: true } df ? df : Files.Root;

    /// <summary>The current EF, or null.</summary>
    public FileRef? CurrentEf => Session.CurrentEf is { } path ? Files.Find(path) : null;

    /// <summary>Makes <paramref name="ef"/> the current EF (as READ BINARY/RECORD by SFI do, ISO/IEC 7816-4 §7.2.2).</summary>
    public void SetCurrentEf(FileRef ef) => Session.CurrentEf = ef.Path;

    /// <summary>Answers <paramref name="statusWord"/> and drops every NVM change this command made (e.g. a MAC that fails after work began).</summary>
    public ResponseApdu Rollback(StatusWord statusWord)
    {
        RollbackRequested = true;
        return Responses.Status(statusWord);
    }

    private sealed class PhaseHolder<TPhase>
        where TPhase : struct
    {
        public TPhase Value { get; set; }
    }
}
