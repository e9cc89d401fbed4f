using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Jinka.Iso8583.Framing;

namespace Jinka.Iso8583.Transport;

/// <summary>
/// Length-prefixed frames over a stream through System.IO.Pipelines: reads whole frames (one copy each, handed to
/// the parser without another), writes frames straight into the pipe. Reads are for one reader at a time; writes are
/// serialised, so several tasks may answer on one connection.
/// </summary>
public sealed class FrameChannel : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    public FrameChannel(Stream stream, FrameOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        Options = options ?? new FrameOptions();
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
    }

    public FrameOptions Options { get; }

    /// <summary>
    /// The next frame's content (TPDU, header, message), or null when the peer closed the connection between frames.
    /// A 2-byte zero length (a keep-alive) is skipped.
    /// </summary>
    /// <exception cref="FrameException">A length over <see cref="FrameOptions.MaxFrameLength"/>, or the connection closed inside a frame.</exception>
    /// <exception cref="TimeoutException">Idle longer than <see cref="FrameOptions.IdleTimeout"/>, or a frame slower than <see cref="FrameOptions.FrameTimeout"/>.</exception>
    public async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.IdleTimeout);
        bool started = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await _reader.ReadAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(started
                    ? $"A frame did not arrive whole within {Options.FrameTimeout.TotalSeconds:0.###} s."
                    : $"Nothing arrived for {Options.IdleTimeout.TotalSeconds:0.###} s.");
            }

            var buffer = result.Buffer;
            while (TryTakeFrame(ref buffer, out var frame))
            {
                if (frame.Length == 0)
                {
                    continue;
                }

                byte[] content = frame.ToArray();
                _reader.AdvanceTo(buffer.Start);
                return content;
            }

            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return buffer.Length == 0 ? null : throw new FrameException($"The connection closed {buffer.Length} bytes into a frame.");
            }

            if (!started && buffer.Length > 0)
            {
                started = true;
                timeout.CancelAfter(Options.FrameTimeout);
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes one frame (length, <paramref name="envelope"/>, message with its MAC when <paramref name="mac"/> is given) and flushes it.</summary>
    /// <exception cref="TimeoutException">The peer did not take the bytes within <see cref="FrameOptions.WriteTimeout"/>.</exception>
    public async ValueTask WriteFrameAsync(CupPosEnvelope envelope, Iso8583MessageBuilder message, MacGenerator? mac = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CupPosFrame.Write(_writer, envelope, message, mac);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Writes raw bytes as they are (tests of malformed input).</summary>
    public async ValueTask WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _writer.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _reader.CompleteAsync().ConfigureAwait(false);
        try
        {
            await _writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The peer is gone; nothing left to flush to.
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        _writeLock.Dispose();
    }

    private async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.WriteTimeout);
        try
        {
            await _writer.FlushAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The peer did not take a frame within {Options.WriteTimeout.TotalSeconds:0.###} s.");
        }
    }

    private bool TryTakeFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> frame)
    {
        frame = default;
        if (buffer.Length < CupPosFrame.LengthPrefix)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[CupPosFrame.LengthPrefix];
        buffer.Slice(0, CupPosFrame.LengthPrefix).CopyTo(prefix);
        int length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (length > Options.MaxFrameLength)
        {
            throw new FrameException($"A frame of {length} bytes was announced; at most {Options.MaxFrameLength} are accepted.");
        }

        if (buffer.Length < CupPosFrame.LengthPrefix + length)
        {
            return false;
        }

        frame = buffer.Slice(CupPosFrame.LengthPrefix, length);
        buffer = buffer.Slice(CupPosFrame.LengthPrefix + length);
        return true;
    }
}
