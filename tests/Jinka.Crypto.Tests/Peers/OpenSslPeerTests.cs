namespace Jinka.Crypto.Tests.Peers;

public class OpenSslPeerTests
{
    [OpenSslFact]
    public void Openssl_answers_with_version_3()
    {
        var (code, output, _) = OpenSsl.Run(["version"]);
        Assert.Equal(0, code);
        Assert.StartsWith("OpenSSL 3", System.Text.Encoding.ASCII.GetString(output), StringComparison.Ordinal);
    }
}
