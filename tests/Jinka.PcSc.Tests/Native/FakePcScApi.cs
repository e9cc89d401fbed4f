using Jinka.PcSc.Native;

namespace Jinka.PcSc.Tests.Native;

/// <summary>A scripted PC/SC resource manager: one reader, a card that answers through <see cref="Card"/>, and a log of every call.</summary>
internal sealed class FakePcScApi : IPcScApi
{
    private readonly SemaphoreSlim _cancel = new(0);
    private nint _next = 100;

    public string Name => "fake";

    public List<string> Calls { get; } = [];

    public PcScError EstablishResult { get; set; }

    public PcScError ConnectResult { get; set; }

    public PcScError TransmitResult { get; set; }

    public List<string> Readers { get; } = ["Fake Reader 00 00"];

    public PcScProtocols Protocol { get; set; } = PcScProtocols.T1;

    public byte[] Atr { get; set; } = [0x3B, 0x60, 0x00, 0x00];

    /// <summary>The card: command bytes in, response bytes out.</summary>
    public Func<byte[], byte[]> Card { get; set; } = _ => [0x90, 0x00];

    public List<byte[]> Sent { get; } = [];

    /// <summary>Slot states GetStatusChange reports, one per call; when empty it waits for the timeout or a cancel.</summary>
    public Queue<PcScReaderFlags> States { get; } = new();

    public PcScError EstablishContext(PcScScope scope, out nint context)
    {
        Calls.Add("establish");
        context = EstablishResult == PcScError.Success ? _next++ : 0;
        return EstablishResult;
    }

    public PcScError ReleaseContext(nint context)
    {
        Calls.Add($"release {context}");
        return PcScError.Success;
    }

    public PcScError ListReaders(PcScContextHandle context, out IReadOnlyList<string> readers)
    {
        readers = Readers.ToList();
        return PcScError.Success;
    }

    public PcScError Connect(PcScContextHandle context, string reader, PcScShareMode shareMode, PcScProtocols preferred, out nint card, out PcScProtocols active)
    {
        Calls.Add($"connect {reader} {shareMode} {preferred}");
        card = ConnectResult == PcScError.Success ? _next++ : 0;
        active = Protocol;
        return Readers.Contains(reader) ? ConnectResult : PcScError.UnknownReader;
    }

    public PcScError Reconnect(PcScCardHandle card, PcScShareMode shareMode, PcScProtocols preferred, PcScDisposition initialization, out PcScProtocols active)
    {
        Calls.Add($"reconnect {initialization}");
        active = Protocol;
        return PcScError.Success;
    }

    public PcScError Disconnect(nint card, PcScDisposition disposition)
    {
        Calls.Add($"disconnect {card} {disposition}");
        return PcScError.Success;
    }

    public PcScError Status(PcScCardHandle card, out PcScProtocols protocol, out byte[] atr)
    {
        protocol = Protocol;
        atr = Atr;
        return PcScError.Success;
    }

    public PcScError Transmit(PcScCardHandle card, PcScProtocols protocol, ReadOnlySpan<byte> command, Span<byte> response, out int received)
    {
        Calls.Add($"transmit {protocol}");
        Sent.Add(command.ToArray());
        received = 0;
        if (TransmitResult != PcScError.Success)
        {
            return TransmitResult;
        }

        byte[] answer = Card(command.ToArray());
        if (answer.Length > response.Length)
        {
            return PcScError.InsufficientBuffer;
        }

        answer.CopyTo(response);
        received = answer.Length;
        return PcScError.Success;
    }

    public PcScError GetStatusChange(PcScContextHandle context, uint timeoutMilliseconds, ReaderStateQuery[] readers)
    {
        Calls.Add($"status-change {timeoutMilliseconds}");
        foreach (var query in readers)
        {
            if (!Readers.Contains(query.Reader))
            {
                query.EventState = (ulong)(PcScReaderFlags.Unknown | PcScReaderFlags.Changed);
                return PcScError.Success;
            }
        }

        if (States.Count == 0)
        {
            return _cancel.Wait(TimeSpan.FromMilliseconds(timeoutMilliseconds == uint.MaxValue ? -1 : timeoutMilliseconds))
                ? PcScError.Cancelled
                : PcScError.Timeout;
        }

        var state = States.Dequeue();
        foreach (var query in readers)
        {
            query.EventState = (ulong)(state | PcScReaderFlags.Changed) | ((ulong)Calls.Count << 16);
            query.Atr = (state & PcScReaderFlags.Present) != 0 ? Atr : [];
        }

        return PcScError.Success;
    }

    public PcScError Cancel(PcScContextHandle context)
    {
        Calls.Add("cancel");
        _cancel.Release();
        return PcScError.Success;
    }
}
