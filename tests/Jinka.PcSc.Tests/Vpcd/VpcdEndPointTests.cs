using Jinka.PcSc.Vpcd;

namespace Jinka.PcSc.Tests.Vpcd;

public sealed class VpcdEndPointTests
{
    [Theory]
    [InlineData("host and port", "127.0.0.1:35963", "127.0.0.1", 35963, "Virtual PCD 00 00")]
    [InlineData("second slot", "127.0.0.1:35964", "127.0.0.1", 35964, "Virtual PCD 00 01")]
    [InlineData("host only: the default port", "localhost", "localhost", 35963, "Virtual PCD 00 00")]
    [InlineData("port only: loopback", ":35964", "127.0.0.1", 35964, "Virtual PCD 00 01")]
    [InlineData("IPv6 in brackets", "[::1]:35963", "::1", 35963, "Virtual PCD 00 00")]
    [InlineData("IPv6 without port", "[::1]", "::1", 35963, "Virtual PCD 00 00")]
    [InlineData("a port outside vpcd's defaults", "10.0.0.5:4000", "10.0.0.5", 4000, null)]
    [InlineData("spaces around", "  127.0.0.1:35963 ", "127.0.0.1", 35963, "Virtual PCD 00 00")]
    public void Parses(string description, string text, string host, int port, string? reader)
    {
        var endPoint = VpcdEndPoint.Parse(text);
        Assert.True(endPoint == new VpcdEndPoint(host, port), description);
        Assert.Equal(reader, endPoint.LikelyReaderName);
        Assert.Equal(endPoint, VpcdEndPoint.Parse(endPoint.ToString()));
    }

    [Theory]
    [InlineData("empty", "", "empty")]
    [InlineData("port not a number", "127.0.0.1:abc", "'abc' is not a number")]
    [InlineData("port zero", "127.0.0.1:0", "from 1 to 65535")]
    [InlineData("port too large", "127.0.0.1:65536", "from 1 to 65535")]
    [InlineData("negative port", "127.0.0.1:-1", "not a number")]
    [InlineData("IPv6 without brackets", "::1:35963", "brackets")]
    [InlineData("unclosed bracket", "[::1:35963", "brackets")]
    [InlineData("junk after bracket", "[::1]x35963", "brackets")]
    [InlineData("empty host in brackets", "[]:35963", "host is empty")]
    public void Malformed_addresses_say_what_is_wrong(string description, string text, string expected)
    {
        Assert.False(VpcdEndPoint.TryParse(text, out _, out var error), description);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        var e = Assert.Throws<FormatException>(() => VpcdEndPoint.Parse(text));
        Assert.Equal(error, e.Message);
    }
}
