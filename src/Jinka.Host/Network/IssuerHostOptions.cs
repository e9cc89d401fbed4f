using Jinka.Iso8583.Transport;

namespace Jinka.Host.Network;

/// <summary>How the ISO 8583 host runs.</summary>
public sealed record IssuerHostOptions
{
    /// <summary>Frame limits and timeouts (slow and idle terminals are dropped).</summary>
    public FrameOptions Frames { get; init; } = new();

    public int MaxConnections { get; init; } = 1024;

    /// <summary>Requests of one connection handled at once.</summary>
    public int MaxInFlightPerConnection { get; init; } = 64;

    /// <summary>
    /// TEST ONLY: a terminal with no master key in the key store gets the <see cref="TestTerminalKeys"/> one at its first
    /// sign-on. Off, such a sign-on is refused with "03".
    /// </summary>
    public bool TestTerminalMasterKeys { get; init; }

    /// <summary>How long a repeated request (same terminal, STAN, card and ATC) counts as a duplicate of the first.</summary>
    public TimeSpan DuplicateWindow { get; init; } = TimeSpan.FromHours(24);

    /// <summary>How long a duplicate waits for the original's decision before it is dropped unanswered.</summary>
    public TimeSpan DuplicateWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The host's clock (fields 12, 13, 15; the duplicate window).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Log lines: sign-ons, bad MACs, malformed frames, unknown messages, duplicates, failures. Never keys or PINs.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>The key store labels of a terminal's keys at the host.</summary>
public static class TerminalKeyLabels
{
    /// <summary>"tmk-{terminal ID}": the terminal master key (usage TerminalMaster).</summary>
    public static string Master(string terminalId) => $"tmk-{terminalId}";

    /// <summary>"pik-{terminal ID}": the PIN key of the last sign-on.</summary>
    public static string Pin(string terminalId) => $"pik-{terminalId}";

    /// <summary>"mak-{terminal ID}": the MAC key of the last sign-on.</summary>
    public static string Mac(string terminalId) => $"mak-{terminalId}";
}

/// <summary>Counts of what the host has done since it started.</summary>
public sealed class IssuerHostStatistics
{
    private long _requests;
    private long _approved;
    private long _declined;
    private long _duplicates;
    private long _badMacs;
    private long _unknown;
    private long _advices;
    private long _signOns;

    public long Requests => Interlocked.Read(ref _requests);

    public long Approved => Interlocked.Read(ref _approved);

    public long Declined => Interlocked.Read(ref _declined);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long BadMacs => Interlocked.Read(ref _badMacs);

    public long Unknown => Interlocked.Read(ref _unknown);

    public long Advices => Interlocked.Read(ref _advices);

    public long SignOns => Interlocked.Read(ref _signOns);

    internal void Request() => Interlocked.Increment(ref _requests);

    internal void Decided(bool approved) => Interlocked.Increment(ref approved ? ref _approved : ref _declined);

    internal void Duplicate() => Interlocked.Increment(ref _duplicates);

    internal void BadMac() => Interlocked.Increment(ref _badMacs);

    internal void UnknownMessage() => Interlocked.Increment(ref _unknown);

    internal void Advice() => Interlocked.Increment(ref _advices);

    internal void SignOn() => Interlocked.Increment(ref _signOns);
}
