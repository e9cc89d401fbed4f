using Jinka.Core;
using Jinka.Core.Apdu;
using Jinka.Core.Transport;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

/// <summary>A card that answers garbage, refuses, repeats data or disappears: the transaction ends cleanly with a reason.</summary>
public class RobustnessTests
{
    private static Harness WithScripts(CardProfile? profile = null)
    {
        var harness = new Harness(profile ?? CardProfile.Rsa() with { CvmList = "00000000000000000400", LowerConsecutiveOfflineLimit = 3, UpperConsecutiveOfflineLimit = 5, Atc = 2 });
        harness.Issuer.Scripts.Add(new IssuerScript(0x71, "00000001", new ScriptCommand(0x84, 0x18, 0x00, 0x00)));
        harness.Issuer.Scripts.Add(new IssuerScript(0x72, "00000002", new ScriptCommand(0x84, 0x18, 0x00, 0x00)));
        return harness;
    }

    [Fact]
    public async Task A_card_removed_at_any_command_ends_the_transaction_with_a_reason()
    {
        var reference = WithScripts();
        Assert.Equal(TransactionOutcome.Approved, (await reference.RunAsync()).Outcome);
        int commands = reference.Card.Commands.Count;
        Assert.True(commands >= 20, reference.Instructions);

        for (int at = 0; at < commands; at++)
        {
            var harness = WithScripts();
            harness.Card.DisappearAt = at;
            var result = await harness.RunAsync();
            var ins = reference.Card.Commands[at].Ins;
            if (at == commands - 1)
            {
                // The last command is the 72 script after the final GAC: the approval stands, the script fails.
                Assert.Equal(TransactionOutcome.Approved, result.Outcome);
                Assert.Equal("2000000001" + "1100000002", Hex.Encode(result.ScriptResults.Span));
                continue;
            }

            Assert.True(result.Outcome == TransactionOutcome.Terminated, $"command {at} ({ins:X2}): {result}");
            Assert.Contains("the card could not be reached (CardRemoved): the card was removed (during ", result.Reason, StringComparison.Ordinal);
            Assert.Equal(result.Outcome.ToString(), result.Trace.Outcome);
            bool hostApproved = harness.Issuer.Requests.Count == 1;
            Assert.Equal(hostApproved ? 1 : 0, harness.Issuer.Advices.Count);
        }
    }

    public static TheoryData<string, string> Garbage() => new()
    {
        { "error status", "6F00" },
        { "random bytes", "1A2B3C4D5E9000" },
        { "truncated TLV", "6F05840300" + "9000" },
        { "empty success", "9000" },
        { "a wrong template", "7103AABBCC9000" },
        { "one byte", "90" },
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public async Task Garbage_at_any_command_never_throws(string description, string answer)
    {
        _ = description;
        var reference = WithScripts();
        await reference.RunAsync();
        for (int at = 0; at < reference.Card.Commands.Count; at++)
        {
            var harness = WithScripts();
            int target = at;
            var raw = Hex.Parse(answer);
            harness.Card.Override = (_, number) => number != target ? null
                : raw.Length < 2 ? throw new TransportException(TransportFailure.ProtocolViolation, "a one-byte response")
                : ResponseApdu.Parse(raw);
            var result = await harness.RunAsync();
            Assert.False(string.IsNullOrWhiteSpace(result.Reason));
            Assert.Equal(result.Outcome.ToString(), result.Trace.Outcome);
            _ = result.Trace.ToJson();
        }
    }

    public static TheoryData<string, string?, string, string> Refusals() => new()
    {
        { "READ RECORD 6A83", "B2:2:0C", "6A83", "card answered 6A83 (record not found) to READ RECORD 2 of SFI 1 (during read application data)" },
        { "record not a 70 template", "B2:1:0C", "7703AABBCC9000", "record 1 of SFI 1 is not a 70 template" },
        { "GPO 6A80", "A8", "6A80", ") to GET PROCESSING OPTIONS" },
        { "GPO 80 of one byte", "A8", "80017D9000", "the GPO response 80 is 1 bytes; expected AIP (2) and AFL entries of 4" },
        { "GPO 77 without AFL", "A8", "7704" + "82027D00" + "9000", "the GPO response 77 lacks a 2-byte AIP 82 or an AFL 94 of 4-byte entries" },
        { "AFL with SFI 0", "A8", "800A7D00" + "00010202" + "10010300" + "9000", "AFL entry 00010202 is malformed (EMV Book 3 §10.2)" },
        { "AFL with more ODA records than records", "A8", "800A7D00" + "08010203" + "10010300" + "9000", "AFL entry 08010203 is malformed" },
        { "first GAC 6985", "AE", "6985", "card answered 6985 (conditions of use not satisfied) to first GENERATE AC (ARQC with CDA)" },
        { "first GAC with RFU cryptogram type", "AE", "800BC000010102030405060708" + "9000", "the card returned CID C0: cryptogram type 11 is RFU" },
        { "first GAC format 1 too short", "AE", "800540000102039000", "the GENERATE AC response 80 is 5 bytes; expected at least CID, ATC and AC (11)" },
        { "first GAC 77 without CID", "AE", "77059F3602000190" + "00", "lacks 9F27, 9F36, or both 9F26 and 9F4B" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Unexpected_answers_terminate_with_the_reason(string description, string? command, string answer, string reason)
    {
        _ = description;
        var harness = new Harness(config: new TerminalConfig { Capabilities = [0xE0, 0xF8, 0xC8] });
        var parts = command!.Split(':');
        harness.Card.Override = (c, _) => c.Ins == Convert.ToByte(parts[0], 16)
            && (parts.Length < 2 || (c.P1 == byte.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) && c.P2 == Convert.ToByte(parts[2], 16)))
            && !(c.Ins == 0xB2 && harness.Card.Commands.Count < 5)
            ? ResponseApdu.Parse(Hex.Parse(answer))
            : null;
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_answering_TC_to_an_ARQC_request_is_refused()
    {
        var profile = CardProfile.Rsa() with { Decide = (requested, second) => second ? requested : CryptogramType.Tc };
        var result = await new Harness(profile).RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.StartsWith("the card returned a TC to a request for a ARQC (EMV Book 3 §9.3)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_data_across_records_terminates()
    {
        var result = await new Harness(CardProfile.Rsa() with { ExtraRecordData = "5A086225880000000001" }).RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.StartsWith("the card returned 5A (Application Primary Account Number (PAN)) again in record 2 of SFI 1 (EMV Book 3 §10.2)", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Duplicate_data_inside_one_record_terminates()
    {
        var result = await new Harness(CardProfile.Rsa() with { ExtraRecordData = "5F200141" }).RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.StartsWith("record 1 of SFI 1 holds 5F20 (Cardholder Name) twice", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Card_data_for_a_terminal_tag_is_ignored_with_a_note()
    {
        var result = await new Harness(CardProfile.Rsa() with { ExtraRecordData = "9F1A020840" }, new TerminalConfig { FloorLimit = 100_000 }).RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Equal("0156", Hex.Encode(result.Data.Get(new Core.Tlv.Tag(0x9F1A))));
        Assert.Contains("record 1 of SFI 1: ignored 9F1A (Terminal Country Code), which the terminal supplies", result.Trace.Steps.Single(s => s.Name == "Read application data").Notes);
    }

    [Theory]
    [InlineData("8C", "mandatory card data missing: 8C (CDOL1)")]
    [InlineData("5F24", "mandatory card data missing: 5F24 (Application Expiration Date)")]
    [InlineData("5A", "mandatory card data missing: 5A (PAN)")]
    public async Task Missing_mandatory_data_terminates(string omitted, string reason)
    {
        var result = await new Harness(CardProfile.Rsa() with { OmitTags = [omitted] }).RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task A_malformed_PDOL_terminates_before_GPO()
    {
        var harness = new Harness(CardProfile.Rsa() with { Pdol = "9F7A019F" });
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.Equal("the card's PDOL 9F38 9F7A019F is malformed", result.Reason);
        Assert.DoesNotContain(harness.Card.Commands, c => c.Ins == 0xA8);
    }

    [Fact]
    public async Task GET_RESPONSE_chains_are_joined_by_the_transport_layer()
    {
        var harness = new Harness(config: new TerminalConfig { FloorLimit = 100_000 });
        byte[]? pending = null;
        harness.Card.Override = (command, _) =>
        {
            if (command.Ins == 0xB2 && command.P1 == 2 && command.P2 == 0x0C && pending is null && harness.Card.Commands.Count > 4)
            {
                pending = harness.Card.Data.Records[(1, 2)];
                return new ResponseApdu(pending.AsSpan(0, 100), StatusWord.MoreBytesAvailable(pending.Length - 100));
            }

            return command.Ins == 0xC0 && pending is not null ? new ResponseApdu(pending.AsSpan(100), StatusWord.Success) : null;
        };
        var result = await harness.RunAsync();
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
        Assert.Contains(harness.Card.Commands, c => c.Ins == 0xC0);
        Assert.DoesNotContain(result.Trace.Apdus, a => a.Command.StartsWith("00C0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cancellation_ends_the_transaction_as_terminated()
    {
        using var cancellation = new CancellationTokenSource();
        var harness = new Harness();
        harness.Card.Override = (command, _) =>
        {
            if (command.Ins == 0xA8)
            {
                cancellation.Cancel();
                cancellation.Token.ThrowIfCancellationRequested();
            }

            return null;
        };
        var result = await harness.Kernel().RunAsync(harness.Card, new TransactionRequest(100), cancellation.Token);
        Assert.Equal(TransactionOutcome.Terminated, result.Outcome);
        Assert.StartsWith("cancelled by the caller", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_and_configurations_are_caller_errors()
    {
        var harness = new Harness();
        await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Kernel().RunAsync(harness.Card, new TransactionRequest(-1)));
        await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Kernel().RunAsync(harness.Card, new TransactionRequest(1) { SequenceCounter = 0 }));
        var error = Assert.Throws<ArgumentException>(() => new Terminal.Contact.ContactKernel(new TerminalConfig { TerminalId = "SHORT" }, TestKeys.Store(), null, null));
        Assert.Contains("TerminalConfig.TerminalId is 8 characters", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new TerminalConfig { Capabilities = [0xE0] }.Validate());
        Assert.Throws<ArgumentException>(() => new TerminalConfig { Aids = [SupportedAid.FromHex("A0000003")] }.Validate());
    }
}
