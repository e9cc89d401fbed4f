using Jinka.Core;
using Jinka.Core.Tlv;
using Jinka.Host.Issuing;

namespace Jinka.Host.Tests.Issuing;

/// <summary>Malformed field 55 and message fields: always an answer with a reason, never an exception.</summary>
public sealed class MalformedRequestTests : IDisposable
{
    private readonly IssuerHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    public static TheoryData<string, string, string> Field55Mutations => new()
    {
        { "9F26 missing", "remove 9F26", "field 55 lacks 9F26" },
        { "9F27 missing", "remove 9F27", "field 55 lacks 9F27" },
        { "9F36 missing", "remove 9F36", "field 55 lacks 9F36" },
        { "9F10 missing", "remove 9F10", "field 55 lacks 9F10" },
        { "9F02 missing", "remove 9F02", "field 55 lacks 9F02" },
        { "9F37 missing", "remove 9F37", "field 55 lacks 9F37" },
        { "95 missing", "remove 95", "field 55 lacks 95" },
        { "82 missing", "remove 82", "field 55 lacks 82" },
        { "9F26 of 7 bytes", "set 9F26 A6364607F31A5D", "9F26 (Application Cryptogram) is 7 bytes; 8 expected" },
        { "9F36 of 3 bytes", "set 9F36 000001", "is 3 bytes; 2 expected" },
        { "9F27 of 2 bytes", "set 9F27 8000", "is 2 bytes; 1 expected" },
        { "9F37 of 2 bytes", "set 9F37 1234", "is 2 bytes; 4 expected" },
        { "9A of 4 bytes", "set 9A 20250101", "is 4 bytes; 3 expected" },
        { "9F10 of 5 bytes", "set 9F10 0701010300", "9F10 is 5 bytes" },
        { "9F10 not starting 07", "set 9F10 06010103A0000001", "starts with the length 07" },
        { "9F10 CVR length byte 04", "set 9F10 07010104A0000001", "CVR length) is 04" },
        { "9F10 unknown algorithm 02", "set 9F10 07010103A0000002", "algorithm identifier 02" },
        { "9F27 says TC", "set 9F27 40", "9F27 = 40 is a TC" },
        { "9F27 says AAC", "set 9F27 00", "9F27 = 00 is an AAC" },
        { "9F02 not BCD", "set 9F02 00000000010A", "is not a BCD amount" },
        { "9F36 twice", "append 9F36 0001", "carries 9F36" },
        { "truncated: last byte cut", "truncate 1", "not valid BER-TLV" },
        { "truncated: inside a tag", "bytes 9F", "not valid BER-TLV" },
        { "length longer than the data", "bytes 9F2608A6364607", "not valid BER-TLV" },
        { "indefinite length", "bytes 9F2680", "not valid BER-TLV" },
        { "empty", "bytes ", "field 55 is empty" },
    };

    [Theory]
    [MemberData(nameof(Field55Mutations))]
    public async Task Malformed_field_55_is_a_format_error_with_a_reason(string description, string mutation, string reason)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        byte[] field55 = Mutate(transaction, mutation);

        var decision = await _harness.Issuer.DecideAsync(transaction.RequestWith(field55));

        Assert.Equal("30", decision.Response.ResponseCode);
        Assert.Contains(reason, decision.Response.Reason, StringComparison.Ordinal);
        Assert.Equal(IssuerEventKind.FormatError, Assert.Single(decision.Events).Kind);
        Assert.True(decision.Response.IccData.IsEmpty);
        Assert.Equal(0, (await _harness.AccountAsync(card)).Held);
    }

    [Fact]
    public async Task Unknown_tags_padding_free_templates_and_proprietary_data_are_tolerated()
    {
        var card = await _harness.AddCardAsync();
        var transaction = card.Transact(100);
        transaction.Field55.Insert(0, (new Tag(0xDF7F), Hex.Parse("0102")));
        transaction.Field55.Add((new Tag(0x9F6E), Hex.Parse("20700000")));
        transaction.Field55.Add((new Tag(0xBF70), Hex.Parse("DF710101")));
        transaction.Field55.Add((new Tag(0x9F1E), "12345678"u8.ToArray()));

        var decision = await _harness.AuthorizeAsync(transaction);

        Assert.Equal("00", decision.Response.ResponseCode);
    }

    [Theory]
    [InlineData("PAN with a letter", "62258800000A0001", "00", "14")]
    [InlineData("PAN of 7 digits", "6225880", "00", "14")]
    [InlineData("PSN of 3 digits", "6225880000000001", "001", "30")]
    [InlineData("PSN not digits", "6225880000000001", "0A", "30")]
    public async Task Malformed_card_fields_are_declined_with_a_reason(string description, string pan, string psn, string code)
    {
        _ = description;
        var card = await _harness.AddCardAsync();
        var request = card.Transact(100).Request with { Pan = pan, PanSequenceNumber = psn };
        var decision = await _harness.Issuer.DecideAsync(request);
        Assert.Equal(code, decision.Response.ResponseCode);
        Assert.False(string.IsNullOrEmpty(decision.Response.Reason));
    }

    [Fact]
    public async Task A_failing_store_gives_96_not_an_exception()
    {
        var card = await _harness.AddCardAsync();
        var broken = new Issuer(_harness.Keys, _harness.Storage with { Journal = new FailingJournal() });
        var decision = await broken.DecideAsync(card.Transact(100).Request);
        Assert.Equal("96", decision.Response.ResponseCode);
        Assert.Contains("disk on fire", decision.Response.Reason, StringComparison.Ordinal);
        Assert.Equal(IssuerEventKind.SystemError, decision.Events[^1].Kind);
    }

    private static byte[] Mutate(ChipTransaction transaction, string mutation)
    {
        string[] parts = mutation.Split(' ');
        switch (parts[0])
        {
            case "remove":
                transaction.Remove(Tag.Parse(parts[1]));
                return transaction.EncodeField55();
            case "set":
                transaction.Set(Tag.Parse(parts[1]), Hex.Parse(parts[2]));
                return transaction.EncodeField55();
            case "append":
                transaction.Field55.Add((Tag.Parse(parts[1]), Hex.Parse(parts[2])));
                return transaction.EncodeField55();
            case "truncate":
                byte[] full = transaction.EncodeField55();
                return full[..^int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)];
            case "bytes":
                return Hex.Parse(parts[1]);
            default:
                throw new ArgumentException(mutation, nameof(mutation));
        }
    }

    private sealed class FailingJournal : IAuthorizationJournal
    {
        public ValueTask<long> NextSequenceAsync(CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

        public ValueTask<bool> TryAddAsync(AuthorizationRecord record, CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

        public ValueTask UpdateAsync(AuthorizationRecord record, CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

        public ValueTask<AuthorizationRecord?> FindByAtcAsync(CardId card, ushort atc, CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

        public ValueTask<AuthorizationRecord?> FindByTraceAsync(string terminalId, int stan, CardId card, CancellationToken cancellationToken = default) => throw new IOException("disk on fire");

        public ValueTask<IReadOnlyList<AuthorizationRecord>> FindPendingAsync(CancellationToken cancellationToken = default) => throw new IOException("disk on fire");
    }
}
