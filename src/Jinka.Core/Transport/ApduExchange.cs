using Jinka.Core.Apdu;

namespace Jinka.Core.Transport;

/// <summary>One command and the response it got, with the time the exchange took.</summary>
public sealed record ApduExchange(CommandApdu Command, ResponseApdu Response, TimeSpan Elapsed)
{
    /// <summary>"&gt;&gt; command" and "&lt;&lt; response" on two lines, as trace files show them.</summary>
    public override string ToString() => $">> {Command}\n<< {Response}";
}
