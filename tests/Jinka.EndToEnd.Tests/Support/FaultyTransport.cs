using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.EndToEnd.Tests;

/// <summary>What goes wrong at the chosen command.</summary>
public enum CardFault
{
    /// <summary>The card answers the command, but the reader hands back garbage data with 9000.</summary>
    Garbage,

    /// <summary>One bit in the middle of the response data is flipped (a noisy line): signed data, cryptograms, records.</summary>
    BitFlip,

    /// <summary>The card leaves the reader: the command never reaches it and the transport throws "card removed".</summary>
    Removed,
}

/// <summary>A reader that misbehaves at the <see cref="FailAt"/>-th command (1-based) and passes everything else through.</summary>
internal sealed class FaultyTransport(IApduTransport inner, int failAt, CardFault fault) : IApduTransport
{
    public int FailAt => failAt;

    /// <summary>Commands seen so far.</summary>
    public int Count { get; private set; }

    /// <summary>The command the fault hit, once it did.</summary>
    public CommandApdu? Hit { get; private set; }

    public async ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        if (++Count != failAt)
        {
            return await inner.TransmitAsync(command, cancellationToken);
        }

        Hit = command;
        if (fault == CardFault.Removed)
        {
            throw new TransportException(TransportFailure.CardRemoved, "card removed");
        }

        var real = await inner.TransmitAsync(command, cancellationToken);
        if (fault == CardFault.BitFlip)
        {
            var data = real.Data.ToArray();
            if (data.Length > 0)
            {
                data[data.Length / 2] ^= 0x01;
            }

            return new ResponseApdu(data, real.StatusWord);
        }

        var garbage = new byte[Math.Max(real.Data.Length, 7)];
        for (int i = 0; i < garbage.Length; i++)
        {
            // Deterministic junk that is not valid BER-TLV in any useful way.
            garbage[i] = (byte)(0xA5 ^ (i * 37));
        }

        return new ResponseApdu(garbage, StatusWord.Success);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
