using Jinka.Core;
using Jinka.Core.Online;
using Jinka.Terminal.Contactless;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contactless;

public sealed class QpbocKernelTests
{
    private static readonly QpbocReaderOptions s_reader = new() { ContactlessTransactionLimit = 100000, CvmLimit = 30000, ContactlessFloorLimit = 5000 };

    private static QpbocKernel Kernel(IAuthorizationClient? host, QpbocReaderOptions? reader = null, Terminal.Pin.IPinEntry? pin = null) =>
        new(new TerminalConfig(), TestKeys.Store(), host, pin, new FixedClock(new DateTimeOffset(Harness.Now, TimeSpan.Zero)), TerminalRandom.Seeded(5))
        {
            Reader = reader ?? s_reader,
        };

    private static string Apdus(QpbocFakeCard card) => string.Join(' ', card.Commands.Select(c => Hex.Encode(c.ToArray()[..4])));

    [Theory]
    [InlineData(false, "RSA")]
    [InlineData(true, "SM2")]
    public async Task Offline_approval_under_the_limits_reads_only_the_afl_records(bool sm, string description)
    {
        var card = new QpbocFakeCard(sm);
        var kernel = Kernel(new RecordingHost());
        var result = await kernel.RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));

        Assert.True(result.Outcome == TransactionOutcome.Approved, $"{description}: {result}");
        Assert.False(result.WentOnline);
        Assert.Equal("00A40400 00A40400 80A80000 00B2010C 00B20114 00B20214", Apdus(card));
        Assert.Equal("2PAY.SYS.DDF01"u8.ToArray(), card.Commands[0].Data.ToArray());
        Assert.Equal(Hex.Parse(QpbocFakeCard.Aid), card.Commands[1].Data.ToArray());
        Assert.NotNull(result.OfflineApproval);
        Assert.Equal(QpbocFakeCard.Pan, result.OfflineApproval!.Pan);
        Assert.EndsWith("8A025931", Hex.Encode(result.OfflineApproval.IccData.Span), StringComparison.Ordinal);
        Assert.Contains("9F270140", Hex.Encode(result.OfflineApproval.IccData.Span), StringComparison.Ordinal);
        Assert.Single(kernel.TakePendingUploads());
        Assert.Equal(0, kernel.PendingUploadCount);
    }

    [Theory]
    [InlineData(false, true, "26000080")]
    [InlineData(true, true, "26000080")]
    [InlineData(false, false, "22000080")]
    public async Task The_pdol_carries_the_ttq_and_ec_flag(bool sm, bool pinPad, string ttq)
    {
        var card = new QpbocFakeCard(sm);
        await Kernel(new RecordingHost(), pin: pinPad ? Terminal.Pin.PinEntry.Fixed("1234") : null).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));

        var data = Hex.Encode(card.PdolData!);
        Assert.StartsWith(ttq, data, StringComparison.Ordinal); // 9F66: qPBOC, (online PIN), signature; fDDA 01
        Assert.EndsWith(sm ? "0101" : "01", data, StringComparison.Ordinal); // DF69 01 (SM), 9F7A 01
    }

    [Theory]
    [InlineData(5000, false, "at the floor limit: offline")]
    [InlineData(5001, true, "one above the floor limit: online")]
    public async Task Floor_limit_boundary(long amount, bool online, string description)
    {
        var card = new QpbocFakeCard(false);
        var host = new RecordingHost();
        var result = await Kernel(host).RunAsync(card, new TransactionRequest(amount, DateTime: Harness.Now));

        Assert.True(result.Outcome == TransactionOutcome.Approved, $"{description}: {result}");
        Assert.Equal(online, result.WentOnline);
        Assert.Equal(online ? 1 : 0, host.Requests.Count);
        Assert.Equal(online ? 0x80 : 0x00, card.PdolData![1] & 0x80);
    }

    [Fact]
    public async Task Online_request_has_entry_mode_071_field_55_and_no_record_reads()
    {
        var card = new QpbocFakeCard(false);
        var host = new RecordingHost();
        var result = await Kernel(host).RunAsync(card, new TransactionRequest(20000, DateTime: Harness.Now));

        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        var request = Assert.Single(host.Requests);
        Assert.Equal("071", request.EntryMode);
        Assert.Equal(QpbocFakeCard.Pan, request.Pan);
        string field55 = Hex.Encode(request.IccData.Span);
        Assert.Contains("9F2701" + "80", field55, StringComparison.Ordinal);
        Assert.Contains("9F26", field55, StringComparison.Ordinal);
        Assert.Equal("00A40400 00A40400 80A80000", Apdus(card));
        Assert.Null(result.OfflineApproval);
    }

    [Fact]
    public async Task Issuer_decline_declines()
    {
        var result = await Kernel(new RecordingHost("05")).RunAsync(new QpbocFakeCard(false), new TransactionRequest(20000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Contains("05", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_aac_declines_without_reading_records()
    {
        var card = new QpbocFakeCard(false) { Decline = true };
        var result = await Kernel(new RecordingHost()).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Equal(3, card.Commands.Count);
    }

    [Theory]
    [InlineData(100000, true, "at the contactless limit: another interface")]
    [InlineData(99999, false, "one below the contactless limit: contactless")]
    public async Task Contactless_transaction_limit_boundary(long amount, bool anotherInterface, string description)
    {
        var card = new QpbocFakeCard(false);
        var result = await Kernel(new RecordingHost()).RunAsync(card, new TransactionRequest(amount, DateTime: Harness.Now));
        Assert.True(anotherInterface == result.TryAnotherInterface, $"{description}: {result}");
        Assert.Equal(anotherInterface ? 0 : 3, card.Commands.Count);
    }

    [Theory]
    [InlineData(30000, true, "at the CVM limit")]
    [InlineData(29999, false, "one below the CVM limit")]
    public async Task Cvm_limit_boundary_sets_cvm_required(long amount, bool required, string description)
    {
        var card = new QpbocFakeCard(false);
        await Kernel(new RecordingHost()).RunAsync(card, new TransactionRequest(amount, DateTime: Harness.Now));
        Assert.True(required == ((card.PdolData![1] & 0x40) != 0), description);
    }

    [Fact]
    public async Task Zero_amount_goes_online_or_to_another_interface_offline_only()
    {
        var online = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false), new TransactionRequest(0, DateTime: Harness.Now));
        Assert.True(online.WentOnline);
        var card = new QpbocFakeCard(false);
        var offline = await Kernel(null).RunAsync(card, new TransactionRequest(0, DateTime: Harness.Now));
        Assert.True(offline.TryAnotherInterface);
        Assert.Empty(card.Commands);
    }

    [Theory]
    [InlineData(false, QpbocTamper.SignedDynamicData)]
    [InlineData(true, QpbocTamper.SignedDynamicData)]
    [InlineData(false, QpbocTamper.CardAuthenticationData)]
    [InlineData(true, QpbocTamper.CardAuthenticationData)]
    [InlineData(false, QpbocTamper.UnpredictableNumber)]
    [InlineData(true, QpbocTamper.UnpredictableNumber)]
    public async Task Fdda_failure_declines_when_the_card_does_not_allow_online(bool sm, QpbocTamper tamper)
    {
        var host = new RecordingHost();
        var result = await Kernel(host).RunAsync(new QpbocFakeCard(sm) { Tamper = tamper }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Contains("fDDA failed", result.Reason, StringComparison.Ordinal);
        Assert.True(result.Tvr.Has(TvrBit.DdaFailed));
        Assert.Null(result.OfflineApproval);
        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task Fdda_failure_goes_online_when_ctq_says_so()
    {
        var host = new RecordingHost();
        var result = await Kernel(host).RunAsync(new QpbocFakeCard(false) { Tamper = QpbocTamper.SignedDynamicData, Ctq = "2000" }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Single(host.Requests);
    }

    [Fact]
    public async Task Fdda_failure_with_ctq_switch_interface_asks_for_another_interface()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { Tamper = QpbocTamper.SignedDynamicData, Ctq = "1000" }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.True(result.TryAnotherInterface);
    }

    [Fact]
    public async Task Online_pin_when_ctq_asks()
    {
        var host = new RecordingHost();
        var result = await Kernel(host, pin: Terminal.Pin.PinEntry.Fixed("1234")).RunAsync(new QpbocFakeCard(false) { Ctq = "8000" }, new TransactionRequest(40000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.NotNull(Assert.Single(host.Requests).PinBlock);
    }

    [Fact]
    public async Task Signature_when_ctq_asks()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { Ctq = "4000" }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.True(result.SignatureRequired);
    }

    [Theory]
    [InlineData(0, "during PPSE")]
    [InlineData(2, "during GPO")]
    [InlineData(4, "during the record reads")]
    public async Task Card_removed_mid_transaction_ends_cleanly(int at, string description)
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { DisappearAt = at }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.True(result.Outcome == TransactionOutcome.Terminated, description);
        Assert.Contains("CardRemoved", result.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9F26", "Application Cryptogram")]
    [InlineData("9F10", "Issuer Application Data")]
    [InlineData("57", "Track 2")]
    [InlineData("9F36", "ATC")]
    public async Task Missing_mandatory_gpo_data_terminates_with_the_tag(string tag, string description)
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { OmitFromGpo = [tag] }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Contains(tag, result.Reason, StringComparison.Ordinal);
        Assert.Contains("mandatory", result.Reason, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task Missing_9F4B_on_an_offline_approval_declines_with_icc_data_missing()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(true) { OmitFromGpo = ["9F4B"] }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.True(result.Tvr.Has(TvrBit.IccDataMissing));
        Assert.Contains("9F4B", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cvr_naming_no_cryptogram_type_terminates()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { CvrByte1 = 0xB0 }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Contains("b6–b5 = 11", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_tc_when_the_reader_required_online_declines()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { CvrByte1 = 0x90 }, new TransactionRequest(9000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Contains("required an online cryptogram", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arqc_on_an_offline_only_reader_declines()
    {
        var card = new QpbocFakeCard(false) { OfflineLimit = 100 };
        var result = await Kernel(null, new QpbocReaderOptions { ContactlessFloorLimit = 100000 }).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(0x08, card.PdolData![0] & 0x08);
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Contains("cannot go online", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Host_unreachable_declines_the_arqc()
    {
        var host = new RecordingHost { Failure = new TimeoutException("no answer") };
        var result = await Kernel(host).RunAsync(new QpbocFakeCard(false), new TransactionRequest(20000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Declined, result.Outcome);
        Assert.Contains("unable to go online", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_check_of_one_unit_goes_online()
    {
        var card = new QpbocFakeCard(false);
        var result = await Kernel(new RecordingHost(), s_reader with { StatusCheck = true }).RunAsync(card, new TransactionRequest(100, DateTime: Harness.Now));
        Assert.True(result.WentOnline);
        Assert.Equal(0x00, card.PdolData![^1]); // 9F7A = 00: no EC when online is required
    }

    [Theory]
    [InlineData(true, "4080", false, "device verified: no signature")]
    [InlineData(false, "4080", true, "reader without CDCVM: the card's signature bit stands")]
    [InlineData(true, "4000", true, "device did not verify: signature")]
    public async Task Consumer_device_cvm(bool readerCdcvm, string ctq, bool signature, string description)
    {
        var card = new QpbocFakeCard(false) { Ctq = ctq };
        var result = await Kernel(new RecordingHost(), s_reader with { ConsumerDeviceCvm = readerCdcvm }).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.True(result.Outcome == TransactionOutcome.Approved, $"{description}: {result}");
        Assert.True(signature == result.SignatureRequired, description);
        Assert.Equal(readerCdcvm ? 0x40 : 0x00, card.PdolData![2]);
    }

    [Fact]
    public async Task No_ppse_asks_for_another_interface()
    {
        var card = new QpbocFakeCard(false) { PpseStatus = 0x6A82 };
        var result = await Kernel(new RecordingHost()).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.True(result.TryAnotherInterface);
        Assert.Single(card.Commands);
    }

    [Fact]
    public async Task Ppse_entry_the_reader_does_not_support_is_not_selected()
    {
        var card = new QpbocFakeCard(false);
        var config = new TerminalConfig { Aids = [new SupportedAid(Hex.Parse("A000000333010102"), AllowPartialSelection: false)] };
        var kernel = new QpbocKernel(config, TestKeys.Store(), new RecordingHost(), null, new FixedClock(new DateTimeOffset(Harness.Now, TimeSpan.Zero)), TerminalRandom.Seeded(5));
        var result = await kernel.RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.Contains("no application in the PPSE", result.Reason, StringComparison.Ordinal);
        Assert.Single(card.Commands);
    }

    [Fact]
    public async Task Trace_records_the_steps_and_the_ttq()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false), new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(["Pre-processing", "PPSE selection", "Final selection", "Initiate application processing", "GPO analysis", "Read application data", "fDDA", "Contactless CVM", "qPBOC completion"], result.Trace.Steps.Select(s => s.Name));
        Assert.Equal("22000080", result.Trace.Steps[0].Outputs["TTQ 9F66"]);
        Assert.Equal(6, result.Trace.Apdus.Count);
    }

    [Fact]
    public async Task Online_field_55_carries_every_mandatory_tag()
    {
        var host = new RecordingHost();
        await Kernel(host).RunAsync(new QpbocFakeCard(true), new TransactionRequest(20000, DateTime: Harness.Now));
        var data = new Jinka.Core.Tlv.TlvDatabase();
        data.Merge(Assert.Single(host.Requests).IccData.Span);
        foreach (var tag in new[] { "9F26", "9F27", "9F10", "9F37", "9F36", "95", "9A", "9C", "9F02", "5F2A", "82", "9F1A", "9F03", "9F33" })
        {
            Assert.True(data.Contains(Jinka.Core.Tlv.Tag.Parse(tag)), $"field 55 lacks {tag}");
        }
    }

    [Theory]
    [InlineData(-1L, null, "negative contactless limit")]
    [InlineData(null, -5L, "negative CVM limit")]
    public async Task Invalid_reader_limits_are_refused(long? contactlessLimit, long? cvmLimit, string description)
    {
        var kernel = Kernel(new RecordingHost(), new QpbocReaderOptions { ContactlessTransactionLimit = contactlessLimit, CvmLimit = cvmLimit });
        await Assert.ThrowsAsync<ArgumentException>(async () => await kernel.RunAsync(new QpbocFakeCard(false), new TransactionRequest(1000, DateTime: Harness.Now)));
        Assert.False(string.IsNullOrEmpty(description));
    }

    [Fact]
    public async Task Gpo_refused_with_6985_asks_for_another_interface()
    {
        var card = new QpbocFakeCard(false) { GpoStatus = 0x6985 };
        var result = await Kernel(new RecordingHost()).RunAsync(card, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.NotAccepted, result.Outcome);
        Assert.True(result.TryAnotherInterface);
        Assert.Equal(3, card.Commands.Count);
    }

    [Fact]
    public async Task Gpo_answering_an_error_terminates_with_the_status()
    {
        var result = await Kernel(new RecordingHost()).RunAsync(new QpbocFakeCard(false) { GpoStatus = 0x6A80 }, new TransactionRequest(1000, DateTime: Harness.Now));
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Contains("6A80", result.Reason, StringComparison.Ordinal);
        Assert.False(result.TryAnotherInterface);
    }
}
