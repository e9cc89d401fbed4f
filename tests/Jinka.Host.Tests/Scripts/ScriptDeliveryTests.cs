using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Crypto;
using Jinka.Host.Issuing;
using Jinka.Host.Scripts;

namespace Jinka.Host.Tests.Scripts;

/// <summary>Scripts as the card sees them: template, 9F18, and commands whose MACs the card checks on its own keys.</summary>
public sealed class ScriptDeliveryTests : IDisposable
{
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    public static TheoryData<string, SuiteId, string> BlockCommands => new()
    {
        { "APPLICATION BLOCK, 3DES", SuiteId.International, "841E000004" },
        { "APPLICATION UNBLOCK, 3DES", SuiteId.International, "8418000004" },
        { "CARD BLOCK, 3DES", SuiteId.International, "8416000004" },
        { "PIN UNBLOCK, 3DES", SuiteId.International, "8424000004" },
        { "APPLICATION BLOCK, SM4", SuiteId.Sm, "841E000004" },
        { "CARD BLOCK, SM4", SuiteId.Sm, "8416000004" },
    };

    [Theory]
    [MemberData(nameof(BlockCommands))]
    public async Task Block_unblock_and_pin_unblock_go_in_71_with_a_mac_the_card_verifies(string description, SuiteId suite, string header)
    {
        _ = description;
        var card = await _harness.AddCardAsync(suite);
        var command = header[..4] switch
        {
            "841E" => ScriptCommand.ApplicationBlock(),
            "8418" => ScriptCommand.ApplicationUnblock(),
            "8416" => ScriptCommand.CardBlock(),
            _ => ScriptCommand.PinUnblock(),
        };
        var script = await _harness.Issuer.QueueScriptAsync(card.Pan, card.Psn, command);
        var transaction = card.Transact(100);

        var decision = await _harness.AuthorizeAsync(transaction);

        var template = Assert.Single(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Equal(new Tag(0x71), template.Tag);
        Assert.Equal(script.Id, ResponseChipData.ScriptId(template));
        byte[] apdu = Assert.Single(ResponseChipData.Commands(template));
        Assert.Equal(header, Hex.Encode(apdu[..5]));
        Assert.Equal(9, apdu.Length);
        Assert.Empty(card.VerifyScriptCommand(apdu, transaction)!);

        // Another transaction's ATC and ARQC would not accept this MAC.
        var other = card.Transact(100);
        Assert.Null(card.VerifyScriptCommand(apdu, other));
        Assert.Equal(script.Id, Assert.Single(decision.DeliveredScripts).Id);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.ScriptDelivered && e.ScriptId == script.Id);
    }

    [Theory]
    [InlineData("3DES", SuiteId.International)]
    [InlineData("SM4", SuiteId.Sm)]
    public async Task Put_data_and_update_record_go_in_72_with_plain_data_and_a_valid_mac(string description, SuiteId suite)
    {
        _ = description;
        var card = await _harness.AddCardAsync(suite);
        await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.PutData(new Tag(0x9F79), Hex.Parse("000000010000")));
        await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.UpdateRecord(sfi: 1, record: 2, Hex.Parse("70035F2001")));
        var transaction = card.Transact(100);

        var decision = await _harness.AuthorizeAsync(transaction);

        var templates = ResponseChipData.Parse(decision.Response).Templates;
        Assert.Equal(2, templates.Count);
        Assert.All(templates, t => Assert.Equal(new Tag(0x72), t.Tag));
        byte[] putData = Assert.Single(ResponseChipData.Commands(templates[0]));
        Assert.Equal("04DA9F790A", Hex.Encode(putData[..5]));
        Assert.Equal("000000010000", Hex.Encode(card.VerifyScriptCommand(putData, transaction)!));
        byte[] updateRecord = Assert.Single(ResponseChipData.Commands(templates[1]));
        Assert.Equal("04DC020C09", Hex.Encode(updateRecord[..5]));
        Assert.Equal("70035F2001", Hex.Encode(card.VerifyScriptCommand(updateRecord, transaction)!));
    }

    [Fact]
    public async Task Put_data_mac_is_the_NOTES_A5_5_retail_mac_under_the_mac_session_key()
    {
        var card = await _harness.AddCardAsync();
        await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.PutData(new Tag(0x9F79), Hex.Parse("000000010000")));
        var transaction = card.Transact(100);
        var decision = await _harness.AuthorizeAsync(transaction);
        byte[] apdu = ResponseChipData.Commands(ResponseChipData.Parse(decision.Response).Templates[0])[0];

        // Independently of the suite class: the retail MAC (ISO 9797-1 algorithm 3, padding method 2).
        byte[] skMac = card.SessionKeyMac(transaction.Atc);
        byte[] input = Hex.Parse("04DA9F790A" + Hex.Encode(SimulatedCard.AtcBytes(transaction.Atc)) + Hex.Encode(transaction.Arqc) + "000000010000");
        byte[] expected = Crypto.Symmetric.Iso9797Mac.ComputeAlgorithm3(skMac, input, Crypto.Symmetric.PaddingMethod.Iso9797Method2, 4);
        Assert.Equal(Hex.Encode(expected), Hex.Encode(apdu[^4..]));
    }

    [Theory]
    [InlineData("3DES", SuiteId.International)]
    [InlineData("SM4", SuiteId.Sm)]
    public async Task Pin_change_data_deciphers_to_the_format_2_pin_block(string description, SuiteId suite)
    {
        _ = description;
        var card = await _harness.AddCardAsync(suite);
        var script = await _harness.Issuer.QueuePinChangeAsync(CardId.Create(card.Pan), "246810");
        Assert.Equal(ScriptTemplate.BeforeFinalGenerateAc, script.Template);
        Assert.DoesNotContain("246810", Hex.Encode(script.Commands[0].NewPin!.PinBlock.Span), StringComparison.Ordinal);
        var transaction = card.Transact(100);

        var decision = await _harness.AuthorizeAsync(transaction);

        byte[] apdu = Assert.Single(ResponseChipData.Commands(Assert.Single(ResponseChipData.Parse(decision.Response).Templates)));
        Assert.Equal("8424000214", Hex.Encode(apdu[..5]));
        byte[] enciphered = card.VerifyScriptCommand(apdu, transaction)!;
        Assert.Equal(16, enciphered.Length);
        Assert.Equal("26246810FFFFFFFF", Hex.Encode(card.DecipherScriptData(enciphered, transaction)!));
    }

    [Fact]
    public async Task A_pin_block_for_another_card_fails_at_delivery_and_is_reported()
    {
        var card = await _harness.AddCardAsync();
        byte[] wrongPan = _harness.Keys.EncryptPin("pek", "1234", "6225880000000019");
        var script = await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.PinChange(new EncryptedPin("pek", wrongPan)));

        var decision = await _harness.AuthorizeAsync(card.Transact(100));

        Assert.Equal("00", decision.Response.ResponseCode);
        Assert.Empty(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Contains(decision.Events, e => e.Kind == IssuerEventKind.ScriptFailed && e.ScriptId == script.Id && e.Message.Contains("format 0", StringComparison.Ordinal));
        Assert.Equal(ScriptState.Failed, (await _harness.Storage.Scripts.FindAsync(script.Id))!.State);
    }

    [Fact]
    public async Task Several_commands_in_one_script_share_one_9F18_and_each_has_its_own_mac()
    {
        var card = await _harness.AddCardAsync();
        var script = await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.PinUnblock(), ScriptCommand.ApplicationUnblock());
        var transaction = card.Transact(100);
        var decision = await _harness.AuthorizeAsync(transaction);
        var template = Assert.Single(ResponseChipData.Parse(decision.Response).Templates);
        Assert.Equal(script.Id, ResponseChipData.ScriptId(template));
        var commands = ResponseChipData.Commands(template);
        Assert.Equal(["8424000004", "8418000004"], commands.Select(c => Hex.Encode(c[..5])));
        Assert.All(commands, c => Assert.NotNull(card.VerifyScriptCommand(c, transaction)));
        Assert.NotEqual(commands[0][^4..], commands[1][^4..]);
    }

    [Fact]
    public async Task Templates_come_71_first_then_72_each_in_queue_order_with_increasing_ids()
    {
        var card = await _harness.AddCardAsync();
        var id = CardId.Create(card.Pan);
        var put = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.PutData(new Tag(0x9F14), [0x03]));
        var block = await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.ApplicationBlock());
        var forced = await _harness.Issuer.QueueScriptAsync(id, ScriptTemplate.AfterFinalGenerateAc, ScriptCommand.CardBlock());
        Assert.True(put.Id < block.Id && block.Id < forced.Id);

        var decision = await _harness.AuthorizeAsync(card.Transact(100));

        var templates = ResponseChipData.Parse(decision.Response).Templates;
        Assert.Equal([(0x71u, block.Id), (0x72u, put.Id), (0x72u, forced.Id)], templates.Select(t => (t.Tag.Value, ResponseChipData.ScriptId(t))));
        var nodes = TlvNode.Parse(decision.Response.IccData);
        Assert.Equal(new Tag(0x91), nodes[0].Tag);
    }

    [Fact]
    public async Task Commands_that_prefer_different_templates_need_separate_scripts_or_a_named_template()
    {
        var card = await _harness.AddCardAsync();
        var id = CardId.Create(card.Pan);
        var ex = await Assert.ThrowsAsync<ArgumentException>(async () => await _harness.Issuer.QueueScriptAsync(id, ScriptCommand.ApplicationBlock(), ScriptCommand.PutData(new Tag(0x9F14), [0x03])));
        Assert.Contains("different templates", ex.Message, StringComparison.Ordinal);
        var mixed = await _harness.Issuer.QueueScriptAsync(id, ScriptTemplate.BeforeFinalGenerateAc, ScriptCommand.ApplicationBlock(), ScriptCommand.PutData(new Tag(0x9F14), [0x03]));
        Assert.Equal(ScriptTemplate.BeforeFinalGenerateAc, mixed.Template);
        await Assert.ThrowsAsync<ArgumentException>(async () => await _harness.Issuer.QueueScriptAsync(id));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _harness.Issuer.QueueScriptAsync(CardId.Create("6225880000000019"), ScriptCommand.CardBlock()));
    }

    [Fact]
    public async Task Scripts_beyond_the_size_limit_wait_for_the_next_transaction_in_order()
    {
        // Templates: block 20 bytes, PUT DATA 9F79 26 bytes, unblock 20 bytes; 48 fit in one response.
        using var harness = new IssuerHarness(maxScriptBytes: 48);
        var card = await harness.AddCardAsync();
        var id = CardId.Create(card.Pan);
        var first = await harness.Issuer.QueueScriptAsync(id, ScriptCommand.ApplicationBlock());
        var second = await harness.Issuer.QueueScriptAsync(id, ScriptCommand.PutData(new Tag(0x9F79), new byte[6]));
        var third = await harness.Issuer.QueueScriptAsync(id, ScriptCommand.ApplicationUnblock());
        Assert.Equal((20, 26, 20), (first.EncodedLength, second.EncodedLength, third.EncodedLength));
        var tooBig = await Assert.ThrowsAsync<ArgumentException>(async () => await harness.Issuer.QueueScriptAsync(id, ScriptCommand.PutData(new Tag(0xDF01), new byte[60])));
        Assert.Contains("80 bytes", tooBig.Message, StringComparison.Ordinal);

        var transaction = card.Transact(100);
        var one = await harness.AuthorizeAsync(transaction);
        Assert.Equal([first.Id, second.Id], one.DeliveredScripts.Select(s => s.Id));
        Assert.Contains(one.Events, e => e.Kind == IssuerEventKind.ScriptDeferred && e.ScriptId == third.Id);
        var sent = ResponseChipData.Parse(one.Response).Templates;
        Assert.Equal([first.EncodedLength, second.EncodedLength], sent.Select(t => t.HeaderLength + t.Value.Length));

        // No result reported: both are sent again, and the third still waits behind them.
        var two = await harness.AuthorizeAsync(card.Transact(100));
        Assert.Equal([first.Id, second.Id], two.DeliveredScripts.Select(s => s.Id));
        Assert.Equal(2, two.DeliveredScripts[0].Deliveries);

        // Once the terminal reports them done, the third goes out.
        var results = new ScriptResult(ScriptOutcome.Succeeded, 0, first.Id).Encode().Concat(new ScriptResult(ScriptOutcome.Succeeded, 0, second.Id).Encode()).ToArray();
        await harness.Issuer.AdviseAsync(new Core.Online.TransactionAdvice(Core.Online.AdviceKind.Completion, transaction.Request, Tlv(0xDF31, results)));
        var three = await harness.AuthorizeAsync(card.Transact(100));
        Assert.Equal([third.Id], three.DeliveredScripts.Select(s => s.Id));
    }

    private static byte[] Tlv(uint tag, byte[] value)
    {
        using var writer = new TlvWriter();
        writer.WritePrimitive(new Tag(tag), value);
        return writer.ToArray();
    }

    [Fact]
    public async Task Declines_before_the_arqc_verifies_or_for_a_replay_carry_no_scripts()
    {
        var card = await _harness.AddCardAsync();
        var script = await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.ApplicationBlock());
        var transaction = card.Transact(100);
        var approved = await _harness.AuthorizeAsync(transaction);
        Assert.Single(approved.DeliveredScripts);
        var replay = await _harness.AuthorizeAsync(transaction);
        Assert.Equal("94", replay.Response.ResponseCode);
        Assert.Empty(ResponseChipData.Parse(replay.Response).Templates);
        Assert.Equal(1, (await _harness.Storage.Scripts.FindAsync(script.Id))!.Deliveries);
    }

    [Fact]
    public async Task A_cancelled_script_is_not_delivered()
    {
        var card = await _harness.AddCardAsync();
        var script = await _harness.Issuer.QueueScriptAsync(CardId.Create(card.Pan), ScriptCommand.ApplicationBlock());
        Assert.True(await _harness.Issuer.CancelScriptAsync(script.Id));
        Assert.False(await _harness.Issuer.CancelScriptAsync(script.Id));
        var decision = await _harness.AuthorizeAsync(card.Transact(100));
        Assert.Empty(decision.DeliveredScripts);
        Assert.Contains(_harness.Issuer.Events.Snapshot(), e => e.Kind == IssuerEventKind.ScriptCancelled && e.ScriptId == script.Id);
    }

    [Fact]
    public async Task Queueing_a_clear_pin_needs_a_pin_key()
    {
        using var keys = new Crypto.Keys.SoftwareKeyStore();
        var storage = IssuerStorage.InMemory();
        var issuer = new Issuer(keys, storage);
        var id = CardId.Create("6225880000000001");
        await storage.Cards.RegisterAsync(new CardRecord(id, SuiteId.International, IssuerHarness.IssuerKeys(SuiteId.International), "A"));
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await issuer.QueuePinChangeAsync(id, "1234"));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _harness.Issuer.QueuePinChangeAsync(id, "12"));
    }

    [Theory]
    [InlineData("3-byte tag", 0x9F7F01u)]
    [InlineData("constructed tag", 0x70u)]
    public void Put_data_refuses_tags_p1_p2_cannot_address(string description, uint tag)
    {
        _ = description;
        Assert.Throws<ArgumentException>(() => ScriptCommand.PutData(new Tag(tag), [0x01]));
    }

    [Fact]
    public void Command_limits_are_checked()
    {
        Assert.Throws<ArgumentException>(() => ScriptCommand.PutData(new Tag(0xDF01), new byte[252]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScriptCommand.UpdateRecord(31, 1, [0x70, 0x00]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ScriptCommand.UpdateRecord(1, 0, [0x70, 0x00]));
        Assert.Throws<ArgumentException>(() => ScriptCommand.PinChange(new EncryptedPin("pek", new byte[7])));
        Assert.Equal("PUT DATA 9F79 (04 DA 9F 79)", ScriptCommand.PutData(new Tag(0x9F79), new byte[6]).ToString());
    }
}
