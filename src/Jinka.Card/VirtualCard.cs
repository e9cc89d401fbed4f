using Jinka.Card.Applications;
using Jinka.Card.Dispatch;
using Jinka.Card.Files;
using Jinka.Card.Nvm;
using Jinka.Core.Apdu;

namespace Jinka.Card;

/// <summary>How a <see cref="VirtualCard"/> behaves on the wire.</summary>
public sealed record VirtualCardOptions
{
    /// <summary>
    /// T=0-like: data answering a case-4 command is held back and announced with 61xx for GET RESPONSE, and the ATR
    /// offers T=0. Default false: T=1-like, data comes with the status word.
    /// </summary>
    public bool UseGetResponse { get; init; }

    /// <summary>Source of challenges and other card randoms.</summary>
    public ICardRandom Random { get; init; } = SystemCardRandom.Instance;

    /// <summary>Historical bytes of the ATR (0–15 bytes).</summary>
    public ReadOnlyMemory<byte> HistoricalBytes { get; init; } = AnswerToReset.DefaultHistoricalBytes.ToArray();
}

/// <summary>
/// The card: an OS over <see cref="NvmMemory"/> hosting the applications the registry names. Power it on, send it
/// commands with <see cref="Process"/> (or through <see cref="VirtualCardTransport"/>), power it off; NVM outlives
/// all of that, the <see cref="CardSession"/> does not.
/// </summary>
/// <remarks>
/// <para>Each command runs in one NVM transaction that commits after the handler returns; an exception in the card
/// rolls it back and answers 6F00 (<see cref="LastFault"/> keeps the exception). A tear (<see cref="CardTornException"/>)
/// is not a card answer: it propagates, and the card is off until <see cref="PowerOn"/>, which recovers NVM.</para>
/// <para>The OS itself handles SELECT (by DF name, by FID, the MF) and GET RESPONSE; every other command goes to the
/// selected application, or to the MF's own file commands when none is.</para>
/// <para>Not thread-safe: one command at a time, as with a real card.</para>
/// </remarks>
public sealed partial class VirtualCard
{
    private static readonly CommandTable<MasterFilePhase> s_masterFileCommands =
        new CommandTable<MasterFilePhase>().AddFileCommands().AddGetChallenge();

    private readonly Dictionary<Aid, (string Module, ICardApplication Application)> _instances = [];

    /// <param name="catalog">Application code by module name.</param>
    /// <param name="nvm">The card's memory (e.g. loaded with <see cref="CardImage.Load"/>); a blank card when null.</param>
    /// <param name="options">Wire behaviour.</param>
    public VirtualCard(ApplicationCatalog catalog, NvmMemory? nvm = null, VirtualCardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Catalog = catalog;
        Nvm = nvm ?? new NvmMemory();
        Options = options ?? new VirtualCardOptions();
        Atr = AnswerToReset.Build(Options.UseGetResponse, Options.HistoricalBytes.Span);
    }

    private enum MasterFilePhase
    {
        Selected,
    }

    public ApplicationCatalog Catalog { get; }

    public NvmMemory Nvm { get; }

    public VirtualCardOptions Options { get; }

    public AnswerToReset Atr { get; }

    public bool IsPowered => Session is not null;

    /// <summary>The current session, or null while the card is off.</summary>
    public CardSession? Session { get; private set; }

    /// <summary>The exception behind the last 6F00, for diagnostics.</summary>
    public Exception? LastFault { get; private set; }

    /// <summary>Installed applications in install order.</summary>
    public IReadOnlyList<RegistryEntry> Applications => ReadOnly(tx => new ApplicationRegistry(tx).All());

    /// <summary>Cold reset: recovers NVM from a torn command if needed, starts a new session with the MF selected.</summary>
    /// <exception cref="CardTornException">Power was lost again during recovery (tear injection).</exception>
    public AnswerToReset PowerOn()
    {
        Session = null;
        Nvm.Recover();
        Session = new CardSession();
        return Atr;
    }

    /// <summary>Warm reset: a new session; NVM is untouched.</summary>
    public AnswerToReset Reset()
    {
        RequirePower();
        Session = new CardSession();
        return Atr;
    }

    /// <summary>Removes power: the session is gone.</summary>
    public void PowerOff() => Session = null;

    /// <summary>Processes one command and returns the card's answer. Never throws for anything the card does wrong (that is 6F00).</summary>
    /// <exception cref="InvalidOperationException">The card is not powered.</exception>
    /// <exception cref="CardTornException">Power was lost during an NVM write; the card is now off.</exception>
    public ResponseApdu Process(CommandApdu command)
    {
        ArgumentNullException.ThrowIfNull(command);
        var session = RequirePower();
        session.CommandCount++;
        if (command.Ins == 0xC0 && CommandTable<MasterFilePhase>.BaseClass(command.Cla) == 0x00 && command.LogicalChannel == 0)
        {
            return GetResponse(session, command);
        }

        session.PendingResponse = null;
        var response = Execute(session, command);
        if (Options.UseGetResponse && command.Nc > 0 && !response.Data.IsEmpty)
        {
            session.PendingResponse = response.Data.ToArray();
            session.PendingStatus = response.StatusWord;
            return Responses.Status(StatusWord.MoreBytesAvailable(Math.Min(response.Data.Length, 256)));
        }

        return response;
    }

    /// <summary>Installs an application instance of <paramref name="module"/> at <paramref name="aid"/> and runs its <see cref="ICardApplication.Install"/>, atomically.</summary>
    /// <exception cref="InvalidOperationException">The AID or FID is taken, or the module is unknown.</exception>
    public RegistryEntry Install(string module, Aid aid, InstallOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(aid);
        options ??= new InstallOptions();
        return Administer(tx => CardManager.InstallInTransaction(tx, Catalog, Options.Random, module, aid, options));
    }

    /// <summary>Removes an application and everything it owns, atomically.</summary>
    public void Uninstall(Aid aid)
    {
        ArgumentNullException.ThrowIfNull(aid);
        Administer(tx =>
        {
            var registry = new ApplicationRegistry(tx);
            _ = registry.Find(aid) ?? throw new InvalidOperationException($"application {aid} is not installed");
            registry.Remove(aid);
            return 0;
        });
        _instances.Remove(aid);
    }

    /// <summary>
    /// Personalises an application (or the MF when <paramref name="aid"/> is null) in process, atomically: create files,
    /// write records and cells, set the life cycle. Access conditions do not apply here.
    /// </summary>
    public void Personalize(Aid? aid, Action<ApplicationContext> personalize)
    {
        ArgumentNullException.ThrowIfNull(personalize);
        Administer(tx =>
        {
            personalize(CreateContext(tx, aid));
            return 0;
        });
    }

    /// <summary>Reads persistent state outside any command (inspection, tests); changes made in <paramref name="read"/> are discarded.</summary>
    public T Inspect<T>(Aid? aid, Func<ApplicationContext, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return ReadOnly(tx => read(CreateContext(tx, aid)));
    }

    private ResponseApdu Execute(CardSession session, CommandApdu command)
    {
        if (command.Cla == 0xFF || (command.Cla & 0x60) == 0x20)
        {
            return Responses.Status(StatusWord.ClassNotSupported);
        }

        if (command.LogicalChannel != 0)
        {
            return Responses.Status(CardStatus.LogicalChannelNotSupported);
        }

        if (command.IsChained)
        {
            return Responses.Status(CardStatus.ChainingNotSupported);
        }

        var transaction = Nvm.BeginTransaction();
        CommandContext? context = null;
        try
        {
            ResponseApdu response;
            if (command.Ins == 0xA4 && CommandTable<MasterFilePhase>.BaseClass(command.Cla) == 0x00)
            {
                response = Select(session, transaction, command, out context);
            }
            else
            {
                var owner = session.SelectedApplication;
                var entry = owner is null ? null : new ApplicationRegistry(transaction).Find(owner);
                context = new CommandContext(transaction, owner, RootDescriptor(entry), Options.Random, Catalog, command, session);
                response = owner is null ? s_masterFileCommands.Dispatch(context) : Instance(entry!).Process(context);
            }

            if (context?.RollbackRequested == true)
            {
                transaction.Rollback();
            }
            else
            {
                transaction.Commit();
            }

            return response;
        }
        catch (CardTornException)
        {
            Session = null;
            throw;
        }
        catch (Exception fault)
        {
            LastFault = fault;
            RollBackAfterFault(transaction);
            session.ClearVolatile(session.SelectedApplication);
            if (command.Ins == 0xA4)
            {
                // A SELECT that blew up selected nothing trustworthy: start again from the MF.
                session.Select(null);
            }

            return Responses.Status(StatusWord.NoPreciseDiagnosis);
        }
    }

    private void RollBackAfterFault(NvmTransaction transaction)
    {
        try
        {
            transaction.Rollback();
        }
        catch (CardTornException)
        {
            Session = null;
            throw;
        }
    }

    private static ResponseApdu GetResponse(CardSession session, CommandApdu command)
    {
        if (command.P1 != 0 || command.P2 != 0)
        {
            return Responses.Status(StatusWord.IncorrectP1P2);
        }

        if (session.PendingResponse is not { } pending)
        {
            return Responses.Status(StatusWord.ConditionsOfUseNotSatisfied);
        }

        int count = Math.Min(command.Ne == 0 ? 256 : command.Ne, pending.Length);
        if (count < pending.Length)
        {
            session.PendingResponse = pending[count..];
            return Responses.Data(pending.AsSpan(0, count), StatusWord.MoreBytesAvailable(Math.Min(pending.Length - count, 256)));
        }

        session.PendingResponse = null;
        return Responses.Data(pending, session.PendingStatus);
    }

    private ApplicationContext CreateContext(NvmTransaction transaction, Aid? aid)
    {
        RegistryEntry? entry = null;
        if (aid is not null)
        {
            entry = new ApplicationRegistry(transaction).Find(aid) ?? throw new InvalidOperationException($"application {aid} is not installed");
        }

        return new ApplicationContext(transaction, aid, RootDescriptor(entry), Options.Random, Catalog);
    }

    private static FileDescriptor RootDescriptor(RegistryEntry? entry)
        => entry is null ? NvmLayout.MasterFileDescriptor : NvmLayout.AdfDescriptor(entry);

    private ICardApplication Instance(RegistryEntry entry)
    {
        if (_instances.TryGetValue(entry.Aid, out var cached) && cached.Module == entry.Module)
        {
            return cached.Application;
        }

        var application = Catalog.Create(entry.Module, entry.Aid);
        _instances[entry.Aid] = (entry.Module, application);
        return application;
    }

    private T Administer<T>(Func<NvmTransaction, T> change)
    {
        if (Nvm.NeedsRecovery)
        {
            Nvm.Recover();
        }

        var transaction = Nvm.BeginTransaction();
        try
        {
            var result = change(transaction);
            transaction.Commit();
            if (Session is { SelectedApplication: not null } session)
            {
                // What was selected may have changed under the session: start from the MF.
                session.Select(null);
            }

            return result;
        }
        catch (CardTornException)
        {
            Session = null;
            throw;
        }
        catch
        {
            transaction.Rollback();
            throw;
        }
    }

    private T ReadOnly<T>(Func<NvmTransaction, T> read)
    {
        using var transaction = Nvm.BeginTransaction();
        try
        {
            return read(transaction);
        }
        finally
        {
            transaction.Rollback();
        }
    }

    private CardSession RequirePower() => Session ?? throw new InvalidOperationException("the card is not powered: call PowerOn first");
}
