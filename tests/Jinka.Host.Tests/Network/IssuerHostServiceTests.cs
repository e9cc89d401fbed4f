using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Host.Issuing;
using Jinka.Host.Scripts;
using Jinka.Iso8583;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Framing;
using Jinka.Iso8583.Messages;
using Jinka.Iso8583.Transport;

namespace Jinka.Host.Tests.Network;

/// <summary>The issuer over ISO 8583: each MTI, duplicates, replays, reversals, MACs, offline uploads, settlement.</summary>
public sealed class IssuerHostServiceTests
{
    [Fact]
    public async Task Purchase_is_approved_with_an_ARPC_the_card_accepts_and_a_hold()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var transaction = card.Transact(2_500);

        var response = await client.AuthorizeAsync(transaction.Request);

        Assert.Equal("00", response.ResponseCode);
        Assert.NotNull(response.ApprovalCode);
        Assert.Equal(12, response.RetrievalReference!.Length);
        var field91 = TlvNode.Parse(response.IccData).Single(n => n.Tag == new Tag(0x91)).Value;
        Assert.True(card.AcceptsIssuerAuthentication(field91.Span, transaction));
        var account = await host.Harness.AccountAsync(card);
        Assert.Equal(2_500, account.Held);
        Assert.Equal(1, host.Service.Statistics.Approved);
        Assert.Equal(1, host.Service.Statistics.SignOns);
    }

    [Fact]
    public async Task SM_card_purchase_is_approved_too()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(SuiteId.Sm, pan: "6225880000000002");
        await using var client = host.Client();

        var response = await client.AuthorizeAsync(card.Transact(100).Request);

        Assert.Equal("00", response.ResponseCode);
    }

    [Fact]
    public async Task Balance_inquiry_is_approved_without_a_hold()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 7_000);
        await using var client = host.Client();

        var response = await client.AuthorizeAsync(card.Transact(0, "310000").Request);
        await using var raw = await RawTerminal.ConnectAsync(host);
        await raw.SignOnAsync();
        var answer = await raw.SendAsync(CupPosRequests.Authorization(card.Transact(0, "310000").Request, raw.Terminal));

        Assert.Equal("00", response.ResponseCode);
        Assert.Equal(0, (await host.Harness.AccountAsync(card)).Held);
        Assert.Equal("1002156C000000007000", answer.GetString(Iso8583Field.AdditionalAmounts));
        Assert.Equal(7_000, CupPosResponses.ReadAvailableBalance(answer));
    }

    [Fact]
    public async Task Insufficient_funds_and_unknown_card_are_declines_not_failures()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100);
        await using var client = host.Client();

        var poor = await client.AuthorizeAsync(card.Transact(1_000).Request);
        var stranger = await client.AuthorizeAsync(new SimulatedCard(AlgorithmSuite.International, "6225889999999999", "00", IssuerHarness.MdkAc, IssuerHarness.MdkMac, IssuerHarness.MdkEnc).Transact(100).Request);

        Assert.Equal("51", poor.ResponseCode);
        Assert.Equal("14", stranger.ResponseCode);
    }

    [Fact]
    public async Task A_duplicate_gets_the_original_answer_and_changes_nothing()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var request = card.Transact(3_000).Request;

        var first = await client.AuthorizeAsync(request);
        var second = await client.AuthorizeAsync(request);

        Assert.Equal("00", second.ResponseCode);
        Assert.Equal(first.ApprovalCode, second.ApprovalCode);
        Assert.Equal(first.RetrievalReference, second.RetrievalReference);
        Assert.Equal(first.IccData.ToArray(), second.IccData.ToArray());
        Assert.Equal(3_000, (await host.Harness.AccountAsync(card)).Held);
        Assert.Equal(1, host.Service.Statistics.Duplicates);
        Assert.Contains(host.Logs, line => line.Contains("duplicate of reference", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_STAN_with_a_new_ARQC_is_a_new_transaction()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var first = card.Transact(1_000);
        var second = card.Transact(1_000);

        await client.AuthorizeAsync(first.Request);
        var again = await client.AuthorizeAsync(second.Request with { Stan = first.Stan });

        Assert.Equal("00", again.ResponseCode);
        Assert.Equal(0, host.Service.Statistics.Duplicates);
        Assert.Equal(2_000, (await host.Harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_replayed_ARQC_under_another_STAN_is_declined_94()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var request = card.Transact(3_000).Request;

        await client.AuthorizeAsync(request);
        var replay = await client.AuthorizeAsync(request with { Stan = request.Stan + 100 });

        Assert.Equal("94", replay.ResponseCode);
        Assert.Equal(3_000, (await host.Harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task Reversal_releases_the_hold_once_and_a_repeat_changes_nothing()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var transaction = card.Transact(4_000);
        await client.AuthorizeAsync(transaction.Request);
        var advice = new TransactionAdvice(AdviceKind.Reversal, transaction.Request, Hex.Parse("9F3602" + transaction.Atc.ToString("X4", System.Globalization.CultureInfo.InvariantCulture)));

        await client.AdviseAsync(advice);
        var afterFirst = await host.Harness.AccountAsync(card);
        await client.AdviseAsync(advice);
        var afterSecond = await host.Harness.AccountAsync(card);

        Assert.Equal(0, afterFirst.Held);
        Assert.Equal(100_000, afterFirst.Balance);
        Assert.Equal(afterFirst, afterSecond);
        var record = (await host.Harness.Storage.Journal.FindByAtcAsync(CardId.Create(card.Pan), transaction.Atc))!;
        Assert.Equal(AuthorizationState.Reversed, record.State);
    }

    [Fact]
    public async Task Reversal_of_an_unknown_transaction_is_answered_25()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync();
        await using var raw = await RawTerminal.ConnectAsync(host);
        await raw.SignOnAsync();
        var transaction = card.Transact(100);

        var answer = await raw.SendAsync(CupPosRequests.Reversal(new TransactionAdvice(AdviceKind.Reversal, transaction.Request, Hex.Parse("9F36020001")), raw.Terminal));

        Assert.Equal(Mti.ReversalResponse, answer.Mti);
        Assert.Equal("25", answer.ResponseCode);
        Assert.True(raw.MacVerifies(answer));
    }

    [Fact]
    public async Task Completion_by_TC_upload_captures_the_hold()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        var transaction = card.Transact(5_000);
        await client.AuthorizeAsync(transaction.Request);
        byte[] tvr = new byte[5];
        byte[] cvr = Hex.Parse("03640000");
        byte[] tc = card.FinalCryptogram(transaction, tvr, cvr);
        byte[] adviceIcc = [.. Hex.Parse("9F2608"), .. tc, .. Hex.Parse("9F270140" + "9F1008" + "07010103640000" + "01" + "9505" + "0000000000" + "9F3602"), .. SimulatedCard.AtcBytes(transaction.Atc)];

        await client.AdviseAsync(new TransactionAdvice(AdviceKind.Completion, transaction.Request, adviceIcc));

        var account = await host.Harness.AccountAsync(card);
        Assert.Equal(0, account.Held);
        Assert.Equal(95_000, account.Balance);
        var record = (await host.Harness.Storage.Journal.FindByAtcAsync(CardId.Create(card.Pan), transaction.Atc))!;
        Assert.Equal(AuthorizationState.Completed, record.State);
        Assert.Equal("TC", record.FinalCryptogram);
        Assert.Contains(host.Harness.Issuer.Events.Snapshot(), e => e.Kind == IssuerEventKind.FinalCryptogramVerified);
    }

    [Fact]
    public async Task Script_result_0620_reaches_the_issuer_and_completes()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        var script = await host.Harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.ApplicationBlock());
        await using var client = host.Client();
        var transaction = card.Transact(1_000);
        var response = await client.AuthorizeAsync(transaction.Request);
        Assert.Contains(TlvNode.Parse(response.IccData), n => n.Tag == new Tag(0x71) || n.Tag == new Tag(0x72));
        byte[] results = [0x20, .. System.BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(script.Id))];
        byte[] adviceIcc = [.. Hex.Parse("9F270140" + "9F3602"), .. SimulatedCard.AtcBytes(transaction.Atc), .. Hex.Parse("DF3105"), .. results];

        await client.AdviseAsync(new TransactionAdvice(AdviceKind.Completion, transaction.Request, adviceIcc));

        var finished = await host.Harness.Storage.Scripts.FindAsync(script.Id);
        Assert.Equal(ScriptState.Succeeded, finished!.State);
        Assert.Equal(0, (await host.Harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task Offline_upload_is_booked_once_as_a_debit()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 10_000);
        await using var client = host.Client();
        var offline = OfflineTransaction(card, 1_200);

        string first = await client.UploadOfflineAsync(offline);
        string again = await client.UploadOfflineAsync(offline);

        Assert.Equal("00", first);
        Assert.Equal("00", again);
        var account = await host.Harness.AccountAsync(card);
        Assert.Equal(8_800, account.Balance);
        Assert.Equal(0, account.Held);
        Assert.Contains(host.Logs, line => line.Contains("already booked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Offline_upload_with_a_TC_that_does_not_verify_is_not_booked()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 10_000);
        await using var client = host.Client();
        var transaction = card.Transact(700);
        transaction.Set(new Tag(0x9F27), [0x40]);
        transaction.Set(new Tag(0x9F26), new byte[8]);

        string code = await client.UploadOfflineAsync(transaction.Request);

        Assert.Equal("05", code);
        Assert.Equal(10_000, (await host.Harness.AccountAsync(card)).Balance);
    }

    [Fact]
    public async Task An_online_ARQC_cannot_reuse_the_ATC_of_an_offline_upload()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 10_000);
        await using var client = host.Client();
        var offline = OfflineTransaction(card, 100, atc: 7);
        await client.UploadOfflineAsync(offline);

        var online = await client.AuthorizeAsync(card.Transact(100, atc: 7).Request with { Stan = 500 });

        Assert.Equal("94", online.ResponseCode);
    }

    [Fact]
    public async Task Settlement_compares_the_terminal_totals_with_the_host_ones()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        await using var client = host.Client();
        await client.AuthorizeAsync(card.Transact(1_000).Request);
        await client.AuthorizeAsync(card.Transact(2_000).Request);
        var reversed = card.Transact(500);
        await client.AuthorizeAsync(reversed.Request);
        await client.AdviseAsync(new TransactionAdvice(AdviceKind.Reversal, reversed.Request, default));

        var (balanced, hostTotals) = await client.SettleAsync(new SettlementTotals(2, 3_000, 0, 0));
        var (unbalanced, _) = await client.SettleAsync(new SettlementTotals(3, 3_500, 0, 0));

        Assert.Equal(SettlementResult.Balanced, balanced);
        Assert.Equal(new SettlementTotals(2, 3_000, 0, 0), hostTotals);
        Assert.Equal(SettlementResult.NotBalanced, unbalanced);
    }

    [Fact]
    public async Task A_bad_MAC_is_answered_A0_with_a_log_line()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync();
        await using var raw = await RawTerminal.ConnectAsync(host);
        await raw.SignOnAsync();

        var answer = await raw.SendAsync(CupPosRequests.Authorization(card.Transact(100).Request, raw.Terminal), (_, mac) => mac.Fill(0x30));

        Assert.Equal("A0", answer.ResponseCode);
        Assert.Equal(1, host.Service.Statistics.BadMacs);
        Assert.Contains(host.Logs, line => line.Contains("does not verify", StringComparison.Ordinal));
        Assert.Equal(0, (await host.Harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task A_terminal_that_has_not_signed_on_is_told_77_and_to_sign_on_in_the_header()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync();
        await using var raw = await RawTerminal.ConnectAsync(host);

        var (envelope, answer) = await raw.ExchangeAsync(CupPosRequests.Authorization(card.Transact(100).Request, raw.Terminal), (_, mac) => mac.Fill(0x30));

        Assert.Equal("77", answer.ResponseCode);
        Assert.Equal(CupPosHeader.SignOnAgain, envelope.Header.ProcessingRequirement);
    }

    [Fact]
    public async Task An_unknown_MTI_is_answered_12_and_a_response_MTI_is_dropped()
    {
        await using var host = HostFixture.Start();
        await using var raw = await RawTerminal.ConnectAsync(host);
        await raw.SignOnAsync();

        var answer = await raw.SendAsync(new Iso8583MessageBuilder(new Mti(300)).SetNumber(Iso8583Field.Stan, 77).Set(Iso8583Field.TerminalId, raw.Terminal.TerminalId));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", host.Port);
        await using var channel = new FrameChannel(new System.Net.Sockets.NetworkStream(socket), new FrameOptions { IdleTimeout = TimeSpan.FromMilliseconds(300) });
        await channel.WriteFrameAsync(CupPosEnvelope.ToHost(), new Iso8583MessageBuilder(new Mti(210)).SetNumber(Iso8583Field.Stan, 78).Set(Iso8583Field.TerminalId, raw.Terminal.TerminalId));
        await Assert.ThrowsAsync<TimeoutException>(async () => await channel.ReadFrameAsync());

        Assert.Equal(new Mti(310), answer.Mti);
        Assert.Equal("12", answer.ResponseCode);
        Assert.Contains(host.Logs, line => line.Contains("0210") && line.Contains("is a response", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Random_and_truncated_frames_are_dropped_with_log_lines_and_the_host_goes_on()
    {
        await using var host = HostFixture.Start();
        var card = await host.Harness.AddCardAsync(balance: 100_000);
        var random = new Random(5);
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp))
        {
            await socket.ConnectAsync("127.0.0.1", host.Port);
            await using var channel = new FrameChannel(new System.Net.Sockets.NetworkStream(socket));
            byte[] valid = CupPosFrame.ToArray(CupPosEnvelope.ToHost(), CupPosRequests.Authorization(card.Transact(100).Request, new CupPosTerminal("JINKA001", HostFixture.MerchantId)));
            for (int i = 0; i < 200; i++)
            {
                byte[] content = i % 2 == 0 ? new byte[random.Next(1, 300)] : valid[2..random.Next(3, valid.Length - 1)];
                if (i % 2 == 0)
                {
                    random.NextBytes(content);
                    content[0] = 0x60;
                }

                byte[] frame = [(byte)(content.Length >> 8), (byte)content.Length, .. content];
                await channel.WriteRawAsync(frame);
            }
        }

        await using var client = host.Client();
        var response = await client.AuthorizeAsync(card.Transact(100).Request);

        Assert.Equal("00", response.ResponseCode);
        Assert.True(host.Service.MalformedFrames >= 100, $"{host.Service.MalformedFrames} malformed");
        Assert.Contains(host.Logs, line => line.Contains("dropped a malformed frame", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Terminals_without_a_master_key_cannot_sign_on_unless_test_keys_are_on()
    {
        var harness = new IssuerHarness();
        await using var service = new Jinka.Host.Network.IssuerHostService(harness.Issuer, harness.Keys);
        service.Start(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        await using var client = Iso8583AuthorizationClient.Create(
            new Iso8583ClientOptions { Host = "127.0.0.1", Port = service.LocalEndPoint.Port, Terminal = new CupPosTerminal("JINKA009", HostFixture.MerchantId) },
            TestTerminalKeys.MasterKeyFor("JINKA009"));

        var ex = await Assert.ThrowsAsync<OnlineException>(() => client.SignOnAsync());

        Assert.Contains("response code 03", ex.Message, StringComparison.Ordinal);
        harness.Dispose();
    }

    [Fact]
    public async Task Many_terminals_at_once_are_all_served()
    {
        await using var host = HostFixture.Start();
        var cards = new List<SimulatedCard>();
        for (int i = 0; i < 8; i++)
        {
            cards.Add(await host.Harness.AddCardAsync(pan: $"62258800000001{i:D2}", balance: 1_000_000));
        }

        var results = await Task.WhenAll(cards.Select(async (card, i) =>
        {
            await using var client = host.Client($"JINKA1{i:D2}");
            var codes = new List<string>();
            for (int n = 0; n < 10; n++)
            {
                codes.Add((await client.AuthorizeAsync(card.Transact(100).Request)).ResponseCode);
            }

            return codes;
        }));

        Assert.All(results.SelectMany(c => c), code => Assert.Equal("00", code));
        Assert.Equal(80, host.Service.Statistics.Approved);
        foreach (var card in cards)
        {
            Assert.Equal(1_000, (await host.Harness.AccountAsync(card)).Held);
        }
    }

    /// <summary>An offline approved transaction: the card's AC over the same P3 input, with 9F27 = 40 (TC).</summary>
    private static AuthorizationRequest OfflineTransaction(SimulatedCard card, long amount, ushort? atc = null)
    {
        var transaction = card.Transact(amount, atc: atc);
        transaction.Set(new Tag(0x9F27), [0x40]);
        return transaction.Request;
    }
}
