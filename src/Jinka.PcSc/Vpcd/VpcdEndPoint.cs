using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Jinka.PcSc.Vpcd;

/// <summary>
/// Where the vsmartcard <c>vpcd</c> driver of pcscd listens for a virtual card: a host and a port. vpcd opens one port
/// per virtual reader slot, 35963 for the first ("Virtual PCD 00 00"), 35964 for the second ("Virtual PCD 00 01").
/// </summary>
public readonly record struct VpcdEndPoint(string Host, int Port)
{
    /// <summary>vpcd's first port.</summary>
    public const int DefaultPort = 35963;

    /// <summary>How many slots Debian's vpcd configures (reader.conf.d/vpcd).</summary>
    public const int DefaultSlots = 2;

    /// <summary>127.0.0.1:35963.</summary>
    public static VpcdEndPoint Default => new("127.0.0.1", DefaultPort);

    /// <summary>
    /// The name pcscd gives the slot behind this port when vpcd is its first reader driver: "Virtual PCD 00 00" for
    /// 35963, "Virtual PCD 00 01" for 35964; null for a port outside vpcd's default range.
    /// </summary>
    public string? LikelyReaderName => Port - DefaultPort is int slot and >= 0 and < DefaultSlots
        ? string.Create(CultureInfo.InvariantCulture, $"Virtual PCD 00 {slot:D2}")
        : null;

    /// <summary>Parses "HOST:PORT", "HOST" (port 35963), ":PORT" (127.0.0.1) or "[IPv6]:PORT".</summary>
    /// <exception cref="FormatException">Not of that form; the message says what is wrong.</exception>
    public static VpcdEndPoint Parse(string text) =>
        TryParse(text, out var endPoint, out var error) ? endPoint : throw new FormatException(error);

    /// <summary>Like <see cref="Parse"/>, returning false with the reason.</summary>
    public static bool TryParse(string? text, out VpcdEndPoint endPoint, [NotNullWhen(false)] out string? error)
    {
        endPoint = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the vpcd address is empty (expected HOST:PORT, e.g. 127.0.0.1:35963)";
            return false;
        }

        string host = text.Trim();
        string? portText = null;
        if (host.StartsWith('['))
        {
            int close = host.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || (close + 1 < host.Length && host[close + 1] != ':'))
            {
                error = $"'{text}': an IPv6 address goes in brackets, then ':PORT' (e.g. [::1]:35963)";
                return false;
            }

            portText = close + 1 < host.Length ? host[(close + 2)..] : null;
            host = host[1..close];
        }
        else if (host.LastIndexOf(':') is int colon and >= 0)
        {
            if (host.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                error = $"'{text}': put an IPv6 address in brackets (e.g. [::1]:35963)";
                return false;
            }

            portText = host[(colon + 1)..];
            host = colon == 0 ? "127.0.0.1" : host[..colon];
        }

        int port = DefaultPort;
        if (portText is not null
            && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535))
        {
            error = $"'{text}': the port '{portText}' is not a number from 1 to 65535";
            return false;
        }

        if (host.Length == 0)
        {
            error = $"'{text}': the host is empty";
            return false;
        }

        endPoint = new VpcdEndPoint(host, port);
        error = null;
        return true;
    }

    public override string ToString() => Host.Contains(':', StringComparison.Ordinal)
        ? string.Create(CultureInfo.InvariantCulture, $"[{Host}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Host}:{Port}");
}
