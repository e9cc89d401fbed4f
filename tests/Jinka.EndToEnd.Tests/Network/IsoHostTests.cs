using System.Net;
using Jinka.Core.Online;
using Jinka.Host.Issuing;
using Jinka.Host.Network;
using Jinka.Issuance;
using Jinka.Iso8583.Load;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;
using Jinka.Terminal;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Network;

/// <summary>An issued card, the contact kernel and the issuer meeting over ISO 8583 on a loopback socket.</summary>
public sealed class IsoHostTests
{
    [Theory]
    [InlineData("pboc-debit-intl")]
    [InlineData("pboc-debit-sm")]
    public async Task Purchase_over_ISO8583_is_approved_and_the_completion_captures_it(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        await using var service = new IssuerHostService(h.Issuer, h.IssuerKeys, new IssuerHostOptions { TestTerminalMasterKeys = true, Time = h.Clock });
        var endpoint = service.Start(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = Iso8583AuthorizationClient.Create(
            new Iso8583ClientOptions { Host = "127.0.0.1", Port = endpoint.Port, Terminal = new CupPosTerminal("JINKA001", "898310048990001") },
            TestTerminalKeys.MasterKeyFor("JINKA001"));
        var before = await h.AccountAsync();

        var result = await h.RunAsync(new TransactionRequest(1234, ForceOnline: true), PinEntry.Fixed(h.Profile.Pin), host: client);

        Assert.True(result.Outcome == TransactionOutcome.Approved, result.Trace.ToJson());
        var after = await h.AccountAsync();
        Assert.Equal(before.Balance - 1234, after.Balance);
        Assert.Equal(0, after.Held);
        Assert.Equal(1, service.Statistics.Approved);
        Assert.True(service.Statistics.Advices >= 1);
        Assert.Equal(AuthorizationState.Completed, Assert.Single(h.Journal.Records).State);
    }

    /// <summary>
    /// Honesty of the bench: a load card built from the card's issuer keys and the field 55 the card itself sent makes
    /// ARQCs the issuer verifies like the card's, for the ATCs after the card's.
    /// </summary>
    [Fact]
    public async Task Load_card_from_the_real_cards_keys_and_field_55_is_verified_by_the_issuer()
    {
        await using var h = await Harness.IssueAsync("pboc-debit-intl");
        var recorder = new Recorder(h.Issuer);
        var result = await h.RunAsync(new TransactionRequest(500, ForceOnline: true), PinEntry.Fixed(h.Profile.Pin), host: recorder);
        Assert.True(result.Outcome == TransactionOutcome.Approved, result.Trace.ToJson());
        var captured = recorder.Request!;
        var keys = CardKeysFile.Parse(IssuedKeys.ToJson(h.Profile));
        ushort cardAtc = (await h.Issuer.Storage.Journal.FindByTraceAsync(captured.TerminalId, captured.Stan, h.CardId))!.Atc;

        var card = new LoadCard(keys.Suite, keys.Card.Pan, keys.Card.Psn, keys.MdkAc, nextAtc: cardAtc + 1, template: captured.IccData);
        var decisions = new List<IssuerDecision>();
        for (int i = 0; i < 3; i++)
        {
            decisions.Add(await h.Issuer.DecideAsync(card.NextRequest(200, 100 + i, h.Clock.GetLocalNow().DateTime, captured.TerminalId, captured.MerchantId)));
        }

        Assert.All(decisions, d => Assert.True(d.ArqcVerified, string.Join("; ", d.Events)));
        Assert.All(decisions, d => Assert.Equal("00", d.Response.ResponseCode));
    }

    private sealed class Recorder(IAuthorizationClient inner) : IAuthorizationClient
    {
        public AuthorizationRequest? Request { get; private set; }

        public ValueTask<AuthorizationResponse> AuthorizeAsync(AuthorizationRequest request, CancellationToken cancellationToken = default)
        {
            Request = request;
            return inner.AuthorizeAsync(request, cancellationToken);
        }

        public ValueTask AdviseAsync(TransactionAdvice advice, CancellationToken cancellationToken = default) => inner.AdviseAsync(advice, cancellationToken);
    }
}
