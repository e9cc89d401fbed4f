using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Terminal.Pin;
using Jinka.Terminal.Tests.Fakes;

namespace Jinka.Terminal.Tests.Contact;

/// <summary>Cardholder verification: CVM list conditions, each CVM, PIN bypass and PIN tries.</summary>
public class CvmTests
{
    private static readonly TerminalConfig s_offline = new() { FloorLimit = 100_000 };

    /// <summary>
    /// description, CVM list (X ‖ Y ‖ rules), amount, PINs the pad enters (null = bypass), expected 9F34, TVR byte 3,
    /// signature, VERIFY commands sent.
    /// </summary>
    public static TheoryData<string, string, long, string?[], string, string, bool, int> Lists() => new()
    {
        { "no CVM, always", "00000000000000001F00", 100, [], "1F0002", "00", false, 0 },
        { "plaintext PIN, right", "00000000000000000100", 100, ["1234"], "010002", "00", false, 1 },
        { "plaintext PIN, wrong then right", "00000000000000000100", 100, ["9999", "1234"], "010002", "00", false, 2 },
        { "plaintext PIN bypassed, no fallback", "00000000000000000100", 100, [null], "010001", "88", false, 0 },
        { "plaintext PIN bypassed, then signature", "00000000000000004103" + "1E03", 100, [null], "1E0300", "08", true, 0 },
        { "a 3-digit PIN counts as not entered", "00000000000000000100", 100, ["123"], "010001", "88", false, 0 },
        { "plaintext PIN and signature", "00000000000000000300", 100, ["1234"], "030000", "00", true, 1 },
        { "signature", "00000000000000001E00", 100, [], "1E0000", "00", true, 0 },
        { "fail CVM processing", "00000000000000000000", 100, [], "000001", "80", false, 0 },
        { "under X: no CVM", "000003E8000000001F06" + "0107", 100, [], "1F0602", "00", false, 0 },
        { "over X: PIN", "000003E8000000001F06" + "0107", 5000, ["1234"], "010702", "00", false, 1 },
        { "amount equal to X is neither under nor over", "000003E8000000001F06" + "0107" + "1E00", 1000, [], "1E0000", "00", true, 0 },
        { "under Y: signature", "00000000000007D01E08" + "0109", 1999, [], "1E0800", "00", true, 0 },
        { "over Y: PIN", "00000000000007D01E08" + "0109", 2001, ["1234"], "010902", "00", false, 1 },
        { "cashback condition not met", "00000000000000001E05" + "1F00", 100, [], "1F0002", "00", false, 0 },
        { "not unattended cash, not manual cash, not cashback", "00000000000000000102", 100, ["1234"], "010202", "00", false, 1 },
        { "unrecognised CVM 08, then next", "00000000000000004800" + "1F00", 100, [], "1F0002", "40", false, 0 },
        { "unrecognised CVM 08, no next", "00000000000000000800" + "1F00", 100, [], "080001", "C0", false, 0 },
        { "cardholder ID (JR/T 0025) is not supported here", "00000000000000006000" + "1E00", 100, [], "1E0000", "00", true, 0 },
        { "unknown condition 0A is skipped", "0000000000000000010A" + "1F00", 100, [], "1F0002", "00", false, 0 },
        { "no rule applies", "00000000000000001E05", 100, [], "3F0001", "80", false, 0 },
        { "bypass carries over to the next PIN CVM", "00000000000000004100" + "4400" + "1E00", 100, [null, "1234"], "1E0000", "08", true, 0 },
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Cvm_list_table(string description, string cvmList, long amount, string?[] pins, string cvmResults, string tvrByte3, bool signature, int verifies)
    {
        _ = description;
        var harness = new Harness(CardProfile.Rsa() with { CvmList = cvmList }, s_offline) { PinEntry = PinEntry.Sequence(pins) };
        var result = await harness.RunAsync(amount);
        Assert.Equal(cvmResults, result.CvmResults.ToString());
        Assert.Equal(cvmResults, Hex.Encode(result.Data.Get(new Tag(0x9F34))));
        Assert.Equal(tvrByte3, result.Tvr.ToString()[4..6]);
        Assert.Equal(signature, result.SignatureRequired);
        Assert.Equal(verifies, harness.Card.Commands.Count(c => c.Ins == 0x20));
        Assert.True(result.Tsi.CardholderVerificationPerformed);
    }

    [Fact]
    public async Task Conditions_06_to_09_need_the_application_currency()
    {
        var profile = CardProfile.Rsa() with { CvmList = "000003E8000000001F06" + "1E00", ApplicationCurrency = "0840" };
        var result = await new Harness(profile, s_offline).RunAsync(100);
        Assert.Equal("1E0000", result.CvmResults.ToString());
    }

    [Fact]
    public async Task Purchase_with_cashback_meets_condition_05()
    {
        var profile = CardProfile.Rsa() with { CvmList = "00000000000000001E05" + "1F00" };
        var result = await new Harness(profile, s_offline).RunAsync(request: new TransactionRequest(100, OtherAmount: 50, TransactionType: TransactionRequest.PurchaseWithCashback));
        Assert.Equal("1E0500", result.CvmResults.ToString());
    }

    [Fact]
    public async Task The_PIN_try_counter_is_read_and_a_zero_counter_fails_without_VERIFY()
    {
        var harness = new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000100", PinTries = 0 }, s_offline);
        var result = await harness.RunAsync();
        Assert.True(result.Tvr.Has(TvrBit.PinTryLimitExceeded));
        Assert.True(result.Tvr.CardholderVerificationNotSuccessful);
        Assert.DoesNotContain(harness.Card.Commands, c => c.Ins == 0x20);
        Assert.Contains(harness.Card.Commands, c => c.Ins == 0xCA && c.P1 == 0x9F && c.P2 == 0x17);
    }

    [Fact]
    public async Task Wrong_PINs_until_the_card_blocks_the_PIN()
    {
        var requests = new List<PinRequest>();
        var harness = new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000100", PinTries = 2 }, s_offline)
        {
            PinEntry = PinEntry.FromDelegate(r =>
            {
                requests.Add(r);
                return PinEntryResult.Entered("0000");
            }),
        };
        var result = await harness.RunAsync();
        Assert.Equal("010001", result.CvmResults.ToString());
        Assert.True(result.Tvr.Has(TvrBit.PinTryLimitExceeded));
        Assert.Equal([(2, 1), (1, 2)], requests.Select(r => (r.TriesLeft!.Value, r.Attempt)));
        Assert.True(requests[1].IsLastTry);
        Assert.Equal(0, harness.Card.PinTriesLeft);
    }

    [Theory]
    [InlineData(Crypto.SuiteId.International)]
    [InlineData(Crypto.SuiteId.Sm)]
    public async Task Enciphered_offline_PIN_uses_GET_CHALLENGE_and_VERIFY_88(Crypto.SuiteId suite)
    {
        var harness = new Harness(new CardProfile { Suite = suite, CvmList = "00000000000000000400" }, s_offline);
        var result = await harness.RunAsync();
        Assert.Equal("040002", result.CvmResults.ToString());
        var verify = harness.Card.Commands.Single(c => c.Ins == 0x20);
        Assert.Equal(0x88, verify.P2);
        Assert.Equal(suite == Crypto.SuiteId.Sm ? 65 + 32 + 17 : 128, verify.Nc);
        int challenge = harness.Card.Commands.FindIndex(c => c.Ins == 0x84);
        Assert.Equal(challenge + 1, harness.Card.Commands.IndexOf(verify));
        Assert.Equal(TransactionOutcome.Approved, result.Outcome);
    }

    [Fact]
    public async Task Enciphered_PIN_wrong_then_right_asks_a_new_challenge_each_time()
    {
        var harness = new Harness(new CardProfile { CvmList = "00000000000000000500" }, s_offline) { PinEntry = PinEntry.Sequence("1111", "1234") };
        var result = await harness.RunAsync();
        Assert.Equal("050000", result.CvmResults.ToString());
        Assert.True(result.SignatureRequired);
        Assert.Equal(2, harness.Card.Commands.Count(c => c.Ins == 0x84));
    }

    [Fact]
    public async Task Online_PIN_goes_into_the_authorisation_request_as_a_format_0_block()
    {
        var harness = new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000200" });
        var result = await harness.RunAsync();
        Assert.Equal("020000", result.CvmResults.ToString());
        Assert.True(result.Tvr.Has(TvrBit.OnlinePinEntered));
        Assert.Equal(PinBlock.Format0("1234", "6225880000000001"), harness.Issuer.Requests.Single().PinBlock!.Value.ToArray());
        Assert.True(result.Trace.Authorization!.OnlinePin);
    }

    [Fact]
    public async Task Online_PIN_bypassed_sets_PIN_not_entered()
    {
        var harness = new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000200" }) { PinEntry = PinEntry.Bypass };
        var result = await harness.RunAsync();
        Assert.Equal("020001", result.CvmResults.ToString());
        Assert.True(result.Tvr.Has(TvrBit.PinNotEntered));
        Assert.Null(harness.Issuer.Requests.Single().PinBlock);
    }

    [Fact]
    public async Task A_terminal_that_lacks_the_CVM_skips_it_or_fails_it()
    {
        var noPlaintextPin = s_offline with { Capabilities = [0xE0, 0x78, 0xC8] };
        var skipped = await new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000103" + "1F00" }, noPlaintextPin).RunAsync();
        Assert.Equal("1F0002", skipped.CvmResults.ToString());

        var failed = await new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000100" }, noPlaintextPin).RunAsync();
        Assert.Equal("010001", failed.CvmResults.ToString());
        Assert.True(failed.Tvr.CardholderVerificationNotSuccessful);
    }

    [Fact]
    public async Task No_PIN_pad_sets_its_TVR_bit()
    {
        var result = await new Harness(CardProfile.Rsa() with { CvmList = "00000000000000000100" }, s_offline with { PinPadPresent = false }).RunAsync();
        Assert.True(result.Tvr.Has(TvrBit.PinPadNotPresentOrNotWorking));
        Assert.Equal("010001", result.CvmResults.ToString());
    }

    [Fact]
    public async Task A_missing_CVM_list_sets_ICC_data_missing_but_not_verification_failed()
    {
        // EMV Book 3 §10.5: without a CVM list, cardholder verification ends without the "not successful" bit.
        var result = await new Harness(CardProfile.Rsa() with { OmitTags = ["8E"] }, s_offline).RunAsync();
        Assert.Equal("3F0001", result.CvmResults.ToString());
        Assert.True(result.Tvr.IccDataMissing);
        Assert.False(result.Tvr.CardholderVerificationNotSuccessful);
    }

    [Fact]
    public async Task A_card_without_cardholder_verification_in_its_AIP_skips_it()
    {
        var result = await new Harness(CardProfile.Rsa() with { Aip = "6D00" }, s_offline).RunAsync();
        Assert.Equal("3F0000", result.CvmResults.ToString());
        Assert.False(result.Tsi.CardholderVerificationPerformed);
        Assert.False(result.Tvr.CardholderVerificationNotSuccessful);
    }
}
