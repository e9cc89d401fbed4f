using Jinka.Core.Apdu;
using Jinka.Core.Transport;

namespace Jinka.Core.Tests.Transport;

/// <summary>
/// A card that follows a script: each step asserts the command it receives (as hex, so a mismatch reads well)
/// and answers with a fixed response, a computed one, or a transport failure.
/// </summary>
internal sealed class ScriptedTransport : IApduTransport
{
    private readonly Queue<Func<CommandApdu, ResponseApdu>> _steps = new();
    private readonly Func<CommandApdu, ResponseApdu>? _fallback;

    public ScriptedTransport()
    {
    }

    /// <summary>A card that answers every command (after the scripted steps, if any) with <paramref name="answer"/>.</summary>
    public ScriptedTransport(Func<CommandApdu, ResponseApdu> answer)
    {
        _fallback = answer;
    }

    public List<CommandApdu> Received { get; } = [];

    public List<CancellationToken> Tokens { get; } = [];

    public bool Disposed { get; private set; }

    /// <summary>Called before each answer (e.g. to advance a fake clock).</summary>
    public Action? OnCommand { get; set; }

    public int Remaining => _steps.Count;

    /// <summary>Expect exactly <paramref name="commandHex"/>, answer <paramref name="responseHex"/> (data ‖ SW).</summary>
    public ScriptedTransport Expect(string commandHex, string responseHex)
    {
        string expected = Hex.Encode(Hex.Parse(commandHex));
        var response = ResponseApdu.Parse(Hex.Parse(responseHex));
        _steps.Enqueue(command =>
        {
            Assert.Equal(expected, Hex.Encode(command.ToArray()));
            return response;
        });
        return this;
    }

    /// <summary>Expect <paramref name="commandHex"/>, then fail the exchange as a broken link would.</summary>
    public ScriptedTransport ExpectThenFail(string commandHex, TransportException failure)
    {
        string expected = Hex.Encode(Hex.Parse(commandHex));
        _steps.Enqueue(command =>
        {
            Assert.Equal(expected, Hex.Encode(command.ToArray()));
            throw failure;
        });
        return this;
    }

    public ValueTask<ResponseApdu> TransmitAsync(CommandApdu command, CancellationToken cancellationToken = default)
    {
        Assert.False(Disposed, "transmit after dispose");
        cancellationToken.ThrowIfCancellationRequested();
        Received.Add(command);
        Tokens.Add(cancellationToken);
        OnCommand?.Invoke();
        if (_steps.TryDequeue(out var step))
        {
            return ValueTask.FromResult(step(command));
        }

        Assert.True(_fallback is not null, $"unexpected command {command}: the script has ended");
        return ValueTask.FromResult(_fallback(command));
    }

    /// <summary>Every scripted step was used.</summary>
    public void AssertFinished() => Assert.True(_steps.Count == 0, $"{_steps.Count} scripted step(s) were not used");

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}
