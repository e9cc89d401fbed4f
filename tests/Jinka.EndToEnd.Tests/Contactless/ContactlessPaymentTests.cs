using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Terminal;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Pin;

namespace Jinka.EndToEnd.Tests.Contactless;

/// <summary>
/// Cards issued from the contactless EC profiles, tapped at the qPBOC kernel: offline electronic cash purchases with
/// fDDA and the APDU economy of issue 4, and online taps whose ARQC the issuer verifies (contract Q34, Q35).
/// </summary>
public class ContactlessPaymentTests
{
    /// <summary>The reader limits of these tests (the CLI's: ¥10,000 / ¥1,000 / ¥500).</summary>
    internal static readonly QpbocReaderOptions s_reader = new()
    {
        ContactlessTransactionLimit = 1_000_000,
        CvmLimit = 100_000,
        ContactlessFloorLimit = 50_000,
    };

    [Theory]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public async Task Offline_ec_purchase_uses_the_minimum_apdus_and_debits_the_balance(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        long before = await BalanceAsync(h);
        var (result, commands) = await TapAsync(h, 8_50, pin: null);

        Assert.True(result.Outcome == TransactionOutcome.Approved, result.Reason);
        Assert.False(result.WentOnline);
        Assert.Equal(before - 8_50, await BalanceAsync(h));

        // PPSE, SELECT, GPO, then only the READ RECORDs the qPBOC AFL lists: none of the track file (Q34).
        Assert.Equal(["SELECT", "SELECT", "GPO"], commands.Take(3).Select(Name));
        var reads = commands.Skip(3).ToList();
        Assert.All(reads, c => Assert.Equal(0xB2, c.Ins));
        Assert.DoesNotContain(reads, c => c.P2 >> 3 == 1);
        Assert.NotEmpty(reads);

        // Exactly the records the GPO's AFL lists, each once; and the trace counts the same APDUs.
        var afl = Core.Tlv.TlvNode.Parse(result.Trace.Apdus[2].Response.Length > 0 ? Hex.Parse(result.Trace.Apdus[2].Response) : [])[0]
            .Children.Single(n => n.Tag.Value == 0x94).Value.ToArray();
        int listed = Enumerable.Range(0, afl.Length / 4).Sum(i => afl[(4 * i) + 2] - afl[(4 * i) + 1] + 1);
        Assert.Equal(listed, reads.Count);
        Assert.Equal(reads.Count, reads.Select(c => (c.P1, c.P2)).Distinct().Count());
        Assert.Equal(commands.Count, result.Trace.Apdus.Count);
    }

    [Theory]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public async Task When_the_ec_balance_is_short_an_offline_reader_declines_and_an_online_one_goes_online(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        long balance = await BalanceAsync(h);
        long amount = balance + 1;
        var limits = s_reader with { ContactlessFloorLimit = 1_000_000, CvmLimit = 1_000_000 };

        // Offline-only reader (no host): the card answers an AAC (Q25), nothing is debited, no record is read.
        await using (var reader = h.Transport())
        {
            var offline = await new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, null, PinEntry.Bypass, h.Clock, TerminalRandom.Seeded(4)) { Reader = limits }
                .RunAsync(reader, new TransactionRequest(amount));
            Assert.Equal(TransactionOutcome.Declined, offline.Outcome);
            Assert.Equal(3, offline.Trace.Apdus.Count); // PPSE, SELECT, GPO: an AAC reads no record
        }

        Assert.Equal(balance, await BalanceAsync(h));

        // Online-capable reader: the card asks for an ARQC and the issuer approves from the account.
        await using (var reader = h.Transport())
        {
            var online = await new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, h.Issuer, PinEntry.Fixed(h.Profile.Pin), h.Clock, TerminalRandom.Seeded(5)) { Reader = limits }
                .RunAsync(reader, new TransactionRequest(amount));
            Assert.True(online.Outcome == TransactionOutcome.Approved && online.WentOnline, online.Reason);
        }

        Assert.Equal(balance, await BalanceAsync(h));
    }

    [Fact]
    public async Task A_long_rsa_icc_key_signs_fdda_into_the_virtual_record_sfi_6()
    {
        // Q38: a 1408-bit ICC key's signature does not fit the GPO response; the qPBOC AFL lists 30 01 01 00.
        await using var h = await Harness.IssueAsync("pboc-ec-intl", adjust: p => p with
        {
            IssuerKey = p.IssuerKey with { Bits = 1408 },
            IccKey = p.IccKey with { Bits = 1408 },
        });
        long before = await BalanceAsync(h);
        await using var reader = h.Transport();
        await using var recording = new RecordingTransport(reader, leaveOpen: true);
        var kernel = new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, h.Issuer, PinEntry.Bypass, h.Clock, TerminalRandom.Seeded(9)) { Reader = s_reader };
        var result = await kernel.RunAsync(recording, new TransactionRequest(8_50));

        Assert.True(result.Outcome == TransactionOutcome.Approved && !result.WentOnline, result.Reason);
        Assert.Equal(before - 8_50, await BalanceAsync(h));
        var gpo = recording.Exchanges.Single(e => e.Command.Ins == 0xA8);
        Assert.DoesNotContain(Core.Tlv.TlvNode.Parse(gpo.Response.Data)[0].Children, n => n.Tag.Value == 0x9F4B);
        var last = recording.Exchanges[^1];
        Assert.Equal((0xB2, 1, (6 << 3) | 4), (last.Command.Ins, (int)last.Command.P1, (int)last.Command.P2));
        Assert.Equal(3 + 1 + 3 + 176, last.Response.Data.Length);
        Assert.Equal(recording.Exchanges.Count, result.Trace.Apdus.Count);

        // Outside such a session the record does not exist.
        await using var again = h.Transport();
        await again.TransmitAsync(ApduCommands.SelectByName(Hex.Parse(h.Aid)));
        Assert.Equal(StatusWord.FileNotFound, (await again.TransmitAsync(ApduCommands.ReadRecord(1, 6))).StatusWord);
    }

    [Theory]
    [InlineData("pboc-ec-intl")]
    [InlineData("pboc-debit-ec-sm")]
    public async Task Online_tap_with_the_right_pin_is_approved_by_the_issuer(string profile)
    {
        await using var h = await Harness.IssueAsync(profile);
        var (result, _) = await TapAsync(h, 800_00, h.Profile.Pin);

        Assert.True(result.Outcome == TransactionOutcome.Approved, result.Reason);
        Assert.True(result.WentOnline);
        Assert.Equal("00", result.AuthorizationResponse!.ResponseCode);
        Assert.Equal("071", result.AuthorizationRequest!.EntryMode);
    }

    [Fact]
    public async Task Online_tap_with_a_wrong_pin_is_declined_55()
    {
        await using var h = await Harness.IssueAsync("pboc-ec-intl");
        var (result, _) = await TapAsync(h, 800_00, "000000");

        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal("55", result.AuthorizationResponse!.ResponseCode);
    }

    [Fact]
    public async Task Field_55_carries_the_tvr_the_arqc_covers()
    {
        await using var h = await Harness.IssueAsync("pboc-debit-ec-sm");
        var (result, commands) = await TapAsync(h, 800_00, h.Profile.Pin);
        var gpo = commands.Single(c => c.Ins == 0xA8);

        // The PDOL data of Q2 puts the TVR at offset 4 + 6 + 6 + 2 (after TTQ, 9F02, 9F03, 9F1A), behind the 83 L header.
        byte[] gpoTvr = gpo.Data.Span.Slice(2 + 4 + 6 + 6 + 2, 5).ToArray();
        var sent = Core.Tlv.TlvNode.Parse(result.AuthorizationRequest!.IccData).Single(n => n.Tag == new Core.Tlv.Tag(0x95));
        Assert.Equal(Hex.Encode(gpoTvr), Hex.Encode(sent.Value.Span));
        Assert.Equal("00", result.AuthorizationResponse!.ResponseCode);
    }

    private static async Task<(TransactionResult Result, IReadOnlyList<CommandApdu> Commands)> TapAsync(Harness h, long amount, string? pin)
    {
        await using var reader = h.Transport();
        await using var recording = new RecordingTransport(reader, leaveOpen: true);
        var kernel = new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, h.Issuer, pin is null ? PinEntry.Bypass : PinEntry.Fixed(pin), h.Clock, TerminalRandom.Seeded(9))
        {
            Reader = s_reader,
        };
        var result = await kernel.RunAsync(recording, new TransactionRequest(amount));
        return (result, recording.Exchanges.Select(e => e.Command).ToList());
    }

    private static async Task<long> BalanceAsync(Harness h)
    {
        await using var reader = h.Transport();
        var reading = await new QpbocKernel(new TerminalConfig(), h.TerminalCaKeys, null, null).ReadEcBalanceAsync(reader);
        return reading.Balance ?? throw new InvalidOperationException(reading.Reason);
    }

    private static string Name(CommandApdu c) => c.Ins switch { 0xA4 => "SELECT", 0xA8 => "GPO", _ => c.Ins.ToString("X2", System.Globalization.CultureInfo.InvariantCulture) };
}
