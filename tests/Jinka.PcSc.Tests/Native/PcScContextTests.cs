namespace Jinka.PcSc.Tests.Native;

/// <summary>Establishing contexts, listing readers and waiting for cards, against a scripted resource manager.</summary>
public sealed class PcScContextTests
{
    private readonly FakePcScApi _api = new();

    [Fact]
    public void Establish_failure_names_the_reason()
    {
        _api.EstablishResult = PcScError.NoService;
        var e = Assert.Throws<PcScException>(() => PcScContext.Establish(_api, PcScScope.System));
        Assert.Equal(PcScError.NoService, e.Error);
        Assert.Equal(Core.Transport.TransportFailure.PeerClosed, e.Failure);
        Assert.Contains("pcscd is not running", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_to_an_unknown_reader_fails_with_its_name()
    {
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var e = Assert.Throws<PcScException>(() => context.Connect("No Such Reader"));
        Assert.Equal(PcScError.UnknownReader, e.Error);
        Assert.Contains("'No Such Reader'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connect_to_an_empty_reader_is_no_smart_card()
    {
        _api.ConnectResult = PcScError.NoSmartCard;
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var e = Assert.Throws<PcScException>(() => context.Connect("Fake Reader 00 00"));
        Assert.Equal(Core.Transport.TransportFailure.CardRemoved, e.Failure);
        Assert.DoesNotContain(_api.Calls, c => c.StartsWith("disconnect", StringComparison.Ordinal));
    }

    [Fact]
    public void Reader_states_carry_presence_and_atr()
    {
        _api.States.Enqueue(PcScReaderFlags.Present | PcScReaderFlags.InUse);
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var state = Assert.Single(context.GetReaderStates());
        Assert.Equal("Fake Reader 00 00", state.Reader);
        Assert.True(state.CardPresent);
        Assert.True(state.InUse);
        Assert.Equal("card (in use)", state.Describe());
        Assert.Equal(_api.Atr, state.Atr.ToArray());
        Assert.Equal(0, (int)(state.Flags & PcScReaderFlags.Changed));
    }

    [Fact]
    public void No_readers_is_an_empty_list()
    {
        _api.Readers.Clear();
        using var context = PcScContext.Establish(_api, PcScScope.System);
        Assert.Empty(context.ListReaders());
        Assert.Empty(context.GetReaderStates());
    }

    [Fact]
    public async Task WaitForCard_returns_when_the_card_arrives()
    {
        _api.States.Enqueue(PcScReaderFlags.Empty);
        _api.States.Enqueue(PcScReaderFlags.Present);
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var state = await context.WaitForCardAsync("Fake Reader 00 00", TimeSpan.FromSeconds(5));
        Assert.True(state.CardPresent);
        Assert.Equal(2, _api.Calls.Count(c => c.StartsWith("status-change", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task WaitForCard_times_out_with_a_typed_error()
    {
        _api.States.Enqueue(PcScReaderFlags.Empty);
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var e = await Assert.ThrowsAsync<PcScException>(() => context.WaitForCardAsync("Fake Reader 00 00", TimeSpan.FromMilliseconds(50)));
        Assert.Equal(PcScError.Timeout, e.Error);
        Assert.Contains("Fake Reader 00 00", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WaitForCard_ends_when_cancelled()
    {
        _api.States.Enqueue(PcScReaderFlags.Empty);
        using var context = PcScContext.Establish(_api, PcScScope.System);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => context.WaitForCardAsync("Fake Reader 00 00", TimeSpan.FromSeconds(30), cancel.Token));
        Assert.Contains("cancel", _api.Calls);
    }

    [Fact]
    public async Task WaitForCard_on_an_unknown_reader_fails_at_once()
    {
        using var context = PcScContext.Establish(_api, PcScScope.System);
        var e = await Assert.ThrowsAsync<PcScException>(() => context.WaitForCardAsync("Nowhere", TimeSpan.FromSeconds(30)));
        Assert.Equal(PcScError.UnknownReader, e.Error);
    }

    [Theory]
    [InlineData(PcScReaderFlags.Empty, "empty", false)]
    [InlineData(PcScReaderFlags.Present, "card", true)]
    [InlineData(PcScReaderFlags.Present | PcScReaderFlags.Exclusive, "card (exclusive)", true)]
    [InlineData(PcScReaderFlags.Present | PcScReaderFlags.Mute, "mute card", false)]
    [InlineData(PcScReaderFlags.Unavailable, "unavailable", false)]
    public void Reader_state_description(PcScReaderFlags flags, string description, bool present)
    {
        var state = new PcScReaderState("r", flags, ReadOnlyMemory<byte>.Empty);
        Assert.Equal(description, state.Describe());
        Assert.Equal(present, state.CardPresent);
    }
}
