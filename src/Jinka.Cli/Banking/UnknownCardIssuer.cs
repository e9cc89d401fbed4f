using Jinka.Crypto.Keys;
using Jinka.Host.Issuing;

namespace Jinka.Cli.Banking;

/// <summary>
/// The issuer behind <c>transact --reader</c> when no <c>--issuer-keys</c> are given: it holds no card, so it declines
/// an online request as a real issuer declines a card it did not issue (response code 14, invalid card), and the
/// kernel still completes the transaction.
/// </summary>
internal sealed class UnknownCardIssuer : IDisposable
{
    private readonly SoftwareKeyStore _keys = new();

    public UnknownCardIssuer() => Issuer = new Issuer(_keys, IssuerStorage.InMemory());

    public Issuer Issuer { get; }

    public void Dispose() => _keys.Dispose();
}
