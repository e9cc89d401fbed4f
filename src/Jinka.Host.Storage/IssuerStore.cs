using Jinka.Host.Issuing;
using Jinka.Host.Storage.Sql;

namespace Jinka.Host.Storage;

/// <summary>
/// An open durable store: the five issuer stores as one <see cref="IssuerStorage"/>, the ledger read model, and the
/// owner of the connections. Every mutating call returns only after its transaction committed. Dispose to close
/// (nothing is lost without it: an acknowledged write is already committed).
/// </summary>
public sealed class IssuerStore : IAsyncDisposable
{
    private readonly SqlStoreEngine _engine;
    private readonly SqlLedgerReader _ledger;

    internal IssuerStore(SqlStoreEngine engine, StoreLocation location)
    {
        _engine = engine;
        _ledger = new SqlLedgerReader(engine);
        Location = location;
        Storage = new IssuerStorage(new SqlCardRegistry(engine), new SqlAccountStore(engine), new SqlAuthorizationJournal(engine), new SqlScriptStore(engine))
        {
            PinTries = new SqlPinTryCounter(engine),
        };
    }

    /// <summary>What the issuer (and the ISO 8583 service) decides against.</summary>
    public IssuerStorage Storage { get; }

    /// <summary>Which store this is.</summary>
    public StoreLocation Location { get; }

    /// <summary>Where, for messages (no password).</summary>
    public string Description => $"{_engine.Dialect.Name}:{_engine.Dialect.Describe}";

    /// <summary>The schema version after the migrations applied on open.</summary>
    public int SchemaVersion => _engine.SchemaVersion;

    /// <summary>Commits made, operations in them, and the writer's time, since open.</summary>
    public WriterStatistics WriteStatistics => _engine.Writer.Statistics;

    /// <summary>Balances, the books check and the approved authorisations.</summary>
    public Task<LedgerReport> ReadLedgerAsync(CancellationToken cancellationToken = default) => _ledger.ReadAsync(cancellationToken);

    /// <summary>The books check alone.</summary>
    public Task<BooksCheck> CheckBooksAsync(CancellationToken cancellationToken = default) => _ledger.CheckAsync(cancellationToken);

    public ValueTask DisposeAsync() => _engine.DisposeAsync();
}
