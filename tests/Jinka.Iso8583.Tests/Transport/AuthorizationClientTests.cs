using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Iso8583.Fields;
using Jinka.Iso8583.Transport;

namespace Jinka.Iso8583.Tests.Transport;

/// <summary>The terminal's <see cref="Iso8583AuthorizationClient"/> against a host over loopback.</summary>
public sealed class AuthorizationClientTests
{
    [Fact]
    public async Task Signs_on_then_sends_a_MACed_request_and_reads_the_answer()
    {
        await using var host = new TestHost();
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port), TestHost.Tmk);

        var response = await client.AuthorizeAsync(TestRequests.Purchase(11));

        Assert.True(client.IsSignedOn);
        Assert.Equal("00", response.ResponseCode);
        Assert.Equal("123456", response.ApprovalCode);
        Assert.Equal("910A00112233445566773030", Hex.Encode(response.IccData.Span));
        var received = host.Received.ToArray();
        Assert.Equal([Mti.SignOnRequest, Mti.FinancialRequest], received.Select(m => m.Mti));
        Assert.True(received[1].Has(Iso8583Field.Mac));
    }

    [Fact]
    public async Task Online_PIN_travels_encrypted_under_the_PIK()
    {
        await using var host = new TestHost();
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port), TestHost.Tmk);
        byte[] clear = Hex.Parse("041234FEDCBA9876");

        await client.AuthorizeAsync(TestRequests.Purchase(12) with { PinBlock = clear });

        var sent = host.Received.Last();
        Assert.Equal(8, sent.PinData!.Value.Length);
        Assert.NotEqual(clear, sent.PinData!.Value.ToArray());
    }

    [Fact]
    public async Task A_response_whose_MAC_does_not_verify_is_an_online_failure()
    {
        await using var host = new TestHost { SpoilMacs = true };
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port), TestHost.Tmk);

        var ex = await Assert.ThrowsAsync<OnlineException>(async () => await client.AuthorizeAsync(TestRequests.Purchase(13)));

        Assert.Contains("does not verify", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_A0_the_client_signs_on_again_and_retries_once()
    {
        await using var host = new TestHost();
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port), TestHost.Tmk);
        await client.SignOnAsync();
        host.Scripted.Enqueue("A0");

        var response = await client.AuthorizeAsync(TestRequests.Purchase(14));

        Assert.Equal("00", response.ResponseCode);
        Assert.Equal(2, host.SignOns);
    }

    [Fact]
    public async Task No_host_is_an_online_failure()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(port), TestHost.Tmk);

        await Assert.ThrowsAsync<OnlineException>(async () => await client.AuthorizeAsync(TestRequests.Purchase(15)));
    }

    [Fact]
    public async Task A_host_that_does_not_answer_in_time_is_an_online_failure()
    {
        await using var host = new TestHost();
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port) with { ResponseTimeout = TimeSpan.FromMilliseconds(300) }, TestHost.Tmk);
        await client.SignOnAsync();
        host.Scripted.Enqueue(null);

        var ex = await Assert.ThrowsAsync<OnlineException>(async () => await client.AuthorizeAsync(TestRequests.Purchase(16)));

        Assert.IsType<TimeoutException>(ex.InnerException);
    }

    [Fact]
    public async Task Advices_go_out_as_0400_and_0320_and_any_answer_delivers_them()
    {
        await using var host = new TestHost();
        await using var client = Iso8583AuthorizationClient.Create(TestRequests.Options(host.Port), TestHost.Tmk);
        var original = TestRequests.Purchase(17);

        await client.AdviseAsync(new TransactionAdvice(AdviceKind.Reversal, original, Hex.Parse("9F36020001")));
        await client.AdviseAsync(new TransactionAdvice(AdviceKind.Completion, original, Hex.Parse("9F2608" + "0102030405060708" + "9F270140")));

        Assert.Equal([Mti.SignOnRequest, Mti.ReversalRequest, Mti.BatchUploadRequest], host.Received.Select(m => m.Mti));
        Assert.All(host.Received.Skip(1), m => Assert.Equal(17, m.Stan));
    }
}
